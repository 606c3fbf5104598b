"""Helpers shared by the bench scripts: nearest-rank percentiles and the development questions."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO.parent / "shared" / "eval" / "queries.jsonl"


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of `values` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def development_questions(path: Path = QUERIES) -> list[str]:
    """The question texts of a JSON-lines question file (default: the development set)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def wait_for_health(
    process: subprocess.Popen[bytes], port: int, message: str, timeout_s: float = 300
) -> None:
    """Wait until the server on loopback `port` answers 200 on /health; kills `process` and exits with
    `message` if it does not within `timeout_s`."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(message)
