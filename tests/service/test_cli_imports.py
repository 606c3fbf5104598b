"""The CLI stays cheap: listing commands or running a non-serve command never imports the web stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.service.conftest import REPO

WEB_STACK = ("fastapi", "uvicorn", "starlette")


def _imported_modules(*args: str, home: Path | None = None) -> set[str]:
    """Top-level package names imported by `python -X importtime -m essgraph <args>`."""
    env = dict(os.environ)
    if home is not None:
        env["ESSGRAPH_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "essgraph", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names: set[str] = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "essgraph" in names
    return names


def test_help_does_not_import_the_web_stack() -> None:
    assert not _imported_modules("--help") & set(WEB_STACK)


def test_token_create_does_not_import_the_web_stack(tmp_path: Path) -> None:
    assert not _imported_modules("token", "create", "--help") & set(WEB_STACK)
    assert not _imported_modules("token", "create", "claire", "--scope", "curate", home=tmp_path) & set(
        WEB_STACK
    )
