"""The store factory: the backend named by the settings, behind the GraphStore base class."""

from __future__ import annotations

from essgraph.core.errors import ConfigError
from essgraph.core.settings import Settings
from essgraph.graph.store import GraphStore


def open_store(settings: Settings, read_only: bool = False) -> GraphStore:
    """Factory: the store backend named by `settings.store_backend`: the embedded store on
    `settings.graph_dir` (oxigraph) or a SPARQL 1.1 server at the `sparql_*_url` settings (sparql)."""
    if settings.store_backend == "oxigraph":
        from essgraph.graph.oxigraph_store import OxigraphStore

        return OxigraphStore(settings.graph_dir, read_only=read_only, retries=settings.store_read_retries)
    if settings.store_backend == "sparql":
        from essgraph.graph.sparql_store import SparqlStore

        return SparqlStore(settings, read_only=read_only)
    raise ConfigError(
        f"moteur de stockage inconnu : {settings.store_backend!r} (attendu : oxigraph ou sparql)",
        f"unknown store backend: {settings.store_backend!r} (expected: oxigraph or sparql)",
    )
