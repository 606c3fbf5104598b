"""Every bad parameter of every route answers the one documented 400 error shape (never FastAPI's 422).

The operations are walked from /openapi.json: each query parameter gets a value its schema refuses (a
word for a number, a value outside an enum or a bound, a string past its maximum length), required
ones are left out, JSON bodies are sent empty; the pages (not in the schema) are listed by hand.
An operation whose required body takes no JSON (POST /sparql: a form or a SPARQL body) and is sent none
answers 415 first, correct HTTP, in the same error shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from essgraph.app.web import create_app
from essgraph.core.settings import Settings
from essgraph.service.tokens import SCOPES, new_token, settings_entry
from tests.service.conftest import StaffTokens, assert_error, bearer, copy_home, make_settings

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def walker(
    samples_home: Settings, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Iterator[tuple[TestClient, str]]:
    """A client on a copy of the sample-corpus home and a token carrying every scope (so that a bad
    parameter, not the authentication, is what a staff route refuses)."""
    home = copy_home(samples_home.home, tmp_path_factory.mktemp("bad-parameters") / "home")
    token = new_token()
    settings = make_settings(home, staff_tokens)
    settings = make_settings(
        home, staff_tokens, staff_tokens=[*settings.staff_tokens, settings_entry("all", list(SCOPES), token)]
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, token


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a parameter without its `anyOf [T, null]` wrapping."""
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return {**schema, **option}
    return schema


def bad_value(schema: dict[str, Any]) -> str | None:
    """A value the parameter's schema refuses, or None when its schema refuses nothing we can write."""
    schema = _plain(schema)
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return "pas-un-nombre"
    if kind == "boolean":
        return "peut-etre"
    if kind == "string" and "enum" in schema:
        return "valeur-inconnue"
    if kind == "string" and "maxLength" in schema:
        return "x" * (int(schema["maxLength"]) + 1)
    return None


def _cases(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, str], bool, int]]:
    """(method, path, query, empty JSON body, expected status) requests that each carry one bad
    parameter. The status is 400, or 415 when the operation requires a body that takes no JSON: the
    walk sends none, and a missing body of the right content type is refused before any parameter."""
    cases: list[tuple[str, str, dict[str, str], bool, int]] = []
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            params = operation.get("parameters", [])
            path = template
            for param in params:
                if param["in"] == "path":
                    path = path.replace("{" + param["name"] + "}", "abc")
            request_body = operation.get("requestBody", {})
            body = request_body.get("content", {})
            status = 415 if request_body.get("required") and body and "application/json" not in body else 400
            query = [p for p in params if p["in"] == "query"]
            for param in query:
                value = bad_value(param.get("schema", {}))
                if value is not None:
                    cases.append((method, path, {param["name"]: value}, False, status))
            if any(p.get("required") for p in query):
                cases.append((method, path, {}, False, status))
            if "application/json" in body:
                cases.append((method, path, {}, True, 400))
    return cases


def test_every_bad_parameter_of_the_api_answers_the_one_400_shape(walker: tuple[TestClient, str]) -> None:
    client, token = walker
    schema = client.get("/openapi.json").json()
    cases = _cases(schema)
    assert len(cases) >= 20, cases  # the walk found the API's parameters
    walked = set()
    for method, path, query, empty_body, status in cases:
        kwargs: dict[str, Any] = {"params": query, "headers": {**bearer(token), "Accept": "application/json"}}
        if empty_body:
            kwargs["json"] = {}
        response = client.request(method.upper(), path, **kwargs)
        # a required non-JSON body sent absent: the route may refuse the content type (415) or the
        # parameter (400) first; either way the one error shape
        expected = response.status_code if status == 415 and response.status_code in (400, 415) else status
        body = assert_error(response, expected, "bad_input" if expected == 400 else "unsupported_media_type")
        assert body["message_en"], (method, path, query)
        walked.add(path)
    assert {"/api/search", "/api/entities", "/api/splits", "/sparql"} <= walked
    assert any(case[-1] == 415 for case in cases)  # POST /sparql, sent no form nor SPARQL body


def test_the_schema_documents_the_400_not_fastapi_422(walker: tuple[TestClient, str]) -> None:
    client, _ = walker
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in str(schema)
    search = schema["paths"]["/api/search"]["get"]["responses"]
    assert "422" not in search and search["400"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorResponse"
    )


OVER_QUERY_LIMIT = "<one character over the setting max_query_chars>"
"""Stands for a question one character longer than the service's `max_query_chars`: the value is sized
on the setting (a GET carries it; a fixed 100 001 characters would break the HTTP client's URL limit
before reaching the app)."""


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/", {"q": "scic", "offset": "-1"}),
        ("/", {"q": "scic", "offset": "beaucoup"}),
        ("/", {"q": OVER_QUERY_LIMIT}),
        ("/api/search", {"q": OVER_QUERY_LIMIT}),
        ("/carte", {"departement": "12345"}),
        ("/comme-la-mienne", {"collectivite": "x" * 2049}),
        ("/api/search", {"q": ""}),
        ("/api/search", {"q": "scic", "k": "0"}),
    ],
)
def test_pages_and_search_refuse_bad_parameters_with_the_same_400(
    walker: tuple[TestClient, str], path: str, query: dict[str, str]
) -> None:
    client, _ = walker
    limit = client.app.state.service.settings.max_query_chars  # type: ignore[attr-defined]
    query = {key: "x" * (limit + 1) if value == OVER_QUERY_LIMIT else value for key, value in query.items()}
    refused = assert_error(
        client.get(path, params=query, headers={"Accept": "application/json"}), 400, "bad_input"
    )
    if len(query.get("q", "")) > limit:
        assert refused["details"]["parameter"] == "q" and refused["details"]["limit"] == limit
    asked_html = client.get(path, params=query, headers={"Accept": "text/html"})
    if path.startswith("/api/"):
        # the API answers JSON whatever the Accept header: the same documented 400 shape
        assert asked_html.headers["content-type"].startswith("application/json")
        assert_error(asked_html, 400, "bad_input")
        return
    # a browser gets a French page carrying the same message (the error page, or the search page with
    # its box kept)
    assert asked_html.status_code == 400 and asked_html.headers["content-type"].startswith("text/html")
    assert str(escape(refused["message"])) in asked_html.text


def test_the_walk_reads_schemas_it_is_given() -> None:
    assert bad_value({"type": "integer", "minimum": 1}) == "pas-un-nombre"
    assert bad_value({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]}) == "xxxx"
    assert bad_value({"type": "string", "enum": ["a"]}) == "valeur-inconnue"
    assert bad_value({"type": "string"}) is None
