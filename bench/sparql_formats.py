"""SPARQL result formats over HTTP: latency and size of each format, side by side for source trees.

Ingests the shipped samples (essgraph/ingest/samples) once into a fresh home, then for each source
tree given with --code starts `python -m essgraph serve` from that tree (PYTHONPATH) on a copy of the
home and times GET /sparql for every format of a large SELECT, a CONSTRUCT, an ASK and a SELECT cut
by the byte limit. One server at a time, so the trees never share the cores. A second table times
each tree's `graph.sparql.run_query` in this process on the same store (no HTTP, no worker process):
the serialisation alone. Usage:

    python bench/sparql_formats.py --code /work/main --code . --repeat 15
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from benchlib import REPO, percentile, wait_for_health

SAMPLES = REPO / "essgraph" / "ingest" / "samples"
ALL = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
ASK = "ASK { ?s a <https://w3id.org/essgraph/def#Document> }"
# (case, query, format names)
CASES: list[tuple[str, str, list[str]]] = [
    ("SELECT all triples", ALL, ["json", "xml", "csv", "tsv"]),
    ("CONSTRUCT all triples", GRAPH, ["ttl", "nt", "jsonld", "rdfxml"]),
    ("ASK", ASK, ["json", "xml"]),
]
CAPPED_BYTES = 64 * 1024


def build_home(code: Path, home: Path) -> None:
    """Ingest the shipped samples into `home` with the essgraph of `code`."""
    env = dict(os.environ, PYTHONPATH=str(code), ESSGRAPH_HOME=str(home))
    subprocess.run([sys.executable, "-m", "essgraph", "ingest", str(SAMPLES)], env=env, check=True)


def start(code: Path, home: Path, port: int, log: Path, extra: dict[str, str]) -> subprocess.Popen[bytes]:
    """`python -m essgraph serve` from `code` on `home`; waits until /health answers."""
    env = dict(os.environ, PYTHONPATH=str(code), ESSGRAPH_HOME=str(home), **extra)
    process = subprocess.Popen(
        [sys.executable, "-m", "essgraph", "serve", "--port", str(port)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_for_health(process, port, f"the server of {code} did not start (see {log})")
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server started by `start` (terminate, then kill if it lingers)."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(url: str, query: str, fmt: str, repeat: int) -> tuple[float, float, int, str, str, int]:
    """(p50 ms, p95 ms, body bytes, rows header, truncated header, status) of `repeat` GETs after one
    warm-up request."""
    times = []
    with httpx.Client(base_url=url, timeout=120) as http:
        response = http.get("/sparql", params={"query": query, "format": fmt})
        for _ in range(repeat):
            started = time.perf_counter()
            response = http.get("/sparql", params={"query": query, "format": fmt})
            times.append((time.perf_counter() - started) * 1000)
    return (
        percentile(times, 0.5),
        percentile(times, 0.95),
        len(response.content),
        response.headers.get("X-Essgraph-Rows", "-"),
        response.headers.get("X-Essgraph-Truncated", "-"),
        response.status_code,
    )


def in_process(trees: list[Path], home: Path, repeat: int) -> None:
    """Print the median ms of each tree's run_query per format, on `home`'s store opened read-only.

    Each tree's graph/sparql.py is loaded from its file; the modules it imports (errors, the lexer)
    come from the first tree, which is what lets two trees' run_query run in one process."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(home / "graph"))
    print("\n| tree | query | limit | format | rows | bytes | median ms |")
    print("|---|---|---|---|---:|---:|---:|")
    for index, code in enumerate(trees):
        sys.path.insert(0, str(code))
        try:
            name = f"_sparql_of_tree_{index}"
            spec = importlib.util.spec_from_file_location(name, code / "essgraph" / "graph" / "sparql.py")
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            check = importlib.import_module("essgraph.graph.sparql_check")
        finally:
            sys.path.remove(str(code))
        for limit in (16 * 1024 * 1024, CAPPED_BYTES):
            limits = module.QueryLimits(10_000, limit, ())
            for query, formats in (
                (ALL, ["json", "xml", "csv", "tsv"]),
                (GRAPH, ["turtle", "ntriples", "jsonld", "xml"]),
            ):
                request = check.analyse(query, len(query) + 1, 100)
                for fmt in formats:
                    times = []
                    for _ in range(repeat):
                        started = time.perf_counter()
                        result = module.run_query(store, request, fmt, limits)
                        times.append((time.perf_counter() - started) * 1000)
                    print(
                        f"| {code} | {query.split()[0]} | {limit} | {fmt} | {result.rows} "
                        f"| {len(result.body)} | {statistics.median(times):.1f} |",
                        flush=True,
                    )


def main() -> int:
    """Run the bench; prints one Markdown table row per tree, case and format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--code", type=Path, action="append", required=True, help="a source tree (repeatable)"
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--home", type=Path, help="an ingested home to use instead of ingesting the samples")
    args = parser.parse_args()
    trees = [code.resolve() for code in args.code]
    print("| tree | case | format | status | rows | truncated | bytes | p50 ms | p95 ms |")
    print("|---|---|---|---:|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="essgraph-sparql-formats-") as tmp:
        template = Path(tmp) / "template"
        if args.home:
            shutil.copytree(args.home, template)
        else:
            build_home(trees[-1], template)
        runs = [(case, query, formats, {}) for case, query, formats in CASES]
        runs.append(
            (
                f"SELECT cut at {CAPPED_BYTES // 1024} KiB",
                ALL,
                ["json", "xml", "csv", "tsv"],
                {"ESSGRAPH_MAX_RESULT_BYTES": str(CAPPED_BYTES)},
            )
        )
        for code in trees:
            for extra in ({}, {"ESSGRAPH_MAX_RESULT_BYTES": str(CAPPED_BYTES)}):
                home = Path(tmp) / "home"
                shutil.rmtree(home, ignore_errors=True)
                shutil.copytree(template, home)
                server = start(code, home, args.port, Path(tmp) / "server.log", extra)
                try:
                    for case, query, formats, wanted in runs:
                        if wanted != extra:
                            continue
                        for fmt in formats:
                            p50, p95, size, rows, truncated, status = measure(
                                f"http://127.0.0.1:{args.port}", query, fmt, args.repeat
                            )
                            print(
                                f"| {code} | {case} | {fmt} | {status} | {rows} | {truncated} | {size} "
                                f"| {p50:.1f} | {p95:.1f} |",
                                flush=True,
                            )
                finally:
                    stop(server)
        in_process(trees, template, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
