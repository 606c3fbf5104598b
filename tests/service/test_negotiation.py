"""Content negotiation over real HTTP: each Accept media type and format= alias of /sparql and /id/…; 406s."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from essgraph.service.negotiation import FORMAT_ALIASES, format_name, named_explicitly, negotiate, pick_format
from essgraph.service.routers.entities import RDF_OUT
from essgraph.service.routers.sparql import _GRAPH_ACCEPT, _SELECT_ACCEPT, GRAPH_OUT, SELECT_OUT
from tests.service.conftest import assert_error

EG = "https://w3id.org/essgraph/def#"
DC = "http://purl.org/dc/terms/"
SELECT = f"SELECT ?d ?t WHERE {{ ?d a <{EG}Document> ; <{DC}title> ?t }} ORDER BY ?d"
ASK = f"ASK {{ ?d a <{EG}Document> }}"
CONSTRUCT = f"CONSTRUCT {{ ?d <{DC}title> ?t }} WHERE {{ ?d a <{EG}Document> ; <{DC}title> ?t }}"
DOCUMENTS = 6  # the shipped corpus of the service fixtures
RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def _select_rows(body: bytes, name: str) -> int:
    """Rows of a SELECT answer, read back by a parser of its format."""
    if name == "csv":
        return len(list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))) - 1
    return len(list(ox.parse_query_results(body, format=RESULTS[name])))  # type: ignore[arg-type]


def _media(response: object) -> str:
    return response.headers["content-type"].split(";")[0].strip()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("accept", "name"), _SELECT_ACCEPT)
def test_select_answers_each_accepted_media_type(client: TestClient, accept: str, name: str) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert _media(response) == SELECT_OUT[name][1]
    assert _select_rows(response.content, name) == DOCUMENTS == int(response.headers["X-Essgraph-Rows"])


@pytest.mark.parametrize(("accept", "name"), _GRAPH_ACCEPT)
def test_construct_answers_each_accepted_media_type(client: TestClient, accept: str, name: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert _media(response) == GRAPH_OUT[name][1]
    assert len(list(ox.parse(response.content, format=RDF[name]))) == DOCUMENTS


@pytest.mark.parametrize("name", [*SELECT_OUT, *(a for a, n in FORMAT_ALIASES.items() if n in SELECT_OUT)])
def test_select_format_names_and_aliases(client: TestClient, name: str) -> None:
    canonical = FORMAT_ALIASES.get(name, name)
    for spelling in (name, name.upper()):
        response = client.get("/sparql", params={"query": SELECT, "format": spelling})
        assert response.status_code == 200, response.text
        assert _media(response) == SELECT_OUT[canonical][1]
        assert _select_rows(response.content, canonical) == DOCUMENTS


@pytest.mark.parametrize(
    "name", [*GRAPH_OUT, "json", "xml", *(a for a, n in FORMAT_ALIASES.items() if n in GRAPH_OUT)]
)
def test_construct_format_names_and_aliases(client: TestClient, name: str) -> None:
    canonical = format_name(name, list(GRAPH_OUT), {"json": "jsonld", "xml": "rdfxml"})
    assert canonical is not None
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": name})
    assert response.status_code == 200, response.text
    assert _media(response) == GRAPH_OUT[canonical][1]
    assert len(list(ox.parse(response.content, format=RDF[canonical]))) == DOCUMENTS


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+xml;q=0.2, text/csv;q=0.6", "text/csv"),
        ("application/*;q=0.2, text/tab-separated-values;q=0.3", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "application/sparql-results+xml"),  # text/xml is the first text type the server offers
        ("TEXT/Tab-Separated-Values", "text/tab-separated-values"),
        ("image/png, */*;q=0.1", "application/sparql-results+json"),
        ("text/csv;q=0, */*;q=0.5", "application/sparql-results+json"),
        ("application/sparql-results+json; charset=utf-8", "application/sparql-results+json"),
    ],
)
def test_accept_quality_wildcards_and_case(client: TestClient, accept: str, media: str) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert _media(response) == media


def test_ask_follows_accept(client: TestClient) -> None:
    xml = client.get("/sparql", params={"query": ASK}, headers={"Accept": "application/sparql-results+xml"})
    assert bool(ox.parse_query_results(xml.content, format=ox.QueryResultsFormat.XML)) is True
    assert client.get("/sparql", params={"query": ASK}, headers={"Accept": "*/*"}).json()["boolean"] is True


def test_accept_naming_a_type_wins_over_format_and_a_wildcard_does_not(client: TestClient) -> None:
    # an API client's explicit Accept is a choice; a format= may be a client library's default
    response = client.get(
        "/sparql", params={"query": SELECT, "format": "srx"}, headers={"Accept": "text/csv"}
    )
    assert _media(response) == "text/csv"
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": "nq"}, headers={"Accept": "*/*"})
    assert _media(response) == "application/n-quads"
    # a browser (Accept names text/html) follows the format= of a download link
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": browser})
    assert _media(response) == "text/tab-separated-values"


@pytest.mark.parametrize(
    "accept",
    [
        "image/png",
        "application/sparql-results+json;q=0, text/*;q=0, application/*;q=0",
        "text/turtle",  # a graph type for a SELECT
        "ceci-n-est-pas-un-type",  # unreadable: no guess
        "text/csv/extra",
    ],
)
def test_unacceptable_accept_is_406_in_the_error_shape(client: TestClient, accept: str) -> None:
    body = assert_error(
        client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept}), 406, "unsupported_format"
    )
    assert set(body["details"]["formats"]) == set(SELECT_OUT)


def test_unknown_format_name_is_406(client: TestClient) -> None:
    assert_error(client.get("/sparql", params={"query": SELECT, "format": "yaml"}), 406, "unsupported_format")
    assert_error(
        client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"}), 406, "unsupported_format"
    )
    graph = client.get(
        "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert_error(graph, 406, "unsupported_format")


@pytest.mark.parametrize(
    ("accept", "name"),
    [
        ("text/turtle", "ttl"),
        ("application/x-turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/json", "jsonld"),
        ("application/n-triples", "nt"),
        ("application/n-triples;q=0.9, text/turtle;q=0.8", "nt"),
    ],
)
def test_entity_answers_each_accepted_rdf_type(client: TestClient, accept: str, name: str) -> None:
    response = client.get("/id/initiative/iloe", headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert _media(response) == RDF_OUT[name][1].split(";")[0]
    format_of = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}
    assert list(ox.parse(response.content, format=format_of[name]))


@pytest.mark.parametrize(("fmt", "media"), [("turtle", "text/turtle"), ("json-ld", "application/ld+json")])
def test_entity_format_alias(client: TestClient, fmt: str, media: str) -> None:
    response = client.get("/id/initiative/iloe", params={"format": fmt}, headers={"Accept": "text/html"})
    assert _media(response) == media


def test_entity_unacceptable_accept_is_406(client: TestClient) -> None:
    assert_error(
        client.get("/id/initiative/iloe", headers={"Accept": "image/png"}), 406, "unsupported_format"
    )
    assert_error(client.get("/id/initiative/iloe", headers={"Accept": "n/importe/quoi"}), 406)


def test_pick_format_rules() -> None:
    pairs = [("text/turtle", "ttl"), ("application/n-triples", "nt"), ("application/rdf+xml", "rdfxml")]
    fallbacks = {"xml": "rdfxml"}
    assert pick_format([], None, pairs) == "ttl"
    assert pick_format(["nt"], "text/turtle", pairs) == "ttl"  # Accept names a type: it wins
    assert pick_format(["nt"], "*/*", pairs) == "nt"  # a wildcard is no choice
    assert pick_format(["nt"], "text/*", pairs) == "nt"
    assert pick_format(["xml"], None, pairs, fallbacks) == "rdfxml"
    assert pick_format(["application/rdf+xml;q=1"], None, pairs) == "rdfxml"  # a media type as format=
    assert pick_format(["csv"], "*/*", pairs) is None  # a format= that fits nothing is refused
    assert pick_format(["yaml", "nt"], None, pairs) == "nt"  # the first value that fits
    assert pick_format([], "text/turtle;q=0, */*", pairs) == "nt"
    assert pick_format([], "image/png", pairs) is None
    assert pick_format(["nt"], "text/html, text/turtle", pairs, allow_html=True) == "nt"
    assert pick_format([], "text/html, text/turtle;q=0.5", pairs, allow_html=True) == "html"
    assert pick_format(["html"], "application/n-triples", pairs, allow_html=True) == "nt"


def test_named_explicitly_ignores_wildcards_and_zero_quality() -> None:
    offered = ["text/csv", "application/json"]
    assert named_explicitly("*/*", offered) is None
    assert named_explicitly("text/*, application/json;q=0", offered) is None
    assert named_explicitly("text/csv;q=0.4, application/json;q=0.9", offered) == "application/json"
    assert named_explicitly("TEXT/CSV", offered) == "text/csv"
    assert named_explicitly("nonsense", offered) is None


def test_negotiate_keeps_the_servers_order_among_equals() -> None:
    offered = ["application/json", "text/html", "text/csv"]
    assert (
        negotiate(None, offered) == negotiate("", offered) == negotiate("*/*", offered) == "application/json"
    )
    assert negotiate("text/*", offered) == "text/html"
    assert negotiate("text/*;q=0.4, text/csv", offered) == "text/csv"
    assert negotiate("text/csv;q=0.4, text/*;q=0.5", offered) == "text/html"
    assert negotiate("application/xml", offered) is None
    assert negotiate("*/*", []) is None


def test_json_errors_for_api_clients_html_for_browsers(client: TestClient) -> None:
    page = client.get("/sparql", params={"query": SELECT, "format": "yaml"}, headers={"Accept": "text/html"})
    assert page.status_code == 406 and "<html" in page.text.lower()
    api = client.get("/sparql", params={"query": SELECT, "format": "yaml"}, headers={"Accept": "*/*"})
    assert api.status_code == 406 and json.loads(api.text)["status"] == 406
