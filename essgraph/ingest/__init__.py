"""Ingest: read, clean and segment documents, then extract entities and relations (no RDF here)."""

from __future__ import annotations

from essgraph.core.model import (
    Entity,
    Extraction,
    Link,
    ListedItem,
    ParsedDocument,
    Passage,
    Relation,
    Section,
)
from essgraph.ingest.reading import read_document

__all__ = [
    "Entity",
    "Extraction",
    "Link",
    "ListedItem",
    "ParsedDocument",
    "Passage",
    "Relation",
    "Section",
    "read_document",
]
