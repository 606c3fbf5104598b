"""The `milvus` index backend on a real milvus-lite file: same hits as the local index on real
passages, upsert/delete/reopen, facet filters in Milvus, and an unreachable Milvus."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from essgraph.core.errors import IndexUnavailable
from essgraph.core.settings import Settings
from essgraph.search.embedders import SQLITE_CACHE_FILE, seed_embedding_cache
from essgraph.search.embedders.milvus_cache import CACHE_PREFIX, cache_collection
from essgraph.search.engine import SearchEngine
from essgraph.search.lexical.factory import make_lexical_index
from essgraph.search.lexical.milvus import MilvusLexicalIndex
from essgraph.search.milvus_client import MilvusPassages, filter_expression, milvus_target
from essgraph.search.records import PassageRecord, SectionInfo
from essgraph.search.vector.milvus import MilvusVectorIndex

pytest.importorskip("milvus_lite")

# two real documents of the corpus, read and segmented (no extraction: passages only)
DOCUMENTS = ("rtes-ess-politique-de-la-ville.txt", "rtes-fiches-action-2022.txt")
# questions written for the test
QUESTIONS = (
    "quartiers prioritaires de la politique de la ville",
    "emploi des jeunes et insertion",
    "achats publics responsables",
    "coopératives d'habitants",
    "financement des associations par les collectivités",
)


@pytest.fixture
def milvus_uri(tmp_path: Path) -> Iterator[str]:
    """A milvus-lite database in a temporary file, started (in-process server) before the test."""
    from pymilvus import MilvusClient

    uri = str(tmp_path / "milvus" / "index.db")
    Path(uri).parent.mkdir()
    client = MilvusClient(uri=uri)
    assert client.list_collections() == []
    yield uri
    client.close()


@pytest.fixture(scope="module")
def corpus_records() -> list[PassageRecord]:
    """The passages of two real corpus documents as search records (skips without the corpus)."""
    from essgraph.ingest.reading import read_document

    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus absent")
    settings = Settings()
    records = []
    for name in DOCUMENTS:
        doc = read_document(corpus / name, settings)
        year = "2022" if "2022" in name else "2020"
        for p in doc.passages:
            records.append(
                PassageRecord(
                    doc_id=doc.doc_id,
                    document=name,
                    iri=f"{settings.base_iri}doc/{doc.doc_id}/passage/{p.index}",
                    index=p.index,
                    text=p.text,
                    start_line=p.start_line,
                    end_line=p.end_line,
                    char_start=p.char_start,
                    char_end=p.char_end,
                    section=SectionInfo(),
                    facets={"document": [name], "year": [year]},
                )
            )
    return records


@pytest.fixture(scope="module")
def local_home(
    tmp_path_factory: pytest.TempPathFactory, warm_embedding_cache: Path, corpus_records: list[PassageRecord]
) -> Settings:
    """A home whose local index holds the corpus records, built once per module: its embedding cache
    (the session's warm cache plus the corpus passages) starts every Milvus home of the module."""
    settings = Settings(home=tmp_path_factory.mktemp("milvus-local") / "home")
    settings.cache_dir.mkdir(parents=True)
    shutil.copy(warm_embedding_cache, settings.cache_dir / SQLITE_CACHE_FILE)
    engine = SearchEngine.open(settings)
    engine.rebuild(corpus_records)
    engine.close()
    return settings


def milvus_settings(home: Path, uri: str, source: Settings | None = None, **values: object) -> Settings:
    """Settings of a home whose index is in Milvus at `uri`, its embedding cache (in that Milvus) seeded
    with the vectors of the embedded home `source` when given."""
    settings = Settings(home=home, index="milvus", milvus_uri=uri, **values)  # type: ignore[arg-type]
    if source is not None:
        seed_embedding_cache(settings, source.cache_dir / SQLITE_CACHE_FILE)
    return settings


def top(engine: SearchEngine, question: str, mode: str, k: int = 5) -> list[str]:
    return [hit.record.iri for hit in engine.search(question, k=k, mode=mode).hits]


def test_milvus_answers_like_the_local_index_on_real_passages(
    tmp_path: Path, local_home: Settings, milvus_uri: str, corpus_records: list[PassageRecord]
) -> None:
    local = SearchEngine.open(local_home)
    remote = SearchEngine.open(milvus_settings(tmp_path / "home", milvus_uri, local_home))
    remote.rebuild(corpus_records)
    assert len(remote.records) == len(local.records) == len(corpus_records)
    assert isinstance(remote.snapshot.vectors, MilvusVectorIndex)
    assert isinstance(remote.snapshot.lexical, MilvusLexicalIndex)
    for question in QUESTIONS:
        # the dense ranking is exact on both sides (flat inner product)
        assert top(remote, question, "dense") == top(local, question, "dense")
        for mode in ("bm25", "hybrid"):
            mine, theirs = top(remote, question, mode), top(local, question, mode)
            # Milvus's BM25 scores differ from bm25s's in the third decimal: a near tie may swap the first two
            assert mine[0] in theirs[:2] and theirs[0] in mine[:2], (question, mode)
            assert len(set(mine) & set(theirs)) >= 4, (question, mode)
    local.close()
    remote.close()


def test_milvus_upsert_delete_and_reopen(
    tmp_path: Path, local_home: Settings, milvus_uri: str, corpus_records: list[PassageRecord]
) -> None:
    remote_settings = milvus_settings(tmp_path / "home", milvus_uri, local_home)
    engine = SearchEngine.open(remote_settings)
    engine.rebuild(corpus_records)
    first, last = corpus_records[0].doc_id, corpus_records[-1].doc_id
    before = top(engine, QUESTIONS[0], "hybrid")
    engine.upsert_document(first, [r for r in corpus_records if r.doc_id == first])
    after = top(engine, QUESTIONS[0], "hybrid")  # same passages (new ids)
    # Milvus deletes the replaced rows at the next write: until then its BM25 statistics still count
    # them, which may reorder near ties below the first hit
    assert after[0] == before[0] and len(set(after) & set(before)) >= 4
    engine.delete_document(last)
    assert last not in engine.doc_ids()
    for mode in ("bm25", "dense", "hybrid"):
        assert all(f"/doc/{last}/" not in hit for hit in top(engine, QUESTIONS[1], mode, k=20))
    kept = top(engine, QUESTIONS[2], "hybrid")
    engine.close()

    reopened = SearchEngine.open(remote_settings)
    assert reopened.stale_reason is None
    assert len(reopened.records) == len([r for r in corpus_records if r.doc_id != last])
    assert top(reopened, QUESTIONS[2], "hybrid") == kept
    # the rows the last write removed (the deleted document) are deleted at this process's first write
    old_ids = {pid for pid, rec in reopened.records.items() if rec.doc_id == first}
    reopened.upsert_document(first, [r for r in corpus_records if r.doc_id == first])
    vectors = reopened.snapshot.vectors
    assert isinstance(vectors, MilvusVectorIndex)
    assert vectors.live() == set(reopened.records)
    assert vectors.passages.ids() == vectors.live() | old_ids  # the replaced rows go at the next write
    # the written rows were sealed (flushed) before the snapshot holding them was published
    assert vectors._unsealed is False
    reopened.close()


def test_a_rebuild_writes_a_new_collection_and_drops_the_old_one_at_the_next_write(
    tmp_path: Path, local_home: Settings, milvus_uri: str, corpus_records: list[PassageRecord]
) -> None:
    engine = SearchEngine.open(milvus_settings(tmp_path / "home", milvus_uri, local_home))
    engine.rebuild(corpus_records[:20])
    vectors = engine.snapshot.vectors
    assert isinstance(vectors, MilvusVectorIndex)
    old = vectors.passages.name
    engine.rebuild(corpus_records[20:40])
    vectors = engine.snapshot.vectors
    assert isinstance(vectors, MilvusVectorIndex)
    assert vectors.passages.name != old
    client = vectors.passages.client()
    assert old in client.list_collections()  # the previous snapshot could still be searching it
    engine.delete_document(corpus_records[25].doc_id)
    index_collections = [n for n in client.list_collections() if not n.startswith(CACHE_PREFIX)]
    assert index_collections == [vectors.passages.name]
    # the embedding cache lives beside the index in Milvus and outlives its rebuilds
    assert (
        cache_collection(milvus_target(engine.settings).prefix, engine.embedder.name)
        in client.list_collections()
    )
    engine.close()


def test_facets_are_scalar_fields_milvus_filters_on(
    tmp_path: Path, local_home: Settings, milvus_uri: str, corpus_records: list[PassageRecord]
) -> None:
    engine = SearchEngine.open(milvus_settings(tmp_path / "home", milvus_uri, local_home))
    engine.rebuild(corpus_records)
    vectors = engine.snapshot.vectors
    assert isinstance(vectors, MilvusVectorIndex)
    query = engine.embedder.embed_query(QUESTIONS[0])
    where = filter_expression({"year": ["2022"]})
    ids, scores = vectors.search(query, 10, where=where)
    assert len(ids) == 10 and all(np.diff(scores) <= 1e-6)
    assert {engine.records[int(i)].facets["year"][0] for i in ids} == {"2022"}
    by_document = filter_expression({"document": [DOCUMENTS[0]], "year": ["2020"]})
    ids, _ = vectors.search(query, 100, where=by_document)
    expected = {pid for pid, rec in engine.records.items() if rec.document == DOCUMENTS[0]}
    assert set(map(int, ids)) == expected
    with pytest.raises(ValueError):
        filter_expression({"nope": ["x"]})
    engine.close()


def test_lexical_milvus_matches_stems_and_acronyms_like_the_local_index(milvus_uri: str) -> None:
    """Texts written for the test: plural, accents and case meet through essgraph's analysis."""
    settings = Settings(index="milvus", milvus_uri=milvus_uri)
    target = milvus_target(settings)
    assert target is not None and target.lite and target.analysis == "essgraph"
    texts = [
        "Le garage solidaire répare les voitures.",
        "La SCIC associe salariés, usagers et collectivités.",
        "Les cantines achètent des produits bio locaux.",
    ]
    records = [
        PassageRecord(doc_id="d", document="d.txt", iri=f"urn:t:{i}", index=i, text=t, start_line=i,
                      end_line=i, char_start=0, char_end=len(t))
        for i, t in enumerate(texts)
    ]  # fmt: skip
    vectors = MilvusVectorIndex(MilvusPassages.create(target, 4))
    ids = np.array([10, 11, 12], dtype=np.int64)
    vectors.add_passages(ids, np.eye(3, 4, dtype=np.float32), records)
    lexical = MilvusLexicalIndex()
    lexical.bind(vectors)
    lexical.add([10, 11, 12], texts)
    assert list(lexical.search("garages solidaires", 5)[0]) == [10]
    assert list(lexical.search("scic", 5)[0]) == [11]
    assert list(lexical.search("Cantine", 5)[0]) == [12]
    assert len(lexical.search("zzz inconnu", 5)[0]) == 0
    assert list(lexical.search("restauration", 5, [("cantines scolaires", 0.3)])[0]) == [12]
    assert lexical.matched_terms("les garages et la SCIC") == {"garag", "scic"}
    # the phrase field is scored from the kept tokens: words kept together rank as in the local index
    apart = "Chaque commande se prépare avec soin ; l'offre publique aussi, et la commande reste publique."
    together = "Elle rédige un long guide de la commande publique pour les services techniques municipaux."
    more = [
        PassageRecord(doc_id="d", document="d.txt", iri=f"urn:t:{i}", index=i, text=t, start_line=i,
                      end_line=i, char_start=0, char_end=len(t))
        for i, t in ((13, apart), (14, together))
    ]  # fmt: skip
    vectors.add_passages(np.array([13, 14], dtype=np.int64), np.eye(2, 4, dtype=np.float32), more)
    lexical.add([13, 14], [apart, together])
    local = make_lexical_index("bm25", 0.5)
    local.add([10, 11, 12, 13, 14], [*texts, apart, together])
    for weight in (0.0, 1.0):
        expected = list(local.search("la commande publique", 5, phrase_weight=weight)[0])
        assert list(lexical.search("la commande publique", 5, phrase_weight=weight)[0]) == expected
    assert expected == [14, 13]
    lexical.remove([13, 14])
    vectors.remove(np.array([13, 14], dtype=np.int64))
    lexical.remove([10])
    vectors.remove(np.array([10], dtype=np.int64))
    assert len(lexical.search("garage", 5)[0]) == 0
    assert list(vectors.search(np.array([1, 0, 0, 0], dtype=np.float32), 1)[0]) == [11]


def closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_milvus_opens_the_engine_and_searches_say_503(
    tmp_path: Path, local_home: Settings, milvus_uri: str, corpus_records: list[PassageRecord]
) -> None:
    built = SearchEngine.open(milvus_settings(tmp_path / "home", milvus_uri, local_home))
    built.rebuild(corpus_records[:30])
    built.close()
    down = milvus_settings(tmp_path / "home", f"http://127.0.0.1:{closed_port()}", milvus_timeout=2.0)
    engine = SearchEngine.open(down)  # the saved passages load; Milvus is not needed to open
    assert len(engine.records) == 30 and engine.stale_reason is None
    vectors = engine.snapshot.vectors
    assert vectors is not None
    reason = vectors.unavailable()
    assert reason is not None and "injoignable" in reason
    with pytest.raises(IndexUnavailable) as caught:
        engine.search(QUESTIONS[0], k=3, mode="bm25")
    assert caught.value.status == 503
    engine.close()


def test_the_service_starts_with_milvus_down_and_health_says_so(
    tmp_path: Path, local_home: Settings, milvus_uri: str, corpus_records: list[PassageRecord]
) -> None:
    from fastapi.testclient import TestClient

    from essgraph.app.web import create_app

    built = SearchEngine.open(milvus_settings(tmp_path / "home", milvus_uri, local_home))
    built.rebuild(corpus_records[:30])
    built.close()
    down = milvus_settings(tmp_path / "home", f"http://127.0.0.1:{closed_port()}", milvus_timeout=2.0)
    with TestClient(create_app(down), raise_server_exceptions=False) as client:
        health = client.get("/health")
        assert health.status_code == 200
        body = health.json()
        assert body["passages"] == 30 and "injoignable" in body["index_unavailable"]
        answer = client.get("/api/search", params={"q": QUESTIONS[0]})
        assert answer.status_code == 503 and answer.json()["code"] == "index_unavailable"


def test_essgraph_index_chooses_both_backends(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ESSGRAPH_INDEX", "milvus")
    chosen = Settings(home=tmp_path)
    assert (chosen.vector_backend, chosen.lexical_backend) == ("milvus", "milvus")
    target = milvus_target(chosen)
    assert target is not None and target.uri == str(tmp_path / "index" / "milvus.db")
    server = milvus_target(Settings(home=tmp_path, milvus_uri="http://milvus.example:19530"))
    assert server is not None and not server.lite and server.analysis == "milvus"
    monkeypatch.delenv("ESSGRAPH_INDEX")
    assert milvus_target(Settings(home=tmp_path)) is None
    with pytest.raises(ValueError):
        Settings(home=tmp_path, vector_backend="milvus")
