"""Ingest speed on the corpus: per-stage times, whole ingest with and without embedding, unchanged re-ingest.

Usage: python bench/ingest_speed.py [CORPUS_DIR]   (default ../shared/corpus)
Prints a Markdown table for docs/BENCHMARKS.md. Embedding is excluded from the "without embedding"
figure by pre-warming the embedding cache of a fresh home (same model, same texts), which is exactly
what a re-ingest of changed-but-similar documents pays.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _cli(home: Path, *args: str) -> float:
    env = dict(os.environ, ESSGRAPH_HOME=str(home))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "essgraph", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def stage_times(corpus: Path, home: Path) -> dict[str, float]:
    """Seconds spent per pipeline stage over every corpus file, in this process (cache warm)."""
    from essgraph.core.settings import Settings
    from essgraph.graph.mapping import document_graph
    from essgraph.graph.store_factory import open_store
    from essgraph.ingest.extract import extract
    from essgraph.ingest.reading import read_document
    from essgraph.ontology.thesaurus import load_thesaurus
    from essgraph.search.engine import SearchEngine
    from essgraph.search.records import records_from_store

    settings = Settings(home=home)
    times = dict.fromkeys(("read", "extract", "map", "store", "records", "index"), 0.0)
    thesaurus = load_thesaurus()
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    with open_store(settings) as store:
        engine = SearchEngine.open(settings, store)
        for path in files:
            t = time.perf_counter()
            doc = read_document(path, settings)
            times["read"] += time.perf_counter() - t
            t = time.perf_counter()
            extraction = extract(doc, thesaurus)
            times["extract"] += time.perf_counter() - t
            t = time.perf_counter()
            graph = document_graph(doc, extraction, settings.base_iri)
            times["map"] += time.perf_counter() - t
            t = time.perf_counter()
            store.replace_graph(f"{settings.base_iri}graph/doc/{doc.doc_id}", graph)
            times["store"] += time.perf_counter() - t
            t = time.perf_counter()
            records = records_from_store(store, doc.doc_id)
            times["records"] += time.perf_counter() - t
            t = time.perf_counter()
            engine.upsert_document(doc.doc_id, records)
            times["index"] += time.perf_counter() - t
        engine.close()
    return times


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpus"
    work = Path(tempfile.mkdtemp(prefix="essgraph-bench-"))
    try:
        cold = work / "cold"
        t_cold = _cli(cold, "ingest", str(corpus))
        t_unchanged = _cli(cold, "ingest", str(corpus))
        warm = work / "warm"
        warm.mkdir()
        shutil.copytree(cold / "cache", warm / "cache")
        t_warm = _cli(warm, "ingest", str(corpus))
        stages_home = work / "stages"
        stages_home.mkdir()
        shutil.copytree(cold / "cache", stages_home / "cache")
        stages = stage_times(corpus, stages_home)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"corpus: {corpus} ({len(list(corpus.iterdir()))} files)\n")
    print("| measure | seconds |\n|---|---:|")
    print(f"| whole ingest, cold (embedding included) | {t_cold:.1f} |")
    print(f"| whole ingest, embedding cache warm (= excluding embedding) | {t_warm:.1f} |")
    print(f"| re-ingest of the unchanged corpus | {t_unchanged:.2f} |")
    print("\nStages, in-process, embedding cache warm:\n\n| stage | seconds |\n|---|---:|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
