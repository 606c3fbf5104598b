"""Measure passage size: BM25 (bm25s + Snowball French) over corpus passages, scored like score.py.

python bench/passage_size.py [--sizes 300 500 700 1000] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import bm25s
import Stemmer

from essgraph.core.settings import Settings
from essgraph.core.text import fold
from essgraph.ingest import ParsedDocument, read_document
from essgraph.ingest.segment import make_passages

REPO = Path(__file__).resolve().parents[1]
_ELISION = re.compile(r"\b(?:l|d|qu|n|s|j|c|m|t|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
TOP_K = 10


def load_scorer(eval_dir: Path) -> ModuleType:
    """The official scorer (../shared/eval/score.py) imported as a module."""
    spec = importlib.util.spec_from_file_location("official_score", eval_dir / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"score.py introuvable dans {eval_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def normalise(text: str) -> str:
    """Elisions removed and accents folded, for French BM25."""
    return fold(_ELISION.sub(" ", text))


def evaluate(
    docs: list[ParsedDocument], target: int, cap: int, queries: list[dict], scorer: ModuleType, titles: bool
) -> dict[str, float]:
    """Segment every document at `target`, index with BM25, return mean nDCG@10, MRR, S@10 and sizes."""
    units: list[tuple[str, int, int, str]] = []
    for doc in docs:
        for p in make_passages(doc.source, doc.sections, target, cap):
            head = doc.sections[p.section or 0].label or "" if titles else ""
            units.append((doc.file_name, p.start_line, p.end_line, f"{head} {p.text}"))
    stemmer = Stemmer.Stemmer("french")
    corpus_tokens = bm25s.tokenize(
        [normalise(u[3]) for u in units], stopwords="fr", stemmer=stemmer, show_progress=False
    )
    retriever = bm25s.BM25()
    retriever.index(corpus_tokens, show_progress=False)
    totals = {"ndcg": 0.0, "mrr": 0.0, "success": 0.0}
    for q in queries:
        tokens = bm25s.tokenize([normalise(q["query"])], stopwords="fr", stemmer=stemmer, show_progress=False)
        ids, _ = retriever.retrieve(tokens, k=min(TOP_K, len(units)), show_progress=False)
        hits = [(units[i][0], units[i][1], units[i][2]) for i in ids[0]]
        result = scorer.score(hits, q["relevant"])
        for key in totals:
            totals[key] += result[key]
    sizes = sorted(len(u[3]) for u in units)
    out = {k: v / len(queries) for k, v in totals.items()}
    out.update(passages=float(len(units)), median_chars=float(sizes[len(sizes) // 2]))
    return out


def main() -> None:
    """Print one table row per passage size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 500, 700, 1000])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--eval", type=Path, default=REPO / ".." / "shared" / "eval")
    args = parser.parse_args()
    settings = Settings()
    docs = [read_document(p, settings) for p in sorted(args.corpus.glob("*.txt"))]
    if not docs:
        raise SystemExit(f"aucun document dans {args.corpus}")
    queries = [
        json.loads(line) for line in (args.eval / "queries.jsonl").read_text().splitlines() if line.strip()
    ]
    scorer = load_scorer(args.eval)
    print(f"{len(docs)} documents, {len(queries)} questions, BM25 (bm25s, Snowball French), top {TOP_K}")
    print("| target | cap | passages | median chars | section label | nDCG@10 | MRR | S@10 |")
    print("|---:|---:|---:|---:|:---:|---:|---:|---:|")
    for target in args.sizes:
        cap = max(settings.passage_max_chars, int(target * 1.7))
        for titles in (False, True):
            r = evaluate(docs, target, cap, queries, scorer, titles)
            label = "oui" if titles else "non"
            print(
                f"| {target} | {cap} | {int(r['passages'])} | {int(r['median_chars'])} | {label} "
                f"| {r['ndcg']:.3f} | {r['mrr']:.3f} | {r['success']:.3f} |"
            )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
