"""Searches keep answering while a document is being embedded: only the swap takes the index lock."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from essgraph.core.settings import Settings
from essgraph.graph.store_factory import open_store
from essgraph.search.engine import SearchEngine
from essgraph.service.state import LockedEngine, ReadWriteLock
from tests.service.conftest import copy_home


class GatedEmbedder:
    """The engine's real embedder, stopping inside passage embedding until the test opens the gate,
    so the test knows an ingest is in its slow part."""

    def __init__(self, inner: object) -> None:
        self._inner = inner
        self.inside = threading.Event()
        self.gate = threading.Event()
        self.gated_thread: threading.Thread | None = None

    def embed_passages(self, texts: list[str]) -> object:
        if threading.current_thread() is self.gated_thread:
            self.inside.set()
            assert self.gate.wait(120), "the test never opened the gate"
        return self._inner.embed_passages(texts)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def test_a_search_answers_while_a_new_document_is_embedded(samples_home: Settings, tmp_path: Path) -> None:
    settings = samples_home.model_copy(update={"home": copy_home(samples_home.home, tmp_path / "home")})
    store = open_store(settings)
    engine = SearchEngine.open(settings, store)
    try:
        engine.search("coopérative", k=3)  # lazy structures built before the test starts
        lock = ReadWriteLock()
        locked = LockedEngine(engine, lock)
        source = list(engine.records.values())[:20]
        records = [
            dataclasses.replace(r, doc_id="nouveau", document="nouveau.txt", text=f"{r.text} (version {i})")
            for i, r in enumerate(source)
        ]
        gated = GatedEmbedder(engine.embedder)
        engine._embedder = gated  # type: ignore[assignment]
        gated.gated_thread = threading.current_thread()  # the ingest runs here, where the cache lives
        events: list[str] = []

        def search_then_open_the_gate() -> None:
            assert gated.inside.wait(60), "the ingest never reached its embedding"
            with lock.read():
                engine.search("coopérative", k=3)
            events.append("search")
            gated.gate.set()

        searcher = threading.Thread(target=search_then_open_the_gate)
        searcher.start()
        locked.upsert_document("nouveau", records)  # blocks in embedding until the search is done
        events.append("ingest done")
        searcher.join(60)
        assert events == ["search", "ingest done"], "the search waited for the ingest"
        assert "nouveau" in engine.doc_ids()
    finally:
        engine.close()
        store.close()
