"""Run the real app on a free localhost port: under uvicorn in a background thread, or as `essgraph serve`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from essgraph.app.web import create_app
from essgraph.core.settings import Settings
from tests.sparql_server_support import free_port

STARTUP_WAIT_S = 120.0


def wait_until_ready(base: str, alive: Callable[[], bool], what: str, wait_s: float = STARTUP_WAIT_S) -> None:
    """Poll `base`/health until it answers 200; raises RuntimeError when `alive()` turns False (the server
    stopped during start-up) or after `wait_s` seconds."""
    deadline = time.monotonic() + wait_s
    while True:
        if not alive():
            raise RuntimeError(f"{what} stopped during start-up")
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not become ready")
        time.sleep(0.2)


# The site's pages that need no parameter, walked by the French-only and the phone-width browser tests.
FIXED_PAGES = ("/carte", "/documents", "/sparql", "/curation", "/jobs", "/data", "/def")


@contextmanager
def running_server(settings: Settings, app: FastAPI | None = None) -> Iterator[str]:
    """Serve `settings`' home with uvicorn until the block ends; yields the base URL once /health answers.

    Pass `app` (built by create_app for `settings`) to reach its state (app.state.service) from the test.
    """
    port = free_port()
    config = uvicorn.Config(
        app or create_app(settings),
        host="127.0.0.1",
        port=port,
        log_config=None,
        log_level="info",
        access_log=True,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="essgraph-test-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, thread.is_alive, "the test server")
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=60)


@contextmanager
def serve_process(home: Path, env: dict[str, str], wait_s: float = 180.0) -> Iterator[str]:
    """`essgraph serve` in its own Python process on `home`, with the ESSGRAPH_* variables `env` added to
    this environment; yields the base URL once /health answers, stops the process at the end."""
    port = free_port()
    code = "from essgraph.app.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **env, "ESSGRAPH_HOME": str(home)},
        cwd=home.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, lambda: process.poll() is None, "essgraph serve", wait_s)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
