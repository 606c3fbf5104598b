"""Fault injection for the crash-consistency tests: SIGKILL this process at a named write point."""

from __future__ import annotations

import os
import signal

CRASH_ENV = "ESSGRAPH_CRASH_AT"  # "<phase>:<n>": kill at the n-th pass through checkpoint(<phase>)
PHASES: tuple[str, ...] = ("read", "extract", "journal-intent", "store", "index-save", "index", "journal")


def checkpoint(phase: str) -> None:
    """Kill this process with SIGKILL at the n-th pass through `phase` when $ESSGRAPH_CRASH_AT asks.

    Returns normally (doing nothing) when the variable is unset or names another phase; the count is
    kept in the variable itself, so each process counts its own passes.
    """
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != phase:
        return
    remaining = int(count or "1") - 1
    os.environ[CRASH_ENV] = f"{name}:{remaining}"
    if remaining <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
