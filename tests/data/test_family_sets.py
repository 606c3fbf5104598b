"""Format checks of the relation-family sentence sets (tests/data/extraction/families*.jsonl): the
shape bench/extraction_families.py reads, the family and phrasing vocabularies, unique ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

EXTRACTION_DATA = Path(__file__).resolve().parent / "extraction"
FAMILY_FILES = sorted(EXTRACTION_DATA.glob("families*.jsonl"))
PHRASINGS = {"active", "passive", "coordination", "apposition", "relative", "negation", "conditional", "trap"}
FACT_KEYS = {"subject", "subject_type", "predicate", "object", "object_type", "qualifiers"}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_sets_are_found() -> None:
    assert len(FAMILY_FILES) >= 5, FAMILY_FILES


@pytest.mark.parametrize("path", FAMILY_FILES, ids=lambda p: p.name)
def test_a_family_set_has_the_bench_shape(path: Path) -> None:
    """Keys, phrasing, fact shape, and the families and predicates of the first set."""
    reference = _lines(EXTRACTION_DATA / "families.jsonl")
    families = {line["family"] for line in reference}
    predicates = {f["predicate"] for line in reference for f in (*line["expected"], *line["must_not"])}
    seen: set[str] = set()
    for line in _lines(path):
        assert (
            {"id", "family", "phrasing", "text", "expected", "must_not"}
            <= set(line)
            <= {"id", "family", "phrasing", "text", "expected", "must_not", "note"}
        ), line.get("id")
        assert line["id"] not in seen, line["id"]
        seen.add(line["id"])
        assert line["family"] in families and line["phrasing"] in PHRASINGS, line["id"]
        assert line["text"].strip(), line["id"]
        for fact in (*line["expected"], *line["must_not"]):
            assert set(fact) == FACT_KEYS, line["id"]
            assert fact["predicate"] in predicates, (line["id"], fact["predicate"])
