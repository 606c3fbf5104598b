"""Where the service's start-up time goes: each phase of opening the state, timed on an ingested home.

python bench/startup.py --home /path/to/ingested/home
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from benchlib import REPO


def main() -> int:
    """Open the service state phase by phase and print the seconds of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO / "var")
    parser.add_argument("--restarts", type=int, default=3, help="whole `essgraph serve` starts to time")
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()

    phases: list[tuple[str, float]] = []
    start = last = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        phases.append((name, now - last))
        last = now

    import essgraph.app.web  # noqa: F401  (what `essgraph serve` imports before opening anything)
    from essgraph.app.pipeline import Pipeline
    from essgraph.core.settings import Settings
    from essgraph.graph.sparql import SparqlExecutor
    from essgraph.graph.store_factory import open_store
    from essgraph.search.engine import SearchEngine
    from essgraph.service.state import recover_uploads, warm_up

    mark("import the service (FastAPI, pyoxigraph, numpy, faiss…)")
    settings = Settings(home=args.home)
    store = open_store(settings)
    mark("open the store")
    engine = SearchEngine.open(settings, store)
    mark("load the search indexes (segments, BM25, FAISS, snapshot)")
    pipeline = Pipeline(settings, store, engine)
    mark("build the pipeline (ontology check, journal, reconcile)")
    assert engine.embedder is not None
    mark("load the embedder")
    assert engine.understander is not None
    mark("load the thesaurus for query understanding")
    engine._ensure_concept_vectors()
    mark("concept vectors (embedding cache)")
    warm_up(engine)
    mark("warm-up search")
    recover_uploads(settings.uploads_dir, pipeline)
    mark("recover uploads")
    sparql = SparqlExecutor(settings)
    mark("spawn the SPARQL workers")
    sparql.run("ASK { ?s ?p ?o }")
    mark("first SPARQL answer (worker start-up)")
    total = time.perf_counter() - start
    for name, seconds in phases:
        print(f"{name:58s} {seconds:7.2f} s")
    print(f"{'total':58s} {total:7.2f} s")
    sparql.close()
    engine.close()
    store.close()
    for attempt in range(args.restarts):
        print(f"restart {attempt + 1}: /health answered after {restart_seconds(args.home, args.port):.1f} s")
    return 0


def restart_seconds(home: Path, port: int) -> float:
    """Seconds from launching `essgraph serve` on `home` to its first 200 on /health."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "essgraph", "serve", "--port", str(port)],
        env=dict(os.environ, ESSGRAPH_HOME=str(home)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = start + 300
        while time.perf_counter() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    return time.perf_counter() - start
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("the service did not start within 300 s")
    finally:
        process.terminate()
        process.wait(60)


if __name__ == "__main__":
    raise SystemExit(main())
