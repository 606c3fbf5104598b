"""A real uvicorn server on a private copy of the built home, shared by the linked-data client tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from essgraph.core.settings import Settings
from tests.service.conftest import StaffTokens, copy_home, make_settings
from tests.service.server import running_server


@dataclass(frozen=True)
class Served:
    """A running service: its base URL and its settings."""

    url: str
    settings: Settings


@pytest.fixture(scope="module")
def served(
    built_home: Path, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Iterator[Served]:
    """The real app under uvicorn on its own copy of the built home (the store is not shared)."""
    settings = make_settings(
        copy_home(built_home, tmp_path_factory.mktemp("linked-data") / "home"), staff_tokens
    )
    with running_server(settings) as url:
        yield Served(url, settings)
