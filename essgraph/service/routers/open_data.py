"""Open data at /data: the DCAT catalogue of the graph's dumps (French page or RDF) and the files."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from essgraph.core.errors import NotFound
from essgraph.graph.open_data import Manifest, catalogue_graph, ensure_dumps
from essgraph.service.deps import get_state
from essgraph.service.routers.entities import rdf_format, serialise
from essgraph.service.schemas import ERROR_RESPONSES, resource_response
from essgraph.service.state import ServiceState

router = APIRouter(tags=["données ouvertes"])

_SEEN_WRITES: dict[int, int] = {}  # id(state) → the service's write count the dumps were checked at
_SEEN_LOCK = threading.Lock()


def current_manifest(state: ServiceState) -> Manifest:
    """The dumps of the current graph, regenerated when the graph changed since they were written.

    The store's state (named graphs and their sizes) is compared with the manifest's; a write made
    through this service since the last check forces a rewrite even when every size stayed the same.
    """
    with _SEEN_LOCK:
        seen = _SEEN_WRITES.get(id(state))
        writes = state.writes
    manifest = ensure_dumps(state.store, state.settings.data_dir, force=seen is not None and seen != writes)
    with _SEEN_LOCK:
        _SEEN_WRITES[id(state)] = writes
    return manifest


def _publisher(state: ServiceState) -> str:
    return f"essgraph, d'après les publications de {state.settings.default_publisher}"


@router.get(
    "/data",
    responses={
        200: resource_response("Le catalogue DCAT des exports."),
        **ERROR_RESPONSES,
        406: {"description": "Format non disponible."},
    },
)
def catalogue(
    request: Request,
    state: Annotated[ServiceState, Depends(get_state)],
    format: Annotated[
        str | None, Query(description="html, ttl, jsonld, nt ou rdfxml (sinon : en-tête Accept).")
    ] = None,
) -> Response:
    """The DCAT catalogue of the open-data dumps (TriG, N-Quads, JSON-LD of the whole graph; CSV of the
    initiatives, collectivités, organisations and persons) with licence, date and size. The dumps are
    rewritten first when the graph changed (a few seconds)."""
    name = rdf_format(request, format)
    manifest = current_manifest(state)
    base = str(request.base_url).rstrip("/")
    graph = catalogue_graph(manifest, base, state.settings.open_data_license, _publisher(state))
    if name != "html":
        return serialise(graph, name)
    html = request.app.state.templates.get_template("data.html").render(
        request=request,
        manifest=manifest,
        license=state.settings.open_data_license,
        publisher=_publisher(state),
    )
    return HTMLResponse(html, headers={"Vary": "Accept"})


@router.get(
    "/data/{name}",
    responses={200: {"description": "Le fichier."}, **ERROR_RESPONSES},
    response_class=FileResponse,
)
def download(name: str, state: Annotated[ServiceState, Depends(get_state)]) -> FileResponse:
    """One file of the catalogue (its name as listed at /data), current with the graph."""
    manifest = current_manifest(state)
    entry = next((f for f in manifest.files if f.name == name), None)
    if entry is None:
        raise NotFound(
            f"Fichier « {name} » absent du catalogue (liste : /data).",
            f"File '{name}' is not in the catalogue (list: /data).",
        )
    media = entry.media_type + ("; charset=utf-8" if entry.media_type.startswith("text/") else "")
    return FileResponse(
        state.settings.data_dir / entry.name,
        media_type=media,
        filename=entry.name,
        headers={"Cache-Control": "no-cache", "ETag": f'"{entry.sha256}"'},
    )
