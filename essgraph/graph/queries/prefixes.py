"""The PREFIX declarations shared by essgraph's own queries (fixed vocabulary IRIs only)."""

from __future__ import annotations

from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from essgraph.ontology.namespace import EG_IRI

PREFIXES = (
    f"PREFIX eg: <{EG_IRI}>\n"
    f"PREFIX dcterms: <{DCTERMS}>\n"
    f"PREFIX owl: <{OWL}>\n"
    f"PREFIX prov: <{PROV}>\n"
    f"PREFIX rdf: <{RDF}>\n"
    f"PREFIX rdfs: <{RDFS}>\n"
    f"PREFIX skos: <{SKOS}>\n"
    f"PREFIX xsd: <{XSD}>\n"
)
"""Prepended to every query of graph/queries."""
