"""Versions of the steps that turn a file into an Extraction: bump one when that step's output changes.

The journal stores the combined version with each file, and a file is re-ingested when it differs, so a
change of what is extracted re-extracts, while reformatting or refactoring code does not. Data files
(the lexicon, the geography tables, the communes and EPCI data) enter by a digest of their content,
not of their source text.
"""

from __future__ import annotations

import hashlib
import sys

from essgraph.ingest.extract.lexicon import load_lexicon
from essgraph.ingest.extract.pipeline import Extractor
from essgraph.ontology.communes import data_digest
from essgraph.ontology.geography import DEPARTEMENTS, REGIONS

# Each step and rule family, with the version of its output. Bump the one whose output changes.
STEP_VERSIONS: dict[str, str] = {
    "readers": "4",  # text, Markdown, HTML (its own address), PDF, CSV/JSON/JSON-lines records
    "cleaning": "2",
    "segmentation": "4",  # printed page ranges of the sections a table of contents lists
    "mentions": "11",  # gazetteer, legal-form, collectivité names; communes (not a longer name's start)
    "phrases": "8",  # named phrases: head nouns; place-named kinds; calls; owners cut; kind + place orgs
    "clause": "9",  # extract/clauses.py: subjects, clitics, participles, dates, « avec », « entre », gifts
    "records": "1",  # rows of record files as entities
    "entries": "4",  # member, signatory and supporter lists (extract/entries.py)
}

# The extractor's rule families (extract/rules/): each mixin of the Extractor whose module has a VERSION.
RULE_FAMILIES: dict[str, str] = {
    cls.__module__.rsplit(".", 1)[-1]: sys.modules[cls.__module__].VERSION
    for cls in Extractor.__mro__
    if hasattr(sys.modules[cls.__module__], "VERSION")
}


def ingest_version() -> str:
    """The combined version of reading and extraction: step and rule-family versions, data digests."""
    h = hashlib.sha256()
    for step, version in sorted(STEP_VERSIONS.items()):
        h.update(f"{step}={version};".encode())
    for family, version in sorted(RULE_FAMILIES.items()):
        h.update(f"rules.{family}={version};".encode())
    h.update(load_lexicon().version.encode())
    h.update(repr((sorted(REGIONS.items()), sorted(DEPARTEMENTS.items()))).encode())
    h.update(data_digest().encode())
    return h.hexdigest()[:16]
