"""Queries of entity splits: the passages an entity is involved in, active split records, used graphs.

Bound variables: ?node (the entity), ?curated (the curated graph), ?rec (a split record).
"""

from __future__ import annotations

from essgraph.graph.queries.prefixes import PREFIXES

INVOLVED_PASSAGES = (
    PREFIXES + "SELECT DISTINCT ?node ?curated ?src ?g WHERE { GRAPH ?g { "
    "{ ?src eg:mentions ?node } UNION { ?src dcterms:subject ?node . ?src a eg:Passage } "
    "UNION { ?node prov:wasDerivedFrom ?src } "
    "UNION { ?x ?p ?node . ?x eg:confidence ?c ; prov:wasDerivedFrom ?src } "
    "UNION { ?node ?p ?x . ?x eg:confidence ?c ; prov:wasDerivedFrom ?src } "
    "} FILTER(?g != ?curated) } ORDER BY ?src"
)
"""Passages (and the document graph holding them) that mention ?node, are about it, or are the
evidence of a statement or relation node involving it; outside the graph ?curated."""

GRAPHS_USING = (
    PREFIXES + "SELECT DISTINCT ?node ?curated ?g WHERE { GRAPH ?g { { ?node ?p ?o } UNION "
    "{ ?s ?p ?node } } FILTER(?g != ?curated) }"
)
"""The graphs other than ?curated in which ?node is a subject or an object."""

ACTIVE_SPLITS = (
    PREFIXES + "SELECT ?curated ?rec ?old ?new ?src ?at WHERE { GRAPH ?curated { ?rec a eg:EntitySplit ; "
    "prov:used ?old ; prov:generated ?new ; prov:startedAtTime ?at ; eg:movedPassage ?src . "
    "FILTER NOT EXISTS { ?rec prov:invalidatedAtTime ?gone } } } ORDER BY ?at ?rec ?src"
)
"""Every active split record of ?curated: the entity split, the new one, each moved passage."""

SPLITS = (
    PREFIXES + "SELECT ?curated ?rec ?old ?new ?summary ?reason ?by ?at ?gone WHERE { GRAPH ?curated { "
    "?rec a eg:EntitySplit ; prov:used ?old ; prov:generated ?new ; prov:startedAtTime ?at ; "
    "rdfs:label ?summary . "
    "OPTIONAL { ?rec eg:reason ?reason } OPTIONAL { ?rec eg:curatedBy ?by } "
    "OPTIONAL { ?rec prov:invalidatedAtTime ?gone } } } ORDER BY DESC(?at) ?rec"
)
"""Every split record of ?curated (newest first), with who, when, why and its withdrawal."""

SPLIT_PASSAGES = (
    PREFIXES
    + "SELECT ?curated ?rec ?src WHERE { GRAPH ?curated { ?rec eg:movedPassage ?src } } ORDER BY ?src"
)
"""The passages split record ?rec moved."""

CURATED_ABOUT = (
    PREFIXES + "SELECT ?node ?curated ?p ?o (isIRI(?o) AS ?isiri) (LANG(?o) AS ?lang) WHERE { "
    "GRAPH ?curated { ?node ?p ?o } }"
)
"""Every statement about ?node in ?curated (a split's new entity: its type and label)."""

ENTITY_TYPES = PREFIXES + "SELECT DISTINCT ?node ?t WHERE { ?node a ?t }"
"""Classes of ?node, in any graph."""

NAMED = PREFIXES + "SELECT ?node WHERE { { ?node ?p ?o } UNION { ?s ?p ?node } } LIMIT 1"
"""One row when any graph names ?node as a subject or an object (the IRI is not fresh)."""
