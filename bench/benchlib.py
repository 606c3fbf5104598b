"""Helpers shared by the bench scripts: nearest-rank percentiles and the development questions."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO.parent / "shared" / "eval" / "queries.jsonl"


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of `values` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def development_questions(path: Path = QUERIES) -> list[str]:
    """The question texts of a JSON-lines question file (default: the development set)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]
