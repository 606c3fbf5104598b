"""Evaluation of search runs on an annotated question set (same scoring as ../shared/eval/score.py)."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from essgraph.core.errors import BadInput

EVAL_K = 10
Span = tuple[str, int, int]


@dataclass(slots=True)
class Question:
    """One annotated question: id, text, kind (first word of the notes) and graded gold spans."""

    id: str
    query: str
    kind: str
    relevant: list[dict[str, Any]]


@dataclass(slots=True)
class Scores:
    """Mean nDCG@10, MRR and success@10, overall and per kind, with per-question figures."""

    ndcg: float
    mrr: float
    success: float
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    per_question: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "ndcg@10": self.ndcg,
            "mrr": self.mrr,
            "success@10": self.success,
            "by_kind": self.by_kind,
            "per_question": self.per_question,
        }


def kind_of(notes: str) -> str:
    """The kind of a question: the first lowercase word of its notes ("?" if none)."""
    match = re.match(r"[a-z]+", notes.lower())
    return match.group(0) if match else "?"


def load_questions(path: Path) -> list[Question]:
    """Questions of a JSON-lines file; raises BadInput when it is unreadable or malformed."""
    questions: list[Question] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInput(f"{path} : illisible ({exc.strerror or exc})", f"{path}: unreadable ({exc})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            questions.append(
                Question(
                    id=str(raw["id"]),
                    query=str(raw["query"]),
                    kind=kind_of(str(raw.get("notes", ""))),
                    relevant=list(raw["relevant"]),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BadInput(
                f"{path}:{number} : question mal formée ({exc})",
                f"{path}:{number}: malformed question ({exc})",
            ) from exc
    return questions


def overlaps(hit: Span, rel: dict[str, Any]) -> bool:
    """Whether the (document, start line, end line) `hit` shares a line with the judged span `rel`."""
    return hit[0] == rel["document"] and hit[1] <= rel["end_line"] and rel["start_line"] <= hit[2]


def score_hits(hits: Sequence[Span], relevant: Sequence[dict[str, Any]], k: int = EVAL_K) -> dict[str, float]:
    """nDCG@k, reciprocal rank and success@k of ranked `hits` against graded gold spans.

    A hit earns the best grade of the gold spans it overlaps that no earlier hit already earned; gain
    2^grade − 1; MRR and success use the first hit overlapping a grade-2 span.
    """
    credited: set[int] = set()
    dcg, first_good = 0.0, None
    for rank, hit in enumerate(hits[:k], start=1):
        gain = 0
        for i, rel in enumerate(relevant):
            if i not in credited and overlaps(hit, rel):
                gain = max(gain, int(rel["grade"]))
                credited.add(i)
        if gain:
            dcg += (2**gain - 1) / math.log2(rank + 1)
        if first_good is None and any(overlaps(hit, r) and r["grade"] == 2 for r in relevant):
            first_good = rank
    ideal = sorted((int(r["grade"]) for r in relevant), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return {
        "ndcg": dcg / idcg if idcg else 0.0,
        "mrr": 1.0 / first_good if first_good else 0.0,
        "success": 1.0 if first_good else 0.0,
    }


def score_run(questions: Sequence[Question], run: dict[str, list[Span]]) -> Scores:
    """Mean figures of a run ({question id: ranked spans}) over `questions`, overall and by kind."""
    per: dict[str, dict[str, float]] = {}
    by_kind: dict[str, list[dict[str, float]]] = defaultdict(list)
    for q in questions:
        s = score_hits(run.get(q.id, []), q.relevant)
        per[q.id] = s
        by_kind[q.kind].append(s)
    n = max(len(per), 1)

    def mean(items: Sequence[dict[str, float]], key: str) -> float:
        return sum(s[key] for s in items) / max(len(items), 1)

    values = list(per.values())
    return Scores(
        ndcg=sum(s["ndcg"] for s in values) / n,
        mrr=sum(s["mrr"] for s in values) / n,
        success=sum(s["success"] for s in values) / n,
        by_kind={
            kind: {"ndcg": mean(items, "ndcg"), "mrr": mean(items, "mrr"), "n": float(len(items))}
            for kind, items in sorted(by_kind.items())
        },
        per_question=per,
    )


def run_questions(
    questions: Sequence[Question], search: Callable[[str], Sequence[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """{question id: hits as dicts with document/start_line/end_line} from `search`."""
    return {q.id: list(search(q.query)) for q in questions}


def spans(run: dict[str, list[dict[str, Any]]]) -> dict[str, list[Span]]:
    """The (document, start_line, end_line) spans of a run of hit dicts."""
    return {
        qid: [(h["document"], int(h["start_line"]), int(h["end_line"])) for h in hits]
        for qid, hits in run.items()
    }


def write_run(path: Path, run: dict[str, list[dict[str, Any]]]) -> None:
    """Write a run in score.py's format: one {"id", "hits": [...]} line per question."""
    with path.open("w", encoding="utf-8") as fh:
        for qid, hits in run.items():
            slim = [{k: h[k] for k in ("document", "start_line", "end_line")} for h in hits]
            fh.write(json.dumps({"id": qid, "hits": slim}, ensure_ascii=False) + "\n")


def format_scores(label: str, scores: Scores) -> str:
    """Two lines like score.py's: per-kind nDCG then the overall figures, prefixed by `label`."""
    kinds = " ".join(f"{k}={v['ndcg']:.3f}({int(v['n'])})" for k, v in scores.by_kind.items())
    return (
        f"{label:<8} nDCG@10 {scores.ndcg:.3f} MRR {scores.mrr:.3f} S@10 {scores.success:.3f}\n"
        f"{'':<8} {kinds}"
    )
