"""How much a reranker could gain: recall of the judged spans at depth and the best nDCG@10 of a reordering.

Usage (ESSGRAPH_HOME holding an index of ../shared/corpus):

    OMP_NUM_THREADS=1 python bench/search_headroom.py [--modes hybrid,bm25,dense] [--depths 10,30,100]

For every question of the development set and the own sets (bench/search_cv.SETS), each mode's first
`max(depths)` hits are scored: nDCG@10 as ranked; recall@d, the share of the question's judged spans
that one of the first d hits overlaps; and oracle@d, the nDCG@10 of the first d hits put in the best
order (by the grade each hit would earn). The gap between nDCG@10 and oracle@30 is what reordering the
candidates could gain; 1 − recall@100 is what no reordering can reach.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_cv import SETS, load_sets
from essgraph.core.settings import Settings, get_settings
from essgraph.search.evaluate import Span, overlaps, score_hits


def best_grade(span: Span, relevant: Sequence[dict[str, Any]]) -> int:
    """The best grade of the judged spans `span` overlaps (0 for none)."""
    return max((int(r["grade"]) for r in relevant if overlaps(span, r)), default=0)


def recall(spans: Sequence[Span], relevant: Sequence[dict[str, Any]]) -> float:
    """Share of the judged spans that one of `spans` overlaps (1 for a question without any)."""
    if not relevant:
        return 1.0
    return sum(any(overlaps(s, r) for s in spans) for r in relevant) / len(relevant)


def oracle(spans: Sequence[Span], relevant: Sequence[dict[str, Any]]) -> float:
    """nDCG@10 of `spans` reordered by the grade each would earn, best first (a stable sort)."""
    ordered = sorted(spans, key=lambda s: -best_grade(s, relevant))
    return score_hits(ordered, relevant, 10)["ndcg"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="hybrid,bm25,dense")
    parser.add_argument("--depths", default="10,30,100")
    args = parser.parse_args(argv)
    from essgraph.search.engine import SearchEngine  # heavy: numpy, faiss, the embedder

    depths = [int(d) for d in args.depths.split(",")]
    items = load_sets(SETS)
    base = get_settings()
    settings = Settings(
        **{**base.model_dump(), "query_vector_cache": max(base.query_vector_cache, 2 * len(items))}
    )
    engine = SearchEngine.open(settings)
    try:
        print("| mode | nDCG@10 | " + " | ".join(f"recall@{d} | oracle@{d}" for d in depths) + " |")
        print("|---|---:|" + "---:|---:|" * len(depths))
        for mode in args.modes.split(","):
            sums = {"ndcg": 0.0, **{f"r{d}": 0.0 for d in depths}, **{f"o{d}": 0.0 for d in depths}}
            for item in items:
                q = item.question
                hits = engine.search(q.query, k=max(depths), mode=mode).hits
                spans = [(h.record.document, h.record.start_line, h.record.end_line) for h in hits]
                sums["ndcg"] += score_hits(spans, q.relevant, 10)["ndcg"]
                for d in depths:
                    sums[f"r{d}"] += recall(spans[:d], q.relevant)
                    sums[f"o{d}"] += oracle(spans[:d], q.relevant)
            n = len(items)
            cells = " | ".join(f"{sums[f'r{d}'] / n:.3f} | {sums[f'o{d}'] / n:.3f}" for d in depths)
            print(f"| {mode} | {sums['ndcg'] / n:.3f} | {cells} |", flush=True)
    finally:
        engine.close()
    print(f"\n{len(items)} questions (development set and own sets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
