"""Queries reading what the search indexes hold about each passage (bind ?doc for one document)."""

from __future__ import annotations

from essgraph.graph.queries.prefixes import PREFIXES

PASSAGES = (
    PREFIXES
    + """SELECT ?p ?doc ?file ?dtitle ?issued ?text ?sl ?el ?cs ?ce ?page ?order
       ?url ?sec ?stitle ?snum ?skind ?slabel ?spage1 ?spage2 WHERE {
  GRAPH ?g {
    ?p a eg:Passage ; eg:inDocument ?doc ; eg:text ?text ; eg:startLine ?sl ; eg:endLine ?el .
    OPTIONAL { ?p eg:charStart ?cs } OPTIONAL { ?p eg:charEnd ?ce }
    OPTIONAL { ?p eg:page ?page } OPTIONAL { ?p eg:order ?order }
    OPTIONAL { ?doc eg:sourceFile ?file } OPTIONAL { ?doc dcterms:title ?dtitle }
    OPTIONAL { ?doc dcterms:issued ?issued } OPTIONAL { ?doc eg:url ?url }
    OPTIONAL { ?p eg:inSection ?sec .
      OPTIONAL { ?sec dcterms:title ?stitle } OPTIONAL { ?sec eg:sectionNumber ?snum }
      OPTIONAL { ?sec eg:sectionKind ?skind } OPTIONAL { ?sec rdfs:label ?slabel }
      OPTIONAL { ?sec eg:pageStart ?spage1 } OPTIONAL { ?sec eg:pageEnd ?spage2 } }
  }
}"""
)
"""Passages with their document and section; ?doc may be bound."""

MENTIONS = (
    PREFIXES
    + """SELECT ?p ?e ?label ?alt ?type ?form ?level ?dep ?depcode WHERE {
  GRAPH ?g {
    ?p a eg:Passage ; eg:inDocument ?doc ; eg:mentions ?e .
    OPTIONAL { ?e rdfs:label ?label } OPTIONAL { ?e a ?type } OPTIONAL { ?e skos:altLabel ?alt }
    OPTIONAL { ?e eg:legalForm ?form } OPTIONAL { ?e eg:collectiviteLevel ?level }
    OPTIONAL { ?e eg:inDepartement ?dep } OPTIONAL { ?e eg:departementCode ?depcode }
  }
}"""
)
"""Entities each passage mentions, with label, type, legal form, level and département; ?doc may be bound."""

PASSAGE_SUBJECTS = (
    PREFIXES
    + """SELECT ?p ?c WHERE {
  GRAPH ?g { ?p a eg:Passage ; eg:inDocument ?doc ; dcterms:subject ?c . }
}"""
)
"""Subject concepts of each passage; ?doc may be bound."""

SECTION_SUBJECTS = (
    PREFIXES
    + """SELECT ?sec ?c WHERE {
  GRAPH ?g { ?sec a eg:Section ; eg:inDocument ?doc . { ?sec dcterms:subject ?c } UNION
             { ?sec eg:theme ?c } UNION { ?sec eg:illustratesLever ?c } }
}"""
)
"""Concepts of each section (subject, theme, lever illustrated); ?doc may be bound."""
