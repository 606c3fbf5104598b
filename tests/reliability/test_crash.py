"""Crash consistency: `essgraph ingest` killed by SIGKILL at many write points never breaks the home."""

from __future__ import annotations

import random
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_support import (
    HomeState,
    disagreements,
    kill_after_first_write,
    problems_against,
    read_state,
    run_essgraph,
    search_signature,
)

from essgraph.app.pipeline import Pipeline
from essgraph.core.faults import CRASH_ENV
from essgraph.core.settings import Settings

# (phase, n-th pass, --force): kills by fault injection, chained on one home. Without --force a run
# only redoes what is pending or new, so counts stay at 1; with --force every document passes again.
FAULT_TRIALS: list[tuple[str, int, bool]] = [
    ("read", 1, False),
    ("extract", 2, False),
    ("journal-intent", 1, False),
    ("store", 1, False),
    ("index-save", 2, False),
    ("index", 1, False),
    ("journal", 1, False),
    ("store", 3, True),
    ("index-save", 4, True),
    ("journal-intent", 4, True),
    ("index", 5, True),
    ("journal", 2, True),
]
RANDOM_KILLS = 3
RANDOM_SEED = 6
MAX_RANDOM_DELAY_S = 1.5  # after the first write of the run


def _check_after_kill(home: Path, scratch: Path, reference: HomeState, label: str) -> None:
    """The killed home opens with nothing half-written, and a writer's start makes graph and indexes agree."""
    state = read_state(home)
    assert problems_against(state, reference) == [], label
    # open it as the next writer would (on a copy, so the next trial starts from the raw crash state)
    copy = scratch / "opened"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(home, copy)
    pipeline = Pipeline(Settings(home=copy))
    pipeline.close()
    opened = read_state(copy)
    assert disagreements(opened) == [], label
    assert problems_against(opened, reference) == [], label


@pytest.mark.slow
def test_sigkill_at_every_write_point_then_rerun_matches_uninterrupted(
    small_corpus: Path,
    reference_home: Path,
    reference_state: HomeState,
    fresh_home: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    home = fresh_home("crashed")
    for phase, count, force in FAULT_TRIALS:
        label = f"{phase}:{count}{' --force' if force else ''}"
        args = ["ingest", *(["--force"] if force else []), str(small_corpus)]
        proc = run_essgraph(home, *args, env={CRASH_ENV: f"{phase}:{count}"})
        assert proc.returncode == -signal.SIGKILL, f"{label} was not killed: {proc.stderr[-500:]}"
        _check_after_kill(home, tmp_path, reference_state, label)

    rng = random.Random(RANDOM_SEED)
    for trial in range(RANDOM_KILLS):
        rc = kill_after_first_write(home, small_corpus, rng.uniform(0.0, MAX_RANDOM_DELAY_S))
        assert rc in (0, -signal.SIGKILL), f"random kill {trial}: exit {rc}"
        _check_after_kill(home, tmp_path, reference_state, f"random kill {trial}")

    final = run_essgraph(home, "ingest", str(small_corpus))
    assert final.returncode == 0, final.stderr
    state = read_state(home)
    assert disagreements(state) == []
    assert problems_against(state, reference_state) == []
    assert set(state.graphs) == set(reference_state.graphs)
    assert state.index_texts == reference_state.index_texts
    assert {k: (v["sha256"], v["doc_id"], v["status"]) for k, v in state.journal.items()} == {
        k: (v["sha256"], v["doc_id"], v["status"]) for k, v in reference_state.journal.items()
    }
    assert search_signature(home) == search_signature(reference_home)
    # a further run finds nothing left to redo
    again = run_essgraph(home, "ingest", str(small_corpus))
    assert again.returncode == 0
    assert "inchangés : 6" in again.stdout


def test_killed_mid_index_save_leaves_previous_generation_readable(
    small_corpus: Path, reference_state: HomeState, fresh_home: Callable[[str], Path]
) -> None:
    """A kill after the new records file but before vectors/lexical/meta: readers still get one generation."""
    home = fresh_home("mid-save")
    proc = run_essgraph(home, "ingest", str(small_corpus), env={CRASH_ENV: "index-save:5"})
    assert proc.returncode == -signal.SIGKILL
    state = read_state(home)
    assert state.index_stale is None
    assert problems_against(state, reference_state) == []
    # at most the last two generations (and no temp file) stay on disk once a save completes
    proc = run_essgraph(home, "ingest", str(small_corpus))
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.name for p in (home / "index" / "search").iterdir())
    assert not [f for f in files if f.endswith(".tmp")]
    generations = {f.split(".")[1] for f in files if f.startswith("records.")}
    assert 1 <= len(generations) <= 2, files
