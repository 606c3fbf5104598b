"""Fixtures of the ontology tests: the loaded thesaurus, the ontology graph, the acronyms list."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from essgraph.ontology.thesaurus import Thesaurus, load_ontology_graph, load_thesaurus

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def thesaurus() -> Thesaurus:
    """The project's SKOS thesaurus (ontology/thesaurus/*.ttl)."""
    return load_thesaurus()


@pytest.fixture(scope="session")
def ontology_graph() -> Graph:
    """essgraph.ttl + geo.ttl + thesaurus/*.ttl parsed together."""
    return load_ontology_graph()


@pytest.fixture(scope="session")
def acronyms_md() -> Path:
    """../shared/docs/acronyms.md (skips when absent)."""
    path = SHARED / "docs" / "acronyms.md"
    if not path.is_file():
        pytest.skip("../shared/docs/acronyms.md absent")
    return path


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """../shared/corpus (skips when absent)."""
    path = SHARED / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus absent")
    return path
