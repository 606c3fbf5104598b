"""Fixtures of the graph tests: the knowledge graph built from the real corpus, in memory."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from essgraph.core.settings import Settings
from essgraph.graph.mapping import document_graph
from essgraph.ingest.extract import extract
from essgraph.ingest.reading import read_document
from essgraph.ontology.thesaurus import load_thesaurus


@pytest.fixture(scope="session")
def corpus_store(corpus_dir: Path) -> ox.Store:
    """A pyoxigraph Store holding one named graph per corpus document (read → extract → map)."""
    settings = Settings()
    thesaurus = load_thesaurus()
    store = ox.Store()
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = read_document(path, settings)
        graph = document_graph(doc, extract(doc, thesaurus, settings), settings.base_iri)
        store.load(
            graph.serialize(format="nt").encode(),
            ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(f"{settings.base_iri}graph/doc/{doc.doc_id}"),
        )
    return store


@pytest.fixture(scope="session")
def examples_store(corpus_dir: Path) -> ox.Store:
    """The graph the example queries are documented on: the corpus, the unseen test documents and the
    sample records (read → extract → map in memory, with the ontology graph), built once per session."""
    from essgraph.app.memory_graph import memory_store

    repo = Path(__file__).resolve().parents[2]
    folders = [
        corpus_dir,
        repo / "tests" / "data" / "extraction" / "unseen-docs",
        repo / "essgraph" / "ingest" / "samples",
    ]
    errors: list[str] = []
    store = memory_store(folders, Settings(), errors=errors)
    assert not errors, errors
    return store
