"""Queries behind the service's pages: entities, labels, passages, provenance, documents, concepts.

Each constant names the variables its caller binds (?node: the entity; ?curated: the curated graph;
list bindings such as ?x or ?p take several values). A bound single variable is projected where the
query allows it, so the embedded store can substitute it.
"""

from __future__ import annotations

from essgraph.graph.queries.prefixes import PREFIXES

MAX_RELATIONS = 300
"""Relations read for one entity page (outgoing ones: four times as many rows, one per graph)."""
MAX_PROVENANCE_ROWS = 2000

EXISTS = (
    PREFIXES + "SELECT ?node ?x WHERE { { ?node ?p ?x } UNION "
    "{ ?x ?p ?node FILTER NOT EXISTS { ?x a prov:Activity } } } LIMIT 1"
)
"""One row when ?node is the subject of a triple, or the object of one whose subject is no PROV activity:
an IRI only named by an audit record (the new entity of an undone split) is no live entity."""

LABELS = (
    PREFIXES + 'SELECT ?x ?p ?l WHERE { ?x ?p ?l . FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "fr")) }'
)
"""French or untagged labels; bind ?x (the IRIs) and ?p (the label predicates) to several values."""

CURATED_REJECTED = (
    PREFIXES + "SELECT ?s ?p ?o WHERE { GRAPH ?curated { ?c a eg:CuratedLink ; eg:status ?status ; "
    "rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . "
    "FILTER NOT EXISTS { ?c prov:invalidatedAtTime ?gone } } }"
)
"""Active curated statements of status ?status (bind it to "rejected") in graph ?curated."""

CURATED_LABELS = PREFIXES + "SELECT ?x ?l WHERE { GRAPH ?curated { ?x skos:prefLabel ?l } } ORDER BY ?x ?l"
"""Preferred labels asserted in graph ?curated."""

CURATED_SAME_AS = PREFIXES + "SELECT ?a ?b WHERE { GRAPH ?curated { ?a owl:sameAs ?b } }"
"""Merges (owl:sameAs) asserted in graph ?curated."""

PREDICATE_LABELS = (
    PREFIXES + "SELECT ?p ?l WHERE { ?p a ?t ; rdfs:label ?l . "
    "VALUES ?t { owl:ObjectProperty owl:DatatypeProperty rdf:Property } "
    'FILTER(LANGMATCHES(LANG(?l), "fr")) }'
)
"""French labels of the ontology's properties."""

PASSAGES = (
    PREFIXES + "SELECT ?p ?text ?sl ?el ?doc ?file ?dtitle ?sec ?slabel WHERE { "
    "?p eg:text ?text . "
    "OPTIONAL { ?p eg:startLine ?sl } OPTIONAL { ?p eg:endLine ?el } "
    "OPTIONAL { ?p eg:inDocument ?doc . "
    "OPTIONAL { ?doc eg:sourceFile ?file } "
    "OPTIONAL { ?doc dcterms:title ?dtitle } } "
    "OPTIONAL { ?p eg:inSection ?sec . OPTIONAL { ?sec rdfs:label ?slabel } } }"
)
"""Text, lines, document and section of passages; bind ?p to several values."""

OUTGOING = (
    PREFIXES + "SELECT DISTINCT ?node ?p ?o (isIRI(?o) AS ?isiri) ?g WHERE { GRAPH ?g { ?node ?p ?o } } "
    f"LIMIT {MAX_RELATIONS * 4}"
)
"""Statements about ?node, with the graph stating each."""

INCOMING = (
    PREFIXES + "SELECT DISTINCT ?node ?s ?p WHERE { ?s ?p ?node . "
    "FILTER(?p NOT IN (rdf:subject, rdf:object, eg:mentions, eg:inDocument, eg:inSection)) "
    f"FILTER NOT EXISTS {{ ?s a eg:Passage }} }} LIMIT {MAX_RELATIONS}"
)
"""Statements pointing at ?node (provenance, mentions and structure left out)."""


def mentioning_passages(limit: int) -> str:
    """Passages mentioning ?node or about it, the first `limit` in IRI order (the LIMIT is syntax, an
    int written here, never caller text)."""
    return (
        PREFIXES + "SELECT DISTINCT ?node ?p WHERE { { ?p eg:mentions ?node } UNION "
        f"{{ ?p dcterms:subject ?node . ?p a eg:Passage }} }} ORDER BY ?p LIMIT {int(limit)}"
    )


MENTION_COUNT = (
    PREFIXES + "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { { ?p eg:mentions ?node } UNION "
    "{ ?p dcterms:subject ?node . ?p a eg:Passage } }"
)
"""?n: how many passages mention ?node or are about it."""

PROVENANCE_OUT = (
    PREFIXES + "SELECT DISTINCT ?node ?p ?o ?src WHERE { ?st rdf:subject ?node ; "
    f"rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?src }} LIMIT {MAX_PROVENANCE_ROWS}"
)
"""Passages stating each reified statement whose subject is ?node."""

PROVENANCE_IN = (
    PREFIXES + "SELECT DISTINCT ?node ?p ?s ?src WHERE { ?st rdf:object ?node ; "
    f"rdf:predicate ?p ; rdf:subject ?s ; prov:wasDerivedFrom ?src }} LIMIT {MAX_PROVENANCE_ROWS}"
)
"""Passages stating each reified statement whose object is ?node."""

INCOMING_NODE_PASSAGES = (
    PREFIXES + "SELECT DISTINCT ?node ?s ?src WHERE { ?s ?p ?node . ?s prov:wasDerivedFrom ?src . "
    f"FILTER NOT EXISTS {{ ?s a rdf:Statement }} }} LIMIT {MAX_PROVENANCE_ROWS}"
)
"""Relation nodes pointing at ?node and the passages they were derived from."""

ENTITY_INDEX = (
    PREFIXES + "SELECT DISTINCT ?e ?t ?l WHERE { ?e a ?t . ?e ?lp ?l . "
    "VALUES ?lp { rdfs:label skos:prefLabel skos:altLabel } }"
)
"""Entities of the classes bound to ?t (several values) with every label and variant."""

SCHEME_MEMBERS = PREFIXES + "SELECT DISTINCT ?e ?s WHERE { ?e skos:inScheme ?s }"
"""Concept → scheme."""

DOCUMENTS = (
    PREFIXES + "SELECT ?d ?title ?file WHERE { ?d a eg:Document . "
    "OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d eg:sourceFile ?file } } ORDER BY ?file"
)
"""Every document with title and source file."""

PASSAGE_COUNTS = (
    PREFIXES + "SELECT ?d (COUNT(?p) AS ?n) WHERE { ?p a eg:Passage ; eg:inDocument ?d } GROUP BY ?d"
)
"""Passages per document."""

SECTIONS = (
    PREFIXES + "SELECT ?d ?s ?label ?title ?num ?kindl ?sl ?el ?order WHERE { ?s a eg:Section ; "
    "eg:inDocument ?d . "
    "OPTIONAL { ?s rdfs:label ?label } OPTIONAL { ?s dcterms:title ?title } "
    "OPTIONAL { ?s eg:sectionNumber ?num } OPTIONAL { ?s eg:order ?order } "
    "OPTIONAL { ?s eg:sectionKind ?k . ?k skos:prefLabel ?kindl } "
    "OPTIONAL { ?s eg:startLine ?sl } OPTIONAL { ?s eg:endLine ?el } }"
)
"""Every section with its document, label, number, kind and lines."""

CONCEPTS = (
    PREFIXES + "SELECT ?scheme ?c ?label ?def WHERE { ?c skos:inScheme ?scheme ; skos:prefLabel ?label . "
    'FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "fr")) '
    "OPTIONAL { ?c skos:definition ?def } }"
)
"""Every concept with its scheme, French label and definition."""

BROADER = PREFIXES + "SELECT ?c ?b WHERE { ?c skos:broader ?b }"
"""skos:broader pairs."""

ALT_LABELS = PREFIXES + "SELECT ?c ?alt WHERE { ?c skos:inScheme ?s ; skos:altLabel ?alt }"
"""Alternative labels of concepts."""

DESCRIBE_ROWS = 5000
"""Triples an entity's RDF description holds at most."""

DESCRIBE = (
    PREFIXES + "SELECT DISTINCT ?node ?s ?p ?o (isIRI(?o) AS ?oi) (isBlank(?o) AS ?ob) (isBlank(?s) AS ?sb) "
    "(LANG(?o) AS ?lang) (DATATYPE(?o) AS ?dt) WHERE { "
    "{ ?node ?p ?o BIND(?node AS ?s) } UNION "
    "{ ?s ?p ?node BIND(?node AS ?o) FILTER(?p NOT IN (rdf:subject, rdf:object)) } "
    f"}} LIMIT {DESCRIBE_ROWS}"
)
"""The triples about ?node and pointing at it (reification left out), with term kinds."""
