"""Service fixtures: a real home built once from ../shared/corpus by the ingest pipeline, copied per use."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from essgraph.app.web import create_app
from essgraph.core.settings import Settings
from essgraph.service.auth import new_token, settings_entry

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
SPLIT_DOCS = REPO / "tests" / "data" / "splits"
"""Two short documents written for the split tests (never corpus text): a SCIC « Les Jardins du Val » in
Besançon and a homonymous association « Les Jardins du Val » in Dijon, which the extractor resolves to
one entity — the conflation a staff split (« Scinder l'entité ») undoes."""
SCRIPT_MARKER = "essgraph-xss-probe"
# A document written for the tests (never corpus text): its passage holds markup that must stay text.
HOSTILE_TEXT = (
    "Note de test pour l'échappement\n\n"
    f"Ce passage contient <script>alert('{SCRIPT_MARKER}')</script> et <b>du balisage</b> "
    "qui doit s'afficher comme du texte brut dans les pages, jamais comme du code exécuté.\n"
)


@dataclass(frozen=True)
class StaffTokens:
    """Clear tokens for the test settings (only their hashes go into the settings)."""

    writer: str
    curator: str
    uploader: str


def make_settings(home: Path, tokens: StaffTokens, **overrides: object) -> Settings:
    """Settings for a service under test: small limits so the limits can be exercised."""
    values: dict[str, object] = {
        "home": home,
        "query_timeout_s": 3.0,
        "max_rows": 200,
        "max_upload_bytes": 256 * 1024,
        "staff_tokens": [
            settings_entry("redaction", ["write"], tokens.writer),
            settings_entry("curatrice", ["curate"], tokens.curator),
            settings_entry("depot", ["upload"], tokens.uploader),
        ],
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def staff_tokens() -> StaffTokens:
    """Fresh random staff tokens for this test session."""
    return StaffTokens(writer=new_token(), curator=new_token(), uploader=new_token())


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A home built by the real ingest pipeline from ../shared/corpus plus one hostile test document.

    The embedding cache is kept in pytest's cache folder between runs (content-hash keyed), so only
    the first run pays for encoding.
    """
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus absent")
    from essgraph.app.pipeline import ingest_paths

    home = tmp_path_factory.mktemp("service-template") / "home"
    extra = tmp_path_factory.mktemp("service-extra")
    (extra / "note-echappement.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    kept_cache = Path(request.config.cache.mkdir("essgraph-embedding-cache"))
    settings = Settings(home=home)  # type: ignore[call-arg]
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    if (kept_cache / "embeddings.sqlite").exists():
        _sqlite_copy(kept_cache / "embeddings.sqlite", settings.cache_dir / "embeddings.sqlite")
    summary = ingest_paths([CORPUS, extra], settings, progress=False)
    assert not summary.errors, summary.errors
    assert summary.documents == 6
    _sqlite_copy(settings.cache_dir / "embeddings.sqlite", kept_cache / "embeddings.sqlite")
    return home


@pytest.fixture(scope="session")
def split_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small home built by the real ingest pipeline from the two documents of SPLIT_DOCS (built once;
    tests copy it with `copy_home`)."""
    from essgraph.app.pipeline import ingest_paths

    home = tmp_path_factory.mktemp("split-template") / "home"
    summary = ingest_paths(sorted(SPLIT_DOCS.glob("*.md")), Settings(home=home), progress=False)  # type: ignore[call-arg]
    assert not summary.errors, summary.errors
    assert summary.documents == 2
    return home


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy an SQLite database consistently (write-ahead log included) with the backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def copy_home(template: Path, target: Path) -> Path:
    """A private copy of a built home (the store folder must not be open while copying)."""
    shutil.copytree(template, target)
    return target


@pytest.fixture(scope="session")
def api_settings(
    built_home: Path, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Settings:
    """Settings on a private copy of the built home, for the API tests."""
    home = copy_home(built_home, tmp_path_factory.mktemp("service-api") / "home")
    return make_settings(home, staff_tokens)


@pytest.fixture(scope="session")
def client(api_settings: Settings) -> Iterator[TestClient]:
    """A TestClient on the real app (lifespan run: store, indexes, SPARQL workers open)."""
    with TestClient(create_app(api_settings), raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a staff token."""
    return {"Authorization": f"Bearer {token}"}


ERROR_KEYS = {"status", "code", "message", "message_en"}


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Check the uniform error body of an HTTP response; returns it."""
    assert response.status_code == status, response.text
    body = response.json()
    assert ERROR_KEYS <= set(body) <= ERROR_KEYS | {"details"}, body
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body
