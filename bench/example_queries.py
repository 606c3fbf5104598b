"""Run every example query (essgraph/graph/examples/*.rq) on an in-memory graph of folders, no embedding.

Builds the graph with essgraph.app.memory_graph (read → extract → map, as `essgraph ingest` does), then runs
each query and prints its row count, its time and its first rows with their evidence (document, lines), so
the `Example:` line of a query header can be written from a real row and checked again later.

    python bench/example_queries.py [FOLDER ...] [--only q01 --only q02] [--rows 3]

Default folders: ../shared/corpus, tests/data/extraction/unseen-docs and essgraph/ingest/samples.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from essgraph.app.memory_graph import memory_store  # noqa: E402
from essgraph.core.settings import get_settings  # noqa: E402
from essgraph.graph.example_queries import load_example_queries  # noqa: E402

DEFAULT_FOLDERS = [
    ROOT.parent / "shared" / "corpus",
    ROOT / "tests" / "data" / "extraction" / "unseen-docs",
    ROOT / "essgraph" / "ingest" / "samples",
]


def main() -> None:
    """Build the graph, run the examples; prints one block per query and the totals."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", type=Path, nargs="*", default=DEFAULT_FOLDERS)
    ap.add_argument("--only", action="append", default=[], help="query name to run (repeatable)")
    ap.add_argument("--rows", type=int, default=3, help="rows printed per query")
    args = ap.parse_args()
    started = time.perf_counter()
    errors: list[str] = []
    store = memory_store(args.folders, get_settings(), errors=errors)
    print(
        f"graph of {', '.join(str(f) for f in args.folders)}: {len(store)} quads in "
        f"{time.perf_counter() - started:.0f} s"
    )
    for line in errors:
        print("  skipped:", line)
    empty = []
    for q in load_example_queries():
        if args.only and q.name not in args.only:
            continue
        t0 = time.perf_counter()
        solutions = store.query(q.text, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        rows = [
            {n: (s[n].value if s[n] is not None else "") for n in names}  # type: ignore[index]
            for s in solutions  # type: ignore[union-attr]
        ]
        ms = (time.perf_counter() - t0) * 1000
        print(f"\n{q.name} [{q.family_name or '-'}] {len(rows)} rows, {ms:.0f} ms — {q.question}")
        if not rows:
            empty.append(q.name)
        for row in rows[: args.rows]:
            print("   ", " | ".join(f"{k}={v}" for k, v in row.items() if v))
    print(f"\nqueries without rows: {', '.join(empty) or 'none'}")


if __name__ == "__main__":
    main()
