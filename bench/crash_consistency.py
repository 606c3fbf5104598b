"""Crash-consistency bench: N SIGKILLs of `essgraph ingest` (fault points and random delays), checked.

    python bench/crash_consistency.py --trials 30 [--corpus DIR] [--seed 1]

Builds an uninterrupted reference home, then kills ingest runs chained on one home: each trial either
sets ESSGRAPH_CRASH_AT=<phase>:<n> (every write point of essgraph.faults.PHASES) or kills the process
a random delay after its first journal write. After every kill it checks, with the same code as
tests/reliability: nothing half-written (every document graph present is isomorphic to the reference,
every indexed document holds exactly the reference passages), then opens a copy as the next writer
would (reconcile, timed = recovery time) and checks graph and indexes agree. A final uninterrupted run
must give the reference graphs, index and search results. Prints trials, kills per phase,
inconsistencies (must be 0) and recovery times.

The code under test is frozen first (`git archive HEAD` into a temporary folder, this script re-run
from there): other people editing the work tree must not change what the ingest extracts mid-bench.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FROZEN_ENV = "ESSGRAPH_BENCH_FROZEN"  # set when this script runs from a frozen copy of the code


def _rerun_frozen() -> None:
    """Re-run this script from `git archive HEAD` in a temporary folder (with that code first on the path)."""
    snapshot = Path(tempfile.mkdtemp(prefix="crash-bench-code-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive.stdout, check=True)
    env = {**os.environ, FROZEN_ENV: "1", "PYTHONPATH": str(snapshot)}
    script = snapshot / "bench" / "crash_consistency.py"
    proc = subprocess.run([sys.executable, str(script), *sys.argv[1:]], env=env, cwd=snapshot, check=False)
    shutil.rmtree(snapshot, ignore_errors=True)
    sys.exit(proc.returncode)


if __name__ == "__main__" and not os.environ.get(FROZEN_ENV):
    _rerun_frozen()
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "reliability"))

from reliability_support import (  # noqa: E402  (the checks of the reliability tests)
    GENERATED_DOCS,
    SAMPLES,
    disagreements,
    kill_after_first_write,
    problems_against,
    read_state,
    run_essgraph,
    search_signature,
    seed_cache,
)

from essgraph.app.pipeline import Pipeline  # noqa: E402
from essgraph.core.faults import CRASH_ENV, PHASES  # noqa: E402
from essgraph.core.settings import Settings  # noqa: E402

RANDOM_SHARE = 0.3  # share of trials killed after a random delay rather than at a fault point
MAX_RANDOM_DELAY_S = 3.0  # random kills land within this long after the run's first journal write


def small_corpus(folder: Path) -> Path:
    """ingest/samples plus the two generated documents of the reliability tests, copied to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in SAMPLES.iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    for name, text in GENERATED_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def main() -> None:
    """Run the trials and print the report; exit status 1 if any inconsistency was found."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="folder to ingest (default: samples + 2 generated docs)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="crash-bench-"))
    corpus = args.corpus.resolve() if args.corpus else small_corpus(work / "corpus")
    n_docs = sum(1 for p in corpus.rglob("*") if p.is_file())

    t0 = time.perf_counter()
    reference_home = work / "reference"
    proc = run_essgraph(reference_home, "ingest", str(corpus))
    reference_s = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"reference ingest failed: {proc.stderr[-500:]}")
    reference = read_state(reference_home)

    home = work / "crashed"
    home.mkdir()
    seed_cache(reference_home, home)
    kills: Counter[str] = Counter()
    not_killed = 0
    problems: list[str] = []
    recovery: list[float] = []
    for trial in range(args.trials):
        if rng.random() < RANDOM_SHARE:
            label = "random delay"
            rc = kill_after_first_write(home, corpus, rng.uniform(0.0, MAX_RANDOM_DELAY_S))
        else:  # forced runs: every document passes every checkpoint, so any count up to n_docs is reached
            label = PHASES[trial % len(PHASES)]
            count = rng.randint(1, n_docs * (3 if label == "index-save" else 1))
            cmd = ["ingest", "--force", str(corpus)]
            rc = run_essgraph(home, *cmd, env={CRASH_ENV: f"{label}:{count}"}).returncode
        if rc == -signal.SIGKILL:
            kills[label] += 1
        else:
            not_killed += 1
        state = read_state(home)
        problems += [f"trial {trial} ({label}) after kill: {p}" for p in problems_against(state, reference)]
        copy = work / "opened"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(home, copy)
        t1 = time.perf_counter()
        Pipeline(Settings(home=copy)).close()
        recovery.append(time.perf_counter() - t1)
        opened = read_state(copy)
        problems += [f"trial {trial} ({label}) after reopen: {p}" for p in disagreements(opened)]
        problems += [
            f"trial {trial} ({label}) after reopen: {p}" for p in problems_against(opened, reference)
        ]

    t2 = time.perf_counter()
    final = run_essgraph(home, "ingest", str(corpus))
    rerun_s = time.perf_counter() - t2
    state = read_state(home)
    if final.returncode != 0:
        problems.append(f"final run: exit {final.returncode}")
    problems += [f"final: {p}" for p in disagreements(state) + problems_against(state, reference)]
    if set(state.graphs) != set(reference.graphs) or state.index_texts != reference.index_texts:
        problems.append("final: documents or indexed passages differ from the uninterrupted run")
    if search_signature(home) != search_signature(reference_home):
        problems.append("final: search results differ from the uninterrupted run")

    print(f"corpus: {corpus} ({n_docs} files); reference ingest {reference_s:.1f} s")
    print(f"trials: {args.trials} (SIGKILL delivered: {sum(kills.values())}, run ended first: {not_killed})")
    print("kills per phase:")
    for label in [*PHASES, "random delay"]:
        print(f"  {label:15} {kills.get(label, 0)}")
    print(f"inconsistencies found: {len(problems)}")
    for p in problems:
        print(f"  {p}")
    print(
        f"recovery (next writer opening the crashed home, reconcile included): median "
        f"{statistics.median(recovery):.2f} s, max {max(recovery):.2f} s"
    )
    print(
        f"final re-run to completion: {rerun_s:.1f} s; same graphs, index and search results as "
        f"uninterrupted: {'yes' if not problems else 'NO'}"
    )
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
