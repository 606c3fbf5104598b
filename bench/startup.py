"""Where the service's start-up time goes: each phase of opening the state, timed on an ingested home.

python bench/startup.py --home /path/to/ingested/home
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchlib import REPO


def main() -> int:
    """Open the service state phase by phase and print the seconds of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO / "var")
    args = parser.parse_args()

    from essgraph.app.pipeline import Pipeline
    from essgraph.core.settings import Settings
    from essgraph.graph.sparql import SparqlExecutor
    from essgraph.graph.store_factory import open_store
    from essgraph.search.engine import SearchEngine
    from essgraph.service.state import LockedEngine, ReadWriteLock, recover_uploads

    settings = Settings(home=args.home)
    phases: list[tuple[str, float]] = []
    start = last = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        phases.append((name, now - last))
        last = now

    store = open_store(settings)
    mark("open the store")
    engine = SearchEngine.open(settings, store)
    mark("load the search indexes")
    locked = LockedEngine(engine, ReadWriteLock())
    pipeline = Pipeline(settings, store, engine)
    mark("build the pipeline (thesaurus, ontology check)")
    locked.warm()
    mark("warm-up search (embedder, BM25, concepts)")
    recover_uploads(settings.uploads_dir, pipeline)
    mark("recover uploads")
    sparql = SparqlExecutor(settings)
    sparql.run("ASK { ?s ?p ?o }")
    mark("SPARQL workers up, first query")
    total = time.perf_counter() - start
    for name, seconds in phases:
        print(f"{name:48s} {seconds:7.2f} s")
    print(f"{'total':48s} {total:7.2f} s")
    sparql.close()
    engine.close()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
