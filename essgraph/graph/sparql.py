"""SPARQL execution with the limits of settings: time limit, row cap and SERVICE allow-list.

Queries run in worker processes that open the store read-only; a query past the time limit has its
worker killed (and replaced), so a runaway query never blocks the service.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar
from urllib.parse import urlparse
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from essgraph.core.errors import (
    BadInput,
    EssgraphError,
    NotFound,
    QueryTimeout,
    SparqlSyntaxError,
    UnsupportedFormat,
)
from essgraph.core.settings import Settings

T = TypeVar("T")

SELECT_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "xml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
_SERVICE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?(\S+)", re.IGNORECASE)
_UPDATE_KEYWORDS = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
WORKER_START_TIMEOUT_S = 60.0  # spawning Python + pyoxigraph on a loaded 2-core machine
_COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)


@dataclass(slots=True)
class SparqlResult:
    """A serialised SPARQL result: body bytes, media type, kind (select/ask/graph) and truncation."""

    body: bytes
    media_type: str
    kind: str
    truncated: bool
    rows: int


def is_update(text: str) -> bool:
    """True when `text` is a SPARQL update (INSERT, DELETE, LOAD, CLEAR, DROP…) rather than a query."""
    return bool(_UPDATE_KEYWORDS.match(_COMMENT.sub("", text)))


_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\s]*>)"""
    r"""|(?P<string>\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<word>[^\s<>"'{}()\[\];,.#?$]+(?:\.[^\s<>"'{}()\[\];,.#?$]+)*)"""
    r"""|(?P<other>\S)"""
)
_REMOTE_KEYWORDS = ("SERVICE", "LOAD")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) tokens of a SPARQL text, comments dropped; IRIs and strings kept whole."""
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "comment":
            out.append((kind, match.group()))
    return out


def check_service_allowed(text: str, allowlist: list[str]) -> None:
    """Refuse (BadInput) any SERVICE or LOAD whose target is not an `<IRI>` of an allow-listed host.

    The text is tokenised (IRIs, strings and comments recognised as SPARQL does), so neither a missing
    space (`SERVICE<…>`), a comment between keyword and target, a `#` inside an IRI, a prefixed name nor
    a variable can slip past. Nothing is connected to: this runs before the query is handed to the store.
    """
    tokens = _tokens(text)
    for i, (kind, value) in enumerate(tokens):
        keyword = value.upper()
        if kind != "word" or keyword not in _REMOTE_KEYWORDS:
            continue
        if i > 0 and tokens[i - 1] in (("other", "?"), ("other", "$")):
            continue  # a variable named ?service / ?load
        j = i + 1
        if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "SILENT":
            j += 1
        target_kind, target = tokens[j] if j < len(tokens) else ("other", "")
        host = urlparse(target[1:-1]).hostname if target_kind == "iri" else None
        if host is None or host not in allowlist:
            shown = target or "?"
            raise BadInput(
                f"{keyword} vers {shown} refusé : hôte absent de la liste autorisée",
                f"{keyword} to {shown} refused: host not on the allow-list",
                host=host,
            )


def _term_json(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _term_xml(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    attrs = ""
    if term.language:
        attrs = f' xml:lang="{xml_escape(term.language)}"'
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        attrs = f' datatype="{xml_escape(term.datatype.value)}"'
    return f"<literal{attrs}>{xml_escape(term.value)}</literal>"


def _serialise_select(variables: list[str], rows: list[list[Any]], fmt: str, truncated: bool) -> bytes:
    if fmt == "json":
        bindings = [
            {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows
        ]
        doc: dict[str, Any] = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            doc["truncated"] = True
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        parts += [f'<variable name="{xml_escape(v)}"/>' for v in variables]
        parts.append("</head>\n<results>")
        for row in rows:
            parts.append("<result>")
            parts += [
                f'<binding name="{xml_escape(v)}">{_term_xml(t)}</binding>'
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            parts.append("</result>")
        parts.append("</results>\n</sparql>\n")
        return "\n".join(parts).encode("utf-8")
    buf = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else t.value for t in row])
    else:  # tsv
        buf.write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            buf.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    return buf.getvalue().encode("utf-8")


def run_query(store: ox.Store, text: str, fmt: str, max_rows: int, allowlist: list[str]) -> SparqlResult:
    """Run one SPARQL query on `store` (union default graph) and serialise it, capped at `max_rows`.

    Raises SparqlSyntaxError, BadInput (SERVICE refused) or UnsupportedFormat.
    """
    check_service_allowed(text, allowlist)
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise SparqlSyntaxError(
            f"requête SPARQL invalide : {str(exc).splitlines()[0]}", f"invalid SPARQL query: {exc}"
        ) from exc
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        if fmt in ("json", "xml"):
            body = (
                json.dumps({"head": {}, "boolean": value}).encode()
                if fmt == "json"
                else (
                    '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
                ).encode()
            )
        else:
            body = f"{str(value).lower()}\n".encode()
        return SparqlResult(body, SELECT_FORMATS.get(fmt, "text/plain"), "ask", False, 1)
    if isinstance(result, ox.QuerySolutions):
        if fmt not in SELECT_FORMATS:
            raise UnsupportedFormat(
                f"format {fmt} impossible pour un SELECT (json, xml, csv, tsv)",
                f"format {fmt} not available for SELECT (json, xml, csv, tsv)",
            )
        variables = [v.value for v in result.variables]
        rows: list[list[Any]] = []
        truncated = False
        for solution in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append([solution[v] for v in variables])
        return SparqlResult(
            _serialise_select(variables, rows, fmt, truncated),
            SELECT_FORMATS[fmt],
            "select",
            truncated,
            len(rows),
        )
    if fmt not in GRAPH_FORMATS:
        fmt = "turtle" if fmt in ("json", "csv", "tsv") else fmt
        if fmt not in GRAPH_FORMATS:
            raise UnsupportedFormat(
                f"format {fmt} impossible pour un CONSTRUCT (turtle, ntriples, jsonld, xml)",
                f"format {fmt} not available for CONSTRUCT",
            )
    triples: list[Any] = []
    truncated = False
    for triple in result:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    media, rdf_format = GRAPH_FORMATS[fmt]
    body = ox.serialize(triples, format=rdf_format) or b""
    return SparqlResult(bytes(body), media, "graph", truncated, len(triples))


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


def _query_read_only(
    path: str, text: str, fmt: str, max_rows: int, allowlist: list[str], retries: int
) -> SparqlResult:
    """Open the store read-only and run the query, both again on a storage error (`retry_storage_errors`)."""

    def attempt() -> SparqlResult:
        store = ox.Store.read_only(path)
        try:
            return run_query(store, text, fmt, max_rows, allowlist)
        finally:
            del store

    return retry_storage_errors(attempt, retries)


def _worker(path: str, conn: Connection, retries: int = 0) -> None:  # pragma: no cover - child process
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        text, fmt, max_rows, allowlist = message
        try:
            result = _query_read_only(path, text, fmt, max_rows, allowlist, retries)
            conn.send(("ok", result))
        except EssgraphError as exc:
            conn.send(("error", (type(exc).__name__, exc.message_fr, exc.message_en)))
        except Exception as exc:
            conn.send(("error", ("EssgraphError", f"échec de la requête : {exc}", f"query failed: {exc}")))


class _Worker:
    def __init__(self, ctx: Any, path: str, retries: int = 0) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(path, child, retries), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        """Block until the child has started (its start-up never counts against a query's time limit)."""
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise QueryTimeout(
                "le processus de requête SPARQL n'a pas démarré", "the SPARQL worker process did not start"
            )
        self.conn.recv()
        self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class SparqlExecutor:
    """A small pool of query worker processes enforcing the time limit and the row cap of `settings`."""

    def __init__(self, settings: Settings, workers: int = 2) -> None:
        self.settings = settings
        self._ctx = mp.get_context("spawn")
        self._path = str(settings.graph_dir)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._size = workers
        for _ in range(workers):
            self._idle.put(_Worker(self._ctx, self._path, self.settings.store_read_retries))

    def run(self, text: str, fmt: str = "json") -> SparqlResult:
        """Run `text` in a worker; raises QueryTimeout past settings.query_timeout_s (worker replaced)."""
        check_service_allowed(text, self.settings.service_allowlist)
        timeout = self.settings.query_timeout_s
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as exc:
            raise QueryTimeout(
                "toutes les files SPARQL sont occupées ; réessayez", "all SPARQL workers are busy; retry"
            ) from exc
        try:
            worker.wait_ready(WORKER_START_TIMEOUT_S)
            worker.conn.send((text, fmt, self.settings.max_rows, self.settings.service_allowlist))
            if not worker.conn.poll(timeout):
                worker.kill()
                worker = _Worker(self._ctx, self._path, self.settings.store_read_retries)
                raise QueryTimeout(
                    f"requête SPARQL arrêtée après {timeout:g} s (limite configurée)",
                    f"SPARQL query stopped after {timeout:g} s (configured limit)",
                    timeout_s=timeout,
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            worker = _Worker(self._ctx, self._path, self.settings.store_read_retries)
            raise
        finally:
            self._idle.put(worker)
        if status == "ok":
            result: SparqlResult = payload
            return result
        name, fr, en = payload
        # the worker's own failures (storage errors after retries) are server errors, not bad input
        error_cls: type[EssgraphError] = {
            "SparqlSyntaxError": SparqlSyntaxError,
            "UnsupportedFormat": UnsupportedFormat,
            "BadInput": BadInput,
            "NotFound": NotFound,
        }.get(name, EssgraphError)
        raise error_cls(fr, en)

    def close(self) -> None:
        """Stop every worker process."""
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            try:
                worker.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.kill()
