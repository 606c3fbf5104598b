"""Real SPARQL servers started by the tests of the sparql backend: `oxigraph serve` (PyPI package
`oxigraph`) and Virtuoso (`virtuoso-t`, Debian package virtuoso-opensource), one local process each."""

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


class LocalSparqlServer:
    """A SPARQL server process on local ports: `start` runs `command()` and waits until the query
    endpoint answers `ASK {}`, `stop` kills it (a crash, not a clean shutdown). Its data folder
    survives a stop, so a restart finds the same dataset."""

    name = "server"

    def __init__(self, binary: str, location: Path, port: int | None = None) -> None:
        self.binary = binary
        self.location = location
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def query_url(self) -> str:
        """The endpoint that answers anonymous queries (health checks)."""
        raise NotImplementedError

    def command(self) -> list[str]:
        """The command line that runs the server in the foreground."""
        raise NotImplementedError

    def start(self, wait_s: float = 120.0) -> None:
        """Start the server and wait until it answers a query; raises RuntimeError if it never does."""
        self.location.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self.command(), cwd=self.location, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            if self.healthy():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer in time")

    def healthy(self) -> bool:
        """True when the server answers `ASK {}` (a form POST, which every SPARQL 1.1 server reads)."""
        try:
            response = httpx.post(
                self.query_url,
                data={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+json"},
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


class OxigraphServer(LocalSparqlServer):
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT --union-default-graph`, started and stopped
    by the tests."""

    name = "oxigraph serve"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def command(self) -> list[str]:
        return [
            self.binary,
            "serve",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--union-default-graph",
            "--timeout-s",
            str(QUERY_TIMEOUT_S),
        ]

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


def virtuoso_binary() -> str | None:
    """`virtuoso-t` (Debian package virtuoso-opensource) on the PATH, or None."""
    return shutil.which("virtuoso-t")


# the graphs a fresh Virtuoso 7.2 database holds for itself (its RDF views, LDP vocabulary and the
# default SPARQL service description); essgraph's sparql_hidden_graphs setting names them
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
VIRTUOSO_USER = ("dba", "dba")  # the administrator of a database virtuoso-t creates (a throwaway one here)

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {timeout}
"""


class VirtuosoServer(LocalSparqlServer):
    """`virtuoso-t +foreground +configfile DIR/virtuoso.ini`: its own database, ini and free ports (HTTP
    and ISQL) in DIR. essgraph reads and writes through the authenticated endpoints (/sparql-auth,
    /sparql-graph-crud-auth, HTTP digest as dba): anonymous /sparql may not update."""

    name = "virtuoso-t"

    def __init__(
        self, binary: str, location: Path, port: int | None = None, max_rows: int = 1_000_000
    ) -> None:
        super().__init__(binary, location, port)
        self.isql_port = free_port()
        self.max_rows = max_rows  # [SPARQL] ResultSetMaxRows: the cap Virtuoso puts on every result

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    def command(self) -> list[str]:
        ini = self.location / "virtuoso.ini"
        (self.location / "vsp").mkdir(parents=True, exist_ok=True)
        ini.write_text(
            _VIRTUOSO_INI.format(
                dir=self.location,
                isql_port=self.isql_port,
                http_port=self.port,
                timeout=QUERY_TIMEOUT_S,
                max_rows=self.max_rows,
            ),
            encoding="utf-8",
        )
        return [self.binary, "+foreground", "+configfile", str(ini)]

    def clear(self) -> None:
        """Drop every graph but the server's own (CLEAR ALL would wipe Virtuoso's system graphs too)."""
        auth = httpx.DigestAuth(*VIRTUOSO_USER)
        found = httpx.post(
            self.query_url,
            data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30.0,
        )
        found.raise_for_status()
        graphs = [row["g"]["value"] for row in found.json()["results"]["bindings"]]
        drops = [f"DROP SILENT GRAPH <{g}>" for g in graphs if g not in VIRTUOSO_SYSTEM_GRAPHS]
        if drops:
            httpx.post(
                f"{self.url}/sparql-auth", data={"update": " ;\n".join(drops)}, auth=auth, timeout=30.0
            ).raise_for_status()

    def settings(self, base: Settings) -> Settings:
        """`base` switched to the sparql backend on this server (digest auth, system graphs hidden)."""
        return base.model_copy(
            update={
                "store_backend": "sparql",
                "sparql_query_url": f"{self.url}/sparql-auth",
                "sparql_update_url": f"{self.url}/sparql-auth",
                "sparql_store_url": f"{self.url}/sparql-graph-crud-auth",
                "sparql_user": VIRTUOSO_USER[0],
                "sparql_password": VIRTUOSO_USER[1],
                "sparql_auth": "digest",
                "sparql_hidden_graphs": list(VIRTUOSO_SYSTEM_GRAPHS),
                "sparql_dialect": "virtuoso",
                "sparql_retries": 1,
                "sparql_timeout_s": 30.0,
            }
        )
