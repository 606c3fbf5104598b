"""Server-rendered French pages: search for élus (/), documents, curation for staff."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from essgraph.core.errors import EssgraphError
from essgraph.search.kinds import KIND_LABELS_FR
from essgraph.search.records import FACET_KEYS
from essgraph.service import sizes
from essgraph.service.corrections import CORRECTION_HINTS, CORRECTION_KINDS, ENTITY_KINDS
from essgraph.service.deps import get_state
from essgraph.service.elus import departement_view, map_view, similar_json
from essgraph.service.negotiation import prefers_html
from essgraph.service.routers.search import FACET_LABELS_FR, facet_filters, run_search
from essgraph.service.state import ServiceState

router = APIRouter(include_in_schema=False)


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = request.app.state.templates.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


def _facet_links(
    q: str, filters: dict[str, list[str]], facets: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Facet groups for the page: each value with the URL that adds (or removes) it as a filter."""
    groups: list[dict[str, Any]] = []
    for key in FACET_KEYS:
        values = facets.get(key) or []
        if not values:
            continue
        items = []
        for value in values[:12]:
            current = filters.get(key, [])
            active = value["value"] in current
            new_filters = {k: list(v) for k, v in filters.items()}
            new_filters[key] = (
                [v for v in current if v != value["value"]] if active else [*current, value["value"]]
            )
            params: list[tuple[str, str]] = [("q", q)]
            params += [(k, v) for k, vs in new_filters.items() for v in vs]
            items.append({**value, "active": active, "url": "/?" + urlencode(params)})
        groups.append({"key": key, "label": FACET_LABELS_FR.get(key, key), "values": items})
    return groups


def _section_groups(hits: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The hits in rank order, each with the later hits of its section (`same_section`) put right after
    it: one group per section, placed where its best hit ranks."""
    by_passage = {hit["passage"]: hit for hit in hits}
    placed: set[str] = set()
    groups: list[list[dict[str, Any]]] = []
    for hit in hits:
        if hit["passage"] in placed:
            continue
        group = [hit, *(by_passage[p] for p in hit.get("same_section") or [] if p in by_passage)]
        group = [h for h in group if h["passage"] not in placed]
        placed.update(h["passage"] for h in group)
        groups.append(group)
    return groups


def _inline_error(request: Request, exc: EssgraphError) -> tuple[dict[str, Any], int]:
    """The error body and status a page shows inline (the search box kept) when a browser asked for HTML;
    raises `exc` again otherwise, so that a client asking for JSON (or naming no format) gets the one
    documented error shape, as for a parameter FastAPI refuses on the same page."""
    if not prefers_html(request.headers.get("accept")):
        raise exc
    return exc.to_dict(), exc.status


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    state: Annotated[ServiceState, Depends(get_state)],
    filters: Annotated[dict[str, list[str]], Depends(facet_filters)],
    q: Annotated[str, Query(max_length=sizes.PAGE_QUERY_CHARS)] = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """The search page for élus: one box, cited passages (those of one section shown together), entity
    chips, facets, « voir plus » for the next page, and the reason plus suggestions when nothing fits."""
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    status = 200
    if q.strip():
        try:
            result = run_search(state, q, None, filters, "hybrid", offset)
        except EssgraphError as exc:
            error, status = _inline_error(request, exc)
    facets = _facet_links(q, filters, result["facets"]) if result else []
    active_filters = [
        {"label": FACET_LABELS_FR.get(k, k), "value": v} for k, vs in filters.items() for v in vs
    ]
    if q.strip():
        selected = filters.get("departement", [])

        def link(code: str) -> str:
            """The search with département `code` added as a filter (or removed when it is one)."""
            chosen = [c for c in selected if c != code] if code in selected else [*selected, code]
            others = [(key, v) for key, vs in filters.items() if key != "departement" for v in vs]
            return "/?" + urlencode([("q", q), *others, *(("departement", c) for c in chosen)])

        territory = map_view(state, link, selected)
    else:
        territory = map_view(state, lambda code: "/carte?" + urlencode({"departement": code}), [])
    more_url = None
    if result and result["hits"] and offset + len(result["hits"]) < result["total"]:
        params = [("q", q), *((key, v) for key, vs in filters.items() for v in vs)]
        more_url = "/?" + urlencode([*params, ("offset", str(offset + state.settings.default_top_k))])
    return _render(
        request,
        "index.html",
        status=status,
        q=q,
        offset=offset,
        more_url=more_url,
        groups=_section_groups(result["hits"]) if result else [],
        kind_labels=KIND_LABELS_FR,
        result=result,
        error=error,
        facets=facets,
        active_filters=active_filters,
        reader=state.reader,
        territory=territory,
    )


@router.get("/carte", response_class=HTMLResponse)
def map_page(
    request: Request,
    state: Annotated[ServiceState, Depends(get_state)],
    departement: Annotated[str, Query(max_length=sizes.DEPARTEMENT_CHARS)] = "",
) -> HTMLResponse:
    """The map of initiatives and collectivités by département; a chosen département lists them and
    offers a search filtered on it."""
    chosen = departement.upper()
    view = departement_view(state, chosen) if chosen else None
    territory = map_view(state, lambda code: "/carte?" + urlencode({"departement": code}), [chosen])
    return _render(request, "carte.html", territory=territory, chosen=view)


@router.get("/comme-la-mienne", response_class=HTMLResponse)
def like_mine_page(
    request: Request,
    state: Annotated[ServiceState, Depends(get_state)],
    collectivite: Annotated[str, Query(max_length=sizes.IRI_CHARS)] = "",
) -> HTMLResponse:
    """« Collectivités comme la mienne »: pick a collectivité (search as you type), see those of the
    same level and themes and what they did, with sources."""
    found: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    status = 200
    if collectivite:
        try:
            found = similar_json(state, collectivite)
        except EssgraphError as exc:
            error, status = _inline_error(request, exc)
    return _render(request, "comme_la_mienne.html", status=status, found=found, error=error)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, state: Annotated[ServiceState, Depends(get_state)]) -> HTMLResponse:
    """The list of ingested documents and their sections."""
    return _render(request, "documents.html", documents=state.reader.documents(), reader=state.reader)


@router.get("/curation", response_class=HTMLResponse)
def curation_page(request: Request, state: Annotated[ServiceState, Depends(get_state)]) -> HTMLResponse:
    """The staff curation page (the token stays in the browser's sessionStorage)."""
    return _render(
        request,
        "curation.html",
        entity_kinds=[(k.key, k.label) for k in ENTITY_KINDS if k.key != "initiative"],
        correction_kinds=list(CORRECTION_KINDS.items()),
        correction_hints=CORRECTION_HINTS,
    )
