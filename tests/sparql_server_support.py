"""A real Oxigraph server (`oxigraph serve`, PyPI package `oxigraph`) for the tests of the sparql backend."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from essgraph.core.settings import Settings

QUERY_TIMEOUT_S = 5  # the server stops a query the service gave up on (no longer than its limit in the tests)


def oxigraph_binary() -> str | None:
    """The `oxigraph` server binary: next to this Python (the project's venv), else on the PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OxigraphServer:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT --union-default-graph`, started and stopped
    by the tests; its data folder survives a stop, so a restart finds the same dataset."""

    def __init__(self, binary: str, location: Path, port: int | None = None) -> None:
        self.binary = binary
        self.location = location
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait_s: float = 60.0) -> None:
        """Start the server and wait until it answers a query; raises RuntimeError if it never does."""
        self.location.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                self.binary,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
                "--timeout-s",
                str(QUERY_TIMEOUT_S),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}")
            if self.healthy():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve did not answer in time")

    def healthy(self) -> bool:
        """True when the server answers `ASK {}`."""
        try:
            response = httpx.post(
                f"{self.url}/query",
                content=b"ASK {}",
                headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json",
                },
                timeout=2.0,
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def stop(self) -> None:
        """Stop the server (SIGKILL: a crash, not a clean shutdown) and wait for it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None

    def clear(self) -> None:
        """Remove every graph (between tests)."""
        httpx.post(
            f"{self.url}/update",
            content=b"CLEAR ALL",
            headers={"Content-Type": "application/sparql-update"},
            timeout=30.0,
        ).raise_for_status()

    def settings(self, base: Settings) -> Settings:
        """`base` switched to the sparql backend on this server."""
        return base.model_copy(
            update={
                "store_backend": "sparql",
                "sparql_query_url": f"{self.url}/query",
                "sparql_update_url": f"{self.url}/update",
                "sparql_store_url": f"{self.url}/store",
                "sparql_retries": 1,
                "sparql_timeout_s": 30.0,
            }
        )
