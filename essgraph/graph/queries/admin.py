"""Queries about the store as a whole: graph sizes, class counts, passages per document graph."""

from __future__ import annotations

from essgraph.graph.queries.prefixes import PREFIXES

GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
"""?g, ?n: triples per named graph."""

CLASS_COUNTS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)"
"""?c, ?n: instances per class, most frequent first."""

PASSAGES_BY_GRAPH = PREFIXES + "SELECT ?g ?p WHERE { GRAPH ?g { ?p a eg:Passage } }"
"""?g, ?p: every passage with the named graph holding it."""

FIRST_TRIPLES = "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
"""The query the SPARQL page offers when no example query is packaged."""

GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
"""?g: every non-empty named graph."""

QUAD_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
"""?n: quads in the named graphs."""

ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
"""Every quad of the named graphs (a dump through the query protocol)."""

PING = "ASK { }"
"""A query any SPARQL server answers at once: is it up?"""
