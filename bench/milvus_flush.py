"""Milvus-lite searches before and after a flush: growing rows are scanned, sealed ones use their index.

One milvus-lite collection of N synthetic passages (bench/search_scale.py's texts, random vectors), one
BM25 request (`limit` 100 and 2000) and one dense request timed before `flush` and again after it:

    python bench/milvus_flush.py [--passages 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from benchlib import REPO
from search_scale import synthetic_records


def timed(call: Callable[[], object], repeat: int) -> float:
    """Mean seconds of `call()` over `repeat` runs."""
    t0 = time.perf_counter()
    for _ in range(repeat):
        call()
    return (time.perf_counter() - t0) / repeat


def main() -> None:
    """Build the collection, time the searches, flush, time them again; prints one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import sys

    sys.path.insert(0, str(REPO))
    from essgraph.core.settings import Settings
    from essgraph.search.lexical.milvus import bm25_text
    from essgraph.search.milvus_client import MilvusPassages, milvus_target

    home = Path(tempfile.mkdtemp(prefix="milvus-flush-"))
    target = milvus_target(Settings(home=home, index="milvus"))
    assert target is not None
    passages = MilvusPassages.create(target, 384)
    n = args.passages
    vectors = np.random.default_rng(0).standard_normal((n, 384)).astype(np.float32)
    passages.insert(list(range(n)), vectors, synthetic_records(n, max(1, n // 200), 0))
    question = [bm25_text("coopérative insertion emploi commune", target.analysis)]
    for moment in ("before flush", "after flush"):
        for limit in (100, 2000):
            s = timed(lambda limit=limit: passages.search_text("text", question, limit), args.repeat)
            print(f"{moment}: BM25 limit {limit}: {s:.3f} s")
        dense = timed(lambda: passages.search_dense(vectors[0], 100), args.repeat)
        print(f"{moment}: dense limit 100: {dense:.3f} s")
        if moment == "before flush":
            t0 = time.perf_counter()
            passages.flush()
            print(f"flush: {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
