"""essgraph: knowledge graph and French semantic search over RTES publications on the ESS."""

from __future__ import annotations

from essgraph.core.errors import EssgraphError
from essgraph.core.settings import Settings, get_settings

__all__ = ["EssgraphError", "Settings", "get_settings"]
__version__ = "0.1.0"
