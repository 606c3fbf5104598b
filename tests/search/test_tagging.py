"""Passage tagging (search.tagging): concepts from the section title, the text and the graph, the label
field of the passages, and its signal in a real engine."""

from __future__ import annotations

from dataclasses import replace

from essgraph.core.settings import Settings
from essgraph.ontology.thesaurus import load_thesaurus
from essgraph.search.engine import UNDERSTOOD_SCHEMES, SearchEngine
from essgraph.search.lexical.base import LexicalIndex
from essgraph.search.lexical.factory import make_lexical_index
from essgraph.search.records import EntityRef, PassageRecord, SectionInfo
from essgraph.search.tagging import LabelField, PassageTagger
from tests.search.conftest import CONCEPT, make_records

MOBILITY = CONCEPT + "thematiques/mobilite-inclusive"
GROUPEMENT = CONCEPT + "formes-juridiques/groupement-d-employeurs"
FONCIERE = CONCEPT + "formes-juridiques/fonciere-solidaire"


def _record(text: str, title: str = "", concepts: list[str] | None = None) -> PassageRecord:
    return PassageRecord(
        doc_id="doc",
        document="doc.txt",
        iri="https://w3id.org/essgraph/id/doc/doc/passage/0",
        index=0,
        text=text,
        start_line=1,
        end_line=1,
        char_start=0,
        char_end=len(text),
        section=SectionInfo(title=title),
        concepts=list(concepts or []),
    )


def _tagger() -> PassageTagger:
    return PassageTagger(load_thesaurus(), UNDERSTOOD_SCHEMES)


def test_a_passage_is_about_what_its_section_title_names() -> None:
    rec = _record("Le garage prête des véhicules pour quelques euros par jour.", title="Mobilité inclusive")
    assert MOBILITY in _tagger().concepts(rec)


def test_usage_labels_tag_a_passage_that_only_says_them() -> None:
    # "salariés partagés" is a usage label of the employers' group, not one of its alt labels
    rec = _record("Trois associations emploient ensemble des salariés partagés.")
    assert GROUPEMENT in _tagger().concepts(rec)
    assert GROUPEMENT not in {str(m.iri) for m in load_thesaurus().match(rec.text)}


def test_graph_links_are_kept_and_unknown_schemes_dropped() -> None:
    rec = _record("Un texte sans mot du thésaurus.", concepts=[FONCIERE, CONCEPT + "types-de-section/levier"])
    assert _tagger().concepts(rec) == [FONCIERE]


def test_tagged_returns_copies() -> None:
    rec = _record("Des salariés partagés.")
    (copy,) = _tagger().tagged([rec])
    assert rec.tags == [] and GROUPEMENT in copy.tags


def test_label_text_holds_every_label_of_the_concepts_and_the_entities() -> None:
    rec = replace(
        _record("x"),
        tags=[GROUPEMENT],
        entities=[EntityRef(iri="e", label="Maison Test", type="Organisation", alt_labels=["MT"])],
    )
    text = _tagger().label_text(rec)
    for label in ("groupement d'employeurs", "GEIQ", "salarié partagé", "Maison Test", "MT"):
        assert label in text


def test_label_field_finds_the_passage_whose_concept_carries_the_question_words() -> None:
    tagger = _tagger()
    first = tagger.tagged([_record("Trois associations emploient ensemble des salariés partagés.")])[0]
    second = tagger.tagged([_record("Le marché de la commune est réservé aux structures d'insertion.")])[0]
    field = LabelField(make_lexical_index("bm25s", 0.5), tagger)
    field.add([1, 2], [first, second])
    field.prepare()
    # "temps partagé" is in no passage text: only the label field of the first passage holds it
    assert [pid for pid, _ in field.ranking("un poste à temps partagé", 5, None)][:1] == [1]
    assert field.ranking("un poste à temps partagé", 5, {2}) == []
    field.remove([1])
    assert [pid for pid, _ in field.ranking("temps partagé", 5, None)] == []


def test_a_field_without_tagger_holds_nothing() -> None:
    field = LabelField(make_lexical_index("bm25s", 0.5), None)
    field.add([1], [_record("Des salariés partagés.")])
    assert field.ranking("salariés partagés", 5, None) == []


def test_engine_tags_at_index_time_and_reloads_the_field(settings: Settings) -> None:
    eng = SearchEngine.open(settings)
    try:
        eng.rebuild(make_records())
        tagged = {rec.text[:20]: rec.tags for rec in eng.records.values()}
        assert any(MOBILITY in tags for tags in tagged.values())
        # the garage passage of the test records is about solidarity mobility: "se rendre au travail" (a
        # usage label of that concept) reaches it through the label field alone
        ranked = eng.snapshot.labels.ranking("se rendre au travail", 3, None)
        assert ranked and MOBILITY in eng.records[ranked[0][0]].tags
    finally:
        eng.close()
    again = SearchEngine.open(settings)
    try:
        assert again.snapshot.labels.ranking("se rendre au travail", 3, None) == ranked
        hits = again.search("des voitures pour se rendre au travail", k=3).hits
        assert hits and "garage" in hits[0].record.text
    finally:
        again.close()


def test_label_tokens_are_the_tokens_of_the_label_text() -> None:
    # tokenised label by label (each once), the field must hold what tokenising the whole text gives
    rec = replace(
        _record("x"),
        tags=[GROUPEMENT, MOBILITY],
        entities=[EntityRef(iri="e", label="l'Atelier du Vélo 2024", type="Organisation", alt_labels=["AV"])],
    )
    text = _tagger().label_text(rec)
    ((stem, raw),) = LexicalIndex.tokenize([text])
    assert stem and raw
    assert _tagger().label_tokens(rec) == (stem, raw)
