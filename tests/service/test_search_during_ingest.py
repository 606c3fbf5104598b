"""Searches keep answering while a document is ingested: no index lock, the next snapshot is swapped in."""

from __future__ import annotations

import dataclasses
import os
import random
import string
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from essgraph.app.web import create_app
from essgraph.core.settings import Settings
from essgraph.graph.store_factory import open_store
from essgraph.search.engine import SearchEngine
from essgraph.search.snapshot import IndexSnapshot
from essgraph.service.state import lower_thread_priority
from tests.service.conftest import StaffTokens, bearer, copy_home, make_settings
from tests.service.french_text import french_document
from tests.service.server import running_server

GATE_WAIT_S = 300.0  # generous bounds: a broken build fails here instead of hanging
WRITER_THREAD = "essgraph-writer"  # the service's single writer thread (see ServiceState.writer)


class Gate:
    """Stops a phase of an ingest on the writer thread until the test has done its checks there."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.reached = threading.Event()
        self.opened = threading.Event()

    def pause(self) -> None:
        """Called by the ingest: say the phase is reached, then wait for the test to open the gate."""
        if threading.current_thread().name.startswith(WRITER_THREAD) and not self.opened.is_set():
            self.reached.set()
            assert self.opened.wait(GATE_WAIT_S), f"the test never opened the gate {self.name}"


class GatedEmbedder:
    """The engine's real embedder, pausing at `gate` before embedding passages."""

    def __init__(self, inner: Any, gate: Gate) -> None:
        self._inner = inner
        self._gate = gate

    def embed_passages(self, texts: Sequence[str]) -> Any:
        self._gate.pause()
        return self._inner.embed_passages(texts)

    def embed_passages_words(self, texts: Sequence[str]) -> Any:
        """The passage path with token states (the word-by-word match on, the default) pauses too."""
        self._gate.pause()
        return self._inner.embed_passages_words(texts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def gated_save(engine: SearchEngine, gate: Gate) -> None:
    """Pause the engine's writer at `gate` once the next snapshot is built, before it is saved and
    published (the real save runs after)."""
    real: Callable[[IndexSnapshot, set[str]], None] = engine._save

    def save(snapshot: IndexSnapshot, changed: set[str]) -> None:
        gate.pause()
        real(snapshot, changed)

    engine._save = save  # type: ignore[method-assign]


def unique_word() -> str:
    """A made-up word no document has (letters only, so both BM25 fields see one token)."""
    return "zorglub" + "".join(random.choices(string.ascii_lowercase, k=10))


QUESTIONS_WHILE_EMBEDDING = ["comment soutenir une SCIC", "garage solidaire pour l'insertion", "cantine bio"]
QUESTIONS_WHILE_INDEXING = ["recyclerie et réemploi", "monnaie locale", "épicerie solidaire de quartier"]


def test_searches_answer_over_http_while_an_upload_is_embedded_and_indexed(
    samples_home: Settings, tmp_path: Path, staff_tokens: StaffTokens
) -> None:
    """A real uvicorn server ingests an uploaded document; the ingest is held first inside the
    embedding of its passages, then with its next index snapshot built but not yet saved. At each
    point, searches over HTTP complete (and do not see the new document yet) before the upload
    ends; afterwards the document is found."""
    home = copy_home(samples_home.home, tmp_path / "home")
    settings = make_settings(home, staff_tokens)
    marker = unique_word()
    text = french_document(40_000, marker=marker)
    app = create_app(settings)
    embedding, indexing = Gate("embedding"), Gate("indexing")
    events: list[tuple[str, int, bool]] = []
    with running_server(settings, app) as base:
        engine: SearchEngine = app.state.service.engine
        engine._embedder = GatedEmbedder(engine.embedder, embedding)  # type: ignore[assignment]
        gated_save(engine, indexing)

        def upload() -> None:
            files = {"file": ("gros-dossier.txt", text.encode("utf-8"), "text/plain")}
            response = httpx.post(
                base + "/api/documents?wait=true",
                files=files,
                headers=bearer(staff_tokens.uploader),
                timeout=GATE_WAIT_S * 2,
            )
            events.append(("upload done", response.status_code, False))

        uploader = threading.Thread(target=upload, name="test-uploader")
        uploader.start()
        try:
            for gate, questions in (
                (embedding, QUESTIONS_WHILE_EMBEDDING),
                (indexing, QUESTIONS_WHILE_INDEXING),
            ):
                assert gate.reached.wait(GATE_WAIT_S), f"the ingest never reached {gate.name}"
                for question in questions:
                    answer = httpx.get(base + "/api/search", params={"q": question, "k": 5}, timeout=60)
                    events.append((f"search while {gate.name}", answer.status_code, marker in answer.text))
                gate.opened.set()
        finally:
            embedding.opened.set()
            indexing.opened.set()
            uploader.join(GATE_WAIT_S * 2)
        found = httpx.get(base + "/api/search", params={"q": marker, "k": 3}, timeout=60).json()
    expected = [("search while embedding", 200, False)] * len(QUESTIONS_WHILE_EMBEDDING)
    expected += [("search while indexing", 200, False)] * len(QUESTIONS_WHILE_INDEXING)
    assert events == [*expected, ("upload done", 201, False)]
    assert found["hits"] and all(hit["document"] == "gros-dossier.txt" for hit in found["hits"])


def test_a_search_keeps_the_snapshot_it_started_with(samples_home: Settings, tmp_path: Path) -> None:
    """An upsert publishes a new snapshot and leaves the one a search already holds as it was: same
    passages, same BM25 and vector answers (nothing is changed in place)."""
    settings = samples_home.model_copy(update={"home": copy_home(samples_home.home, tmp_path / "home")})
    store = open_store(settings)
    engine = SearchEngine.open(settings, store)
    try:
        before = engine.snapshot
        held = dict(before.records)
        lexical = before.lexical.search("coopérative", 10)
        vector = before.vectors.vectors(
            before.vectors.search(engine.embedder.embed_query("coopérative"), 1)[0]
        )  # type: ignore[union-attr]
        doc_id = before.doc_ids()[0]
        records = [
            dataclasses.replace(r, text=f"{r.text} Coopérative {unique_word()}.")
            for r in before.records.values()
            if r.doc_id == doc_id
        ]
        engine.upsert_document(doc_id, records)
        assert engine.snapshot is not before and engine.snapshot.records != held
        assert before.records == held
        assert [a.tolist() for a in before.lexical.search("coopérative", 10)] == [a.tolist() for a in lexical]
        again = before.vectors.vectors(
            before.vectors.search(engine.embedder.embed_query("coopérative"), 1)[0]
        )  # type: ignore[union-attr]
        assert again.tolist() == vector.tolist()
    finally:
        engine.close()
        store.close()


def test_the_writer_thread_yields_the_cores_to_searches() -> None:
    """lower_thread_priority raises the niceness of the calling thread only, and threads it starts
    afterwards (the embedder's OpenMP team) inherit it; the process's other threads keep theirs."""
    if not hasattr(os, "setpriority"):
        pytest.skip("no per-thread priority on this platform")
    seen: dict[str, int] = {}

    def child() -> None:
        seen["child"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def writer() -> None:
        lower_thread_priority(5)
        seen["writer"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        started = threading.Thread(target=child)
        started.start()
        started.join()

    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=writer)
    thread.start()
    thread.join()
    assert seen == {"writer": min(19, base + 5), "child": min(19, base + 5)}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == base
