"""Search at scale: a synthetic corpus of N passages (default 100 000) with stored random vectors.

Texts are sampled from a French word list built at run time; their vectors are random unit vectors put
in the embedding cache beforehand (stored vectors: nothing is encoded), so the real engine is measured —
BM25 matrices, FAISS (flat, then HNSW), records, persistence — with the real query embedder.

    python bench/search_scale.py [--passages 100000] [--queries 200] [--backend faiss|milvus|both]
        [--word-states full|compact|both] [--json]

`--backend milvus` puts the index in Milvus (ESSGRAPH_INDEX=milvus): a milvus-lite file in the temporary
home, or the server of `--milvus-uri http://host:19530`. Milvus-lite runs inside this process, so the
peak RSS counts it. `--word-states both` runs the full and the compact token states (settings.word_states)
side by side, each in its own process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from benchlib import development_questions, percentile

VOCAB = (
    "collectivité commune métropole région département économie sociale solidaire coopérative association "
    "insertion emploi mobilité garage alimentation cantine bio local foncier friche quartier politique ville "
    "commande publique marché clause subvention capital SCIC SCOP PTCE CRESS réseau club formation élu agent "
    "territoire rural centre bourg commerce revitalisation tiers-lieu culture réemploi recyclage déchets "
    "énergie habitat santé jeunesse égalité évaluation impact utilité innovation financement fonds européen "
    "convention partenariat accompagnement incubateur développement transition écologique circuit court"
).split()


def rss_mb() -> float:
    """Peak resident memory of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_records(n: int, docs: int, seed: int) -> list[Any]:
    """`n` PassageRecords over `docs` documents with random texts of 40–90 words."""
    from essgraph.search.records import PassageRecord, SectionInfo

    rng = np.random.default_rng(seed)
    records = []
    per_doc = max(1, n // docs)
    for i in range(n):
        doc = f"synth-{i // per_doc:04d}"
        words = rng.choice(VOCAB, size=int(rng.integers(40, 90)))
        text = " ".join(words) + f" n°{i}"
        records.append(
            PassageRecord(
                doc_id=doc,
                document=f"{doc}.txt",
                iri=f"https://example.org/{doc}/{i}",
                index=i,
                text=text,
                start_line=i,
                end_line=i,
                char_start=0,
                char_end=len(text),
                section=SectionInfo(number=i % 24, title="section", kind="chapitre", label="section"),
                context="document synthétique",
                facets={
                    "document": [f"{doc}.txt"],
                    "section_kind": ["chapitre"],
                    "year": [str(2000 + i % 24)],
                },
            )
        )
    return records


def fill_word_states(settings: Any, embedder: Any, records: Any, rng: np.random.Generator) -> int:
    """Put token states for every synthetic passage in the word cache (search.wordmatch): the text's real
    token ids (the embedder's tokenizer, so their spread is a real one), random int8 states; returns how
    many tokens were stored."""
    from essgraph.search.embedders import SQLITE_CACHE_FILE, SqliteWordCache, WordStates, text_hash

    dim = embedder.word_dim
    cache = SqliteWordCache(settings.cache_dir / SQLITE_CACHE_FILE, dim)
    total = 0
    step = 2_000
    for start in range(0, len(records), step):
        items = []
        for rec in records[start : start + step]:
            text = rec.index_text()
            pieces = np.asarray(embedder.word_pieces(text), dtype=np.int32)  # those the embedder keeps
            states = rng.integers(-127, 128, size=(len(pieces), dim), dtype=np.int8)
            scales = np.full(len(pieces), 1 / (127 * np.sqrt(dim / 3)), dtype=np.float32)
            items.append((text_hash(text), WordStates(pieces, states, scales)))
            total += len(pieces)
        cache.put_many(embedder.words_name, items)
    cache.close()
    return total


def run(
    n: int,
    n_queries: int,
    hnsw_threshold: int,
    backend: str = "faiss",
    milvus_uri: str = "",
    word_states: str = "full",
) -> dict[str, Any]:
    """Build the engine over `n` synthetic passages in a temporary home with the `backend` index
    ("faiss": the local index; "milvus": Milvus at `milvus_uri`, or milvus-lite in the home) and
    `word_states` token states (settings.word_states); returns the figures."""
    from essgraph.core.settings import Settings
    from essgraph.search.embedders import make_embedder, make_embedding_cache, text_hash
    from essgraph.search.engine import SearchEngine

    home = Path(tempfile.mkdtemp(prefix="essgraph-scale-"))
    index: dict[str, Any] = {}
    if backend == "milvus":
        index = {"index": "milvus", "milvus_uri": milvus_uri or str(home / "milvus.db")}
    settings = Settings(home=home, hnsw_threshold=hnsw_threshold, word_states=word_states, **index)
    records = synthetic_records(n, max(1, n // 200), seed=0)
    embedder = make_embedder(
        settings.embedder,
        settings.query_threads,
        settings.ingest_threads,
        settings.model_cache_dir,
        settings.word_states,
    )
    rng = np.random.default_rng(1)
    cache = make_embedding_cache(settings)  # in Milvus beside the index on the milvus backend
    t0 = time.perf_counter()
    step = 10_000
    for start in range(0, n, step):
        chunk = records[start : start + step]
        vectors = rng.standard_normal((len(chunk), embedder.dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        cache.put_many(
            embedder.name, [(text_hash(r.index_text()), v) for r, v in zip(chunk, vectors, strict=True)]
        )
    cache.close()
    words = 0
    if embedder.words_name is not None and settings.word_match_weight > 0:
        words = fill_word_states(settings, embedder, records, rng)
    fill_s = time.perf_counter() - t0

    engine = SearchEngine.open(settings)
    engine._embedder = embedder
    t0 = time.perf_counter()
    computed = engine.rebuild(records)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine.snapshot.lexical.search("x", 1)  # matrices already assembled by the rebuild (snapshot.finish)
    bm25_build_s = time.perf_counter() - t0
    kind = getattr(engine.snapshot.vectors, "kind", backend)

    questions = development_questions()
    queries = [questions[i % len(questions)] for i in range(n_queries)]
    for q in queries[:10]:
        engine.search(q, 10)
    times: dict[str, list[float]] = {"hybrid": [], "bm25": [], "dense": []}
    for mode in times:
        for q in queries:
            engine.query_vectors.clear()  # every search embeds its question (no repeated-question cache)
            t1 = time.perf_counter()
            engine.search(q, 10, mode=mode)
            times[mode].append((time.perf_counter() - t1) * 1000)
    t0 = time.perf_counter()
    doc = records[0].doc_id
    engine.upsert_document(doc, [r for r in records if r.doc_id == doc])
    upsert_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine.search("coopérative", 5, mode="bm25")
    after_upsert_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine.delete_document(records[-1].doc_id)
    engine.search("coopérative", 5)
    delete_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    SearchEngine.open(settings).search("coopérative", 5)
    reopen_s = time.perf_counter() - t0
    return {
        "backend": backend,
        "word_states": word_states,
        "passages": n,
        "vector_index": kind,
        "cache_fill_s": fill_s,
        "word_tokens": words,
        "build_s": build_s,
        "bm25_matrices_s": bm25_build_s,
        "embedded_during_build": computed,
        "upsert_one_document_s": upsert_s,
        "first_search_after_upsert_s": after_upsert_s,
        "delete_one_document_and_search_s": delete_s,
        "passages_per_document": len([r for r in records if r.doc_id == doc]),
        "reopen_and_first_search_s": reopen_s,
        "peak_rss_mb": rss_mb(),
        "index_mb": sum(f.stat().st_size for f in settings.index_dir.rglob("*") if f.is_file()) / 2**20,
        "latency_ms": {
            m: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95), "n": len(v)} for m, v in times.items()
        },
    }


def one_process(args: argparse.Namespace, backend: str, word_states: str) -> dict[str, Any]:
    """The report of this bench run for `backend` and `word_states` alone in a child process (same
    sizes)."""
    command = [sys.executable, __file__, "--passages", str(args.passages), "--queries", str(args.queries)]
    command += ["--backend", backend, "--word-states", word_states, "--json"] + (
        ["--milvus-uri", args.milvus_uri] if args.milvus_uri else []
    )
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {backend} run failed:\n{done.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(done.stdout)[0]
    return report


def main() -> None:
    """Run at the requested size with the configured threshold (flat) and below it (HNSW)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--hnsw", action="store_true", help="Also run with HNSW (threshold below the size).")
    parser.add_argument(
        "--backend",
        choices=("faiss", "milvus", "both"),
        default="faiss",
        help="Index backend; 'both': FAISS then Milvus in this run, side by side.",
    )
    parser.add_argument("--milvus-uri", default="", help="Milvus server (default: milvus-lite in the home).")
    parser.add_argument(
        "--word-states",
        choices=("full", "compact", "both"),
        default="full",
        help="Token states kept (settings.word_states); 'both': full then compact, side by side.",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from essgraph.core.settings import Settings

    backends = ("faiss", "milvus") if args.backend == "both" else (args.backend,)
    kinds = ("full", "compact") if args.word_states == "both" else (args.word_states,)
    if len(backends) * len(kinds) > 1:
        # one process per run, one after the other: each peak RSS is its own run's
        reports = [one_process(args, backend, kind) for backend in backends for kind in kinds]
    else:
        threshold = Settings().hnsw_threshold
        reports = [run(args.passages, args.queries, threshold, backends[0], args.milvus_uri, kinds[0])]
    backends = [r["backend"] for r in reports]
    if args.hnsw and "faiss" in backends:
        for kind in kinds:
            reports.append(run(args.passages, args.queries, max(1000, args.passages // 2), word_states=kind))
    if args.json:
        print(json.dumps(reports, indent=2))
        return
    for r in reports:
        print(
            f"{r['passages']} passages, {r['backend']} {r['vector_index']}, {r['word_states']} states: "
            f"build {r['build_s']:.1f} s "
            f"(BM25 matrices {r['bm25_matrices_s']:.1f} s), "
            f"upsert of one document ({r['passages_per_document']} passages) "
            f"{r['upsert_one_document_s']:.2f} s"
            f" + first search {r['first_search_after_upsert_s']:.2f} s, "
            f"delete one document + search {r['delete_one_document_and_search_s']:.2f} s, "
            f"reopen + first search {r['reopen_and_first_search_s']:.1f} s, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB, index {r['index_mb']:.0f} MB, "
            f"{r['word_tokens']} token states"
        )
        for mode, v in r["latency_ms"].items():
            print(f"  {mode:<7} p50 {v['p50']:.1f} ms  p95 {v['p95']:.1f} ms  (n={v['n']})")


if __name__ == "__main__":
    main()
