"""SPARQL execution with the limits of settings: time limit, row cap and SERVICE allow-list.

Queries run in worker processes that open the store read-only; a query past the time limit has its
worker killed (and replaced), so a runaway query never blocks the service.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import pyoxigraph as ox

from essgraph.core.errors import (
    BadInput,
    EssgraphError,
    NotFound,
    QueryResourceLimit,
    QueryTimeout,
    SparqlSyntaxError,
    StoreUnavailable,
    TooManyRequests,
    UnsupportedFormat,
)
from essgraph.core.settings import Settings
from essgraph.graph.sparql_check import (
    SparqlRequest,
    algebra_targets,
    analyse,
    check_targets,
    isolate_network,
    syntax_error,
)

T = TypeVar("T")

RESULTS_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
SELECT_FORMATS: dict[str, str] = {name: fmt.media_type for name, fmt in RESULTS_FORMATS.items()}
GRAPH_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "nquads": ("application/n-quads", ox.RdfFormat.N_QUADS),
    "trig": ("application/trig", ox.RdfFormat.TRIG),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "xml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
WORKER_START_TIMEOUT_S = 60.0  # spawning Python + pyoxigraph on a loaded 2-core machine


@dataclass(slots=True)
class SparqlResult:
    """A serialised SPARQL result: body bytes, media type, kind (select/ask/graph) and truncation."""

    body: bytes
    media_type: str
    kind: str
    truncated: bool
    rows: int


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """What one query may return and reach: rows, serialised bytes, SERVICE hosts."""

    max_rows: int
    max_bytes: int
    allowlist: tuple[str, ...]


def limits_of(settings: Settings) -> QueryLimits:
    """The query limits of `settings`."""
    return QueryLimits(settings.max_rows, settings.max_result_bytes, tuple(settings.service_allowlist))


def analyse_request(text: str, settings: Settings) -> SparqlRequest:
    """`analyse` with the size and nesting limits of `settings` (see graph.sparql_check)."""
    return analyse(text, settings.max_sparql_chars, settings.max_sparql_depth)


def is_update(text: str) -> bool:
    """True when `text` is a SPARQL update (INSERT, DELETE, LOAD, CLEAR, DROP…) rather than a query."""
    return analyse(text, len(text) + 1, sys.maxsize).kind == "update"


def check_service_allowed(text: str, allowlist: list[str]) -> None:
    """Refuse (BadInput) any SERVICE or LOAD of `text` whose target is not an IRI of an allow-listed host,
    from the lexer's reading and, where rdflib's parser reads the text, from its algebra too."""
    request = analyse(text, len(text) + 1, sys.maxsize)
    check_targets(request.remote, allowlist)
    check_targets(algebra_targets(request) or [], allowlist)


class _Enough(Exception):
    """Raised by _BoundedSink to stop a serialisation once it holds enough (never leaves this module)."""


class _BoundedSink(io.RawIOBase):
    """A binary stream for pyoxigraph's serialisers that keeps what it is given and, once it holds its
    `header` lines and more than `max_bytes` bytes or `max_lines` complete lines, raises _Enough: the
    serialiser stops there, and so does the evaluation of the query feeding it."""

    def __init__(self, max_bytes: int, max_lines: int, header: int) -> None:
        super().__init__()
        self.data = bytearray()
        self.lines = 0
        self._max_bytes = max_bytes
        self._max_lines = max_lines
        self._header = header

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:  # type: ignore[override]
        data = bytes(chunk)
        self.data += data
        self.lines += data.count(b"\n")
        if self.lines >= self._header and (len(self.data) > self._max_bytes or self.lines > self._max_lines):
            raise _Enough
        return len(data)


def _first_lines(result: Any, line_format: Any, skip: int, limits: QueryLimits) -> tuple[bytes, int, bool]:
    """Serialise `result` with pyoxigraph in `line_format` (SPARQL TSV or N-Triples: one solution or
    triple per line after `skip` header lines) into a bounded stream, and keep the header and the
    first complete lines within `limits.max_rows` and `limits.max_bytes`.

    Returns (bytes, rows kept, whether rows were left out). pyoxigraph has no row limit of its own and
    cannot build results from a list, so the cut happens on this line-based form, at a line end.
    """
    sink = _BoundedSink(limits.max_bytes, skip + limits.max_rows, skip)
    try:
        result.serialize(sink, format=line_format)
        stopped = False
    except _Enough:
        stopped = True
    data = bytes(sink.data)
    if stopped:  # drop the partial last line and whatever lies past the byte budget (never the header)
        header_end = len(_keep_rows(data, skip, 0))
        data = data[: max(header_end, data.rfind(b"\n", 0, limits.max_bytes) + 1)]
    rows = data.count(b"\n") - skip
    if rows > limits.max_rows:
        data, rows, stopped = _keep_rows(data, skip, limits.max_rows), limits.max_rows, True
    return data, rows, stopped


def _keep_rows(data: bytes, skip: int, rows: int) -> bytes:
    """The first `skip` header lines and `rows` lines of line-based `data`."""
    end = 0
    for _ in range(skip + rows):
        end = data.index(b"\n", end) + 1
    return data[:end]


def _solutions_as(tsv: bytes, fmt: str) -> bytes:
    """SPARQL TSV results (pyoxigraph's own) re-serialised by pyoxigraph in the format named `fmt`."""
    if fmt == "tsv":
        return tsv
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return bytes(solutions.serialize(format=RESULTS_FORMATS[fmt]) or b"")


def _triples_as(ntriples: bytes, fmt: str) -> bytes:
    """N-Triples (pyoxigraph's own) re-serialised by pyoxigraph in the RDF format named `fmt`."""
    _, rdf_format = GRAPH_FORMATS[fmt]
    if rdf_format == ox.RdfFormat.N_TRIPLES:
        return ntriples
    triples = (quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return bytes(ox.serialize(triples, format=rdf_format) or b"")


def _within_bytes(
    data: bytes, skip: int, rows: int, max_bytes: int, render: Callable[[bytes], bytes]
) -> tuple[bytes, int]:
    """`render(data)` and its row count, with rows dropped from the end of line-based `data` while the
    rendering is longer than `max_bytes` (a verbose format such as JSON or XML takes more bytes than
    the line-based form that was cut to the budget). Each pass keeps the share of rows that fits."""
    body = render(data)
    while len(body) > max_bytes and rows > 0:
        rows = min(rows - 1, rows * max_bytes // len(body))
        data = _keep_rows(data, skip, rows)
        body = render(data)
    return body, rows


_TRUNCATED_MEMBER = b'"truncated":true,'


def _mark_truncated_json(body: bytes) -> bytes:
    """Add `"truncated": true` to a SPARQL JSON results document, as the service announces it (the
    W3C format has no such member, so pyoxigraph cannot write it). It goes first, before "head":
    streaming readers such as pyoxigraph's refuse anything after the bindings array."""
    start = body.index(b"{") + 1
    return body[:start] + _TRUNCATED_MEMBER + body[start:]


def run_query(store: Any, request: SparqlRequest, fmt: str, limits: QueryLimits) -> SparqlResult:
    """Run one SPARQL query on `store` (a pyoxigraph Store, or the server of the sparql backend; union
    default graph) and serialise it with pyoxigraph, capped at
    `limits.max_rows` rows and `limits.max_bytes` bytes (`truncated` then set).

    Raises SparqlSyntaxError, BadInput (SERVICE refused) or UnsupportedFormat.
    """
    check_targets(request.remote, list(limits.allowlist))
    check_targets(algebra_targets(request) or [], list(limits.allowlist))
    try:
        result = store.query(request.text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise syntax_error(exc, request.text) from exc
    if isinstance(result, ox.QueryBoolean):
        # an ASK asked in an RDF format (no such serialisation) gets the bare word, as TSV writes it
        results_format = RESULTS_FORMATS.get(fmt, ox.QueryResultsFormat.TSV)
        body = bytes(result.serialize(format=results_format) or b"")
        return SparqlResult(body, SELECT_FORMATS.get(fmt, "text/plain"), "ask", False, 1)
    if isinstance(result, ox.QuerySolutions):
        if fmt not in SELECT_FORMATS:
            raise UnsupportedFormat(
                f"format {fmt} impossible pour un SELECT (json, xml, csv, tsv)",
                f"format {fmt} not available for SELECT (json, xml, csv, tsv)",
            )
        tsv, rows, truncated = _first_lines(result, ox.QueryResultsFormat.TSV, 1, limits)
        budget = limits.max_bytes - (len(_TRUNCATED_MEMBER) if fmt == "json" else 0)
        body, kept = _within_bytes(tsv, 1, rows, budget, lambda data: _solutions_as(data, fmt))
        truncated = truncated or kept < rows
        if truncated and fmt == "json":
            body = _mark_truncated_json(body)
        return SparqlResult(body, SELECT_FORMATS[fmt], "select", truncated, kept)
    if fmt not in GRAPH_FORMATS:
        fmt = "turtle" if fmt in ("json", "csv", "tsv") else fmt
        if fmt not in GRAPH_FORMATS:
            raise UnsupportedFormat(
                f"format {fmt} impossible pour un CONSTRUCT ({', '.join(GRAPH_FORMATS)})",
                f"format {fmt} not available for CONSTRUCT",
            )
    ntriples, rows, truncated = _first_lines(result, ox.RdfFormat.N_TRIPLES, 0, limits)
    body, kept = _within_bytes(ntriples, 0, rows, limits.max_bytes, lambda data: _triples_as(data, fmt))
    return SparqlResult(body, GRAPH_FORMATS[fmt][0], "graph", truncated or kept < rows, kept)


def retry_storage_errors(action: Callable[[], T], retries: int) -> T:
    """`action()` (which opens the store read-only), again up to `retries` times on a storage error.

    A writer in another process may rotate the store's MANIFEST or delete compacted files while a
    read-only instance opens them ("Corruption … No such file"); a fresh open sees the new files.
    EssgraphError (bad query, time limit…) is raised at once; the last storage error is raised as is.
    """
    for attempt in range(retries + 1):
        try:
            return action()
        except EssgraphError:
            raise
        except Exception:  # storage errors (OSError, or a pyoxigraph error of another type): open again
            if attempt == retries:
                raise
    raise AssertionError("unreachable")


class _ServerQueries:
    """The `query` run_query calls, answered by the SPARQL server of the sparql backend."""

    def __init__(self, settings: Settings) -> None:
        from essgraph.graph.sparql_store import SparqlStore

        self._store = SparqlStore(settings, read_only=True)

    def query(self, text: str, use_default_graph_as_union: bool = True) -> Any:
        return self._store.query(text, union=use_default_graph_as_union)

    def close(self) -> None:
        self._store.close()


def _query_read_only(
    path: str | _ServerQueries, request: SparqlRequest, fmt: str, limits: QueryLimits, retries: int
) -> SparqlResult:
    """Open the store read-only and run the query, both again on a storage error; with the sparql
    backend (`path` is then the worker's client of the server), forward the checked query to it.

    A request that names a remote target is never run twice (a failure there is the remote's, and
    each attempt would call it again)."""
    if isinstance(path, _ServerQueries):
        return run_query(path, request, fmt, limits)

    def attempt() -> SparqlResult:
        store = ox.Store.read_only(path)
        try:
            return run_query(store, request, fmt, limits)
        finally:
            del store

    return retry_storage_errors(attempt, 0 if request.remote else retries)


def _limit_memory(max_bytes: int) -> None:  # pragma: no cover - child process
    """Cap this process's address space: a query past it fails its allocation and the worker dies,
    instead of growing until the machine swaps."""
    import resource

    if max_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _worker(
    path: str | Settings, conn: Connection, retries: int, isolate: bool, memory: int
) -> None:  # pragma: no cover
    isolated = isolate_network() if isolate else False
    _limit_memory(memory)
    # the sparql backend: one client of the server per worker, made before the worker says it is ready
    target: str | _ServerQueries = _ServerQueries(path) if isinstance(path, Settings) else path
    conn.send(("ready", isolated))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        request, fmt, limits = message
        try:
            result = _query_read_only(target, request, fmt, limits, retries)
            conn.send(("ok", result))
        except EssgraphError as exc:
            conn.send(("error", (type(exc).__name__, exc.message_fr, exc.message_en, exc.details)))
        except MemoryError:
            conn.send(("error", ("QueryResourceLimit", *_MEMORY_MESSAGES, {})))
        except Exception as exc:
            if request.remote:  # never echo what a remote endpoint answered, nor whether it answered
                fr, en = "le service SPARQL distant a échoué", "the remote SPARQL service failed"
            else:
                first = " ".join(str(exc).split())[:300]
                fr, en = f"échec de la requête : {first}", f"query failed: {first}"
            conn.send(("error", ("EssgraphError", fr, en, {})))


_MEMORY_MESSAGES = (
    "la requête SPARQL dépasse la mémoire autorisée ; restreignez-la (LIMIT, filtres)",
    "the SPARQL query exceeds the allowed memory; narrow it (LIMIT, filters)",
)


class _Worker:
    def __init__(self, ctx: Any, path: str, settings: Settings) -> None:
        self.conn, child = ctx.Pipe()
        # a worker forwarding to a SPARQL server needs the network: SERVICE and LOAD are still refused
        # by the lexer and the algebra check (run_query) before anything is sent
        remote = settings.store_backend == "sparql"
        isolate = not settings.service_allowlist and settings.sparql_isolate_network and not remote
        target: str | Settings = settings if remote else path
        args = (target, child, settings.store_read_retries, isolate, settings.sparql_worker_memory_bytes)
        self.process = ctx.Process(target=_worker, args=args, daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.isolated = False

    def wait_ready(self, timeout: float) -> None:
        """Block until the child has started (its start-up never counts against a query's time limit)."""
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise QueryTimeout(
                "le processus de requête SPARQL n'a pas démarré", "the SPARQL worker process did not start"
            )
        _, self.isolated = self.conn.recv()
        self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class _FairQueue:
    """Hands idle workers to waiting requests one client at a time, round robin, so that clients
    looping heavy queries cannot starve the others; each client may hold `per_client` workers and
    have `per_client` more requests waiting, beyond which it is told to come back (429)."""

    def __init__(self, per_client: int) -> None:
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._running: dict[str, int] = {}
        self._waiting: dict[str, list[object]] = {}
        self._turns: list[str] = []  # clients with waiting requests, in the order they are served
        self._per_client = per_client

    def put(self, worker: _Worker, client: str | None = None) -> None:
        """Give `worker` back (released by `client`, if any) and wake the next client in turn."""
        with self._cond:
            if client is not None:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]
            self._idle.append(worker)
            self._cond.notify_all()

    def get(self, client: str, timeout: float) -> _Worker:
        """A worker for `client`; raises TooManyRequests or QueryTimeout (all busy past `timeout`)."""
        ticket = object()
        with self._cond:
            waiting = self._waiting.setdefault(client, [])
            if self._running.get(client, 0) + len(waiting) >= 2 * self._per_client:
                if not waiting:
                    del self._waiting[client]
                raise TooManyRequests(
                    "trop de requêtes SPARQL en cours pour ce client ; réessayez dans un instant",
                    "too many SPARQL requests in progress for this client; retry shortly",
                    retry_after=1,
                )
            waiting.append(ticket)
            if client not in self._turns:
                self._turns.append(client)
            try:
                ok = self._cond.wait_for(lambda: self._my_turn(client, ticket), timeout)
                if not ok:
                    raise QueryTimeout(
                        "toutes les files SPARQL sont occupées ; réessayez",
                        "all SPARQL workers are busy; retry",
                    )
                worker = self._idle.pop()
                self._running[client] = self._running.get(client, 0) + 1
                self._turns.remove(client)
                waiting.pop(0)
                if waiting:
                    self._turns.append(client)  # its next request waits behind the other clients
                return worker
            finally:
                if ticket in waiting:
                    waiting.remove(ticket)
                    if not waiting and client in self._turns:
                        self._turns.remove(client)
                if not waiting:
                    self._waiting.pop(client, None)
                self._cond.notify_all()

    def _my_turn(self, client: str, ticket: object) -> bool:
        if not self._idle or self._running.get(client, 0) >= self._per_client:
            return False
        eligible = [c for c in self._turns if self._running.get(c, 0) < self._per_client]
        return bool(eligible) and eligible[0] == client and self._waiting[client][0] is ticket

    def drain(self) -> list[_Worker]:
        """Take every idle worker (for closing)."""
        with self._cond:
            out, self._idle = self._idle, []
            return out


class SparqlExecutor:
    """A small pool of query worker processes enforcing the limits of `settings`: time, rows, bytes,
    memory, SERVICE hosts, and a fair share per client."""

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self._ctx = mp.get_context("spawn")
        self._path = str(settings.graph_dir)
        self._pool = _FairQueue(settings.sparql_per_client)
        self._size = workers or settings.sparql_workers
        for _ in range(self._size):
            self._pool.put(self._new_worker())
        self.network_isolated: bool | None = None  # known once a worker has started

    def _new_worker(self) -> _Worker:
        return _Worker(self._ctx, self._path, self.settings)

    def run(self, text: str | SparqlRequest, fmt: str = "json", client: str = "local") -> SparqlResult:
        """Run a query in a worker for `client`; raises QueryTimeout past settings.query_timeout_s
        (worker replaced), TooManyRequests past the client's share, BadInput for a refused target."""
        request = text if isinstance(text, SparqlRequest) else analyse_request(text, self.settings)
        check_targets(request.remote, self.settings.service_allowlist)
        timeout = self.settings.query_timeout_s
        worker = self._pool.get(client, self.settings.sparql_queue_wait_s)
        try:
            worker.wait_ready(WORKER_START_TIMEOUT_S)
            self.network_isolated = worker.isolated
            worker.conn.send((request, fmt, limits_of(self.settings)))
            if not worker.conn.poll(timeout):
                worker.kill()
                worker = self._new_worker()
                raise QueryTimeout(
                    f"requête SPARQL arrêtée après {timeout:g} s (limite configurée)",
                    f"SPARQL query stopped after {timeout:g} s (configured limit)",
                    timeout_s=timeout,
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            # the worker died under the query: its memory cap (or a crash of the store's parser)
            worker.kill()
            worker = self._new_worker()
            raise QueryResourceLimit(*_MEMORY_MESSAGES) from exc
        finally:
            self._pool.put(worker, client)
        if status == "ok":
            result: SparqlResult = payload
            return result
        name, fr, en, details = payload
        # the worker's own failures (storage errors after retries) are server errors, not bad input
        error_cls: type[EssgraphError] = {
            "SparqlSyntaxError": SparqlSyntaxError,
            "UnsupportedFormat": UnsupportedFormat,
            "BadInput": BadInput,
            "NotFound": NotFound,
            "QueryResourceLimit": QueryResourceLimit,
            "StoreUnavailable": StoreUnavailable,
        }.get(name, EssgraphError)
        raise error_cls(fr, en, **details)

    def close(self) -> None:
        """Stop every worker process."""
        for worker in self._pool.drain():
            try:
                worker.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.kill()
