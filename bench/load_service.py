"""Load bench of the service: N concurrent clients for T seconds on search + SPARQL, one upload mid-run.

Starts `essgraph serve` on a copy of an ingested home (or uses --url), then reports errors (must be
0), p50/p95 latency per kind and requests per second. Usage:

    python bench/load_service.py --home var --clients 20 --duration 60
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from benchlib import REPO, percentile, wait_for_health

QUESTIONS = [
    "Comment une commune peut-elle entrer au capital d'une SCIC ?",
    "accès au foncier pour l'agriculture biologique",
    "monnaie locale complémentaire",
    "clauses sociales dans les marchés publics",
    "tiers-lieux et quartiers prioritaires",
    "PTCE coopération économique territoriale",
    "achats responsables SPASER",
    "régie de quartier insertion",
]
SPARQL = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/essgraph/def#Initiative> }",
    "SELECT ?i ?l WHERE { ?i a <https://w3id.org/essgraph/def#Initiative> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l LIMIT 50",
    "SELECT ?c ?l WHERE { ?c a <https://w3id.org/essgraph/def#Collectivite> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 100",
]
UPLOAD_TEXT = (
    "Note de suivi (banc de charge)\n\n"
    "La commune de Bancville soutient la recyclerie coopérative Bancville Réemploi par une subvention "
    "annuelle et un local mis à disposition dans le quartier de la gare.\n"
)


@dataclass
class Stats:
    """Latencies (s) per request kind and the errors seen."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


def client_loop(url: str, stop: float, stats: Stats, seed: int) -> None:
    """One client: alternate searches and SPARQL queries until `stop` (monotonic)."""
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=60) as http:
        while time.monotonic() < stop:
            if rng.random() < 0.6:
                kind = "search"
                start = time.perf_counter()
                try:
                    response = http.get("/api/search", params={"q": rng.choice(QUESTIONS), "k": 10})
                    ok = response.status_code == 200 and "hits" in response.json()
                    error = None if ok else f"HTTP {response.status_code} {response.text[:200]}"
                except httpx.HTTPError as exc:
                    error = repr(exc)
            else:
                kind = "sparql"
                start = time.perf_counter()
                try:
                    response = http.get("/sparql", params={"query": rng.choice(SPARQL)})
                    ok = response.status_code == 200 and "results" in response.json()
                    error = None if ok else f"HTTP {response.status_code} {response.text[:200]}"
                except httpx.HTTPError as exc:
                    error = repr(exc)
            stats.add(kind, time.perf_counter() - start, error)


def upload_once(url: str, token: str, delay: float, stats: Stats) -> None:
    """After `delay` seconds, upload and ingest one small document through the staff route."""
    time.sleep(delay)
    start = time.perf_counter()
    try:
        response = httpx.post(
            url + "/api/documents?wait=true",
            files={"file": ("note-banc-de-charge.txt", UPLOAD_TEXT.encode(), "text/plain")},
            headers={"Authorization": f"Bearer {token}"},
            timeout=600,
        )
        error = None if response.status_code == 201 else f"HTTP {response.status_code} {response.text[:200]}"
    except httpx.HTTPError as exc:
        error = repr(exc)
    stats.add("upload", time.perf_counter() - start, error)


def start_server(home: Path, port: int, token_entry: str, log: Path) -> subprocess.Popen[bytes]:
    """`essgraph serve` on `home` with one upload token, output to `log`; waits until /health answers."""
    env = dict(os.environ, ESSGRAPH_HOME=str(home), ESSGRAPH_STAFF_TOKENS=json.dumps([token_entry]))
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "essgraph"), "serve", "--port", str(port)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_for_health(process, port, "the server did not start")
    return process


def main() -> int:
    """Run the bench; prints a summary and returns 1 when any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO / "var", help="ingested home to copy and serve")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-upload", action="store_true")
    parser.add_argument(
        "--server-log", type=Path, default=Path(tempfile.gettempdir()) / "essgraph-load-server.log"
    )
    args = parser.parse_args()

    from essgraph.service.auth import new_token, settings_entry

    token = new_token()
    with tempfile.TemporaryDirectory(prefix="essgraph-load-") as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(args.home, home)
        server = start_server(home, args.port, settings_entry("bench", ["upload"], token), args.server_log)
        url = f"http://127.0.0.1:{args.port}"
        stats = Stats()
        try:
            stop = time.monotonic() + args.duration
            threads = [
                threading.Thread(target=client_loop, args=(url, stop, stats, i)) for i in range(args.clients)
            ]
            if not args.no_upload:
                threads.append(
                    threading.Thread(target=upload_once, args=(url, token, args.duration / 3, stats))
                )
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=60)
    total = sum(len(v) for k, v in stats.latencies.items() if k != "upload")
    print(f"clients={args.clients} duration={args.duration:g}s elapsed={elapsed:.1f}s")
    print(f"requests={total} errors={len(stats.errors)} throughput={total / elapsed:.1f} req/s")
    for kind, values in sorted(stats.latencies.items()):
        print(
            f"{kind:7s} n={len(values):5d} p50={percentile(values, 0.5) * 1000:8.1f} ms "
            f"p95={percentile(values, 0.95) * 1000:8.1f} ms mean={statistics.fmean(values) * 1000:8.1f} ms"
        )
    for error in stats.errors[:10]:
        print("ERROR", error)
    return 1 if stats.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
