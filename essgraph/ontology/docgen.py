"""Generates docs/ontology.md from the Turtle files: `python -m essgraph.ontology.docgen`."""

from __future__ import annotations

import sys
from collections import Counter

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from essgraph.ontology.namespace import EG_IRI, INSEE
from essgraph.ontology.thesaurus import ESSGRAPH_TTL, GEO_TTL, load_thesaurus, parse_turtle

_PREFIXES = {
    EG_IRI: "eg:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/ns/regorg#": "rov:",
    "https://schema.org/": "schema:",
    "http://purl.org/essglobal/vocab/": "essglobal:",
    "http://rdf.insee.fr/def/geo#": "igeo:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
}


def _curie(node: Node) -> str:
    text = str(node)
    for iri, prefix in _PREFIXES.items():
        if text.startswith(iri):
            return f"`{prefix}{text[len(iri) :]}`"
    return f"<{text}>"


def _label(graph: Graph, node: Node, lang: str) -> str:
    for value in graph.objects(node, RDFS.label):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


def _comment(graph: Graph, node: Node) -> str:
    for value in graph.objects(node, RDFS.comment):
        if getattr(value, "language", None) == "fr":
            return " ".join(str(value).split())
    return ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _join(nodes: list[Node]) -> str:
    return ", ".join(_curie(n) for n in sorted(nodes, key=str)) or "—"


def render() -> str:
    """The Markdown text of docs/ontology.md (deterministic for unchanged Turtle files)."""
    graph = parse_turtle(Graph(), ESSGRAPH_TTL)
    geo = parse_turtle(Graph(), GEO_TTL)
    thesaurus = load_thesaurus()
    ours = [s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(EG_IRI)]
    classes = sorted({s for s in ours if (s, RDF.type, OWL.Class) in graph}, key=str)
    properties = sorted(
        {
            s
            for s in ours
            if (s, RDF.type, OWL.ObjectProperty) in graph or (s, RDF.type, OWL.DatatypeProperty) in graph
        },
        key=str,
    )
    lines = [
        "# Ontologie essgraph",
        "",
        "<!-- Generated from ontology/*.ttl by `python -m essgraph.ontology.docgen > docs/ontology.md`. -->",
        "",
        f"Espace de noms `eg:` = `{EG_IRI}` — {len(classes)} classes, {len(properties)} propriétés.",
        "",
        _comment(graph, URIRef(EG_IRI.rstrip("#"))),
        "",
        "## Classes",
        "",
        "| Classe | Libellé (fr / en) | Sous-classe de / alignements | Description |",
        "|---|---|---|---|",
    ]
    for cls in classes:
        supers = list(graph.objects(cls, RDFS.subClassOf)) + list(graph.objects(cls, OWL.equivalentClass))
        lines.append(
            f"| {_curie(cls)} | {_cell(_label(graph, cls, 'fr'))} / {_cell(_label(graph, cls, 'en'))} "
            f"| {_join(supers)} | {_cell(_comment(graph, cls))} |"
        )
    lines += [
        "",
        "## Propriétés",
        "",
        "| Propriété | Type | Libellé (fr) | Domaine | Portée | Alignements | Description |",
        "|---|---|---|---|---|---|---|",
    ]
    for prop in properties:
        kind = "objet" if (prop, RDF.type, OWL.ObjectProperty) in graph else "donnée"
        aligned = list(graph.objects(prop, RDFS.subPropertyOf)) + list(
            graph.objects(prop, OWL.equivalentProperty)
        )
        domain = _join(list(graph.objects(prop, RDFS.domain)))
        range_ = _join(list(graph.objects(prop, RDFS.range)))
        lines.append(
            f"| {_curie(prop)} | {kind} | {_cell(_label(graph, prop, 'fr'))} | {domain} | {range_} "
            f"| {_join(aligned)} | {_cell(_comment(graph, prop))} |"
        )
    departements = sum(1 for _ in geo.subjects(RDF.type, INSEE.Departement))
    regions = sum(1 for _ in geo.subjects(RDF.type, INSEE.Region))
    counts = Counter(c.scheme for c in thesaurus.concepts)
    concepts_total = sum(1 for c in thesaurus.concepts if c.kind == "concept")
    organisations = thesaurus.organisations()
    usage_labels = sum(len(c.usage_labels) for c in thesaurus.concepts)
    lines += [
        "",
        "## Thésaurus SKOS",
        "",
        f"{concepts_total} concepts et {len(organisations)} organisations de référence, "
        f"{sum(len(c.labels) for c in thesaurus.concepts)} libellés (préférés, alternatifs, cachés) et "
        f"{usage_labels} libellés d'usage (eg:usageLabel, sous-propriété de skos:hiddenLabel : les mots "
        "des élus, agents et chercheurs, ontology/thesaurus/usages.ttl ; la "
        "recherche seule les lit, `essgraph eval thesaurus` vérifie leur couverture).",
        "",
        "| Schéma | Concepts | Concepts de tête |",
        "|---|---|---|",
    ]
    for scheme in thesaurus.schemes():
        members = thesaurus.in_scheme(scheme)
        tops = sorted((c.pref_label for c in members if c.top), key=str.lower)
        lines.append(f"| <{scheme}> | {counts[scheme]} | {_cell(' ; '.join(tops)) or '—'} |")
    lines += [
        "",
        "## Organisations de référence",
        "",
        f"{len(organisations)} organisations (ontology/thesaurus/organisations.ttl) :",
        "",
        ", ".join(sorted((o.pref_label for o in organisations), key=str.lower)) + ".",
        "",
        "## Géographie",
        "",
        f"ontology/geo.ttl : {departements} départements et {regions} régions de la géographie INSEE "
        "(`igeo:Departement`, `igeo:Region`, `igeo:subdivisionDe`).",
        "",
    ]
    lines += _skos_note()
    return "\n".join(lines)


def _skos_note() -> list[str]:
    """Closing note on how concepts are linked (kept short and derived from the ontology)."""
    return [
        "## Liens vers le thésaurus",
        "",
        "Les propriétés de portée `skos:Concept` prennent leurs valeurs dans les schémas ci-dessus : "
        "`eg:legalForm` (formes-juridiques), `eg:collectiviteLevel` (niveaux-collectivite), "
        "`eg:theme` (thematiques), `eg:illustratesLever`/`eg:usesLever`/`eg:contractKind` (leviers), "
        "`eg:sectionKind` (types-de-section), `eg:eventStatus` (statuts-evenement) ; "
        "les formes SHACL (ontology/shapes.ttl) le vérifient.",
        "",
    ]


def main() -> int:
    """Print docs/ontology.md on standard output; returns the exit code."""
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
