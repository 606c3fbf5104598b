"""The one place IRIs of named graphs and documents are built from the base IRI."""

from __future__ import annotations

DOC_GRAPH_SEGMENT = "graph/doc/"


def doc_graph_iri(base_iri: str, doc_id: str) -> str:
    """The named graph of one document (all its triples and provenance)."""
    return f"{base_iri}{DOC_GRAPH_SEGMENT}{doc_id}"


def doc_id_of_graph(base_iri: str, graph_iri: str) -> str | None:
    """The document id a named graph IRI stands for, or None when it is not a document graph."""
    prefix = f"{base_iri}{DOC_GRAPH_SEGMENT}"
    return graph_iri[len(prefix) :] if graph_iri.startswith(prefix) else None


def doc_iri(base_iri: str, doc_id: str) -> str:
    """The IRI of the eg:Document node of a document."""
    return f"{base_iri}doc/{doc_id}"


def curated_graph_iri(base_iri: str) -> str:
    """The named graph of staff statements (never touched by ingest)."""
    return f"{base_iri}graph/curated"


def ontology_graph_iri(base_iri: str) -> str:
    """The named graph holding ontology + thesaurus + reference organisations."""
    return f"{base_iri}graph/ontology"
