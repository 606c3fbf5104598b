"""Security headers on every response (500s and the API explorer pages included); secrets never logged."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from essgraph.core.settings import Settings
from essgraph.service.headers import RedactSecrets, redact
from tests.service.conftest import StaffTokens, copy_home, make_settings
from tests.service.server import running_server


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


def _directive(policy: str, name: str) -> str:
    """One directive of a Content-Security-Policy (empty when absent)."""
    for part in policy.split(";"):
        if part.strip().startswith(name + " "):
            return part.strip()
    return ""


@pytest.mark.parametrize("path", ["/docs"])
def test_api_explorer_pages_allow_their_inline_scripts_by_hash_only(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    scripts = _directive(response.headers["Content-Security-Policy"], "script-src")
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    inline = re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.content, re.DOTALL)
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        assert f"'sha256-{digest}'" in scripts.split()
    assert len(scripts.split()) == 2 + len(inline)  # script-src 'self' and the hashes, nothing else


@pytest.mark.parametrize("path", ["/docs"])
def test_api_pages_load_everything_from_the_service_itself(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "https:" not in policy and "http:" not in policy  # no CDN, no web font host
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(r"url: '([^']+)'", page.text)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing from another host
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source


@pytest.fixture(scope="module")
def failing_client(
    samples_home: Settings, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Iterator[TestClient]:
    """The real app on a copy of the sample home, with one extra route that fails unexpectedly."""
    from essgraph.app.web import create_app

    home = copy_home(samples_home.home, tmp_path_factory.mktemp("headers-500") / "home")
    app = create_app(make_settings(home, staff_tokens))

    def broken() -> None:
        raise RuntimeError("panne volontaire du test")

    app.add_api_route("/essai-panne", broken)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_server_error_carries_the_security_headers(failing_client: TestClient, accept: str) -> None:
    response = failing_client.get("/essai-panne", headers={"Accept": accept})
    assert response.status_code == 500
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


SECRETS = {
    "/api/links?initiative=x&token=SECRET-PLAIN": "SECRET-PLAIN",
    "/api/links?access%5Ftoken=SECRET-ENCODED": "SECRET-ENCODED",
    "/health?Refresh-Token=SECRET-DASHED": "SECRET-DASHED",
    "/api/search?q=scic&api-key=SECRET-KEY": "SECRET-KEY",
    "/api/search?q=scic&client_secret=SECRET-CLIENT#x": "SECRET-CLIENT",
}


def test_secrets_in_query_strings_never_reach_the_access_log(
    samples_home: Settings,
    tmp_path: Path,
    staff_tokens: StaffTokens,
    caplog: pytest.LogCaptureFixture,
) -> None:
    home = copy_home(samples_home.home, tmp_path / "home")
    with (
        caplog.at_level(logging.INFO, logger="uvicorn.access"),
        running_server(make_settings(home, staff_tokens)) as url,
    ):
        for path in SECRETS:
            httpx.get(url + path, timeout=60)
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    for path in SECRETS:
        logged = [line for line in lines if path.split("?")[0] in line and "***" in line]
        assert logged, (path, lines)
    assert not [line for line in lines if any(secret in line for secret in SECRETS.values())], lines
    assert any("q=scic&" in line for line in lines)  # ordinary parameters stay readable
