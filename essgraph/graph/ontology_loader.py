"""Keeps the ontology, geography and thesaurus in their own named graph of the store."""

from __future__ import annotations

import hashlib

import rdflib

from essgraph.graph import names
from essgraph.graph.store import GraphStore
from essgraph.ontology.namespace import CONCEPT_IRI

DEFAULT_BASE = CONCEPT_IRI.removesuffix("concept/")


def ontology_graph_iri(base_iri: str) -> str:
    """IRI of the named graph holding ontology + thesaurus + reference organisations."""
    return names.ontology_graph_iri(base_iri)


def _rebased(graph: rdflib.Graph, base_iri: str) -> rdflib.Graph:
    if base_iri == DEFAULT_BASE:
        return graph
    data = graph.serialize(format="nt")
    out = rdflib.Graph()
    out.parse(data=data.replace(DEFAULT_BASE, base_iri), format="nt")
    return out


def ontology_digest() -> str:
    """sha256 over the ontology data files, to know when the stored copy is stale."""
    from essgraph.ontology.thesaurus import ontology_files

    h = hashlib.sha256()
    for path in ontology_files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def ensure_ontology(store: GraphStore, base_iri: str, known_digest: str | None) -> str:
    """Load (or refresh) the ontology graph when its files changed; returns the current digest.

    Raises the ontology package's BadInput subclass naming the file when a Turtle file is malformed,
    before anything is written.
    """
    digest = ontology_digest()
    if digest == known_digest and ontology_graph_iri(base_iri) in store.graph_names():
        return digest
    from essgraph.ontology.thesaurus import load_ontology_graph

    graph = _rebased(load_ontology_graph(), base_iri)
    store.replace_graph(ontology_graph_iri(base_iri), graph)
    return digest
