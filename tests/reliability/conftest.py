"""Fixtures of the reliability tests: the small corpus, an uninterrupted reference home, fresh homes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_support import GENERATED_DOCS, SAMPLES, HomeState, read_state, run_essgraph, seed_cache


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ingest/samples plus two generated documents, in a temporary folder (6 documents)."""
    folder = tmp_path_factory.mktemp("small-corpus")
    for path in SAMPLES.iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    for name, text in GENERATED_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def reference_home(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path) -> Path:
    """A home where `essgraph ingest small_corpus` ran uninterrupted (exit 0)."""
    home = tmp_path_factory.mktemp("reference") / "home"
    proc = run_essgraph(home, "ingest", str(small_corpus))
    assert proc.returncode == 0, proc.stderr
    return home


@pytest.fixture(scope="session")
def reference_state(reference_home: Path) -> HomeState:
    """The state of the reference home."""
    return read_state(reference_home)


@pytest.fixture
def fresh_home(tmp_path: Path, reference_home: Path) -> Callable[[str], Path]:
    """Factory of empty homes (name → path) whose embedding cache is seeded from the reference."""

    def make(name: str) -> Path:
        home = tmp_path / name
        home.mkdir(parents=True)
        seed_cache(reference_home, home)
        return home

    return make
