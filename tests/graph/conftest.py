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
