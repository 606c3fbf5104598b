"""Search quality of settings variants side by side, with a 2-fold check of tuned parameters.

Usage (after `essgraph ingest ../shared/corpus`, ESSGRAPH_HOME set):

    python bench/search_variants.py ../shared/eval/queries.jsonl \
        --variant base: --variant nosec:weight_section=0 --variant rrf:fusion=rrf

Each variant is `name:key=value,key=value` (Settings fields); all variants run on the same index in
one process. `--fold-param weight_section=0,0.3,0.6` adds a 2-fold cross-check: questions are split in
two folds stratified by kind, the value is chosen on one fold and scored on the other.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from essgraph.core.settings import Settings, get_settings
from essgraph.search.engine import SearchEngine
from essgraph.search.evaluate import Question, Scores, load_questions, score_run

KINDS = ("entity", "hard", "lexical", "paraphrase", "semantic")


def parse_variant(text: str) -> tuple[str, dict[str, Any]]:
    """`name:key=value,...` -> (name, {key: value}) with values parsed as JSON when possible."""
    name, _, rest = text.partition(":")
    updates: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        try:
            updates[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            updates[key.strip()] = value
    return name, updates


def run(
    engine: SearchEngine, questions: Sequence[Question], mode: str, k: int
) -> dict[str, list[tuple[str, int, int]]]:
    """{question id: ranked spans} for `mode`."""
    out: dict[str, list[tuple[str, int, int]]] = {}
    for q in questions:
        hits = engine.search(q.query, k=k, mode=mode).hits
        out[q.id] = [(h.record.document, h.record.start_line, h.record.end_line) for h in hits]
    return out


def row(name: str, scores: Scores) -> str:
    """One markdown table row: overall nDCG, MRR, S@10 and nDCG by kind."""
    kinds = " | ".join(f"{scores.by_kind.get(kind, {}).get('ndcg', 0.0):.3f}" for kind in KINDS)
    return f"| {name} | {scores.ndcg:.3f} | {scores.mrr:.3f} | {scores.success:.3f} | {kinds} |"


def folds(questions: Sequence[Question]) -> tuple[list[Question], list[Question]]:
    """Two folds stratified by kind (alternate questions of each kind, in file order)."""
    by_kind: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        by_kind[q.kind].append(q)
    a: list[Question] = []
    b: list[Question] = []
    for items in by_kind.values():
        for i, q in enumerate(items):
            (a if i % 2 == 0 else b).append(q)
    return a, b


def main(argv: Sequence[str] | None = None) -> int:
    """Print a markdown table of the variants (and the 2-fold check); returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path)
    parser.add_argument("--variant", action="append", default=[], help="name:key=value,key=value")
    parser.add_argument("--modes", default="hybrid", help="comma list among hybrid,bm25,dense")
    parser.add_argument("--fold-param", default="", help="key=v1,v2,... cross-checked on 2 folds")
    parser.add_argument("--per-question", action="store_true", help="print nDCG per question")
    args = parser.parse_args(argv)
    base = get_settings()
    questions = load_questions(args.queries)
    k = base.eval_top_k
    print("| variant | nDCG@10 | MRR | S@10 | " + " | ".join(KINDS) + " |")
    print("|---|" + "---:|" * (3 + len(KINDS)))
    variants = [parse_variant(v) for v in args.variant] or [("base", {})]
    for name, updates in variants:
        settings = Settings(**{**base.model_dump(), **updates})
        engine = SearchEngine.open(settings)
        for mode in args.modes.split(","):
            scores = score_run(questions, run(engine, questions, mode, k))
            print(row(f"{name} ({mode})" if mode != "hybrid" else name, scores), flush=True)
            if args.per_question:
                print("   ", " ".join(f"{q}={v['ndcg']:.2f}" for q, v in scores.per_question.items()))
        engine.close()
    if args.fold_param:
        key, _, values_text = args.fold_param.partition("=")
        values = [json.loads(v) for v in values_text.split(",")]
        fold_a, fold_b = folds(questions)
        per_value: dict[Any, dict[str, list[tuple[str, int, int]]]] = {}
        for value in values:
            settings = Settings(**{**base.model_dump(), **dict(variants[0][1]), key: value})
            engine = SearchEngine.open(settings)
            per_value[value] = run(engine, questions, "hybrid", k)
            engine.close()
        held: dict[str, list[tuple[str, int, int]]] = {}
        for train, test in ((fold_a, fold_b), (fold_b, fold_a)):
            best = max(values, key=lambda v: score_run(train, per_value[v]).ndcg)
            print(f"2-fold {key}: chosen {best} on {len(train)} questions", file=sys.stderr)
            for q in test:
                held[q.id] = per_value[best][q.id]
            print(f"   train fold nDCG {score_run(train, per_value[best]).ndcg:.3f}", file=sys.stderr)
        for value in values:
            print(row(f"{key}={value}", score_run(questions, per_value[value])))
        print(row(f"2-fold held-out {key}", score_run(questions, held)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
