"""The one error format: every failure answers {status, code, message, message_en, details?}."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.conftest import assert_error


def test_error_shape_is_pinned_for_an_essgraph_error(client: TestClient) -> None:
    body = assert_error(client.get("/api/search", params={"q": "x" * 5000}), 400, "bad_input")
    assert set(body) == {"status", "code", "message", "message_en", "details"}
    assert body["details"] == {"parameter": "q", "limit": 1000}  # the bad parameter is named
    assert "caractères" in str(body["message"])
    assert "characters" in str(body["message_en"])


def test_unknown_route_is_a_json_404(client: TestClient) -> None:
    assert_error(client.get("/api/nothing-here"), 404, "not_found")


def test_wrong_method_is_a_json_405(client: TestClient) -> None:
    assert_error(client.put("/api/search"), 405, "method_not_allowed")


def test_validation_error_names_the_field(client: TestClient) -> None:
    body = assert_error(client.get("/api/search", params={"q": "scic", "k": "beaucoup"}), 400, "bad_input")
    assert "k" in str(body["message"])
    details = body["details"]
    assert isinstance(details, dict) and details["errors"][0]["location"][-1] == "k"


def test_missing_query_parameter(client: TestClient) -> None:
    assert_error(client.get("/api/search"), 400, "bad_input")


def test_browser_gets_a_french_error_page(client: TestClient) -> None:
    response = client.get("/id/initiative/n-existe-pas", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page introuvable" in response.text
    assert "n-existe-pas" in response.text


def test_api_paths_answer_json_even_to_browsers(client: TestClient) -> None:
    response = client.get("/api/nothing-here", headers={"Accept": "text/html"})
    assert_error(response, 404, "not_found")


def test_body_over_the_limit_is_413_with_the_uniform_error(client: TestClient) -> None:
    limit = client.app.state.settings.max_upload_bytes  # type: ignore[attr-defined]
    response = client.post(
        "/sparql",
        content=b"x" * (limit + 1),
        headers={"Content-Type": "application/sparql-query"},
    )
    body = assert_error(response, 413, "payload_too_large")
    assert body["details"] == {"limit_bytes": limit}


def test_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    limit = client.app.state.settings.max_upload_bytes  # type: ignore[attr-defined]

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(limit // 4096 + 2):
            yield b"#" * 4096

    response = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert_error(response, 413, "payload_too_large")
