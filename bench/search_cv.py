"""Cross-validated search quality: a grid of ranking settings chosen on 4 folds, scored on the 5th.

Usage (ESSGRAPH_HOME holding an index of ../shared/corpus built by the current search code):

    OMP_NUM_THREADS=1 python bench/search_cv.py [--out cv.json]

Loads every question set (the development set and tests/data/search/own-questions-*.jsonl), opens one
engine and asks every question once per combination of the grid (`--grid key=v1,v2 …` replaces the
default grid). Questions are embedded once: the engine keeps their vectors (`query_vector_cache` is
raised above the number of questions) and each combination only swaps the engine's Settings, so a
combination costs the ranking, not the embedding. The questions are dealt into 5 folds, stratified by
set and by kind (seeded); for each fold the combination with the best mean nDCG@10 on the 4 others is
chosen and scored on it. Reported: the held-out figure (overall, per set, per kind), the current
defaults (nothing tuned, so their figure is held-out too), the grid's in-sample best (optimistic) and
BM25 / dense alone at the defaults, plus the held-out figure over other seeds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from essgraph.core.settings import Settings, get_settings
from essgraph.search.evaluate import Question, load_questions, score_hits

REPO = Path(__file__).resolve().parents[1]

SETS: dict[str, Path] = {
    "dev": REPO.parent / "shared" / "eval" / "queries.jsonl",
    "A": REPO / "tests" / "data" / "search" / "own-questions-a.jsonl",
    "B": REPO / "tests" / "data" / "search" / "own-questions-b.jsonl",
}
KINDS = ("lexical", "paraphrase", "semantic", "entity", "hard")
METRICS = ("ndcg", "mrr", "success")
# The ranking settings that decide the order of the fused list (weight_lexical stays 1: linear fusion
# only depends on the weights' ratios). Each list holds the current default.
DEFAULT_GRID: dict[str, list[float | str]] = {
    "weight_dense": [0.3, 0.45, 0.6, 0.8, 1.0],
    "weight_graph": [0.15, 0.3, 0.45],
    "kind_weight": [0.6, 0.8, 1.0],
    "expansion_weight": [0.2, 0.4, 0.6],
    "neighbour_weight": [0.1, 0.2],
}

PerQuestion = dict[str, dict[str, float]]  # question id -> {"ndcg", "mrr", "success"}


@dataclass(frozen=True, slots=True)
class Item:
    """A question with the name of the set it comes from."""

    set: str
    question: Question


def load_sets(paths: Mapping[str, Path]) -> list[Item]:
    """Every question of every set, in set then file order; raises BadInput on a malformed file and
    ValueError when two questions share an id (the folds and the scores are keyed by id)."""
    items = [Item(name, q) for name, path in paths.items() for q in load_questions(path)]
    seen: set[str] = set()
    for item in items:
        if item.question.id in seen:
            raise ValueError(f"question id {item.question.id!r} appears twice")
        seen.add(item.question.id)
    return items


def make_folds(items: Sequence[Item], n_folds: int = 5, seed: int = 0) -> dict[str, int]:
    """{question id: fold in 0..n_folds-1}, stratified by set and by kind.

    The questions of each (set, kind) group are shuffled with one seeded generator and dealt round
    robin, the deal going on from group to group, so every set and every (set, kind) group is split
    into folds whose sizes differ by at most one, and the same seed gives the same folds.
    """
    if n_folds < 2:
        raise ValueError("at least two folds are needed")
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in items:
        groups[(item.set, item.question.kind)].append(item.question.id)
    rng = random.Random(seed)
    folds: dict[str, int] = {}
    turn = 0
    for key in sorted(groups):
        ids = sorted(groups[key])
        rng.shuffle(ids)
        for qid in ids:
            folds[qid] = turn % n_folds
            turn += 1
    return folds


def grid_combinations(
    grid: Mapping[str, Sequence[float | str]], defaults: Mapping[str, Any]
) -> list[dict[str, float | str]]:
    """Every combination of the grid's values, the defaults' combination first (added when the grid
    lacks it): it is the reference, and a tie on the training folds goes to it."""
    keys = list(grid)
    combos = [dict(zip(keys, values, strict=True)) for values in itertools.product(*(grid[k] for k in keys))]
    current = {k: _value(defaults[k]) for k in keys}
    return [current, *(c for c in combos if c != current)]


def _value(value: Any) -> float | str:
    """A setting's value as the grid holds it: a number as float, a named choice as its name."""
    return value if isinstance(value, str) else float(value)


def mean(per: PerQuestion, ids: Sequence[str], metric: str = "ndcg") -> float:
    """Mean of `metric` over the questions `ids` (0 for none)."""
    return sum(per[q][metric] for q in ids) / len(ids) if ids else 0.0


def choose(per_combo: Sequence[PerQuestion], train: Sequence[str]) -> int:
    """Index of the combination with the best mean nDCG@10 over `train`; the first one wins a tie."""
    best, best_score = 0, -1.0
    for index, per in enumerate(per_combo):
        score = mean(per, train)
        if score > best_score + 1e-12:
            best, best_score = index, score
    return best


def cross_validate(
    per_combo: Sequence[PerQuestion], folds: Mapping[str, int]
) -> tuple[PerQuestion, list[int]]:
    """(held-out figures per question, combination chosen per fold): for each fold, the combination
    best on the other folds' questions gives the figures of this fold's questions."""
    n_folds = max(folds.values()) + 1
    held: PerQuestion = {}
    chosen: list[int] = []
    for fold in range(n_folds):
        train = [q for q, f in folds.items() if f != fold]
        best = choose(per_combo, train)
        chosen.append(best)
        for q, f in folds.items():
            if f == fold:
                held[q] = per_combo[best][q]
    return held, chosen


def summary(per: PerQuestion, items: Sequence[Item]) -> dict[str, float]:
    """Mean nDCG@10 overall, per set and per kind, and mean MRR and success@10 overall."""
    ids = [i.question.id for i in items]
    out = {"all": mean(per, ids), "mrr": mean(per, ids, "mrr"), "success": mean(per, ids, "success")}
    for name in dict.fromkeys(i.set for i in items):
        out[name] = mean(per, [i.question.id for i in items if i.set == name])
    for kind in KINDS:
        out[kind] = mean(per, [i.question.id for i in items if i.question.kind == kind])
    return out


def run_all(engine: Any, items: Sequence[Item], mode: str, k: int) -> PerQuestion:
    """{question id: its nDCG@10, MRR and success@10} for the engine's current settings and `mode`."""
    per: PerQuestion = {}
    for item in items:
        q = item.question
        hits = engine.search(q.query, k=k, mode=mode).hits
        per[q.id] = score_hits(
            [(h.record.document, h.record.start_line, h.record.end_line) for h in hits], q.relevant, k
        )
    return per


def parse_grid(texts: Sequence[str]) -> dict[str, list[float | str]]:
    """`key=v1,v2` strings -> {key: [v1, v2]} (Settings field names; checked when Settings are built):
    numbers as floats, other values (named choices such as fusion_scale=minmax,zscore) as strings."""
    grid: dict[str, list[float | str]] = {}
    for text in texts:
        key, _, values = text.partition("=")
        grid[key.strip()] = [_number_or_name(v.strip()) for v in values.split(",") if v.strip()]
    return grid


def _number_or_name(text: str) -> float | str:
    """`text` as a float if it is one, else as it is."""
    try:
        return float(text)
    except ValueError:
        return text


def _fmt(value: float | str) -> str:
    """A grid value as the tables show it (numbers without trailing zeros)."""
    return value if isinstance(value, str) else f"{value:g}"


def _row(name: str, s: Mapping[str, float], sets: Sequence[str]) -> str:
    cells = [f"{s['all']:.3f}", *(f"{s[n]:.3f}" for n in sets), f"{s['mrr']:.3f}", f"{s['success']:.3f}"]
    cells += [f"{s[kind]:.3f}" for kind in KINDS]
    return f"| {name} | " + " | ".join(cells) + " |"


def report(results: Mapping[str, Any], items: Sequence[Item]) -> str:
    """The markdown tables of a run's `results` (see main)."""
    sets = list(dict.fromkeys(i.set for i in items))
    counts = {n: sum(1 for i in items if i.set == n) for n in sets}
    kind_counts = {k: sum(1 for i in items if i.question.kind == k) for k in KINDS}
    head = (
        "| system | nDCG@10 all | "
        + " | ".join(f"{n} ({counts[n]})" for n in sets)
        + " | MRR | S@10 | "
        + " | ".join(f"{k} ({kind_counts[k]})" for k in KINDS)
        + " |"
    )
    lines = [head, "|---|" + "---:|" * (3 + len(sets) + len(KINDS))]
    for name, s in results["rows"]:
        lines.append(_row(name, s, sets))
    lines.append("")
    lines.append("| fold | questions | chosen on the 4 other folds | train nDCG | held-out nDCG |")
    lines.append("|---:|---:|---|---:|---:|")
    for f in results["folds"]:
        values = ", ".join(f"{k}={_fmt(v)}" for k, v in f["chosen"].items())
        lines.append(f"| {f['fold']} | {f['n']} | {values} | {f['train']:.3f} | {f['held']:.3f} |")
    lines.append("")
    seeds = results["seeds"]
    spread = [s["held"] for s in seeds]
    lines.append(
        f"Held-out nDCG@10 over seeds {', '.join(str(s['seed']) for s in seeds)}: "
        + ", ".join(f"{v:.3f}" for v in spread)
        + f" (mean {sum(spread) / len(spread):.3f}); defaults {results['defaults_ndcg']:.3f}; "
        + f"in-sample best: {', '.join(f'{k}={_fmt(v)}' for k, v in results['best_in_sample'].items())}."
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the grid, print the tables (markdown) and optionally write every figure as JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--grid", action="append", default=[], help="key=v1,v2,… (replaces the default grid)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0, help="seed of the reported folds")
    parser.add_argument("--seeds", type=int, default=5, help="seeds whose held-out figure is listed")
    parser.add_argument("--out", type=Path, help="write every figure (JSON) here")
    args = parser.parse_args(argv)

    from essgraph.search.engine import SearchEngine  # heavy: numpy, faiss, the embedder

    started = time.monotonic()
    items = load_sets(SETS)
    grid = parse_grid(args.grid) if args.grid else DEFAULT_GRID
    base = get_settings()
    base = Settings(
        **{**base.model_dump(), "query_vector_cache": max(base.query_vector_cache, 2 * len(items))}
    )
    combos = grid_combinations(grid, base.model_dump())
    k = base.eval_top_k
    engine = SearchEngine.open(base)
    try:
        # the defaults first: every question is embedded here and its vector kept for what follows
        per_combo: list[PerQuestion] = []
        for index, combo in enumerate(combos):
            engine.settings = Settings(**{**base.model_dump(), **combo})
            per_combo.append(run_all(engine, items, "hybrid", k))
            if index == 0 or (index + 1) % 20 == 0:
                elapsed = time.monotonic() - started
                print(f"{index + 1}/{len(combos)} combinations, {elapsed:.0f} s", file=sys.stderr, flush=True)
        engine.settings = base
        bm25 = run_all(engine, items, "bm25", k)
        dense = run_all(engine, items, "dense", k)
    finally:
        engine.close()

    ids = [i.question.id for i in items]
    folds = make_folds(items, args.folds, args.seed)
    held, chosen = cross_validate(per_combo, folds)
    best = choose(per_combo, ids)
    fold_rows = []
    for fold, index in enumerate(chosen):
        train = [q for q, f in folds.items() if f != fold]
        test = [q for q, f in folds.items() if f == fold]
        fold_rows.append(
            {
                "fold": fold,
                "n": len(test),
                "chosen": combos[index],
                "train": mean(per_combo[index], train),
                "held": mean(per_combo[index], test),
            }
        )
    seeds = []
    for seed in range(args.seed, args.seed + args.seeds):
        other, picks = cross_validate(per_combo, make_folds(items, args.folds, seed))
        seeds.append({"seed": seed, "held": mean(other, ids), "chosen": [combos[i] for i in picks]})
    results: dict[str, Any] = {
        "rows": [
            (f"hybrid, {args.folds}-fold CV held-out (seed {args.seed})", summary(held, items)),
            ("hybrid, current defaults (nothing tuned)", summary(per_combo[0], items)),
            ("hybrid, grid best in-sample (optimistic)", summary(per_combo[best], items)),
            ("BM25 only (defaults)", summary(bm25, items)),
            ("dense only (defaults)", summary(dense, items)),
        ],
        "folds": fold_rows,
        "seeds": seeds,
        "defaults": combos[0],
        "defaults_ndcg": mean(per_combo[0], ids),
        "best_in_sample": combos[best],
        "grid": grid,
        "combinations": len(combos),
        "questions": len(items),
        "seconds": round(time.monotonic() - started),
    }
    print(report(results, items))
    print(
        f"\n{len(items)} questions, {len(combos)} combinations, {results['seconds']} s; "
        f"held-out − defaults: {mean(held, ids) - results['defaults_ndcg']:+.3f}"
    )
    if args.out:
        results["per_combination"] = [
            {"settings": c, "ndcg": mean(p, ids)} for c, p in zip(combos, per_combo, strict=True)
        ]
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
