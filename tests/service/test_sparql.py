"""The SPARQL 1.1 Protocol endpoint: formats, POST forms, staff updates, limits, SERVICE refusal."""

from __future__ import annotations

import csv
import io
import json
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from essgraph.app.web import create_app
from essgraph.service.routers.sparql import choose_format, query_form
from tests.conftest import pending_connections
from tests.service.conftest import StaffTokens, assert_error, bearer, copy_home, make_settings

COUNT_DOCS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://w3id.org/essgraph/def#Document> }"
INITIATIVES = (
    "SELECT ?i ?label WHERE { ?i a <https://w3id.org/essgraph/def#Initiative> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?i LIMIT 5"
)
CONSTRUCT = (
    "CONSTRUCT { ?d <http://purl.org/dc/terms/title> ?t } WHERE { "
    "?d a <https://w3id.org/essgraph/def#Document> ; <http://purl.org/dc/terms/title> ?t }"
)


def test_select_json_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COUNT_DOCS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    data = response.json()
    assert int(data["results"]["bindings"][0]["n"]["value"]) == 6


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(client: TestClient, accept: str, media: str) -> None:
    response = client.get("/sparql", params={"query": INITIATIVES}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    text = response.text
    if media.endswith("xml"):
        root = ET.fromstring(text)
        results = root.findall(".//{http://www.w3.org/2005/sparql-results#}result")
        assert len(results) == 5
    elif media == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["i", "label"] and len(rows) == 6
    elif media == "text/tab-separated-values":
        lines = text.strip().split("\n")
        assert lines[0] == "?i\t?label" and len(lines) == 6
    else:
        assert len(response.json()["results"]["bindings"]) == 5


@pytest.mark.parametrize(
    ("fmt", "media"),
    [("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json")],
)
def test_construct_formats(client: TestClient, fmt: str, media: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=response.text, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert len(graph) == 6


def test_construct_turtle_by_accept(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_unavailable_format_is_406(client: TestClient) -> None:
    assert_error(
        client.get("/sparql", params={"query": COUNT_DOCS, "format": "ttl"}), 406, "unsupported_format"
    )
    response = client.get("/sparql", params={"query": COUNT_DOCS}, headers={"Accept": "image/png"})
    assert_error(response, 406)


def test_post_form_and_direct_body(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": COUNT_DOCS})
    direct = client.post("/sparql", content=COUNT_DOCS, headers={"Content-Type": "application/sparql-query"})
    assert form.status_code == direct.status_code == 200
    assert form.json() == direct.json()


def test_post_with_other_content_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content=COUNT_DOCS, headers={"Content-Type": "text/plain"})
    assert_error(response, 415, "unsupported_media_type")


def test_syntax_error_is_400(client: TestClient) -> None:
    assert_error(client.get("/sparql", params={"query": "SELECT WHERE {"}), 400, "sparql_syntax")


def test_row_cap_is_applied_and_said(client: TestClient) -> None:
    limit = client.app.state.settings.max_rows  # type: ignore[attr-defined]
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["X-Essgraph-Truncated"] == "true"
    data = response.json()
    assert data["truncated"] is True
    assert len(data["results"]["bindings"]) == limit


UPDATE = (
    "INSERT DATA { GRAPH <https://w3id.org/essgraph/id/graph/tests> { "
    '<https://w3id.org/essgraph/id/test/x> <http://www.w3.org/2000/01/rdf-schema#label> "inséré par test" } }'
)


def test_update_needs_a_token(client: TestClient, staff_tokens: StaffTokens) -> None:
    assert_error(client.post("/sparql", data={"update": UPDATE}), 401, "unauthorized")
    response = client.post(
        "/sparql",
        content=UPDATE,
        headers={"Content-Type": "application/sparql-update", **bearer("not-a-token")},
    )
    assert_error(response, 401, "unauthorized")
    response = client.post("/sparql", data={"update": UPDATE}, headers=bearer(staff_tokens.curator))
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize(
    "update",
    [
        "CLEAR GRAPH <https://w3id.org/essgraph/id/graph/tests>",
        "DROP SILENT GRAPH <https://w3id.org/essgraph/id/graph/tests>",
        "LOAD <http://127.0.0.1:9/nothing.ttl>",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_destructive_updates_need_a_token(client: TestClient, update: str) -> None:
    response = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    assert_error(response, 401)
    still = client.get("/sparql", params={"query": COUNT_DOCS}).json()
    assert int(still["results"]["bindings"][0]["n"]["value"]) == 6


def test_update_with_write_scope_is_applied(client: TestClient, staff_tokens: StaffTokens) -> None:
    response = client.post("/sparql", data={"update": UPDATE}, headers=bearer(staff_tokens.writer))
    assert response.status_code == 204, response.text
    ask = 'ASK { <https://w3id.org/essgraph/id/test/x> ?p "inséré par test" }'
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
    drop = "DROP GRAPH <https://w3id.org/essgraph/id/graph/tests>"
    assert (
        client.post("/sparql", data={"update": drop}, headers=bearer(staff_tokens.writer)).status_code == 204
    )
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False


def test_update_is_refused_in_a_get(client: TestClient) -> None:
    assert_error(client.get("/sparql", params={"update": UPDATE}), 400)
    assert_error(client.get("/sparql", params={"query": UPDATE, "format": "json"}), 400)


def test_service_to_unlisted_host_is_refused_before_any_connection(
    client: TestClient, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    body = assert_error(client.get("/sparql", params={"query": query}), 400, "bad_input")
    assert "SERVICE" in body["message"]
    assert pending_connections(listener) == 0


def test_load_from_unlisted_host_is_refused_even_for_staff(
    client: TestClient, listener: socket.socket, staff_tokens: StaffTokens
) -> None:
    port = listener.getsockname()[1]
    update = f"LOAD <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <https://w3id.org/essgraph/id/graph/tests>"
    response = client.post("/sparql", data={"update": update}, headers=bearer(staff_tokens.writer))
    body = assert_error(response, 400, "bad_input")
    assert "LOAD" in body["message"]
    assert pending_connections(listener) == 0


def test_cartesian_product_is_cut_at_the_time_limit_and_service_goes_on(client: TestClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    body = assert_error(client.get("/sparql", params={"query": query}), 503, "query_timeout")
    assert "s" in body["message"]
    after = client.get("/sparql", params={"query": COUNT_DOCS})
    assert after.status_code == 200
    search = client.get("/api/search", params={"q": "coopérative"})
    assert search.status_code == 200 and search.json()["hits"]


def test_researchers_page_for_browsers_without_a_query(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert "<textarea" in response.text and "Interroger le graphe" in response.text


def test_page_runs_a_query_into_a_table_with_download_links(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": INITIATIVES, "format": "html"})
    assert response.status_code == 200
    assert response.text.count("<tr>") == 6
    for fmt in ("json", "xml", "csv", "tsv"):
        assert f"format={fmt}" in response.text


def test_download_link_serves_an_attachment(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": INITIATIVES, "format": "csv", "download": "1"})
    assert response.headers["content-disposition"] == 'attachment; filename="resultats.csv"'


def test_query_form_detection_ignores_iris_strings_and_comments() -> None:
    assert query_form("PREFIX x: <http://ex/SELECT#> # CONSTRUCT\nASK { ?s ?p 'SELECT' }") == "ask"
    assert query_form("DESCRIBE <http://ex/a>") == "graph"
    assert query_form("select * where { ?s ?p ?o }") == "select"


def test_choose_format_prefers_accept_quality() -> None:
    assert choose_format("select", None, "text/csv;q=0.5, application/sparql-results+xml", False) == "xml"
    assert choose_format("graph", "json", None, False) == "jsonld"
    assert choose_format("select", None, "text/html,*/*;q=0.8", True) == "html"
    assert json.dumps(choose_format("select", None, None, False)) == '"json"'


def test_staff_update_that_drops_a_document_also_removes_it_from_search(
    built_home: Path, tmp_path: Path, staff_tokens: StaffTokens
) -> None:
    settings = make_settings(copy_home(built_home, tmp_path / "home"), staff_tokens)
    graph = f"{settings.base_iri}graph/doc/rtes-fiches-action-2022"
    with TestClient(create_app(settings), raise_server_exceptions=False) as own:
        hits = own.get("/api/search", params={"q": "fiche action", "k": 50}).json()["hits"]
        assert any(h["document"] == "rtes-fiches-action-2022.txt" for h in hits)
        dropped = own.post(
            "/sparql", data={"update": f"DROP GRAPH <{graph}>"}, headers=bearer(staff_tokens.writer)
        )
        assert dropped.status_code == 204, dropped.text
        hits = own.get("/api/search", params={"q": "fiche action", "k": 50}).json()["hits"]
        assert all(h["document"] != "rtes-fiches-action-2022.txt" for h in hits)
