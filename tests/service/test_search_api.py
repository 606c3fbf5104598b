"""GET /api/search on the real corpus: cited hits, facets, filters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.conftest import assert_error


def test_search_returns_cited_hits_and_facets(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "entrer au capital d'une SCIC", "k": 5})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"hits", "facets"}
    assert 1 <= len(data["hits"]) <= 5
    hit = data["hits"][0]
    for key in (
        "document",
        "start_line",
        "end_line",
        "char_start",
        "char_end",
        "section",
        "text",
        "highlight",
    ):
        assert key in hit
    assert hit["start_line"] <= hit["end_line"]
    assert " — l. " in hit["citation"]
    assert any(h["document"] == "rtes-kit-municipaless-2020.txt" for h in data["hits"])
    kit = next(h for h in data["hits"] if h["document"] == "rtes-kit-municipaless-2020.txt")
    assert kit["citation"].startswith("Kit MunicipalESS, fiche n°")
    assert "<mark>" in kit["highlight"]
    assert data["facets"]["document"]


def test_filter_narrows_to_one_document(client: TestClient) -> None:
    response = client.get(
        "/api/search", params={"q": "coopération", "document": "rtes-rapport-activite-2023.txt", "k": 10}
    )
    hits = response.json()["hits"]
    assert hits and {h["document"] for h in hits} == {"rtes-rapport-activite-2023.txt"}


def test_bad_mode_and_k(client: TestClient) -> None:
    assert_error(client.get("/api/search", params={"q": "scic", "mode": "magie"}), 400, "bad_input")
    assert_error(client.get("/api/search", params={"q": "scic", "k": 0}), 422, "validation_error")
    assert_error(client.get("/api/search", params={"q": "scic", "k": 100000}), 400, "bad_input")


def test_health(client: TestClient) -> None:
    data = client.get("/health").json()
    assert data["status"] == "ok" and data["documents"] == 6 and data["passages"] > 500 and data["quads"] > 0


def test_openapi_documents_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/sparql", "/id/{path}", "/api/entities", "/api/concepts", "/api/documents"):
        assert path in spec["paths"]
    assert "/api/links/suggestions" in spec["paths"]
