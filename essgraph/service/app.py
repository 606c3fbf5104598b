"""The FastAPI application factory: lifespan-opened state, routers, error format, limits, CORS."""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import as_file, files
from typing import Annotated, Any

import jinja2
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp

from essgraph.core.errors import StoreUnavailable
from essgraph.core.settings import Settings, get_settings
from essgraph.service.deps import get_state
from essgraph.service.elus import warm_cards
from essgraph.service.headers import SecurityHeadersMiddleware, install_log_redaction
from essgraph.service.limits import BodySizeLimitMiddleware
from essgraph.service.methods import MethodsMiddleware
from essgraph.service.schemas import Health
from essgraph.service.state import IngestorFactory, ServiceState, close_state, open_state, run_logged

log = logging.getLogger(__name__)

# Package resources (installed with the wheel): the pages' templates and static files, and the graph
# room's example SPARQL queries shown on /sparql.
TEMPLATES = ("essgraph.service", "templates")
STATIC = ("essgraph.service", "static")
DOCS_ASSETS = ("fastapi_offline", "static")  # Swagger UI's script and style, packaged (kept up to date there)
EXAMPLES = files("essgraph.graph") / "examples"
_MARK = re.compile(r"(</?mark>)")


def safe_highlight(fragment: str) -> Markup:
    """A highlighted passage safe to insert as HTML: every text run is (re-)escaped and only bare
    `<mark>`/`</mark>` tags survive, whatever the engine produced."""
    parts = _MARK.split(fragment or "")
    out = [part if part in ("<mark>", "</mark>") else html.escape(html.unescape(part)) for part in parts]
    opened = sum(1 for p in parts if p == "<mark>") - sum(1 for p in parts if p == "</mark>")
    out.extend(["</mark>"] * max(0, opened))
    return Markup("".join(out))


class EssgraphApp(FastAPI):
    """FastAPI with the security headers outermost: Starlette puts its server-error handler outside
    every added middleware, so headers added the usual way would be missing from 500 answers."""

    def build_middleware_stack(self) -> ASGIApp:
        """The usual stack, wrapped in SecurityHeadersMiddleware."""
        return SecurityHeadersMiddleware(super().build_middleware_stack())


def make_templates() -> jinja2.Environment:
    """The Jinja2 environment of the pages (autoescape on for every template)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(*TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["highlight"] = safe_highlight
    env.globals["site_name"] = "essgraph — ESS et collectivités"
    return env


def create_app(make_ingestor: IngestorFactory, settings: Settings | None = None) -> FastAPI:
    """The service for `settings` (default: the process settings), ingesting uploads through the
    ingestor `make_ingestor` builds (the application layer passes the pipeline). State is opened in
    the lifespan, so importing or building the app never touches the store."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with as_file(EXAMPLES) as examples:  # a real folder (the examples are read while opening)
            state = await run_in_threadpool(open_state, settings, examples, make_ingestor)
        app.state.service = state
        # the answer cards are built behind start-up, on the writer thread (an upload waits its turn)
        state.writer.submit(run_logged, functools.partial(warm_cards, state))
        log.info("essgraph service ready on %s", settings.home)
        try:
            yield
        finally:
            await run_in_threadpool(close_state, state)

    app = EssgraphApp(
        title="essgraph",
        summary="Graphe de connaissances et recherche sémantique de l'ESS (publications du RTES).",
        description=(
            "API de recherche, point d'accès SPARQL 1.1, données liées (/id/…) et curation. "
            "Toute erreur répond `{status, code, message, message_en, details?}`. Les routes d'équipe "
            "demandent un jeton `Authorization: Bearer …` (portées : write, curate, upload)."
        ),
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs is served below from packaged assets: it works offline, no CDN
        redoc_url=None,  # ReDoc would fetch its logo from its CDN: /docs alone is the API explorer
    )
    app.state.templates = make_templates()
    app.state.settings = settings

    from essgraph.service.errors import install_error_handlers
    from essgraph.service.routers import (
        concepts,
        corrections,
        documents,
        entities,
        links,
        open_data,
        pages,
        search,
        sparql,
        splits,
        staff,
        vocabulary,
    )

    install_error_handlers(app)
    for module in (search, sparql, entities, concepts, documents, links, corrections, splits, staff, pages):
        app.include_router(module.router)
    for module in (vocabulary, open_data):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(packages=[STATIC]), name="static")
    app.mount("/static-docs", StaticFiles(packages=[DOCS_ASSETS]), name="static-docs")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        """The interactive API documentation, its script and style served by this service (no CDN)."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="essgraph — API",
            swagger_js_url="/static-docs/swagger-ui-bundle.js",
            swagger_css_url="/static-docs/swagger-ui.css",
            swagger_favicon_url="/static-docs/favicon.png",
            swagger_ui_parameters={"defaultModelsExpandDepth": 0},
        )

    @app.get("/health", response_model=Health, tags=["service"])
    def health(state: Annotated[ServiceState, Depends(get_state)]) -> dict[str, Any]:
        """Answers once the store, indexes and SPARQL workers are open; 'degraded' (still 200) while
        the graph store, a SPARQL server, does not answer."""
        try:
            quads: int | None = state.store.quad_count()
        except StoreUnavailable:
            quads = None
        vectors = state.engine.snapshot.vectors
        return {
            "status": "ok" if quads is not None else "degraded",
            "store_reachable": quads is not None,
            "documents": len(state.engine.doc_ids()),
            "passages": len(state.engine.records),
            "quads": quads,
            "sparql_network_isolated": state.sparql.network_isolated,
            "recovered_uploads": state.recovered_uploads,
            "index_unavailable": None if vectors is None else vectors.unavailable(),
        }

    app.add_middleware(MethodsMiddleware, routes=app.router.routes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    app.add_middleware(BodySizeLimitMiddleware, limit=settings.max_upload_bytes)
    install_log_redaction()
    return app
