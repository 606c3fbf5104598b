"""Property-based fuzzing of every operation of /openapi.json (schemathesis): no request gives a 5xx."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from essgraph.app.web import create_app
from essgraph.core.settings import Settings
from essgraph.service.tokens import SCOPES, new_token, settings_entry
from tests.service.conftest import StaffTokens, copy_home, make_settings
from tests.service.server import running_server

MAX_EXAMPLES = int(os.environ.get("ESSGRAPH_FUZZ_EXAMPLES", "25"))
"""Generated requests per operation and per authentication variant (25 keeps the module under a minute;
set ESSGRAPH_FUZZ_EXAMPLES for a deeper run)."""


@dataclass(frozen=True)
class FuzzTarget:
    """A live server on a private home and a staff token carrying every scope."""

    url: str
    token: str


@pytest.fixture(scope="module")
def fuzz_target(
    samples_home: Settings, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Iterator[FuzzTarget]:
    """uvicorn serving a copy of the sample-corpus home (the fuzzer writes: links, uploads, updates)."""
    home = copy_home(samples_home.home, tmp_path_factory.mktemp("service-fuzz") / "home")
    token = new_token()
    current = make_settings(home, staff_tokens)
    current = make_settings(
        home, staff_tokens, staff_tokens=[*current.staff_tokens, settings_entry("fuzz", list(SCOPES), token)]
    )
    with running_server(current) as url:
        yield FuzzTarget(url=url, token=token)


def published_schema() -> dict[str, Any]:
    """The OpenAPI description the app publishes at /openapi.json (building the app opens no store)."""
    return create_app(Settings(home=Path("unused-home"))).openapi()  # type: ignore[call-arg]


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def sparql_text(ctx: schemathesis.SerializationContext, value: object) -> bytes:
    """Bodies of the SPARQL media types: the generated string as UTF-8 (other values as their text)."""
    return (value if isinstance(value, str) else repr(value)).encode("utf-8", "surrogatepass")


# Loaded at collection: schemathesis' lazy fixture loader does not support pytest 9 (no Node._nodeid).
schema = schemathesis.openapi.from_dict(published_schema())
schema.config.generation.update(modes=list(schemathesis.GenerationMode))  # valid and invalid requests
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_anonymous_requests_never_get_a_server_error(
    case: schemathesis.Case, fuzz_target: FuzzTarget
) -> None:
    case.call_and_validate(base_url=fuzz_target.url, checks=[not_a_server_error])


@schema.parametrize()
@FUZZ
def test_staff_requests_never_get_a_server_error(case: schemathesis.Case, fuzz_target: FuzzTarget) -> None:
    case.call_and_validate(
        base_url=fuzz_target.url,
        headers={"Authorization": f"Bearer {fuzz_target.token}"},
        checks=[not_a_server_error],
    )


def test_the_schema_covers_every_api_route(fuzz_target: FuzzTarget) -> None:
    served = httpx.get(f"{fuzz_target.url}/openapi.json", timeout=30).json()
    assert served == published_schema()
    loaded = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    operations = {f"{op.method.upper()} {op.path}" for op in loaded}
    for expected in (
        "GET /api/search",
        "GET /sparql",
        "POST /sparql",
        "GET /id/{path}",
        "POST /api/links",
        "DELETE /api/links/{link_id}",
        "POST /api/documents",
        "POST /api/corrections",
        "DELETE /api/corrections/{correction_id}",
    ):
        assert expected in operations, sorted(operations)
