"""Run the real app under uvicorn on a free localhost port in a background thread (browser and log tests)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from essgraph.app.web import create_app
from essgraph.core.settings import Settings

STARTUP_WAIT_S = 120.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    deadline = time.monotonic() + STARTUP_WAIT_S
    try:
        while True:
            if not thread.is_alive():
                raise RuntimeError("the test server stopped during start-up")
            try:
                if httpx.get(base + "/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not become ready")
            time.sleep(0.2)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=60)
