"""The answer card of a lever or a kind of initiative, read from the graph: definition, legal basis,
collectivités that used it with their figures, the fiche to read — each line with its evidence passage."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib.term import Identifier

from essgraph.core.text import fold
from essgraph.graph.bindings import bound_terms
from essgraph.graph.store import GraphStore


def select_bound(
    store: GraphStore, sparql: str, values: Mapping[str, str | int | Identifier]
) -> list[dict[str, str]]:
    """A SELECT over the union graph with `values` bound to its variables (`bindings.bound_terms`: an IRI
    as text is checked, never pasted); raises BadInput for a bad value."""
    return store.select(sparql, bound_terms(values))


PREFIXES = """PREFIX eg: <https://w3id.org/essgraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# ?concept is bound in every query below (a bound variable is projected: pyoxigraph's substitutions
# apply to projected variables only).
CONCEPT_QUERY = (
    PREFIXES
    + """SELECT ?concept ?label ?definition ?scheme WHERE {
  ?concept skos:prefLabel ?label .
  FILTER(LANG(?label) = "fr" || LANG(?label) = "")
  OPTIONAL { ?concept skos:definition ?definition FILTER(LANG(?definition) = "fr" || LANG(?definition) = "") }
  OPTIONAL { ?concept skos:inScheme ?scheme }
} LIMIT 1"""
)

# The section most about the concept: one whose own subject it is first, then the most passages on it.
FICHE_QUERY = (
    PREFIXES
    + """SELECT ?concept ?section ?label (MAX(?direct) AS ?d) (COUNT(DISTINCT ?p) AS ?n)
  (MIN(?order) AS ?first) WHERE {
  ?p a eg:Passage ; dcterms:subject ?concept ; eg:inSection ?section ; eg:order ?order .
  ?section rdfs:label ?label .
  BIND(IF(EXISTS { ?section dcterms:subject ?concept }, 1, 0) AS ?direct)
} GROUP BY ?concept ?section ?label ORDER BY DESC(?d) DESC(?n) ?section LIMIT 1"""
)

FIRST_PASSAGE_QUERY = (
    PREFIXES
    + """SELECT ?concept ?section ?p WHERE {
  ?p eg:inSection ?section ; dcterms:subject ?concept ; eg:order ?order .
} ORDER BY ?order LIMIT 1"""
)

# Laws named in passages about the concept, or cited by a section about it (the citation's evidence).
LAW_QUERY = (
    PREFIXES
    + """SELECT DISTINCT ?concept ?law ?label ?passage ?text WHERE {
  {
    ?passage dcterms:subject ?concept ; eg:mentions ?law .
  } UNION {
    ?section dcterms:subject ?concept .
    ?st rdf:subject ?section ; rdf:predicate eg:cites ; rdf:object ?law ; prov:wasDerivedFrom ?passage .
  }
  ?law a eg:Law ; rdfs:label ?label .
  ?passage eg:text ?text .
}"""
)

# Collectivités that used the concept (or a narrower one), one query per way of saying it (a UNION of
# the four is planned badly by Oxigraph: minutes instead of milliseconds): stated use of the lever; a
# funding, capital share or contract with an initiative of that lever or form; such a relation stated in
# a passage about the concept; a contract of that kind.
_USERS_HEAD = PREFIXES + "SELECT DISTINCT ?concept ?coll ?passage WHERE {\n  ?used skos:broader* ?concept .\n"
USERS_QUERIES = (
    _USERS_HEAD
    + """  ?st rdf:subject ?coll ; rdf:predicate eg:usesLever ; rdf:object ?used ;
      prov:wasDerivedFrom ?passage .
  ?coll a eg:Collectivite .
}""",
    _USERS_HEAD
    + """  ?partner eg:illustratesLever|eg:legalForm ?used .
  ?node eg:beneficiary|eg:company|eg:contractor ?partner .
  ?node eg:funder|eg:holder|eg:contractingAuthority ?coll ; prov:wasDerivedFrom ?passage .
  ?coll a eg:Collectivite .
}""",
    _USERS_HEAD
    + """  ?passage dcterms:subject ?used .
  ?node prov:wasDerivedFrom ?passage ; eg:funder|eg:holder|eg:contractingAuthority ?coll .
  ?coll a eg:Collectivite .
}""",
    _USERS_HEAD
    + """  ?node eg:contractKind ?used ; eg:contractingAuthority ?coll ; prov:wasDerivedFrom ?passage .
  ?coll a eg:Collectivite .
}""",
)

# ?coll and ?passage bound: the numbers the passage gives about the collectivité's relation nodes.
FIGURES_QUERY = (
    PREFIXES
    + """SELECT ?coll ?passage ?node ?type ?partner ?partnerLabel ?amount ?year ?share ?duration WHERE {
  ?node prov:wasDerivedFrom ?passage ; a ?type .
  VALUES ?type { eg:Funding eg:CapitalParticipation eg:Contract }
  ?node eg:funder|eg:holder|eg:contractingAuthority|eg:beneficiary ?coll .
  OPTIONAL { ?node eg:beneficiary|eg:company|eg:contractor ?partner .
             FILTER(?partner != ?coll) ?partner rdfs:label ?partnerLabel }
  OPTIONAL { ?node eg:amount ?amount }
  OPTIONAL { ?node eg:year ?year }
  OPTIONAL { ?node eg:sharePercent ?share }
  OPTIONAL { ?node eg:duration ?duration }
}"""
)

# ?passage bound: key figures the passage states, with what they are about.
KEY_FIGURES_QUERY = (
    PREFIXES
    + """SELECT ?passage ?node ?value ?unit ?about WHERE {
  ?node a eg:KeyFigure ; prov:wasDerivedFrom ?passage ; eg:value ?value .
  OPTIONAL { ?node eg:unit ?unit }
  OPTIONAL { ?node eg:about ?about }
}"""
)

# ?coll bound: its label, level and département.
COLLECTIVITE_QUERY = (
    PREFIXES
    + """SELECT ?coll ?label ?level ?levelLabel ?code WHERE {
  ?coll rdfs:label ?label .
  OPTIONAL { ?coll eg:collectiviteLevel ?level .
             OPTIONAL { ?level skos:prefLabel ?levelLabel
                        FILTER(LANG(?levelLabel) = "fr" || LANG(?levelLabel) = "") } }
  OPTIONAL { ?coll eg:departementCode ?code }
} LIMIT 1"""
)

LEGAL_MARKERS = frozenset(
    ("loi", "lois", "article", "articles", "decret", "code", "ordonnance", "directive", "circulaire")
)
"""Folded words that mark a sentence as citing a legal text."""
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
MAX_USERS = 3


@dataclass(slots=True)
class Figure:
    """One number about a use: `kind` (montant, annee, part, duree, chiffre) and its value and unit."""

    kind: str
    value: str
    unit: str = ""


@dataclass(slots=True)
class LegalBasis:
    """A law the corpus cites about the concept, the sentence that cites it and its passage."""

    law: str
    label: str
    passage: str
    sentence: str


@dataclass(slots=True)
class CollectiviteUse:
    """A collectivité that used the concept: with whom (partner), its figures and the evidence passage."""

    collectivite: str
    label: str
    level: str | None
    level_label: str | None
    departement: str | None
    passage: str
    partner: str | None = None
    partner_label: str | None = None
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
class FicheRef:
    """The section to read about the concept and its first passage on it."""

    section: str
    label: str
    passage: str | None
    passages: int


@dataclass(slots=True)
class AnswerCard:
    """Everything the graph says to answer a question about one lever or kind of initiative."""

    concept: str
    label: str
    scheme: str | None
    definition: str
    legal: list[LegalBasis] = field(default_factory=list)
    users: list[CollectiviteUse] = field(default_factory=list)
    fiche: FicheRef | None = None

    @property
    def substantive(self) -> bool:
        """True when the graph says more than the definition (a fiche, a law or a collectivité)."""
        return bool(self.legal or self.users or self.fiche)


def legal_sentence(text: str, law_label: str) -> str:
    """The sentence of `text` that cites the law: the one sharing most words with `law_label` among those
    holding a legal marker (loi, article, décret…), else the first with a marker, else ''."""
    label_words = {w for w in re.findall(r"\w+", fold(law_label)) if len(w) > 2}
    best, best_score = "", -1
    for sentence in _SENTENCE.split(text):
        sentence = " ".join(sentence.split())
        tokens = set(re.findall(r"\w+", fold(sentence)))
        if not tokens & LEGAL_MARKERS:
            continue
        score = len(tokens & label_words)
        if score > best_score:
            best, best_score = sentence, score
    return best


def answer_card(store: GraphStore, concept: str, max_users: int = MAX_USERS) -> AnswerCard | None:
    """The answer card of `concept` (a thesaurus concept IRI), None when the graph has no such concept.

    Every list is built by bound SELECTs over the union graph; laws are ordered by the number of
    passages citing them, collectivités with figures first, then by the passages stating the use.
    """
    rows = select_bound(store, CONCEPT_QUERY, {"concept": concept})
    if not rows:
        return None
    head = rows[0]
    card = AnswerCard(
        concept=concept,
        label=head["label"],
        scheme=head.get("scheme"),
        definition=head.get("definition", ""),
    )
    card.fiche = _fiche(store, concept)
    card.legal = _legal(store, concept)
    card.users = _users(store, concept, max_users)
    return card


def _fiche(store: GraphStore, concept: str) -> FicheRef | None:
    rows = select_bound(store, FICHE_QUERY, {"concept": concept})
    if not rows:
        return None
    row = rows[0]
    first = select_bound(store, FIRST_PASSAGE_QUERY, {"concept": concept, "section": row["section"]})
    return FicheRef(
        section=row["section"],
        label=row["label"],
        passage=first[0]["p"] if first else None,
        passages=int(row["n"]),
    )


def _legal(store: GraphStore, concept: str) -> list[LegalBasis]:
    by_law: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in select_bound(store, LAW_QUERY, {"concept": concept}):
        by_law[row["law"]].append(row)
    out: list[LegalBasis] = []
    ranked = sorted(by_law.items(), key=lambda item: (-len({r["passage"] for r in item[1]}), item[0]))
    for law, rows in ranked:
        # a passage with a sentence citing the law first, then the first in reading order
        scored = sorted(
            rows, key=lambda r: (0 if legal_sentence(r["text"], r["label"]) else 1, _order_key(r["passage"]))
        )
        row = scored[0]
        out.append(
            LegalBasis(
                law=law,
                label=row["label"],
                passage=row["passage"],
                sentence=legal_sentence(row["text"], row["label"]),
            )
        )
    return out


def _order_key(passage: str) -> tuple[str, int]:
    """Sort key of a passage IRI: its document, then its number (…/passage/12)."""
    head, _, number = passage.rpartition("/")
    return head, int(number) if number.isdigit() else 0


def _users(store: GraphStore, concept: str, max_users: int) -> list[CollectiviteUse]:
    passages: dict[str, list[str]] = defaultdict(list)
    for query in USERS_QUERIES:
        for row in select_bound(store, query, {"concept": concept}):
            passages[row["coll"]].append(row["passage"])
    uses: list[tuple[tuple[int, int, str], CollectiviteUse]] = []
    seen_labels: set[str] = set()
    for coll, found in passages.items():
        info = select_bound(store, COLLECTIVITE_QUERY, {"coll": coll})
        if not info:
            continue
        best: CollectiviteUse | None = None
        for passage in sorted(set(found), key=_order_key):
            use = CollectiviteUse(
                collectivite=coll,
                label=info[0]["label"],
                level=info[0].get("level"),
                level_label=info[0].get("levelLabel"),
                departement=info[0].get("code"),
                passage=passage,
            )
            _add_figures(store, use)
            if best is None or len(use.figures) > len(best.figures):
                best = use
        if best is not None:
            uses.append(((-len(best.figures), -len(set(found)), fold(best.label)), best))
    out: list[CollectiviteUse] = []
    for _, use in sorted(uses, key=lambda item: item[0]):
        key = fold(use.label)
        if key in seen_labels:  # two extracted spellings of one collectivité
            continue
        seen_labels.add(key)
        out.append(use)
        if len(out) == max_users:
            break
    return out


def _add_figures(store: GraphStore, use: CollectiviteUse) -> None:
    """Fill `use.figures` (and its partner) from the relation nodes and key figures of its passage."""
    seen: set[tuple[str, str]] = set()
    partners: set[str] = set()

    def add(kind: str, value: str, unit: str = "") -> None:
        if (kind, value) not in seen:
            seen.add((kind, value))
            use.figures.append(Figure(kind=kind, value=value, unit=unit))

    rows = select_bound(store, FIGURES_QUERY, {"coll": use.collectivite, "passage": use.passage})
    for row in sorted(rows, key=lambda r: r["node"]):
        if row.get("partner"):
            partners.add(row["partner"])
            if use.partner is None:
                use.partner, use.partner_label = row["partner"], row.get("partnerLabel")
        if row.get("amount"):
            add("montant", row["amount"], "€")
        if row.get("share"):
            add("part", row["share"], "%")
        if row.get("year"):
            add("annee", row["year"])
        if row.get("duration"):
            add("duree", row["duration"])
    for row in select_bound(store, KEY_FIGURES_QUERY, {"passage": use.passage}):
        about = row.get("about")
        if about is None or about == use.collectivite or about in partners:
            add("chiffre", row["value"], row.get("unit", ""))


# Every concept of the schemes an answer card is made for (levers, legal forms).
CARD_CONCEPTS_QUERY = (
    PREFIXES
    + """SELECT DISTINCT ?c WHERE {
  VALUES ?scheme { <https://w3id.org/essgraph/id/concept/leviers>
                   <https://w3id.org/essgraph/id/concept/formes-juridiques> }
  ?c skos:inScheme ?scheme .
} ORDER BY ?c"""
)


def card_concepts(store: GraphStore) -> list[str]:
    """IRIs of the levers and legal forms of the thesaurus (the concepts an answer card is made for)."""
    return [row["c"] for row in store.select(CARD_CONCEPTS_QUERY)]
