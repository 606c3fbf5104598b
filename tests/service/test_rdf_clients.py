"""The RDF clients researchers use, against a real served app: SPARQLWrapper with every return format,
rdflib's SPARQLStore, and plain HTTP with each Accept on /sparql, /id, /def and /data; HEAD and OPTIONS."""

# ruff: noqa: F811  (the served fixture is imported, then taken as an argument)
from __future__ import annotations

import csv
import io
import json
import urllib.error
from typing import Any

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.service.ld_server import Served, served  # noqa: F401  (the fixture)

EG = "https://w3id.org/essgraph/def#"
DC = "http://purl.org/dc/terms/"
ILOE = "https://w3id.org/essgraph/id/initiative/iloe"
SELECT = f"SELECT ?d ?t WHERE {{ ?d a <{EG}Document> ; <{DC}title> ?t }} ORDER BY ?d"
ASK = f"ASK {{ ?d a <{EG}Document> }}"
CONSTRUCT = f"CONSTRUCT {{ ?d <{DC}title> ?t }} WHERE {{ ?d a <{EG}Document> ; <{DC}title> ?t }}"
DESCRIBE = f"DESCRIBE <{ILOE}>"
HTTP = httpx.Client(timeout=120.0)  # /data rewrites the dumps first when the graph changed (seconds)
QUERIES = {"select": SELECT, "ask": ASK, "construct": CONSTRUCT, "describe": DESCRIBE}
RESULT_FORMATS = {JSON, XML, CSV, TSV}
GRAPH_FORMATS = {JSON, XML, N3, TURTLE, RDF, RDFXML, JSONLD}
FITS = {
    "select": RESULT_FORMATS,
    "ask": RESULT_FORMATS,
    "construct": GRAPH_FORMATS,
    "describe": GRAPH_FORMATS,
}
EVERY_FORMAT = [JSON, XML, CSV, TSV, N3, TURTLE, RDF, RDFXML, JSONLD]
# media type → rdflib parser name
RDF_PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


def _media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def _rdf(response: httpx.Response) -> rdflib.Dataset:
    """The body of an RDF answer, parsed by the parser its media type names (a Dataset takes quads)."""
    data = rdflib.Dataset()
    data.parse(data=response.content, format=RDF_PARSERS[_media(response)])
    return data


@pytest.fixture(scope="module")
def expected(served: Served) -> dict[str, int]:
    """Row and triple counts read once through plain JSON / N-Triples, to compare every client with."""
    rows = HTTP.get(served.url + "/sparql", params={"query": SELECT}, headers={"Accept": "application/json"})
    triples = HTTP.get(
        served.url + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"}
    )
    described = HTTP.get(
        served.url + "/sparql", params={"query": DESCRIBE}, headers={"Accept": "application/n-triples"}
    )
    counts = {
        "select": len(rows.json()["results"]["bindings"]),
        "construct": len(rdflib.Graph().parse(data=triples.text, format="nt")),
        "describe": len(rdflib.Graph().parse(data=described.text, format="nt")),
    }
    assert all(counts.values()), counts
    return counts


def _graph_of(converted: Any) -> rdflib.Graph:
    """What SPARQLWrapper's convert() gave for a graph answer: an rdflib graph, or Turtle bytes."""
    if isinstance(converted, rdflib.Graph):
        return converted
    assert isinstance(converted, bytes), type(converted)
    return rdflib.Graph().parse(data=converted, format="turtle")


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", EVERY_FORMAT)
@pytest.mark.parametrize("form", list(QUERIES))
def test_sparqlwrapper_every_return_format(
    served: Served,
    expected: dict[str, int],
    form: str,
    fmt: str,
    method: str,
) -> None:
    wrapper = SPARQLWrapper(served.url + "/sparql")
    wrapper.setQuery(QUERIES[form])
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod(method)
    if fmt not in FITS[form]:
        # a results format for a graph (or the reverse): a clear 406 naming what fits, never a guess
        with pytest.raises(urllib.error.HTTPError) as refused:
            wrapper.query()
        assert refused.value.code == 406
        body = json.loads(refused.value.read())
        assert body["code"] == "unsupported_format" and body["details"]["formats"]
        assert "impossible pour cette requête" in body["message"] or "Aucun" in body["message"]
        return
    result = wrapper.query()
    converted = result.convert()
    if form == "select":
        if fmt == JSON:
            assert len(converted["results"]["bindings"]) == expected["select"]
        elif fmt == XML:
            assert len(converted.getElementsByTagName("result")) == expected["select"]
        else:
            dialect = "excel-tab" if fmt == TSV else "excel"
            table = list(csv.reader(io.StringIO(converted.decode("utf-8")), dialect=dialect))
            assert len(table) - 1 == expected["select"]
    elif form == "ask":
        if fmt == JSON:
            assert converted["boolean"] is True
        elif fmt == XML:
            assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
        else:
            assert b"true" in converted
    else:
        assert len(_graph_of(converted)) == expected[form]


def test_rdflib_sparqlstore_reads_the_endpoint(served: Served, expected: dict[str, int]) -> None:
    graph = rdflib.Graph(store=SPARQLStore(served.url + "/sparql"))
    assert len(list(graph.query(SELECT))) == expected["select"]
    assert graph.query(ASK).askAnswer is True
    assert len(graph.query(CONSTRUCT).graph) == expected["construct"]  # type: ignore[arg-type]
    labels = set(graph.objects(rdflib.URIRef(ILOE), rdflib.RDFS.label))
    assert rdflib.Literal("SCIC Iloe") in {rdflib.Literal(str(label)) for label in labels}
    assert len(graph) > 1000
    named = list(SPARQLStore(served.url + "/sparql").contexts())
    assert any(str(g).endswith("graph/ontology") for g in named)


@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore_every_results_format(
    served: Served,
    expected: dict[str, int],
    return_format: str,
    method: str,
) -> None:
    store = SPARQLStore(served.url + "/sparql", returnFormat=return_format, method=method)
    rows = list(rdflib.Graph(store=store).query(SELECT))
    assert len(rows) == expected["select"]
    assert all(str(row[0]).startswith("https://w3id.org/essgraph/id/doc/") for row in rows)  # type: ignore[index]


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_sparql_select_by_accept(served: Served, expected: dict[str, int], accept: str, media: str) -> None:
    response = HTTP.get(served.url + "/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200 and _media(response) == media
    if media == "application/sparql-results+json":
        assert len(response.json()["results"]["bindings"]) == expected["select"]
    else:
        assert response.text.count("/id/doc/") == expected["select"]


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("text/n3", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-quads", "application/n-quads"),
        ("application/trig", "application/trig"),
        ("*/*", "text/turtle"),
    ],
)
def test_sparql_construct_by_accept(
    served: Served, expected: dict[str, int], accept: str, media: str
) -> None:
    response = HTTP.get(served.url + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and _media(response) == media
    assert len(_rdf(response)) == expected["construct"]


def test_jsonld_is_compact_with_a_small_context(served: Served) -> None:
    for path, params in (
        ("/sparql", {"query": CONSTRUCT}),
        ("/id/initiative/iloe", {}),
        ("/def/Initiative", {}),
    ):
        response = HTTP.get(served.url + path, params=params, headers={"Accept": "application/ld+json"})
        document = response.json()
        context = document["@context"]
        assert 0 < len(context) <= 12, context
        assert all(value.startswith("http") for value in context.values())
        text = json.dumps(document)
        assert (
            "http://purl.org/dc/terms/title" not in text
            and "http://www.w3.org/2000/01/rdf-schema#label" not in text
        )


def test_accept_naming_a_type_wins_over_a_format_default(served: Served) -> None:
    # SPARQLWrapper always sends format=…: an API client's explicit Accept decides
    response = HTTP.get(
        served.url + "/sparql", params={"query": SELECT, "format": "xml"}, headers={"Accept": "text/csv"}
    )
    assert _media(response) == "text/csv"
    # a browser following a download link sends text/html: the format= of the link decides
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = HTTP.get(
        served.url + "/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": browser}
    )
    assert _media(response) == "text/csv"
    # a wildcard is no choice: format= decides
    response = HTTP.get(
        served.url + "/sparql", params={"query": CONSTRUCT, "format": "nq"}, headers={"Accept": "*/*"}
    )
    assert _media(response) == "application/n-quads"


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("ttl", "text/turtle"),
        ("turtle", "text/turtle"),
        ("n3", "text/turtle"),
        ("nt", "application/n-triples"),
        ("ntriples", "application/n-triples"),
        ("rdfxml", "application/rdf+xml"),
        ("rdf+xml", "application/rdf+xml"),
        ("xml", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
        ("json-ld", "application/ld+json"),
        ("nq", "application/n-quads"),
        ("trig", "application/trig"),
        ("application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_format_aliases_for_a_graph(served: Served, fmt: str, media: str) -> None:
    response = HTTP.get(served.url + "/sparql", params={"query": CONSTRUCT, "format": fmt})
    assert response.status_code == 200 and _media(response) == media


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/sparql-results+json"),
        ("srj", "application/sparql-results+json"),
        ("srx", "application/sparql-results+xml"),
        ("xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_format_aliases_for_results(served: Served, fmt: str, media: str) -> None:
    response = HTTP.get(served.url + "/sparql", params={"query": SELECT, "format": fmt})
    assert response.status_code == 200 and _media(response) == media


def test_csv_download_with_a_byte_order_mark_for_excel(served: Served) -> None:
    plain = HTTP.get(served.url + "/sparql", params={"query": SELECT, "format": "csv", "download": "1"})
    excel = HTTP.get(
        served.url + "/sparql", params={"query": SELECT, "format": "csv", "download": "1", "bom": "1"}
    )
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    assert excel.content == b"\xef\xbb\xbf" + plain.content
    assert int(excel.headers["content-length"]) == len(excel.content)
    assert "attachment" in excel.headers["content-disposition"]
    page = HTTP.get(served.url + "/sparql", params={"query": SELECT}, headers={"Accept": "text/html"})
    assert "CSV pour Excel" in page.text and "bom=1" in page.text


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        (path, accept)
        for path in ("/id/initiative/iloe", "/def", "/def/Initiative", "/def/legalForm", "/data")
        for accept in ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
    ],
)
def test_linked_data_routes_answer_each_rdf_accept(served: Served, path: str, accept: str) -> None:
    response = HTTP.get(served.url + path, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert _media(response) == accept and "Accept" in response.headers["vary"]
    assert len(_rdf(response)) > 3


@pytest.mark.parametrize("path", ["/id/initiative/iloe", "/def", "/def/Initiative", "/data"])
def test_linked_data_routes_give_browsers_a_french_page(served: Served, path: str) -> None:
    response = HTTP.get(served.url + path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200 and _media(response) == "text/html"
    assert '<html lang="fr">' in response.text


def test_ontology_terms_are_described(served: Served) -> None:
    term = rdflib.URIRef(EG + "Initiative")
    graph = _rdf(HTTP.get(served.url + "/def/Initiative", headers={"Accept": "text/turtle"}))
    assert (term, rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert {lit.language for lit in graph.objects(term, rdflib.RDFS.label)} >= {"fr"}
    whole = _rdf(HTTP.get(served.url + "/def", headers={"Accept": "text/turtle"}))
    classes = set(whole.subjects(rdflib.RDF.type, rdflib.OWL.Class))
    page = HTTP.get(served.url + "/def", headers={"Accept": "text/html"}).text
    local = [str(c)[len(EG) :] for c in classes if str(c).startswith(EG)]
    assert local and all(f'href="/def/{name}"' in page for name in local)
    missing = HTTP.get(served.url + "/def/PasUnTerme", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_a_description_has_no_quads_format(served: Served) -> None:
    response = HTTP.get(served.url + "/id/initiative/iloe", headers={"Accept": "application/n-quads"})
    assert response.status_code == 406 and "rdfxml" in response.json()["details"]["formats"]


@pytest.mark.parametrize(
    ("path", "params", "accept"),
    [
        ("/sparql", {"query": SELECT}, "text/csv"),
        ("/sparql", {"query": CONSTRUCT}, "text/turtle"),
        ("/id/initiative/iloe", {}, "text/turtle"),
        ("/id/initiative/iloe", {}, "text/html"),
        ("/def/Initiative", {}, "application/ld+json"),
        ("/data", {}, "text/turtle"),
        ("/data/initiatives.csv", {}, "*/*"),
        ("/", {}, "text/html"),
    ],
)
def test_head_is_the_get_without_its_body(
    served: Served, path: str, params: dict[str, str], accept: str
) -> None:
    get = HTTP.get(served.url + path, params=params, headers={"Accept": accept})
    head = HTTP.head(served.url + path, params=params, headers={"Accept": accept})
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.content)


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/sparql", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("/id/initiative/iloe", {"GET", "HEAD", "OPTIONS"}),
        ("/def", {"GET", "HEAD", "OPTIONS"}),
        ("/def/Initiative", {"GET", "HEAD", "OPTIONS"}),
        ("/data", {"GET", "HEAD", "OPTIONS"}),
        ("/data/essgraph.trig", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_options_lists_the_methods(served: Served, path: str, methods: set[str]) -> None:
    response = HTTP.options(served.url + path)
    assert response.status_code == 204 and response.content == b""
    assert {m.strip() for m in response.headers["allow"].split(",")} == methods


def test_options_and_head_on_an_unknown_path_are_404(served: Served) -> None:
    assert HTTP.options(served.url + "/nulle-part").status_code == 404
    assert HTTP.head(served.url + "/nulle-part").status_code == 404
