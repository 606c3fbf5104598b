"""The sparql store on Virtuoso beside `oxigraph serve`, side by side in one run: start, ingest, queries.

PYTHONPATH=. python bench/virtuoso.py [--docs essgraph/ingest/samples] [--service-tests]

Both servers are started by the test helpers (tests/sparql_server_support.py: own folder, free ports,
killed at the end). An embedded ingest first fills the embedding cache, which both homes then copy, so
the timed ingests differ by the store only. `--service-tests` also runs the service-level tests on
Virtuoso (tests/service/test_sparql_backend.py, kept out of `make test` for their duration).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import REPO

from essgraph.app.pipeline import ingest_paths
from essgraph.core.settings import Settings
from essgraph.graph.queries import admin
from essgraph.graph.store_factory import open_store
from tests.sparql_server_support import (
    OxigraphServer,
    VirtuosoServer,
    oxigraph_binary,
    virtuoso_binary,
)

QUERIES = {
    "graph counts": admin.GRAPH_COUNTS,
    "class counts": admin.CLASS_COUNTS,
    "passages by graph": admin.PASSAGES_BY_GRAPH,
}


def _timed(action: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - start, result


def run_server(
    server: OxigraphServer | VirtuosoServer, docs: Path, cache: Path, work: Path
) -> dict[str, str]:
    """Start `server`, ingest `docs` into a fresh home on it, run the admin queries and a dump;
    returns the measured seconds and sizes by step (the server is stopped at the end)."""
    out: dict[str, str] = {}
    seconds, _ = _timed(server.start)
    out["start (s)"] = f"{seconds:.1f}"
    try:
        settings = server.settings(Settings(home=work / "home"))  # type: ignore[call-arg]
        settings.cache_dir.mkdir(parents=True)
        shutil.copy(cache / "embeddings.sqlite", settings.cache_dir / "embeddings.sqlite")
        seconds, summary = _timed(lambda: ingest_paths([docs], settings, progress=False))
        assert not summary.errors, summary.errors  # type: ignore[attr-defined]
        out["ingest (s)"] = f"{seconds:.1f}"
        with open_store(settings) as store:
            out["quads"] = str(store.quad_count())
            out["graphs"] = str(len(store.graph_names()))
            for name, text in QUERIES.items():
                seconds, rows = _timed(lambda text=text: store.select(text))
                out[f"{name} (ms, rows)"] = f"{seconds * 1000:.0f}, {len(rows)}"  # type: ignore[arg-type]
            seconds, dump = _timed(lambda: store.dump("nquads"))
            out["dump nquads (ms, bytes)"] = f"{seconds * 1000:.0f}, {len(dump)}"  # type: ignore[arg-type]
    finally:
        server.stop()
    return out


def main() -> int:
    """Print one table: a row per step, a column per server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=REPO / "essgraph" / "ingest" / "samples")
    parser.add_argument("--service-tests", action="store_true", help="also the service tests on Virtuoso")
    args = parser.parse_args()
    oxigraph, virtuoso = oxigraph_binary(), virtuoso_binary()
    if oxigraph is None or virtuoso is None:
        print("oxigraph ou virtuoso-t absent (pip install oxigraph ; apt-get install virtuoso-opensource)")
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-virtuoso-") as tmp:
        work = Path(tmp)
        warm = Settings(home=work / "warm")  # type: ignore[call-arg]
        summary = ingest_paths([args.docs], warm, progress=False)
        assert not summary.errors, summary.errors
        columns = {
            "oxigraph serve": run_server(
                OxigraphServer(oxigraph, work / "oxigraph"), args.docs, warm.cache_dir, work / "o"
            ),
            "virtuoso 7.2": run_server(
                VirtuosoServer(virtuoso, work / "virtuoso"), args.docs, warm.cache_dir, work / "v"
            ),
        }
    print(f"documents: {args.docs}")
    print("| step | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for step in next(iter(columns.values())):
        print(f"| {step} | " + " | ".join(values[step] for values in columns.values()) + " |")
    if args.service_tests:
        env = {**os.environ, "ESSGRAPH_TEST_VIRTUOSO_SERVICE": "1", "PYTHONPATH": str(REPO)}
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "tests/service/test_sparql_backend.py",
            "-k",
            "virtuoso",
        ]
        seconds, run = _timed(lambda: subprocess.run(command, cwd=REPO, env=env))
        print(f"service tests on Virtuoso: exit {run.returncode} in {seconds:.0f} s")  # type: ignore[attr-defined]
        return int(run.returncode)  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
