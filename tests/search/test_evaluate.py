"""`essgraph eval search` scoring equals ../shared/eval/score.py on the same run file."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from essgraph.search.evaluate import format_scores, load_questions, score_run, spans, write_run


def _synthetic_run(questions_path: Path) -> dict[str, list[dict[str, object]]]:
    """Hits mixing gold spans, near misses and noise, in a seeded random order."""
    rng = random.Random(7)
    run: dict[str, list[dict[str, object]]] = {}
    for q in load_questions(questions_path):
        hits: list[dict[str, object]] = []
        for rel in q.relevant:
            hits.append(
                {"document": rel["document"], "start_line": rel["start_line"], "end_line": rel["end_line"]}
            )
            hits.append(
                {
                    "document": rel["document"],
                    "start_line": rel["end_line"] + 1,
                    "end_line": rel["end_line"] + 4,
                }
            )
        hits += [{"document": "autre.txt", "start_line": i, "end_line": i} for i in range(3)]
        rng.shuffle(hits)
        run[q.id] = hits[: rng.randint(0, 12)]
    return run


def test_scores_equal_reference_scorer(eval_dir: Path, tmp_path: Path) -> None:
    questions_path = eval_dir / "queries.jsonl"
    run = _synthetic_run(questions_path)
    run_path = tmp_path / "run.jsonl"
    write_run(run_path, run)
    reference = subprocess.run(
        [sys.executable, str(eval_dir / "score.py"), str(questions_path), str(run_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    scores = score_run(load_questions(questions_path), spans(run))
    ours_kinds = " ".join(f"{k}={v['ndcg']:.3f}({int(v['n'])})" for k, v in scores.by_kind.items())
    assert reference[0] == ours_kinds
    assert reference[1] == f"nDCG@10 {scores.ndcg:.3f} MRR {scores.mrr:.3f} S@10 {scores.success:.3f}"
    assert "nDCG@10" in format_scores("hybrid", scores)
    assert len(json.dumps(scores.to_dict())) > 0
