"""The ontology's own terms at /def and /def/{term}: a French HTML page for browsers, RDF by Accept."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

import rdflib
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from essgraph.core.errors import BadInput, NotFound
from essgraph.ontology.namespace import EG_IRI
from essgraph.ontology.thesaurus import ESSGRAPH_TTL, parse_turtle
from essgraph.service.routers.entities import rdf_format, serialise
from essgraph.service.schemas import ERROR_RESPONSES, resource_response

router = APIRouter(tags=["ontologie"])

ONTOLOGY_IRI = EG_IRI.rstrip("#/")
_KINDS: list[tuple[rdflib.URIRef, str]] = [
    (OWL.Class, "Classe"),
    (OWL.ObjectProperty, "Propriété (relation)"),
    (OWL.DatatypeProperty, "Propriété (valeur)"),
    (OWL.AnnotationProperty, "Propriété d'annotation"),
    (RDF.Property, "Propriété"),
]
# the predicates a term's page shows, with their French names
_SHOWN: list[tuple[rdflib.URIRef, str]] = [
    (RDFS.subClassOf, "Sous-classe de"),
    (RDFS.subPropertyOf, "Sous-propriété de"),
    (RDFS.domain, "Domaine"),
    (RDFS.range, "Portée (valeurs)"),
    (OWL.equivalentClass, "Classe équivalente"),
    (OWL.equivalentProperty, "Propriété équivalente"),
    (OWL.inverseOf, "Inverse de"),
    (SKOS.closeMatch, "Proche de"),
    (SKOS.exactMatch, "Identique à"),
]
_RESPONSES = {
    200: resource_response("Le vocabulaire ou le terme."),
    **ERROR_RESPONSES,
    406: {"description": "Format non disponible."},
}


@dataclass(frozen=True, slots=True)
class TermLink:
    """A term a page links to: its IRI, its readable name and its page (None outside the ontology)."""

    iri: str
    label: str
    path: str | None


@dataclass(frozen=True, slots=True)
class TermView:
    """One ontology term as its page shows it."""

    iri: str
    name: str
    kind: str
    label_fr: str
    label_en: str
    comment: str
    facts: list[tuple[str, list[TermLink]]]
    used_by: list[TermLink]


@lru_cache(maxsize=1)
def ontology() -> rdflib.Graph:
    """The ontology file (essgraph.ttl, package data) parsed once; the thesaurus lives at /id/concept."""
    return parse_turtle(rdflib.Graph(), ESSGRAPH_TTL)


def _text(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef, lang: str) -> str:
    values = list(graph.objects(node, predicate))
    for value in values:
        if isinstance(value, rdflib.Literal) and value.language == lang:
            return str(value)
    plain = [str(v) for v in values if isinstance(v, rdflib.Literal) and not v.language]
    return plain[0] if plain else ""


def _name(iri: str) -> str:
    return iri[len(EG_IRI) :] if iri.startswith(EG_IRI) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _link(graph: rdflib.Graph, node: rdflib.term.Node) -> TermLink:
    iri = str(node)
    label = _text(graph, node, RDFS.label, "fr") or _name(iri)
    path = f"/def/{_name(iri)}" if iri.startswith(EG_IRI) else None
    return TermLink(iri, label, path)


def _kind(graph: rdflib.Graph, node: rdflib.URIRef) -> str | None:
    types = set(graph.objects(node, RDF.type))
    return next((name for kind, name in _KINDS if kind in types), None)


def terms(graph: rdflib.Graph) -> list[TermView]:
    """Every term of the eg: namespace the ontology defines, classes first, then by name."""
    found = [
        node
        for node in set(graph.subjects(RDF.type, None))
        if isinstance(node, rdflib.URIRef) and str(node).startswith(EG_IRI) and _kind(graph, node)
    ]
    order = {name: rank for rank, (_, name) in enumerate(_KINDS)}
    views = [term_view(graph, node) for node in found]
    return sorted(views, key=lambda v: (order[v.kind], v.name.lower()))


def term_view(graph: rdflib.Graph, node: rdflib.URIRef) -> TermView:
    """The page of one term: labels, comment, axioms, and the properties that point at it."""
    facts = []
    for predicate, title in _SHOWN:
        linked = sorted(
            (_link(graph, o) for o in graph.objects(node, predicate) if isinstance(o, rdflib.URIRef)),
            key=lambda link: link.label,
        )
        if linked:
            facts.append((title, linked))
    used_by = sorted(
        {_link(graph, s) for s in graph.subjects(RDFS.domain, node) if isinstance(s, rdflib.URIRef)}
        | {_link(graph, s) for s in graph.subjects(RDFS.range, node) if isinstance(s, rdflib.URIRef)},
        key=lambda link: link.label,
    )
    return TermView(
        iri=str(node),
        name=_name(str(node)),
        kind=_kind(graph, node) or "Terme",
        label_fr=_text(graph, node, RDFS.label, "fr") or _name(str(node)),
        label_en=_text(graph, node, RDFS.label, "en"),
        comment=_text(graph, node, RDFS.comment, "fr") or _text(graph, node, SKOS.definition, "fr"),
        facts=facts,
        used_by=used_by,
    )


def term_graph(graph: rdflib.Graph, node: rdflib.URIRef) -> rdflib.Graph:
    """The triples whose subject is `node`, with the ontology's prefixes bound."""
    out = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for predicate, obj in graph.predicate_objects(node):
        out.add((node, predicate, obj))
    return out


@router.get("/def", responses=_RESPONSES)
def vocabulary(
    request: Request,
    format: Annotated[
        str | None, Query(description="html, ttl, jsonld, nt ou rdfxml (sinon : en-tête Accept).")
    ] = None,
) -> Response:
    """The ontology (`eg:` = <https://w3id.org/essgraph/def#>): the list of its terms as a French page,
    or the whole ontology file as Turtle, JSON-LD, N-Triples or RDF/XML."""
    graph = ontology()
    name = rdf_format(request, format)
    if name != "html":
        return serialise(graph, name)
    html = request.app.state.templates.get_template("vocabulary.html").render(
        request=request,
        ontology_iri=ONTOLOGY_IRI,
        namespace=EG_IRI,
        title=_text(graph, rdflib.URIRef(ONTOLOGY_IRI), rdflib.DCTERMS.title, "fr"),
        terms=terms(graph),
        term=None,
    )
    return HTMLResponse(html, headers={"Vary": "Accept"})


@router.get("/def/{term}", responses=_RESPONSES)
def vocabulary_term(
    term: str,
    request: Request,
    format: Annotated[
        str | None, Query(description="html, ttl, jsonld, nt ou rdfxml (sinon : en-tête Accept).")
    ] = None,
) -> Response:
    """One term of the ontology (`/def/Initiative` for eg:Initiative): its page, or its triples in RDF;
    404 when the ontology does not define it."""
    if not term or len(term) > 200 or not term.replace("_", "").replace("-", "").isalnum():
        raise BadInput("Nom de terme invalide.", "Invalid term name.")
    graph = ontology()
    node = rdflib.URIRef(EG_IRI + term)
    if _kind(graph, node) is None:
        raise NotFound(
            f"Terme « {term} » absent de l'ontologie (liste : /def).",
            f"Term '{term}' is not in the ontology (list: /def).",
        )
    name = rdf_format(request, format)
    if name != "html":
        return serialise(term_graph(graph, node), name)
    html = request.app.state.templates.get_template("vocabulary.html").render(
        request=request,
        ontology_iri=ONTOLOGY_IRI,
        namespace=EG_IRI,
        title=_text(graph, rdflib.URIRef(ONTOLOGY_IRI), rdflib.DCTERMS.title, "fr"),
        terms=[],
        term=term_view(graph, node),
    )
    return HTMLResponse(html, headers={"Vary": "Accept"})
