"""Ingest of a folder on the embedded default vs Oxigraph server + milvus-lite, with 1 and N worker processes.

Each run is `python -m essgraph ingest FOLDER --workers W` (the CLI as a user runs it) into a fresh home;
for the remote configuration a fresh `oxigraph serve` is started for the run and the index is a milvus-lite
file in the home (`ESSGRAPH_INDEX=milvus`, the same client code as a Milvus server). The runs alternate
configuration by configuration, round by round, so machine noise hits them alike. With --cache-from HOME
the embedding cache of an ingested home is copied into each fresh home first: the passages' vectors come
from the cache and the figure is reading, extraction, mapping, writing and indexing (without it every run
encodes every passage, which dominates on this machine). Reports wall time, CPU time of the ingest and its
worker processes, documents, statements, and the named-graph count seen by each store.

    python bench/ingest_backends.py ../shared/corpus --cache-from /tmp/home --workers 1,4 [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import REPO, start_remote_configuration

sys.path.insert(0, str(REPO))
from essgraph.core.settings import Settings
from essgraph.search.embedders import SQLITE_CACHE_FILE, seed_embedding_cache

SUMMARY = re.compile(r"documents ingérés : (\d+)")
COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g {} }"


def _count(sparql_json: str) -> int | None:
    """The one number of a one-row SPARQL JSON result (None if the query failed)."""
    try:
        return int(json.loads(sparql_json)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError):
        return None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(
    folder: Path, config: str, workers: int, cache_from: Path | None, scratch: Path
) -> dict[str, object]:
    """One ingest of `folder` into a fresh home on `config` ("embedded" or "remote"); the figures."""
    home = Path(tempfile.mkdtemp(prefix=f"{config}-w{workers}-", dir=scratch))
    env = dict(os.environ, ESSGRAPH_HOME=str(home), OMP_NUM_THREADS="1", PYTHONPATH=str(REPO))
    server = None
    # the warm cache of an earlier run: texts already embedded are not embedded again (in the home's
    # SQLite file on the embedded default, in Milvus beside the index on the remote configuration)
    if config == "remote":
        settings, server = start_remote_configuration(home, cache_from)
        env.update(settings)
    elif cache_from is not None:
        seed_embedding_cache(Settings(home=home), cache_from / "cache" / SQLITE_CACHE_FILE)
    try:
        cpu = _children_cpu()
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "essgraph", "ingest", str(folder), "--workers", str(workers)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        cpu = _children_cpu() - cpu
        if done.returncode != 0:
            raise SystemExit(f"ingest failed ({config}, {workers} workers):\n{done.stdout}\n{done.stderr}")
        graphs = subprocess.run(
            [sys.executable, "-m", "essgraph", "sparql", COUNT_GRAPHS],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)
    match = SUMMARY.search(done.stdout)
    return {
        "config": config,
        "workers": workers,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "documents": int(match.group(1)) if match else None,
        "summary": done.stdout.strip().splitlines()[:2],
        "graphs": _count(graphs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cache-from", type=Path, help="an ingested home whose embedding cache is copied")
    parser.add_argument("--workers", default="1,4", help="worker counts, comma-separated")
    parser.add_argument("--configs", default="embedded,remote")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    configs = args.configs.split(",")
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="ingest-backends-") as scratch:
        for _ in range(args.rounds):
            for w in workers:
                for config in configs:
                    row = run_once(args.folder.resolve(), config, w, args.cache_from, Path(scratch))
                    rows.append(row)
                    print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    print("| configuration | workers | wall s | CPU s (ingest + workers) | named graphs | summary |")
    print("|---|---:|---:|---:|---:|---|")
    for row in rows:
        summary = " ".join(str(s) for s in row["summary"])  # type: ignore[union-attr]
        print(
            f"| {row['config']} | {row['workers']} | {row['wall_s']} | {row['cpu_s']} | {row['graphs']} "
            f"| {summary} |"
        )


if __name__ == "__main__":
    main()
