"""SPARQL results are pyoxigraph's own serialisations, cut at the row and byte limits into valid documents."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from essgraph.graph.sparql import GRAPH_FORMATS, RESULTS_FORMATS, QueryLimits, run_query
from essgraph.graph.sparql_check import SparqlRequest, analyse

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ROWS = 60
SELECT = f"SELECT ?s ?label ?n ?missing WHERE {{ ?s <{EX}label> ?label ; <{EX}n> ?n }} ORDER BY ?n"
CONSTRUCT = (
    f"CONSTRUCT {{ ?s <{EX}label> ?label }} WHERE {{ ?s <{EX}label> ?label ; <{EX}n> ?n }} ORDER BY ?n"
)
WIDE = QueryLimits(max_rows=10_000, max_bytes=1 << 24, allowlist=())


def _label(i: int) -> ox.Literal:
    """Values that stress every escaping rule: quotes, tabs, newlines, markup, accents, commas."""
    text = f'libellé "{i}", <b>&</b>\tcolonne\nligne {i}'
    return ox.Literal(text, language="fr") if i % 2 else ox.Literal(text)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """A real in-memory Oxigraph store: IRIs and blank nodes, typed and tagged literals, a named graph."""
    store = ox.Store()
    for i in range(ROWS):
        subject: ox.NamedNode | ox.BlankNode = ox.NamedNode(f"{EX}s{i}") if i % 3 else ox.BlankNode(f"b{i}")
        graph = ox.NamedNode(f"{EX}g{i % 2}")
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}label"), _label(i), graph))
        number = ox.Literal(str(i), datatype=ox.NamedNode(f"{XSD}integer"))
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}n"), number, graph))
    return store


def _request(text: str) -> SparqlRequest:
    return analyse(text, len(text) + 1, 100)


def _direct(store: ox.Store, text: str, fmt: ox.QueryResultsFormat | ox.RdfFormat) -> bytes:
    result = store.query(text, use_default_graph_as_union=True)
    return bytes(result.serialize(format=fmt) or b"")  # type: ignore[arg-type]


def _count_rows(body: bytes, fmt: str) -> int:
    if fmt == "csv":
        return len(list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))) - 1
    return len(list(ox.parse_query_results(body, format=RESULTS_FORMATS[fmt])))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
def test_select_is_pyoxigraphs_own_serialisation(store: ox.Store, fmt: str) -> None:
    result = run_query(store, _request(SELECT), fmt, WIDE)
    assert result.body == _direct(store, SELECT, RESULTS_FORMATS[fmt])
    assert (result.rows, result.truncated, result.kind) == (ROWS, False, "select")
    assert result.media_type == RESULTS_FORMATS[fmt].media_type


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_construct_is_pyoxigraphs_own_serialisation(store: ox.Store, fmt: str) -> None:
    result = run_query(store, _request(CONSTRUCT), fmt, WIDE)
    media, rdf_format = GRAPH_FORMATS[fmt]
    assert result.body == _direct(store, CONSTRUCT, rdf_format)
    assert (result.rows, result.truncated, result.kind, result.media_type) == (ROWS, False, "graph", media)


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
def test_select_row_cap_keeps_the_first_rows(store: ox.Store, fmt: str) -> None:
    limits = QueryLimits(max_rows=7, max_bytes=1 << 24, allowlist=())
    result = run_query(store, _request(SELECT), fmt, limits)
    assert result.truncated and result.rows == 7 == _count_rows(result.body, fmt)
    if fmt == "json":
        document = json.loads(result.body)
        assert document["truncated"] is True
        numbers = [int(b["n"]["value"]) for b in document["results"]["bindings"]]
        assert numbers == list(range(7))


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
@pytest.mark.parametrize("max_bytes", [1500, 4000])
def test_select_byte_cap_is_a_valid_prefix_within_the_budget(
    store: ox.Store, fmt: str, max_bytes: int
) -> None:
    limits = QueryLimits(max_rows=10_000, max_bytes=max_bytes, allowlist=())
    result = run_query(store, _request(SELECT), fmt, limits)
    assert result.truncated and len(result.body) <= max_bytes
    assert 0 < result.rows < ROWS and _count_rows(result.body, fmt) == result.rows
    # the kept rows are the first ones of the full answer, term for term
    full = list(
        ox.parse_query_results(_direct(store, SELECT, ox.QueryResultsFormat.TSV), ox.QueryResultsFormat.TSV)
    )
    if fmt != "csv":  # CSV writes plain values only
        kept = list(ox.parse_query_results(result.body, format=RESULTS_FORMATS[fmt]))  # type: ignore[arg-type]
        assert [[s[v] for v in ("s", "label", "n")] for s in kept] == [
            [s[v] for v in ("s", "label", "n")] for s in full[: result.rows]
        ]


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
@pytest.mark.parametrize(("max_rows", "max_bytes"), [(5, 1 << 24), (10_000, 2500)])
def test_construct_caps_give_valid_documents(
    store: ox.Store, fmt: str, max_rows: int, max_bytes: int
) -> None:
    limits = QueryLimits(max_rows=max_rows, max_bytes=max_bytes, allowlist=())
    result = run_query(store, _request(CONSTRUCT), fmt, limits)
    _, rdf_format = GRAPH_FORMATS[fmt]
    triples = list(ox.parse(result.body, format=rdf_format))
    assert result.truncated and len(result.body) <= max_bytes
    assert 0 < result.rows <= max_rows and len(triples) == result.rows


def test_a_budget_below_one_row_keeps_the_header(store: ox.Store) -> None:
    many = "SELECT " + " ".join(f"?variable_au_nom_assez_long_{i}" for i in range(40)) + " WHERE { ?s ?p ?o }"
    limits = QueryLimits(max_rows=10_000, max_bytes=1024, allowlist=())
    for fmt in RESULTS_FORMATS:
        result = run_query(store, _request(many), fmt, limits)
        assert result.truncated and result.rows == 0
        if fmt != "csv":
            solutions = ox.parse_query_results(result.body, format=RESULTS_FORMATS[fmt])  # type: ignore[arg-type]
            assert isinstance(solutions, ox.QuerySolutions) and len(solutions.variables) == 40


@pytest.mark.parametrize("fmt", [*RESULTS_FORMATS, "turtle"])
def test_ask_in_every_format(store: ox.Store, fmt: str) -> None:
    yes = run_query(store, _request(f"ASK {{ ?s <{EX}n> 3 }}"), fmt, WIDE)
    no = run_query(store, _request(f"ASK {{ ?s <{EX}n> 3000 }}"), fmt, WIDE)
    assert (yes.kind, yes.truncated) == ("ask", False)
    if fmt in RESULTS_FORMATS and fmt != "csv":
        assert bool(ox.parse_query_results(yes.body, format=RESULTS_FORMATS[fmt])) is True  # type: ignore[arg-type]
        assert bool(ox.parse_query_results(no.body, format=RESULTS_FORMATS[fmt])) is False  # type: ignore[arg-type]
    else:  # CSV, and an ASK asked as a graph: the bare word
        assert (yes.body.strip(), no.body.strip()) == (b"true", b"false")
