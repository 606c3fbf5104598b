"""The store factory: the backend named by the settings, behind the GraphStore base class."""

from __future__ import annotations

from essgraph.core.errors import ConfigError
from essgraph.core.settings import Settings
from essgraph.graph.store import GraphStore


def open_store(settings: Settings, read_only: bool = False) -> GraphStore:
    """Factory: the store backend named by `settings.store_backend` on `settings.graph_dir`."""
    if settings.store_backend == "oxigraph":
        from essgraph.graph.oxigraph_store import OxigraphStore

        return OxigraphStore(settings.graph_dir, read_only=read_only, retries=settings.store_read_retries)
    raise ConfigError(
        f"moteur de stockage inconnu : {settings.store_backend!r} (attendu : oxigraph)",
        f"unknown store backend: {settings.store_backend!r} (expected: oxigraph)",
    )
