"""The ESS ontology, SHACL shapes and SKOS thesaurus, with Python access to their terms."""

from __future__ import annotations

from pathlib import Path

from essgraph.ontology.namespace import CONCEPT, EG, ESSGLOBAL, INSEE, INSEE_DEP, ORG, REGORG, SCHEMA

ONTOLOGY_DIR = Path(__file__).resolve().parent

__all__ = ["CONCEPT", "EG", "ESSGLOBAL", "INSEE", "INSEE_DEP", "ONTOLOGY_DIR", "ORG", "REGORG", "SCHEMA"]
