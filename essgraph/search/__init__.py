"""Search: French hybrid retrieval (BM25 + dense + thesaurus/graph signals) over passages."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Re-exports are resolved lazily so that `import search.cli` stays light for every CLI command.
_EXPORTS = {
    "SearchEngine": "essgraph.search.engine",
    "SearchResult": "essgraph.search.results",
    "Hit": "essgraph.search.results",
    "PassageRecord": "essgraph.search.records",
    "SectionInfo": "essgraph.search.records",
    "EntityRef": "essgraph.search.records",
    "FACET_KEYS": "essgraph.search.records",
    "records_from_store": "essgraph.search.records",
    "make_embedder": "essgraph.search.embedders.factory",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """The re-exported object `name` (imported on first access); raises AttributeError otherwise."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    return getattr(import_module(module), name)
