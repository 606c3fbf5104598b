"""Backup/restore check on a built home: export, import into an empty home, compare graphs and search.

Usage: python bench/backup_restore.py HOME [QUERIES.jsonl]   (default ../shared/eval/queries.jsonl)
Prints whether every named graph is isomorphic and whether the top-10 hits of every question match.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import rdflib
from rdflib.compare import isomorphic

from essgraph.app.pipeline import rebuild_after_import
from essgraph.core.settings import Settings
from essgraph.graph.store_factory import open_store
from essgraph.search.engine import SearchEngine

REPO = Path(__file__).resolve().parents[1]


def _graphs(settings: Settings) -> dict[str, rdflib.Graph]:
    with open_store(settings, read_only=True) as store:
        return {name: store.to_rdflib(name) for name in store.graph_names()}


def _hits(settings: Settings, questions: list[str]) -> list[list[tuple[str, int, int]]]:
    with open_store(settings, read_only=True) as store:
        engine = SearchEngine.open(settings, store)
        try:
            return [
                [
                    (h.record.document, h.record.start_line, h.record.end_line)
                    for h in engine.search(q, 10).hits
                ]
                for q in questions
            ]
        finally:
            engine.close()


def main() -> None:
    source = Settings(home=Path(sys.argv[1]))
    queries = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO.parent / "shared" / "eval" / "queries.jsonl"
    lines = queries.read_text("utf-8").splitlines()
    questions = [json.loads(line)["query"] for line in lines if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        target = Settings(home=Path(tmp) / "restored")
        started = time.perf_counter()
        with open_store(source, read_only=True) as store:
            dump = store.dump("nquads")
        with open_store(target) as store:
            quads = store.load_dataset(dump, "nquads", "dump.nq")
        rebuild_after_import(target)
        seconds = time.perf_counter() - started
        before, after = _graphs(source), _graphs(target)
        same_graphs = set(before) == set(after) and all(isomorphic(before[g], after[g]) for g in before)
        hits_before, hits_after = _hits(source, questions), _hits(target, questions)
    same = sum(a == b for a, b in zip(hits_before, hits_after, strict=True))
    print(f"quads: {quads}, named graphs: {len(before)}, export+import+reindex: {seconds:.1f} s")
    print(f"every named graph isomorphic: {same_graphs}")
    print(f"questions with identical top-10 hits: {same}/{len(questions)}")


if __name__ == "__main__":
    main()
