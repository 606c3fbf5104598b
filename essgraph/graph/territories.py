"""Collectivités like a given one (same level, shared themes) and what they did, and counts by département."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal

from essgraph.core.text import fold
from essgraph.graph.answers import PREFIXES, select_bound
from essgraph.graph.store import GraphStore
from essgraph.ontology.namespace import CONCEPT_IRI

THEMES_SCHEME = f"{CONCEPT_IRI}thematiques"

# ?coll bound: its label, level (and the level's broader one) and département.
PROFILE_QUERY = (
    PREFIXES
    + """SELECT ?coll ?label ?level ?levelLabel ?code WHERE {
  ?coll a eg:Collectivite ; rdfs:label ?label .
  OPTIONAL { ?coll eg:collectiviteLevel ?level .
             OPTIONAL { ?level skos:prefLabel ?levelLabel
                        FILTER(LANG(?levelLabel) = "fr" || LANG(?levelLabel) = "") } }
  OPTIONAL { ?coll eg:departementCode ?code }
} LIMIT 1"""
)

# ?coll bound: the themes of the passages that mention it, and its stated themes.
THEMES_QUERY = (
    PREFIXES
    + f"""SELECT ?coll ?theme ?themeLabel WHERE {{
  {{ ?p eg:mentions ?coll ; dcterms:subject ?theme . }} UNION {{ ?coll eg:theme ?theme . }}
  ?theme skos:inScheme <{THEMES_SCHEME}> ; skos:prefLabel ?themeLabel .
  FILTER(LANG(?themeLabel) = "fr" || LANG(?themeLabel) = "")
}}"""
)

# ?coll bound: collectivités of the same level (2) or of a sibling level (1: same broader level).
PEERS_QUERY = (
    PREFIXES
    + """SELECT DISTINCT ?coll ?other ?label ?olevel ?olevelLabel ?code ?lv WHERE {
  ?coll eg:collectiviteLevel ?level .
  ?other a eg:Collectivite ; eg:collectiviteLevel ?olevel ; rdfs:label ?label .
  FILTER(?other != ?coll)
  BIND(IF(?olevel = ?level, 2, IF(EXISTS { ?level skos:broader ?b . ?olevel skos:broader ?b }, 1, 0)) AS ?lv)
  FILTER(?lv > 0)
  OPTIONAL { ?olevel skos:prefLabel ?olevelLabel
             FILTER(LANG(?olevelLabel) = "fr" || LANG(?olevelLabel) = "") }
  OPTIONAL { ?other eg:departementCode ?code }
}"""
)

# Every collectivité with the themes of the passages that mention it.
COLLECTIVITE_THEMES_QUERY = (
    PREFIXES
    + f"""SELECT DISTINCT ?other ?theme WHERE {{
  ?theme skos:inScheme <{THEMES_SCHEME}> .
  ?p dcterms:subject ?theme ; eg:mentions ?other .
  ?other a eg:Collectivite .
}}"""
)

# ?coll bound: what it did, as statements with their evidence (a lever used, an initiative supported…).
ACTIONS_QUERY = (
    PREFIXES
    + """SELECT ?coll ?pred ?predLabel ?obj ?objLabel ?passage WHERE {
  ?st rdf:subject ?coll ; rdf:predicate ?pred ; rdf:object ?obj ; prov:wasDerivedFrom ?passage .
  VALUES ?pred { eg:usesLever eg:supports eg:createdBy eg:pilotedBy eg:signatoryOf eg:memberOf eg:partnerOf }
  ?pred rdfs:label ?predLabel FILTER(LANG(?predLabel) = "fr")
  { ?obj skos:prefLabel ?objLabel FILTER(LANG(?objLabel) = "fr" || LANG(?objLabel) = "") }
  UNION { ?obj rdfs:label ?objLabel FILTER NOT EXISTS { ?obj skos:prefLabel ?any } }
}"""
)

# ?coll bound: its fundings, capital shares and contracts, with the other party and the evidence.
DEALS_QUERY = (
    PREFIXES
    + """SELECT ?coll ?node ?type ?typeLabel ?obj ?objLabel ?passage WHERE {
  ?node eg:funder|eg:holder|eg:contractingAuthority ?coll ; a ?type ; prov:wasDerivedFrom ?passage .
  VALUES ?type { eg:Funding eg:CapitalParticipation eg:Contract }
  ?type rdfs:label ?typeLabel FILTER(LANG(?typeLabel) = "fr")
  ?node eg:beneficiary|eg:company|eg:contractor ?obj .
  ?obj rdfs:label ?objLabel .
}"""
)

# Initiatives and collectivités counted by département code.
DEPARTEMENT_COUNTS_QUERY = (
    PREFIXES
    + """SELECT ?code ?type (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?type { eg:Initiative eg:Collectivite }
  ?x a ?type ; eg:departementCode ?code .
} GROUP BY ?code ?type"""
)

# ?code bound: the initiatives and collectivités of a département.
DEPARTEMENT_ENTITIES_QUERY = (
    PREFIXES
    + """SELECT ?code ?x ?type ?label WHERE {
  VALUES ?type { eg:Initiative eg:Collectivite }
  ?x a ?type ; eg:departementCode ?code ; rdfs:label ?label .
}"""
)

MAX_PEERS = 6
MAX_ACTIONS = 4


@dataclass(slots=True)
class Action:
    """Something a collectivité did, as the graph states it, with the passage that says so."""

    verb: str
    target: str
    target_label: str
    passage: str


@dataclass(slots=True)
class Profile:
    """A collectivité: label, level, département and themes; `actions` what it did."""

    iri: str
    label: str
    level: str | None = None
    level_label: str | None = None
    departement: str | None = None
    themes: dict[str, str] = field(default_factory=dict)  # {theme IRI: label}
    actions: list[Action] = field(default_factory=list)
    same_level: bool = True
    shared_themes: list[str] = field(default_factory=list)  # labels


def profile(store: GraphStore, coll: str) -> Profile | None:
    """The profile of collectivité `coll` with its themes and actions, None when it is not one."""
    rows = select_bound(store, PROFILE_QUERY, {"coll": coll})
    if not rows:
        return None
    row = rows[0]
    out = Profile(
        iri=coll,
        label=row["label"],
        level=row.get("level"),
        level_label=row.get("levelLabel"),
        departement=row.get("code"),
    )
    for theme in select_bound(store, THEMES_QUERY, {"coll": coll}):
        out.themes.setdefault(theme["theme"], theme["themeLabel"])
    out.actions = actions(store, coll)
    return out


def actions(store: GraphStore, coll: str, limit: int = MAX_ACTIONS) -> list[Action]:
    """What `coll` did (levers used, initiatives supported, fundings, shares, contracts), each once, with
    its first evidence passage; at most `limit`."""
    found: dict[tuple[str, str], Action] = {}
    for row in select_bound(store, DEALS_QUERY, {"coll": coll}):
        verb = row["typeLabel"].lower()
        key = (verb, row["obj"])
        if key not in found:
            found[key] = Action(verb, row["obj"], row["objLabel"], row["passage"])
    for row in select_bound(store, ACTIONS_QUERY, {"coll": coll}):
        key = (row["predLabel"], row["obj"])
        if key not in found:
            found[key] = Action(row["predLabel"], row["obj"], row["objLabel"], row["passage"])
    seen_targets: set[str] = set()
    out: list[Action] = []
    for action in found.values():
        label = fold(action.target_label)
        if label in seen_targets:
            continue
        seen_targets.add(label)
        out.append(action)
    return out[:limit]


def similar(store: GraphStore, coll: str, limit: int = MAX_PEERS) -> tuple[Profile | None, list[Profile]]:
    """`coll`'s profile and the collectivités most like it: same level before a sibling level (same
    broader level), then the most themes shared, then those that did something the graph states; each
    with its actions. Spellings of one collectivité (same folded label) count once."""
    me = profile(store, coll)
    if me is None:
        return None, []
    peers: dict[str, Profile] = {}
    themes: dict[str, set[str]] = defaultdict(set)
    for row in store.select(COLLECTIVITE_THEMES_QUERY):
        themes[row["other"]].add(row["theme"])
    for row in select_bound(store, PEERS_QUERY, {"coll": coll}):
        other = row["other"]
        if other not in peers:
            peers[other] = Profile(
                iri=other,
                label=row["label"],
                level=row.get("olevel"),
                level_label=row.get("olevelLabel"),
                departement=row.get("code"),
                same_level=row["lv"] == "2",
            )
    mine = set(me.themes)
    ranked = sorted(
        peers.values(),
        key=lambda p: (not p.same_level, -len(themes[p.iri] & mine), -len(themes[p.iri]), fold(p.label)),
    )
    out: list[Profile] = []
    seen = {fold(me.label)}
    for peer in ranked:
        key = fold(peer.label)
        if key in seen:
            continue
        peer.actions = actions(store, peer.iri)
        if not peer.actions:  # nothing the graph can show it did
            continue
        seen.add(key)
        peer.shared_themes = sorted(me.themes[t] for t in themes[peer.iri] & mine)
        out.append(peer)
        if len(out) == limit:
            break
    return me, out


def departement_counts(store: GraphStore) -> dict[str, dict[str, int]]:
    """{département code: {"initiatives": n, "collectivites": n}} of the entities located there."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"initiatives": 0, "collectivites": 0})
    for row in store.select(DEPARTEMENT_COUNTS_QUERY):
        key = "initiatives" if row["type"].endswith("#Initiative") else "collectivites"
        out[row["code"]][key] += int(row["n"])
    return dict(out)


def departement_entities(store: GraphStore, code: str) -> list[tuple[str, str, str]]:
    """(IRI, kind "initiative" or "collectivite", label) of the entities of département `code`, one per
    IRI, sorted by kind then label."""
    found: dict[str, tuple[str, str, str]] = {}
    for row in select_bound(store, DEPARTEMENT_ENTITIES_QUERY, {"code": Literal(code)}):
        kind = "initiative" if row["type"].endswith("#Initiative") else "collectivite"
        found.setdefault(row["x"], (row["x"], kind, row["label"]))
    return sorted(found.values(), key=lambda item: (item[1] != "collectivite", fold(item[2])))


COLLECTIVITES_QUERY = PREFIXES + "SELECT DISTINCT ?c WHERE { ?c a eg:Collectivite } ORDER BY ?c"


def collectivites(store: GraphStore) -> list[str]:
    """IRIs of every collectivité of the graph."""
    return [row["c"] for row in store.select(COLLECTIVITES_QUERY)]
