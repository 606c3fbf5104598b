"""Security headers on every response; tokens never written to the access log."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from essgraph.service.headers import RedactSecrets, redact


@pytest.mark.parametrize("path", ["/", "/sparql", "/health", "/api/search?q=scic", "/nulle-part", "/docs"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    if not path.startswith("/docs"):
        assert "'unsafe-inline'" not in policy


def test_a_token_in_the_query_string_is_redacted_in_the_access_log(client: TestClient) -> None:
    assert any(isinstance(f, RedactSecrets) for f in logging.getLogger("uvicorn.access").filters)
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/links?token=s3cr3t-value&x=1", "1.1", 401),
        None,
    )
    RedactSecrets().filter(record)
    line = record.getMessage()
    assert "s3cr3t-value" not in line and "token=***" in line and "x=1" in line


def test_redact_leaves_ordinary_urls_alone() -> None:
    assert redact("/api/search?q=monkey&keyword=x") == "/api/search?q=monkey&keyword=x"
    assert redact("/x?Authorization=Bearer%20abc") == "/x?Authorization=***"
