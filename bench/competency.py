"""Held-out competency questions: one SPARQL query per question over a folder extracted in memory.

Reads, extracts and maps every document of --folder as `essgraph ingest` does (essgraph.app.memory_graph,
no embedding, no index), runs for each question of --cq the query --queries/<nn>.rq and prints whether the
rows hold every expected answer (complete), some (partial) or none, then the total. An expected answer
holds when its names, titles, amounts, shares and years all occur (normalised) in one row.

    python bench/competency.py [--folder tests/data/extraction/unseen-docs]
        [--cq tests/data/extraction/docs-cq.jsonl] [--queries tests/data/extraction/docs-cq] [--show]

With --show, the rows that match no expected answer are printed too (to read for wrong answers).
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
from essgraph.graph.competency import check_all, load_questions, totals  # noqa: E402

DATA = ROOT / "tests" / "data" / "extraction"


def main() -> None:
    """Build the folder's graph, check each question; prints one verdict per question and the total."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=DATA / "unseen-docs")
    ap.add_argument("--cq", type=Path, default=DATA / "docs-cq.jsonl")
    ap.add_argument("--queries", type=Path, default=DATA / "docs-cq")
    ap.add_argument("--show", action="store_true", help="print the rows that match no expected answer")
    args = ap.parse_args()
    started = time.perf_counter()
    errors: list[str] = []
    store = memory_store([args.folder], get_settings(), errors=errors)
    for line in errors:
        print(line)
    print(f"graphe de {args.folder} construit en {time.perf_counter() - started:.0f} s")
    outcomes = check_all(store, load_questions(args.cq), args.queries)
    for o in outcomes:
        q = o.question
        print(f"{q.number:02d} {o.verdict:<8} {len(o.found)}/{len(q.expected)}  {q.question}")
        if o.error:
            print(f"     erreur de requête : {o.error}")
        for answer in o.missing:
            print(f"     manque : {answer}")
        if args.show:
            for row in o.unexpected:
                print(f"     ligne non attendue : {row}")
    t = totals(outcomes)
    print(
        f"total : {t['complete']} complètes, {t['partial']} partielles, {t['none']} sans réponse "
        f"sur {t['questions']} questions ; {t['answers_found']}/{t['answers']} réponses attendues trouvées"
    )


if __name__ == "__main__":
    main()
