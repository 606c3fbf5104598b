"""Queries and updates of the staff's curated graph: curated links, corrections and their evidence.

Bound variables: ?curated (the curated graph), ?node (the initiative or entity), ?scheme (a concept
scheme), ?status / ?rejected (status literals), ?s ?p ?o (a statement), ?sec and ?p (several values).
"""

from __future__ import annotations

from essgraph.graph.queries.prefixes import PREFIXES

INITIATIVE = (
    PREFIXES + "SELECT ?node ?l WHERE { ?node a eg:Initiative . OPTIONAL { ?node rdfs:label ?l } } LIMIT 1"
)
"""One row (with its label when it has one) when ?node is an initiative."""

CONCEPT_IN_SCHEME = (
    PREFIXES + "SELECT ?node ?scheme ?l WHERE { ?node skos:inScheme ?scheme . "
    "OPTIONAL { ?node skos:prefLabel ?l } } LIMIT 1"
)
"""One row (with its preferred label) when ?node is a concept of ?scheme."""

STATED_OUTSIDE = (
    PREFIXES + "SELECT ?s ?p ?o ?curated ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?curated) } LIMIT 1"
)
"""One row when the statement ?s ?p ?o is stated in a graph other than ?curated (by extraction)."""

LINKS = (
    PREFIXES + "SELECT ?l ?s ?o ?status ?reason ?by ?at ?gone WHERE { GRAPH ?curated { "
    "?l a eg:CuratedLink ; rdf:subject ?s ; rdf:predicate eg:illustratesLever ; rdf:object ?o ; "
    "eg:status ?status ; prov:generatedAtTime ?at . "
    "OPTIONAL { ?l eg:reason ?reason } OPTIONAL { ?l eg:curatedBy ?by } "
    "OPTIONAL { ?l prov:invalidatedAtTime ?gone } } } ORDER BY DESC(?at) ?l"
)
"""Curated initiative → lever decisions, newest first; ?s (initiative) and ?o (lever) may be bound."""

INITIATIVE_PASSAGES = (
    PREFIXES + "SELECT DISTINCT ?node ?p ?text ?sec WHERE { ?p eg:mentions ?node ; eg:text ?text . "
    "OPTIONAL { ?p eg:inSection ?sec } } LIMIT 200"
)
"""Passages mentioning ?node, with text and section."""

EXTRACTED_LEVERS = (
    PREFIXES + "SELECT DISTINCT ?node ?scheme ?lever ?g WHERE { "
    "GRAPH ?g { ?node eg:illustratesLever ?lever } ?lever skos:inScheme ?scheme }"
)
"""Levers (concepts of ?scheme) ?node illustrates, with the graph stating it."""

SECTION_LEVERS = (
    PREFIXES + "SELECT DISTINCT ?lever ?label WHERE { ?sec ?rel ?lever . "
    "VALUES ?rel { eg:illustratesLever dcterms:subject } ?lever skos:inScheme ?scheme . "
    "OPTIONAL { ?sec rdfs:label ?label } }"
)
"""Levers (concepts of ?scheme) the sections bound to ?sec (several values) treat."""

LEGAL_FORM_LEVERS = (
    PREFIXES + "SELECT DISTINCT ?node ?scheme ?lever ?formLabel WHERE { ?node eg:legalForm ?form . "
    "{ ?form skos:related ?lever } UNION { ?lever skos:related ?form } "
    "UNION { ?form eg:relatedTo ?lever } UNION { ?lever eg:relatedTo ?form } "
    "?lever skos:inScheme ?scheme . OPTIONAL { ?form skos:prefLabel ?formLabel } }"
)
"""Levers (concepts of ?scheme) related in the thesaurus to ?node's legal form."""

PASSAGE_LEVERS = (
    PREFIXES + "SELECT ?lever (COUNT(DISTINCT ?p) AS ?n) WHERE { "
    "?p dcterms:subject ?lever . ?lever skos:inScheme ?scheme } GROUP BY ?lever"
)
"""How many of the passages bound to ?p (several values) are about each lever of ?scheme."""

ENTITY_TYPES = PREFIXES + "SELECT DISTINCT ?node ?t WHERE { ?node a ?t }"
"""Classes of ?node, in any graph."""

CURRENT_VALUES = (
    PREFIXES + "SELECT DISTINCT ?node ?p ?o (isIRI(?o) AS ?isiri) (LANG(?o) AS ?lang) WHERE { "
    "GRAPH ?g { ?node ?p ?o } FILTER(?g != ?curated) }"
)
"""Objects of ?node ?p outside the ?curated graph, with their kind and language."""

CORRECTIONS = (
    PREFIXES + "SELECT ?c ?s ?p ?o ?status ?reason ?by ?at ?gone WHERE { GRAPH ?curated { "
    "?c a eg:CuratedLink ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; "
    "eg:status ?status ; prov:generatedAtTime ?at . "
    "FILTER NOT EXISTS { ?c dcterms:isPartOf ?main } "
    "OPTIONAL { ?c eg:reason ?reason } OPTIONAL { ?c eg:curatedBy ?by } "
    "OPTIONAL { ?c prov:invalidatedAtTime ?gone } } } ORDER BY DESC(?at) ?c"
)
"""Corrections (records that are not parts), newest first; bind ?p to the correction predicates
(several values); ?s (the entity) may be bound."""

REPLACED = (
    PREFIXES + "SELECT ?main ?o WHERE { GRAPH ?curated { ?part dcterms:isPartOf ?main ; "
    "eg:status ?rejected ; rdf:object ?o . } }"
)
"""Objects each correction declared wrong (parts of status ?rejected)."""

WITHDRAW_CORRECTION = (
    PREFIXES + "DELETE { GRAPH ?curated { ?s ?p ?o } } WHERE { "
    "GRAPH ?curated { ?r rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; eg:status ?st . } "
    "FILTER((?r = ?rec || EXISTS { GRAPH ?curated { ?r dcterms:isPartOf ?rec } }) && ?st != ?rejected) "
    "FILTER NOT EXISTS { GRAPH ?curated { ?other rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; "
    "eg:status ?st2 . } FILTER(?st2 != ?rejected) "
    "FILTER NOT EXISTS { GRAPH ?curated { ?other prov:invalidatedAtTime ?gone } } "
    "FILTER(?other != ?rec) FILTER NOT EXISTS { GRAPH ?curated { ?other dcterms:isPartOf ?rec } } } } ;\n"
    "INSERT { GRAPH ?curated { ?r prov:invalidatedAtTime ?when } } WHERE { "
    "GRAPH ?curated { ?r a eg:CuratedLink . } "
    "FILTER(?r = ?rec || EXISTS { GRAPH ?curated { ?r dcterms:isPartOf ?rec } }) "
    "FILTER NOT EXISTS { GRAPH ?curated { ?r prov:invalidatedAtTime ?gone } } }"
)
"""Withdraw correction ?rec at ?when: remove the statements it and its parts assert unless another
active curated statement asserts them too, and date every record with prov:invalidatedAtTime.
The filters that read the bound values sit in the WHERE group itself (not inside GRAPH), so a server
given the values as a VALUES block sees them there. Bind ?curated, ?rec, ?when (xsd:dateTime) and
?rejected."""
