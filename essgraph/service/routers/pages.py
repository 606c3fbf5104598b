"""Server-rendered French pages: search for élus (/), documents, curation for staff."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from essgraph.core.errors import EssgraphError
from essgraph.search.records import FACET_KEYS
from essgraph.service.corrections import CORRECTION_HINTS, CORRECTION_KINDS, ENTITY_KINDS
from essgraph.service.deps import get_state
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


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    state: Annotated[ServiceState, Depends(get_state)],
    filters: Annotated[dict[str, list[str]], Depends(facet_filters)],
    q: Annotated[str, Query(max_length=100_000)] = "",
) -> HTMLResponse:
    """The search page for élus: one box, cited passages, entity chips, facets."""
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    status = 200
    if q.strip():
        try:
            result = run_search(state, q, None, filters, "hybrid")
        except EssgraphError as exc:
            error, status = exc.to_dict(), exc.status
    facets = _facet_links(q, filters, result["facets"]) if result else []
    active_filters = [
        {"label": FACET_LABELS_FR.get(k, k), "value": v} for k, vs in filters.items() for v in vs
    ]
    return _render(
        request,
        "index.html",
        status=status,
        q=q,
        result=result,
        error=error,
        facets=facets,
        active_filters=active_filters,
        reader=state.reader,
    )


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
