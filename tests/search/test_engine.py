"""The engine end to end on tiny data: hits, persistence, upsert/delete, model change, filters, bad input."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from essgraph.core.errors import BadInput, ConfigError
from essgraph.core.settings import Settings
from essgraph.search.engine import SearchEngine
from essgraph.search.query_vectors import embedding_text
from essgraph.search.ranking import concept_specificity, weighted_expansions, with_neighbours
from essgraph.search.records import PassageRecord
from tests.search.conftest import CONCEPT, make_records


def test_hit_carries_source_section_entities_and_highlight(engine: SearchEngine) -> None:
    result = engine.search("comment soutenir une SCIC", 3)
    assert result.hits
    top = result.hits[0]
    assert (
        top.record.document == "guide.txt"
        and top.record.start_line >= 1
        and top.record.end_line >= top.record.start_line
    )
    assert top.record.section.number == 9 and top.record.section.kind == "levier" and top.record.section.label
    assert "<mark>SCIC</mark>" in top.highlight
    assert set(top.to_dict()["entities"][0]) == {"iri", "label", "type"} if top.record.entities else True
    data = result.to_dict()
    assert set(data) >= {"hits", "facets"} and data["hits"][0]["char_end"] > data["hits"][0]["char_start"]


def test_highlight_escapes_html(engine: SearchEngine) -> None:
    hits = engine.search("caractères inoffensif", 5).hits
    hit = next(h for h in hits if "script" in h.record.text)
    assert "<script>" not in hit.highlight and "&lt;script&gt;" in hit.highlight
    assert "<mark>inoffensif</mark>" in hit.highlight
    assert "<script>" in hit.record.text  # the plain text is left as is


def test_modes_and_thesaurus_understanding(engine: SearchEngine) -> None:
    for mode in ("bm25", "dense", "hybrid"):
        assert engine.search("garage solidaire", 2, mode=mode).hits[0].record.start_line == 4
    # "restauration collective" is not in the passage; the thesaurus knows "cantine" as an altLabel
    result = engine.search("restauration collective", 3)
    assert result.hits[0].record.text.startswith("Les cantines")
    assert any("restauration" in label for label in result.understood.values())


def test_entity_in_question_is_understood(engine: SearchEngine) -> None:
    result = engine.search("Réseau Test", 2)
    assert "https://w3id.org/essgraph/id/organisation/reseau-test" in result.understood
    assert result.hits[0].record.doc_id == "rapport"


def test_persistence_round_trip(engine: SearchEngine, settings: Settings) -> None:
    before = [h.to_dict() for h in engine.search("garage solidaire", 3).hits]
    reopened = SearchEngine.open(settings)
    assert reopened.doc_ids() == ["guide", "rapport"]
    assert [h.to_dict() for h in reopened.search("garage solidaire", 3).hits] == before


def test_upsert_replaces_and_delete_removes(engine: SearchEngine, settings: Settings) -> None:
    changed = make_records(("guide",), suffix=" Texte révisé.")
    computed = engine.upsert_document("guide", changed)
    assert computed == len(changed)  # every text changed: re-embedded
    assert sum(1 for r in engine.records.values() if r.doc_id == "guide") == len(changed)
    assert engine.upsert_document("guide", changed) == 0  # unchanged: all from the cache
    engine.delete_document("rapport")
    assert engine.doc_ids() == ["guide"]
    assert all(h.record.doc_id == "guide" for h in engine.search("clubs régionaux", 5).hits)
    reopened = SearchEngine.open(settings)
    assert reopened.doc_ids() == ["guide"] and len(reopened.records) == len(changed)
    engine.delete_document("absent")  # unknown id: nothing happens


def test_model_change_requires_rebuild(engine: SearchEngine, records: list[PassageRecord]) -> None:
    other = engine.settings.model_copy(update={"embedder": "use"})
    stale = SearchEngine.open(other)
    with pytest.raises(ConfigError, match="reindex"):
        stale.search("garage solidaire")
    with pytest.raises(ConfigError):
        stale.upsert_document("guide", [r for r in records if r.doc_id == "guide"])
    stale.rebuild(records)
    assert stale.search("garage solidaire", 1).hits[0].record.start_line == 4
    assert SearchEngine.open(other).stale_reason is None
    with pytest.raises(ConfigError):
        SearchEngine.open(engine.settings).search("garage")


def test_filters_and_facets(engine: SearchEngine) -> None:
    result = engine.search("SCIC collectivités", 10, {"document": "guide.txt"})
    assert result.hits and all(h.record.document == "guide.txt" for h in result.hits)
    kinds = {f["value"]: f["count"] for f in result.facets["section_kind"]}
    assert kinds and set(kinds) <= {"levier", "thematique"}
    assert sum(f["count"] for f in result.facets["document"]) == sum(kinds.values())
    by_region = engine.search("garage", 10, {"region": "Pays de la Loire"})
    assert [h.record.start_line for h in by_region.hits] == [4]
    assert engine.search("garage", 10, {"departement": "49", "collectivite_level": "commune"}).hits
    assert engine.search("garage", 10, {"year": "2023", "document": "guide.txt"}).hits == []  # known values
    assert engine.search("clubs", 10, {"year": ["2023"], "section_kind": "chapitre"}).hits
    with pytest.raises(BadInput) as err:
        engine.search("garage", 10, {"couleur": "bleu"})
    assert "section_kind" in err.value.message_fr


@pytest.mark.parametrize("query", ["", "   ", "x" * 10_000])
def test_bad_queries_are_refused(engine: SearchEngine, query: str) -> None:
    with pytest.raises(BadInput):
        engine.search(query)


@pytest.mark.parametrize("k", [0, -1, 10_000])
def test_bad_top_k_is_refused(engine: SearchEngine, k: int) -> None:
    with pytest.raises(BadInput):
        engine.search("garage", k)


def test_odd_queries_never_crash(engine: SearchEngine) -> None:
    assert engine.search('"*:()[]').hits == []
    english = engine.search("how can a city support cooperatives?", 3)
    assert len(english.hits) <= 3
    assert engine.search("SCIC AND (garage OR *)", 3).hits
    with pytest.raises(BadInput):
        engine.search("garage", 3, mode="magic")


def test_near_duplicates_are_collapsed(settings: Settings) -> None:
    base = make_records(("guide",))
    twin = PassageRecord.from_dict(base[1].to_dict())
    twin.iri, twin.index, twin.start_line, twin.end_line = twin.iri + "-bis", 9, 40, 41
    eng = SearchEngine.open(settings)
    eng.upsert_document("guide", [*base, twin])
    lines = [h.record.start_line for h in eng.search("garage solidaire voitures", 5).hits]
    assert (4 in lines) != (40 in lines)
    eng.close()


def test_upsert_writes_only_that_documents_segment(engine: SearchEngine, settings: Settings) -> None:
    """Each document has its own segment files; re-indexing one leaves the other's files untouched and a
    fresh engine reads the same answers from disk."""
    manifest_before = engine._segments.copy()
    engine.upsert_document("rapport", make_records(("rapport",), suffix=" Nouvelle phrase."))
    assert engine._segments["guide"] == manifest_before["guide"]
    assert engine._segments["rapport"] != manifest_before["rapport"]
    segment_dir = settings.index_dir / "search" / "segments"
    stems = {p.name.split(".", 1)[0] for p in segment_dir.iterdir()}
    assert engine._segments["guide"] in stems and engine._segments["rapport"] in stems
    reopened = SearchEngine.open(settings)
    for query in ("garage solidaire", "clubs régionaux", "Nouvelle phrase"):
        expected = [(h.record.iri, round(h.score, 5)) for h in engine.search(query, 5).hits]
        assert [(h.record.iri, round(h.score, 5)) for h in reopened.search(query, 5).hits] == expected
    reopened.close()


def test_section_and_meaning_signals_keep_results_sane(
    settings: Settings, records: list[PassageRecord]
) -> None:
    """With the section score and concepts by meaning on, a question worded away from the text still
    finds the passage, and the understood concepts include ones found by meaning."""
    tuned = settings.model_copy(
        update={
            "weight_section": 0.5,
            "concept_similarity": 0.8,
            "max_semantic_concepts": 2,
            "broader_weight": 1.0,
            # six passages hold too few words for the floor (half of this question's words are absent):
            # the signals under test are the section and meaning ones
            "min_query_coverage": 0.0,
        }
    )
    eng = SearchEngine.open(tuned)
    for doc in ("guide", "rapport"):
        eng.upsert_document(doc, [r for r in records if r.doc_id == doc])
    result = eng.search("réparer la voiture des habitants sans moyens", 3)
    assert result.hits[0].record.text.startswith("Un garage solidaire")
    assert result.understood
    eng.close()


def test_neighbours_share_their_score_within_a_section(engine: SearchEngine, settings: Settings) -> None:
    """A passage gets `neighbour_weight` × the best fused score of the passages just before/after it in
    the same section (an answer split across a boundary); passages of other sections get nothing."""
    pid = {(rec.doc_id, rec.index): p for p, rec in engine.records.items()}
    first, same_section, other = pid[("guide", 0)], pid[("guide", 3)], pid[("guide", 1)]
    neighbours = engine.snapshot.neighbours()
    assert neighbours[first] == [same_section] and neighbours[same_section] == [first]
    assert neighbours[other] == []
    fused = with_neighbours(engine.settings, engine.snapshot, {first: 1.0, other: 0.5}, None)
    weight = settings.neighbour_weight
    assert fused[same_section] == pytest.approx(weight * 1.0)  # joined the candidates through its neighbour
    assert fused[first] == pytest.approx(1.0) and fused[other] == pytest.approx(0.5)
    assert same_section not in with_neighbours(
        engine.settings, engine.snapshot, {first: 1.0}, {first}
    )  # filters apply
    engine.delete_document("guide")
    assert first not in engine.snapshot.neighbours()  # the new snapshot has its own


def test_common_concepts_expand_the_query_less(engine: SearchEngine, settings: Settings) -> None:
    """A concept's labels expand the BM25 query with `expansion_weight` × its specificity: full for a
    concept linked to at most `expansion_full_df` passages, less for commoner ones, 0 if linked everywhere."""
    total = len(engine.records)
    engine.settings = settings.model_copy(update={"expansion_full_df": 1})
    scic = CONCEPT + "formes-juridiques/scic"
    assert concept_specificity(
        engine.settings, engine.snapshot, CONCEPT + "thematiques/mobilite-inclusive"
    ) == pytest.approx(min(1.0, math.log(total / 2) / math.log(total)))
    everywhere = CONCEPT + "leviers/everywhere"
    engine.snapshot.by_concept[everywhere] = set(engine.records)
    assert concept_specificity(engine.settings, engine.snapshot, everywhere) == 0.0
    assert 0.0 < concept_specificity(engine.settings, engine.snapshot, scic) < 1.0
    analysis = engine.understander.analyse("soutenir une SCIC")
    weights = dict(weighted_expansions(engine.settings, engine.snapshot, analysis))
    text = analysis.expansions[analysis.expansion_concepts.index(scic)]
    assert weights[text] == pytest.approx(
        settings.expansion_weight * concept_specificity(engine.settings, engine.snapshot, scic)
    )
    engine.settings = settings.model_copy(update={"expansion_full_df": 0})
    assert concept_specificity(engine.settings, engine.snapshot, everywhere) == 1.0  # 0 turns the scaling off


def test_recent_question_vectors_are_reused(engine: SearchEngine, settings: Settings) -> None:
    """A question asked again (facet click, next page) reuses its vector: same hits, nothing embedded;
    at most `query_vector_cache` questions are kept, least recently used dropped; 0 turns it off."""
    first = engine.search("garage solidaire", 3)
    calls: list[str] = []
    # with the word-by-word match on (the default), a question's vector and token states come together
    real = engine.embedder.embed_query_words
    engine.embedder.embed_query_words = lambda text: calls.append(text) or real(text)  # type: ignore[method-assign]
    again = engine.search("garage solidaire", 3, filters={"section_kind": "levier"})
    assert calls == [] and again.hits and again.hits[0].record.text == first.hits[0].record.text
    engine.settings = settings.model_copy(update={"query_vector_cache": 2})
    for question in ("cantine bio", "capital d'une SCIC", "garage solidaire"):
        engine.search(question, 3)
    # a new size starts a new cache (garage solidaire embedded again); the third question drops the first
    embedded = [
        embedding_text(q, engine.settings) for q in ("cantine bio", "capital d'une SCIC", "garage solidaire")
    ]
    assert calls == embedded and embedded[1] == "capital SCIC"  # content words are embedded
    assert engine.query_vectors.questions() == {"capital SCIC", "garage solidaire"}  # the texts embedded
    engine.search("capital d'une SCIC", 3)  # from the cache, and now the most recently used
    assert len(calls) == 3
    engine.search("cantine bio", 3)  # embedded again: drops "garage solidaire", the least recently used
    assert len(calls) == 4 and engine.query_vectors.questions() == {"capital SCIC", "cantine bio"}
    engine.search("le capital de la SCIC", 3)  # the same content words: the same vector, nothing embedded
    assert len(calls) == 4
    # another `query_embedding` embeds another text: the kept vector of the content words is not reused
    engine.settings = engine.settings.model_copy(update={"query_embedding": "question"})
    engine.search("capital d'une SCIC", 3)
    assert calls[-1] == "capital d'une SCIC" and len(calls) == 5
    engine.settings = settings.model_copy(update={"query_vector_cache": 0})
    engine.query_vectors.clear()
    engine.search("cantine bio", 3)
    engine.search("cantine bio", 3)
    assert calls[-2:] == ["cantine bio", "cantine bio"]
    engine.settings = settings.model_copy(update={"query_embedding": "question"})
    engine.search("capital d'une SCIC", 3)
    assert calls[-1] == "capital d'une SCIC"  # or the question as typed


def test_concept_vectors_are_kept_with_the_index(
    engine: SearchEngine, settings: Settings, tmp_path: Path
) -> None:
    """The concepts' vectors are written beside the index: an engine opened on those index files with
    no embedding cache (deleted, or a home restored without it) reads them and embeds no concept at
    its first search, with the same results."""
    expected = [(h.record.iri, round(h.score, 5)) for h in engine.search("réparer la voiture", 3).hits]
    assert (settings.index_dir / "search" / "concepts.npz").is_file()
    other = settings.model_copy(update={"home": tmp_path / "other"})
    shutil.copytree(settings.index_dir, other.index_dir)
    fresh = SearchEngine.open(other)
    embedded: list[int] = []
    real = fresh.embedder.embed_passages
    fresh.embedder.embed_passages = lambda texts: embedded.append(len(texts)) or real(texts)  # type: ignore[method-assign]
    assert [(h.record.iri, round(h.score, 5)) for h in fresh.search("réparer la voiture", 3).hits] == expected
    assert embedded == []
    assert not (other.cache_dir / "embeddings.sqlite").exists() or fresh.cache.count() == 0
    fresh.close()


@pytest.mark.parametrize(
    ("filters", "parameter"),
    [({"year": "1999"}, "year"), ({"lever": "entree-au-capital"}, "lever"), ({"couleur": "bleu"}, "couleur")],
)
def test_unknown_filter_value_names_its_parameter(
    engine: SearchEngine, filters: dict[str, str], parameter: str
) -> None:
    with pytest.raises(BadInput) as err:
        engine.search("garage", 10, filters)
    assert err.value.details["parameter"] == parameter
    assert err.value.status == 400


@pytest.mark.parametrize(
    ("query", "k", "offset", "parameter"),
    [
        ("x" * 10_000, None, 0, "q"),
        ("garage", 0, 0, "k"),
        ("garage", 5, -1, "offset"),
        ("garage", 5, 10**6, "offset"),
    ],
)
def test_bad_parameters_are_named(
    engine: SearchEngine, query: str, k: int | None, offset: int, parameter: str
) -> None:
    with pytest.raises(BadInput) as err:
        engine.search(query, k, offset=offset)
    assert err.value.details["parameter"] == parameter
    assert parameter in err.value.message_fr


def test_offset_pages_through_the_results_with_their_total(engine: SearchEngine) -> None:
    query = "SCIC collectivités insertion"
    whole = engine.search(query, 4)
    first, second = engine.search(query, 2), engine.search(query, 2, offset=2)
    assert [h.record.iri for h in first.hits + second.hits] == [h.record.iri for h in whole.hits]
    assert first.total == second.total == whole.total >= len(whole.hits)
    assert second.offset == 2
    beyond = engine.search(query, 2, offset=whole.total)
    assert beyond.hits == [] and beyond.total == whole.total


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("xqzv brumpf", "unknown_words"),
        ("blorf zingat quarmp", "unknown_words"),
        ("What is the social and solidarity economy?", "not_french"),
        ("where can I find the annual report", "not_french"),
        ("de la le et", "no_content_word"),
        ("comment est-ce que", "no_content_word"),
    ],
)
def test_questions_under_the_floor_get_a_reason_not_hits(engine: SearchEngine, query: str, code: str) -> None:
    result = engine.search(query, 10)
    assert result.hits == [] and result.total == 0
    assert result.reason is not None and result.reason.code == code
    assert result.reason.message.startswith("Aucun résultat pertinent")
    assert result.to_dict()["reason"]["code"] == code


def test_floor_suggests_close_thesaurus_concepts(engine: SearchEngine) -> None:
    english = engine.search("What is the social and solidarity economy?", 10)
    labels = [s["label"] for s in english.suggestions]
    assert "économie sociale et solidaire" in labels
    assert engine.search("xqzv brumpf", 10).suggestions == []  # nothing close: nothing proposed
    answered = engine.search("garage solidaire", 10)
    assert answered.reason is None and answered.hits and answered.suggestions == []


def test_hits_of_one_section_carry_each_other(engine: SearchEngine) -> None:
    result = engine.search("SCIC", 10)
    same = [
        h
        for h in result.hits
        if h.record.section.label == "guide — fiche n°9 : Sociétés coopératives d'intérêt collectif"
    ]
    assert len(same) == 2
    assert same[0].same_section == [same[1].record.iri] and same[1].same_section == [same[0].record.iri]
    lonely = [h for h in result.hits if h not in same]
    assert all(h.same_section == [] for h in lonely)
    assert "same_section" in result.hits[0].to_dict() and "kind" in result.hits[0].to_dict()
