"""The ESS ontology, SHACL shapes and SKOS thesaurus, with Python access to their terms."""

from __future__ import annotations

from essgraph.ontology.namespace import CONCEPT, EG, ESSGLOBAL, INSEE, INSEE_DEP, ORG, REGORG, SCHEMA

__all__ = ["CONCEPT", "EG", "ESSGLOBAL", "INSEE", "INSEE_DEP", "ORG", "REGORG", "SCHEMA"]
