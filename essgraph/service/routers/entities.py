"""Entities: autocomplete (/api/entities) and linked-data dereferencing of minted IRIs (/id/…)."""

from __future__ import annotations

from typing import Annotated, Any

import rdflib
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from rdflib.namespace import DCTERMS, OWL, PROV, RDFS, SKOS, XSD

from essgraph.core.errors import BadInput, UnsupportedFormat
from essgraph.graph.bindings import checked_iri
from essgraph.graph.queries import entities as queries
from essgraph.ontology.namespace import EG_IRI
from essgraph.service import sizes
from essgraph.service.deps import get_state
from essgraph.service.jsonld import compact
from essgraph.service.negotiation import HTML, pick_format
from essgraph.service.repository import KINDS, GraphReader, kind_for
from essgraph.service.routers.sparql import GRAPH_ACCEPT
from essgraph.service.schemas import ERROR_RESPONSES, EntityHitOut, resource_response
from essgraph.service.state import ServiceState

router = APIRouter(tags=["entités"])

# the RDF a description is served in (a description is triples: no N-Quads/TriG, see /data for those)
RDF_OUT: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
    "rdfxml": ("xml", "application/rdf+xml"),
}
_ACCEPT: list[tuple[str, str]] = [
    *((media, name) for media, name in GRAPH_ACCEPT if name in RDF_OUT),
    (HTML, "html"),
]


@router.get("/api/entities", response_model=list[EntityHitOut], responses=ERROR_RESPONSES)
def entities(
    state: Annotated[ServiceState, Depends(get_state)],
    q: Annotated[
        str,
        Query(
            description="Début ou partie d'un libellé (accents et casse ignorés).",
            max_length=sizes.TYPED_NAME_CHARS,
        ),
    ] = "",
    type: Annotated[
        str | None,
        Query(description="Type : " + ", ".join(k.key for k in KINDS) + " (ou le nom de la classe)."),
    ] = None,
    limit: Annotated[int | None, Query(ge=1, description="Nombre maximal de réponses.")] = None,
) -> list[dict[str, Any]]:
    """Entities whose label or variant contains `q`, prefix matches first (autocomplete)."""
    if type and kind_for(type) is None:
        raise BadInput(
            f"Type inconnu « {type} » ; types possibles : {', '.join(k.key for k in KINDS)}.",
            f"Unknown type {type!r}.",
            valid=[k.key for k in KINDS],
        )
    top = min(limit or state.settings.autocomplete_limit, state.settings.autocomplete_limit)
    hits = state.reader.autocomplete(q, type, top)
    return [
        {"iri": h.iri, "label": h.label, "kind": h.kind, "path": h.path, "matched": h.matched} for h in hits
    ]


def describe_graph(reader: GraphReader, target: str) -> rdflib.Graph:
    """The triples about `target` (outgoing and incoming, across all named graphs) as an rdflib Graph."""
    node = checked_iri(target)
    graph = rdflib.Graph()
    for prefix, namespace in (
        ("eg", EG_IRI),
        ("rdfs", str(RDFS)),
        ("skos", str(SKOS)),
        ("dcterms", str(DCTERMS)),
        ("prov", str(PROV)),
        ("owl", str(OWL)),
        ("xsd", str(XSD)),
    ):
        graph.bind(prefix, namespace)
    graph.bind("id", reader.base)
    rows = reader.store.select(queries.DESCRIBE, {"node": node})
    for row in rows:
        subject: rdflib.term.Node = (
            rdflib.BNode(row["s"]) if row.get("sb") == "true" else rdflib.URIRef(row["s"])
        )
        obj: rdflib.term.Node
        if row.get("oi") == "true":
            obj = rdflib.URIRef(row["o"])
        elif row.get("ob") == "true":
            obj = rdflib.BNode(row["o"])
        elif row.get("lang"):
            obj = rdflib.Literal(row["o"], lang=row["lang"])
        else:
            obj = rdflib.Literal(row["o"], datatype=rdflib.URIRef(row["dt"]) if row.get("dt") else None)
        graph.add((subject, rdflib.URIRef(row["p"]), obj))
    return graph


def rdf_format(request: Request, fmt: str | None, with_html: bool = True) -> str:
    """The format name to describe a resource in, by `format=` and Accept (negotiation.pick_format);
    raises UnsupportedFormat (406) when nothing asked is available."""
    pairs = _ACCEPT if with_html else [pair for pair in _ACCEPT if pair[1] != "html"]
    chosen = pick_format(
        [fmt] if fmt else [],
        request.headers.get("accept"),
        [pair for pair in pairs if pair[1] != "html"],
        {"json": "jsonld", "xml": "rdfxml"},
        allow_html=with_html,
    )
    if chosen is None:
        names = ", ".join([*(["html"] if with_html else []), *RDF_OUT])
        raise UnsupportedFormat(
            f"Format demandé indisponible ({names} : par « format= » ou l'en-tête Accept).",
            f"The requested format is not available ({names}: by 'format=' or the Accept header).",
            formats=[*(["html"] if with_html else []), *RDF_OUT],
        )
    return chosen


def serialise(graph: rdflib.Graph, name: str) -> Response:
    """`graph` in the RDF format `name` (RDF_OUT); JSON-LD is compact with a small context (the
    prefixes the graph uses, service/jsonld.py), so keys read `rdfs:label` rather than full IRIs."""
    rdflib_format, media = RDF_OUT[name]
    body = compact(graph) if name == "jsonld" else graph.serialize(format=rdflib_format)
    return Response(content=body, media_type=media, headers={"Vary": "Accept"})


def entity_response(request: Request, state: ServiceState, target: str, fmt: str | None) -> Response:
    """The entity `target` as an HTML page or RDF, by `fmt` or the Accept header; 404 when unknown."""
    name = rdf_format(request, fmt)
    if name == "html":
        kept = state.reader.curated_view().canonical_of(target)
        path = state.reader.path_for(kept)
        if kept != target and path is not None:
            return RedirectResponse(path, status_code=303, headers={"Vary": "Accept"})
        view = state.reader.describe(target)
        html = request.app.state.templates.get_template("entity.html").render(
            request=request, entity=view, reader=state.reader, base_iri=state.settings.base_iri
        )
        return HTMLResponse(html, headers={"Vary": "Accept"})
    if not state.reader.exists(target):
        state.reader.describe(target)  # raises NotFound with the uniform message
    return serialise(describe_graph(state.reader, target), name)


@router.get(
    "/id/{path:path}",
    responses={
        200: resource_response("La ressource."),
        **ERROR_RESPONSES,
        406: {"description": "Format non disponible."},
    },
)
def dereference(
    path: str,
    request: Request,
    state: Annotated[ServiceState, Depends(get_state)],
    format: Annotated[
        str | None, Query(description="html, ttl, jsonld, nt, rdfxml ou un alias (sinon : en-tête Accept).")
    ] = None,
) -> Response:
    """Dereference a minted IRI `{base_iri}{path}`: HTML for browsers, Turtle / JSON-LD / N-Triples /
    RDF/XML by Accept or `?format=`; 404 when the graph does not know it."""
    if not path or len(path) > 1024:
        raise BadInput("Chemin d'entité invalide.", "Invalid entity path.")
    target = state.reader.resolve_path(path)
    return entity_response(request, state, target, format)
