"""Compact JSON-LD for the service's RDF answers: a small @context of the prefixes the graph uses."""

from __future__ import annotations

import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from essgraph.ontology.namespace import EG_IRI, ORG, SCHEMA

# the vocabularies of the graph, by their usual prefixes; a context keeps only those a graph uses
PREFIXES: dict[str, str] = {
    "eg": EG_IRI,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "org": str(ORG),
    "schema": str(SCHEMA),
}


def context_for(graph: rdflib.Graph, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The prefixes (well-known ones, the graph's own bindings and `extra`) that some IRI of `graph`
    starts with: the small @context of a compact answer."""
    candidates = dict(PREFIXES)
    candidates.update({prefix: str(ns) for prefix, ns in graph.namespaces() if prefix})
    candidates.update(extra or {})
    used: set[str] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, rdflib.URIRef):
                text = str(term)
                used.update(p for p, ns in candidates.items() if text.startswith(ns))
            elif isinstance(term, rdflib.Literal) and term.datatype is not None:
                used.update(p for p, ns in candidates.items() if str(term.datatype).startswith(ns))
    return {prefix: candidates[prefix] for prefix in sorted(used)}


def compact(graph: rdflib.Graph, extra: dict[str, str] | None = None) -> bytes:
    """`graph` as compact JSON-LD (terms written `eg:Initiative`, `rdfs:label`) with its small context."""
    data = graph.serialize(format="json-ld", context=context_for(graph, extra), auto_compact=True)
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def compact_document(body: bytes, extra: dict[str, str] | None = None) -> bytes:
    """A JSON-LD document (the store's expanded output) re-written compact with a small context."""
    graph = rdflib.Graph()
    graph.parse(data=body, format="json-ld")
    return compact(graph, extra)
