"""Offline knowledge extraction: entities, relations and concepts of a ParsedDocument (rules + spaCy NER)."""

from __future__ import annotations

from typing import Any

from essgraph.core.model import Extraction, ParsedDocument
from essgraph.core.settings import Settings, get_settings
from essgraph.ingest.extract.pipeline import Extractor

__all__ = ["extract"]


def extract(doc: ParsedDocument, thesaurus: Any = None, settings: Settings | None = None) -> Extraction:
    """Entities, relations, passage concepts and fiche cross-references of `doc`; returns an Extraction.

    `thesaurus` is the SKOS thesaurus (ontology.thesaurus.load_thesaurus()); it gives passage concepts
    (dcterms:subject), the lever of each Kit fiche and extra organisation aliases. It may be None.
    Raises ConfigError when the spaCy model is missing.
    """
    return Extractor(doc, thesaurus, settings or get_settings()).run()
