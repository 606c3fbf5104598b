"""The service's long-lived state (store, search engine, SPARQL executor, pipeline), built in the lifespan."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from essgraph.core.model import IngestSummary
from essgraph.core.settings import Settings
from essgraph.service.auth import TokenVerifier
from essgraph.service.corrections import Corrections
from essgraph.service.curation import Curation
from essgraph.service.repository import GraphReader
from essgraph.service.uploads import FAILED_SUFFIX, PART_SUFFIX, PREVIOUS_SUFFIX

if TYPE_CHECKING:
    from essgraph.graph.sparql import SparqlExecutor
    from essgraph.graph.store import GraphStore
    from essgraph.search.engine import SearchEngine, SearchResult

log = logging.getLogger(__name__)

T = TypeVar("T")


class ReadWriteLock:
    """Many readers or one writer; a waiting writer blocks new readers (no writer starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting_writers = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        """Hold the lock shared for the duration of the block."""
        with self._cond:
            while self._writer or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        """Hold the lock exclusively for the duration of the block."""
        with self._cond:
            self._waiting_writers += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._waiting_writers -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class NamedTurns:
    """Turns per name on the event loop: holders of one name run one at a time, in arrival order.

    One asyncio lock per name in use, dropped when nobody holds or waits for it, so that names never
    seen again (every upload has its own) do not pile up.
    """

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def turn(self, name: str) -> AsyncIterator[None]:
        """Wait for the turn of `name`, hold it for the block."""
        lock, users = self._locks.get(name, (asyncio.Lock(), 0))
        self._locks[name] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            _, users = self._locks[name]
            if users <= 1:
                del self._locks[name]
            else:
                self._locks[name] = (lock, users - 1)

    def __len__(self) -> int:
        """Names held or waited for right now."""
        return len(self._locks)


WARMUP_QUERY = "économie sociale et solidaire"
"""Searched once, exclusively, after every index change: the engine rebuilds its lazy structures
(BM25 matrices, query understanding, embedder) then, not inside concurrent searches."""


class LockedEngine:
    """The search engine as handed to the ingest pipeline: index changes take the write lock, so
    concurrent searches never see an index half-updated (reads pass through unchanged)."""

    def __init__(self, engine: SearchEngine, lock: ReadWriteLock) -> None:
        self._engine = engine
        self._lock = lock

    def warm(self) -> None:
        """Run the warm-up search under the write lock (see WARMUP_QUERY)."""
        with self._lock.write():
            self._warm_locked()

    def _warm_locked(self) -> None:
        if self._engine.records:
            self._engine.search(WARMUP_QUERY, k=1)

    def upsert_document(self, doc_id: str, records: Any, progress: bool = False) -> int:
        """Replace a document's passages in the indexes; returns how many texts were embedded.

        The passages are embedded first, without the lock (searches keep answering during that, the
        slow part); only the swap of the document's passages in the indexes takes the write lock.
        """
        computed = self._engine.prepare_document(doc_id, records, progress=progress)
        with self._lock.write():
            computed += self._engine.upsert_document(doc_id, records, progress=progress)
            self._warm_locked()
            return computed

    def delete_document(self, doc_id: str) -> None:
        """Remove a document from the indexes under the write lock."""
        with self._lock.write():
            self._engine.delete_document(doc_id)
            self._warm_locked()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


class Ingestor(Protocol):
    """What the service needs of the ingest pipeline; the application layer hands one in (the service
    never imports the pipeline: data flows ingest → graph → search → service, wired above)."""

    def ingest_file(self, path: Path, summary: IngestSummary, force: bool = False) -> Any:
        """Ingest one file into the store and the indexes, adding what it did to `summary`."""

    def reconcile(self) -> Any:
        """Bring the search indexes in line with the graph after a direct graph update."""


IngestorFactory = Callable[[Settings, "GraphStore", "SearchEngine"], Ingestor]
"""Builds the ingestor on the writer thread from the settings, the writer store and the locked engine."""


@dataclass
class ServiceState:
    """Everything the routers need, opened once per process by the app's lifespan."""

    settings: Settings
    store: GraphStore
    engine: SearchEngine
    sparql: SparqlExecutor
    pipeline: Ingestor
    reader: GraphReader
    curation: Curation
    corrections: Corrections
    tokens: TokenVerifier
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (name, title, query)
    index_lock: ReadWriteLock = field(default_factory=ReadWriteLock)
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    writer: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, "essgraph-writer"))
    upload_turns: NamedTurns = field(default_factory=NamedTurns)
    recovered_uploads: dict[str, int] = field(default_factory=dict)  # what start-up found in uploads/

    def search(self, query: str, k: int | None, filters: dict[str, list[str]], mode: str) -> SearchResult:
        """Run a search under the shared index lock (see LockedEngine); raises the engine's errors."""
        with self.index_lock.read():
            return self.engine.search(query, k=k, filters=filters or None, mode=mode)

    def ingest(self, path: Path) -> IngestSummary:
        """Ingest one stored upload on the single writer thread (where the pipeline and its caches
        live), one at a time; returns the pipeline summary."""
        return self.writer.submit(self._ingest_now, path).result()

    def _ingest_now(self, path: Path) -> IngestSummary:
        summary = IngestSummary()
        with self.ingest_lock:
            self.pipeline.ingest_file(path, summary, force=True)
            self.after_write()
        return summary

    def apply_update(self, text: str) -> None:
        """Run a staff SPARQL update on the writer thread, then bring the search indexes in line with
        the graph (documents or passages the update removed or added are re-derived by `reconcile`)."""
        self.writer.submit(self._apply_update_now, text).result()

    def _apply_update_now(self, text: str) -> None:
        with self.ingest_lock:
            self.store.update(text)
            self.pipeline.reconcile()
            self.after_write()

    def locked_write(self, action: Callable[[], T]) -> T:
        """Run `action` (a curated-graph write) under the ingest lock, then make it visible."""
        with self.ingest_lock:
            result = action()
            self.after_write()
            return result

    def after_write(self) -> None:
        """Make a write visible: flush the store for the SPARQL workers, drop cached labels."""
        flush = getattr(getattr(self.store, "raw", None), "flush", None)
        if callable(flush):
            flush()
        self.reader.invalidate()


def recover_uploads(folder: Path, ingestor: Ingestor) -> dict[str, int]:
    """Finish what a killed upload left in `folder`.

    Temporary files are deleted; an earlier file that was set aside is put back (or dropped when its
    replacement was stored whole); every stored upload the journal does not have as it is now is
    ingested. One that cannot be ingested was never accepted: it is moved aside as `.<name>.failed`
    (kept for the operator, never retried) and logged. Returns the counts, shown by /health.
    """
    counts = {"temporary_files_removed": 0, "earlier_files_restored": 0, "ingested": 0, "failed": 0}
    if not folder.is_dir():
        return counts
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.name.startswith("."):
            continue
        if path.name.endswith(PART_SUFFIX):
            path.unlink(missing_ok=True)
            counts["temporary_files_removed"] += 1
        elif path.name.endswith(PREVIOUS_SUFFIX):
            original = path.with_name(path.name[1 : -len(PREVIOUS_SUFFIX)])
            if original.is_file():
                path.unlink(missing_ok=True)
            else:
                path.replace(original)
                counts["earlier_files_restored"] += 1
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        summary = IngestSummary()
        ingestor.ingest_file(path, summary)  # unchanged files (already in the journal) are skipped
        counts["ingested"] += summary.documents
        if summary.errors:
            aside = path.with_name(f".{path.name}{FAILED_SUFFIX}")
            path.replace(aside)
            log.warning(
                "upload %s left by an earlier run could not be ingested, moved to %s: %s",
                path.name,
                aside.name,
                "; ".join(summary.errors),
            )
            counts["failed"] += 1
    if any(counts.values()):
        log.info("uploads left by an earlier run: %s", counts)
    return counts


def load_examples(folder: Path) -> list[tuple[str, str, str]]:
    """The example SPARQL queries of docs/queries/*.rq: (file stem, title from the first # comment, text)."""
    out: list[tuple[str, str, str]] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = path.stem.replace("-", " ").replace("_", " ")
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith("#"):
                candidate = stripped.lstrip("#").strip()
                if candidate:
                    title = candidate
                    break
            elif stripped:
                break
        out.append((path.stem, title, text))
    return out


def open_state(settings: Settings, examples_dir: Path, make_ingestor: IngestorFactory) -> ServiceState:
    """Open the writer store, the search engine, the SPARQL workers and the pipeline.

    Raises StoreBusy when another process writes the store, ConfigError for bad settings.
    """
    from essgraph.graph.sparql import SparqlExecutor
    from essgraph.graph.store_factory import open_store
    from essgraph.search.engine import SearchEngine

    tokens = TokenVerifier(settings.staff_tokens)
    settings.home.mkdir(parents=True, exist_ok=True)
    store = open_store(settings)
    writer = ThreadPoolExecutor(1, "essgraph-writer")
    try:
        # opened, used for writes and closed on the writer thread: the engine's embedding cache is an
        # SQLite connection, usable only in the thread that created it
        engine = writer.submit(SearchEngine.open, settings, store).result()
        index_lock = ReadWriteLock()
        locked_engine = LockedEngine(engine, index_lock)
        pipeline = writer.submit(make_ingestor, settings, store, cast("SearchEngine", locked_engine)).result()
        # warmed on the writer thread too: the first search embeds the thesaurus concepts through the
        # SQLite embedding cache, which must be created (and later closed) on that one thread
        writer.submit(locked_engine.warm).result()
        recovered = writer.submit(recover_uploads, settings.uploads_dir, pipeline).result()
        flush = getattr(getattr(store, "raw", None), "flush", None)
        if callable(flush):
            flush()
        sparql = SparqlExecutor(settings)
    except BaseException:
        writer.shutdown()
        store.close()
        raise
    reader = GraphReader(store, settings)
    curation = Curation(
        store,
        reader,
        settings,
        embed_query=lambda text: engine.embedder.embed_query(text),
        embed_passages=lambda texts: engine.embedder.embed_passages(texts),
    )
    return ServiceState(
        settings=settings,
        store=store,
        engine=engine,
        sparql=sparql,
        pipeline=pipeline,
        reader=reader,
        curation=curation,
        corrections=Corrections(store, reader, settings),
        tokens=tokens,
        examples=load_examples(examples_dir),
        index_lock=index_lock,
        writer=writer,
        recovered_uploads=recovered,
    )


def close_state(state: ServiceState) -> None:
    """Stop the SPARQL workers and release the engine and the store (and its lock)."""
    try:
        state.sparql.close()
    finally:
        try:
            state.writer.submit(state.engine.close).result()
            state.writer.shutdown()
        finally:
            state.store.close()
