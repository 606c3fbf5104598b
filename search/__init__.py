"""Search: French hybrid retrieval (BM25 + dense + thesaurus/graph signals) over passages."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Re-exports are resolved lazily so that `import search.cli` stays light for every CLI command.
_EXPORTS = {
    "SearchEngine": "search.engine",
    "SearchResult": "search.engine",
    "Hit": "search.engine",
    "PassageRecord": "search.records",
    "SectionInfo": "search.records",
    "EntityRef": "search.records",
    "FACET_KEYS": "search.records",
    "records_from_store": "search.records",
    "make_embedder": "search.embedders.factory",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """The re-exported object `name` (imported on first access); raises AttributeError otherwise."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    return getattr(import_module(module), name)
