"""The `sparql` backend of GraphStore: any SPARQL 1.1 server, through the SPARQL Protocol (query and
update) and the Graph Store HTTP Protocol (one named graph per document: put, delete, get).

The server's default graph must be the union of its named graphs (Oxigraph: `--union-default-graph`;
Virtuoso: the default; Fuseki: `unionDefaultGraph`), as the embedded store's is: docs/deploy.md.
Values reach the server as VALUES blocks (graph/bindings.py). Connection errors are retried, then
raised as StoreUnavailable (503) with a French and an English message. Tested on `oxigraph serve` and
Virtuoso 7.2 (tests/sparql_server_support.py); the dialect differences met are handled here, each
named where it is.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import rdflib

from essgraph.core.errors import SparqlSyntaxError, StoreUnavailable, UnsupportedFormat
from essgraph.core.settings import Settings
from essgraph.graph.bindings import Bindings, checked_iri, term_text, with_values
from essgraph.graph.queries import admin
from essgraph.graph.sparql_check import analyse
from essgraph.graph.store import DUMP_FORMATS, GraphStore, parse_dump

_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_RETRY_PAUSE_S = 0.5


class RemoteTriples:
    """The triples of a CONSTRUCT/DESCRIBE answer, serialisable like pyoxigraph's QueryTriples."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def __iter__(self) -> Any:
        return (quad.triple for quad in ox.parse(self._data, format=ox.RdfFormat.N_TRIPLES))

    def serialize(self, output: Any = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes | None:
        """Write the triples to `output` (or return them) in `format`, as pyoxigraph's results do."""
        return ox.serialize(iter(self), output, format=format)  # type: ignore[no-any-return]


def parse_results_json(data: bytes) -> Any:
    """SPARQL JSON results as pyoxigraph QuerySolutions / QueryBoolean. Virtuoso names blank nodes
    `nodeID://b10000`, which is no blank node label: each distinct one is relabelled (`b0`, `b1`…)
    within the answer, the same label for the same node. Raises StoreUnavailable when unreadable."""
    try:
        if b'"bnode"' in data:
            parsed = json.loads(data)
            labels: dict[str, str] = {}
            for row in parsed.get("results", {}).get("bindings", []):
                for term in row.values():
                    if term.get("type") == "bnode":
                        term["value"] = labels.setdefault(term["value"], f"b{len(labels)}")
            data = json.dumps(parsed).encode("utf-8")
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    except (ValueError, SyntaxError, AttributeError) as exc:
        raise StoreUnavailable(
            "réponse illisible du serveur SPARQL (résultats JSON attendus)",
            "unreadable answer from the SPARQL server (JSON results expected)",
        ) from exc


def _insert_graph(iri: str, ntriples: str) -> str:
    """An update adding N-Triples to the graph `iri` (a term_text). A template (`INSERT {…} WHERE {}`),
    not INSERT DATA: Virtuoso refuses any blank node in INSERT DATA (« not allowed in a constant
    clause »), while in a template each label is a fresh node, one for the whole request."""
    return f"INSERT {{ GRAPH {iri} {{\n{ntriples}\n}} }} WHERE {{}}"


def _first_line(text: str) -> str:
    return " ".join(text.strip().splitlines()[:1])[:300]


class SparqlStore(GraphStore):
    """GraphStore on a SPARQL 1.1 server. Opening it contacts nothing: a server that is down shows at
    the first request (and in `ping`), so a service can start and report it."""

    def __init__(self, settings: Settings, read_only: bool = False) -> None:
        if not settings.sparql_query_url:
            from essgraph.core.errors import ConfigError

            raise ConfigError(
                "ESSGRAPH_SPARQL_QUERY_URL est requis avec ESSGRAPH_STORE=sparql",
                "ESSGRAPH_SPARQL_QUERY_URL is required with ESSGRAPH_STORE=sparql",
            )
        self.path = Path(settings.graph_dir)
        self.read_only = read_only
        self.query_url = settings.sparql_query_url
        self.update_url = settings.sparql_update_url or settings.sparql_query_url
        self.store_url = settings.sparql_store_url
        self.retries = settings.sparql_retries
        # Virtuoso takes writes only on /sparql-auth and /sparql-graph-crud-auth, with HTTP digest
        auth: httpx.Auth | None = None
        if settings.sparql_user and settings.sparql_auth == "digest":
            auth = httpx.DigestAuth(settings.sparql_user, settings.sparql_password)
        elif settings.sparql_user:
            auth = httpx.BasicAuth(settings.sparql_user, settings.sparql_password)
        # graphs the server keeps for itself (Virtuoso: virtrdf#, ldp#…) sit beside essgraph's in
        # GRAPH ?g and the union default graph: lists, counts and dumps leave them out
        self.hidden_graphs = frozenset(settings.sparql_hidden_graphs)
        # Virtuoso's union default graph holds its system graphs too (a CONSTRUCT of everything returns
        # its 2,500 RDF-view triples): its pragmas exclude them from the default and the named graphs
        self._prologue = ""
        if settings.sparql_dialect == "virtuoso":
            self._prologue = "".join(
                f"DEFINE input:{which}-graph-exclude {term_text(checked_iri(graph))}\n"
                for graph in sorted(self.hidden_graphs)
                for which in ("default", "named")
            )
        self._client = httpx.Client(timeout=settings.sparql_timeout_s, auth=auth)

    # --- HTTP ------------------------------------------------------------------------------------
    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, again up to `retries` times on a connection error (a request the server
        received and answered is never repeated). Raises StoreUnavailable when the server stays
        unreachable or answers a server error, SparqlSyntaxError for a request it refuses (4xx)."""
        for attempt in range(self.retries + 1):
            try:
                response = self._client.request(method, url, **kwargs)
                break
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
                if attempt == self.retries:
                    raise StoreUnavailable(
                        f"serveur SPARQL injoignable ({url}) : {exc} ; vérifiez qu'il tourne, puis relancez",
                        f"SPARQL server unreachable ({url}): {exc}; check that it runs, then retry",
                        url=url,
                    ) from exc
                time.sleep(_RETRY_PAUSE_S * (attempt + 1))
            except httpx.TimeoutException as exc:
                raise StoreUnavailable(
                    f"le serveur SPARQL ({url}) n'a pas répondu dans le délai configuré",
                    f"the SPARQL server ({url}) did not answer within the configured time",
                    url=url,
                ) from exc
        if response.status_code in (400, 415, 422):
            raise SparqlSyntaxError(
                f"requête refusée par le serveur SPARQL : {_first_line(response.text)}",
                f"request refused by the SPARQL server: {_first_line(response.text)}",
            )
        if response.status_code >= 300 and not (method == "DELETE" and response.status_code == 404):
            raise StoreUnavailable(
                f"le serveur SPARQL a répondu {response.status_code} : {_first_line(response.text)}",
                f"the SPARQL server answered {response.status_code}: {_first_line(response.text)}",
                url=url,
                status=response.status_code,
            )
        return response

    def _post_query(self, text: str, accept: str) -> httpx.Response:
        # a form (`query=`), not an application/sparql-query body: Virtuoso 7.2 never answers a POST
        # whose body is the bare query (the request hangs), every SPARQL 1.1 server reads the form
        data = {"query": self._prologue + text}
        return self._send("POST", self.query_url, data=data, headers={"Accept": accept})

    # --- GraphStore --------------------------------------------------------------------------------
    def query(self, sparql: str, union: bool = True, bindings: Bindings | None = None) -> Any:
        """Run a query on the server (its default graph is the union, see the module docstring);
        returns pyoxigraph QuerySolutions / QueryBoolean, or RemoteTriples for a graph form."""
        text = with_values(sparql, bindings)
        # one media type per query form: offered both, Virtuoso answers a CONSTRUCT as JSON results
        graph_form = analyse(text, len(text), len(text) + 1).form == "graph"
        response = self._post_query(text, _NTRIPLES if graph_form else _RESULTS_JSON)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media == _NTRIPLES:
            return RemoteTriples(response.content)
        return parse_results_json(response.content)

    def update(self, sparql: str, bindings: Bindings | None = None) -> None:
        """Send one update request (one transaction on servers that give one)."""
        # a form (`update=`) for the same reason as queries (Virtuoso and a bare body)
        self._send("POST", self.update_url, data={"update": with_values(sparql, bindings)})

    def select(self, sparql: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        response = self._post_query(with_values(sparql, bindings), _RESULTS_JSON)
        try:
            data = json.loads(response.content)
            return [
                {name: str(term["value"]) for name, term in row.items()}
                for row in data["results"]["bindings"]
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreUnavailable(
                "réponse illisible du serveur SPARQL (résultats JSON attendus)",
                "unreadable answer from the SPARQL server (JSON results expected)",
            ) from exc

    def replace_graph(self, graph_iri: str, graph: rdflib.Graph) -> int:
        """Replace a document's named graph in one request: a Graph Store PUT when a store URL is set
        (the server swaps the graph as a whole), else one update DROP + INSERT DATA. Either leaves the
        old graph or the new one, never a mix, on a server with transactional requests."""
        name = str(checked_iri(graph_iri))
        nt = graph.serialize(format="nt")
        body = nt if isinstance(nt, str) else nt.decode("utf-8")
        if self.store_url:
            self._send(
                "PUT",
                self.store_url,
                params={"graph": name},
                content=body.encode("utf-8"),
                headers={"Content-Type": _NTRIPLES},
            )
        else:
            iri = term_text(checked_iri(name))
            self.update(f"DROP SILENT GRAPH {iri} ;\n{_insert_graph(iri, body)}")
        return len(graph)

    def drop_graph(self, graph_iri: str) -> None:
        name = str(checked_iri(graph_iri))
        if self.store_url:
            self._send("DELETE", self.store_url, params={"graph": name})
        else:
            self.update(f"DROP SILENT GRAPH {term_text(checked_iri(name))}")

    def get_graph(self, graph_iri: str) -> rdflib.Graph:
        """One named graph as the server holds it (Graph Store GET, else a CONSTRUCT)."""
        name = str(checked_iri(graph_iri))
        out = rdflib.Graph()
        if self.store_url:
            response = self._client.get(self.store_url, params={"graph": name}, headers={"Accept": _NTRIPLES})
            if response.status_code == 404:
                return out
            if response.status_code >= 300:
                raise StoreUnavailable(
                    f"le serveur SPARQL a répondu {response.status_code}",
                    f"the SPARQL server answered {response.status_code}",
                )
            out.parse(data=response.content, format="nt")
            return out
        return self.to_rdflib(name)

    def graph_names(self) -> list[str]:
        return sorted(
            row["g"] for row in self.select(admin.GRAPH_NAMES) if row["g"] not in self.hidden_graphs
        )

    def iter_graph_counts(self) -> Iterator[tuple[str, int]]:
        """(graph IRI, triple count) for every named graph but the server's own (hidden_graphs)."""
        for graph, count in super().iter_graph_counts():
            if graph not in self.hidden_graphs:
                yield graph, count

    def dump(self, fmt: str) -> bytes:
        """Every quad of essgraph's named graphs in `fmt`; raises UnsupportedFormat for an unknown
        format, StoreUnavailable when the server returned fewer quads than it counts."""
        if fmt not in DUMP_FORMATS:
            raise UnsupportedFormat(
                f"format d'export inconnu : {fmt} (nquads, trig, jsonld)",
                f"unknown export format: {fmt} (nquads, trig, jsonld)",
            )
        solutions = self.query(admin.ALL_QUADS)
        quads = [
            ox.Quad(row["s"], row["p"], row["o"], row["g"])
            for row in solutions
            if row["g"].value not in self.hidden_graphs
        ]
        # a server may cap every result silently (Virtuoso: [SPARQL] ResultSetMaxRows, 10,000 in the
        # Debian package's ini): an export missing quads is refused, not written
        expected = self.quad_count()
        if len(quads) < expected:
            raise StoreUnavailable(
                f"export incomplet : le serveur SPARQL a renvoyé {len(quads)} quads sur {expected} "
                "(limite de lignes du serveur ; Virtuoso : ResultSetMaxRows)",
                f"incomplete export: the SPARQL server returned {len(quads)} of {expected} quads "
                "(the server's row limit; Virtuoso: ResultSetMaxRows)",
            )
        data = ox.serialize(quads, format=DUMP_FORMATS[fmt])
        return bytes(data) if data is not None else b""

    def load_dataset(self, data: bytes, fmt: str, source: str) -> int:
        """Parse the dump fully, then add each named graph in one request per graph (a server offers
        no transaction across requests: a failure part-way is reported with the graphs written)."""
        quads = parse_dump(data, fmt, source)
        by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
        for quad in quads:
            if isinstance(quad.graph_name, ox.NamedNode):
                by_graph[quad.graph_name.value].append(quad.triple)
        for graph_iri, triples in by_graph.items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            if self.store_url:
                self._send(
                    "POST",
                    self.store_url,
                    params={"graph": graph_iri},
                    content=bytes(body),
                    headers={"Content-Type": _NTRIPLES},
                )
            else:
                iri = term_text(checked_iri(graph_iri))
                self.update(_insert_graph(iri, bytes(body).decode("utf-8")))
        return sum(len(t) for t in by_graph.values())

    def quad_count(self) -> int:
        if self.hidden_graphs:
            return sum(count for _, count in self.iter_graph_counts())
        rows = self.select(admin.QUAD_COUNT)
        return int(rows[0]["n"]) if rows else 0

    def ping(self) -> bool:
        """True when the server answers a trivial query (no retry: for /health)."""
        try:
            response = self._client.post(
                self.query_url,
                data={"query": admin.PING},
                headers={"Accept": _RESULTS_JSON},
                timeout=5.0,
            )
        except httpx.HTTPError:
            return False
        return response.status_code < 300

    def close(self) -> None:
        self._client.close()

    def __repr__(self) -> str:
        return f"SparqlStore({self.query_url!r})"
