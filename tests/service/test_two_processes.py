"""Two real `essgraph serve` processes on one `oxigraph serve`: a document uploaded through one is read
through the other (/sparql, /id pages, /api/documents) — the service keeps no graph state of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from essgraph.service.tokens import settings_entry
from tests.sparql_server_support import OxigraphServer, free_port, oxigraph_binary

STARTUP_WAIT_S = 180.0
UPLOADER = "jeton-de-test-depot-deux-processus"
# a short document written for this test (not corpus text)
NOTE = (
    "# Note sur la coopérative Les Fours Solaires du Causse\n\n"
    "La SCIC Les Fours Solaires du Causse a été créée en 2021 à Millau. La communauté de communes "
    "est entrée au capital de la coopérative pour développer la cuisine solaire et l'emploi local.\n"
)
DOCS_OF_FILE = (
    "SELECT ?d WHERE { ?d a <https://w3id.org/essgraph/def#Document> ; "
    "<https://w3id.org/essgraph/def#sourceFile> ?f . FILTER(CONTAINS(STR(?f), 'fours-solaires')) }"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """One Oxigraph server both service processes use."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("oxigraph server binary absent (pip install oxigraph)")
    running = OxigraphServer(binary, tmp_path / "oxigraph")
    running.start()
    try:
        yield running
    finally:
        running.stop()


@contextmanager
def serve_process(server: OxigraphServer, home: Path) -> Iterator[str]:
    """`essgraph serve` in its own Python process with its own home, on the sparql store of `server`;
    yields the base URL once /health answers, stops the process at the end."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "ESSGRAPH_HOME": str(home),
            "ESSGRAPH_STORE_BACKEND": "sparql",
            "ESSGRAPH_SPARQL_QUERY_URL": f"{server.url}/query",
            "ESSGRAPH_SPARQL_UPDATE_URL": f"{server.url}/update",
            "ESSGRAPH_SPARQL_STORE_URL": f"{server.url}/store",
            "ESSGRAPH_STAFF_TOKENS": f'["{settings_entry("depot", ["upload"], UPLOADER)}"]',
            "ESSGRAPH_SPARQL_WORKERS": "1",
        }
    )
    code = "from essgraph.app.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=home.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_WAIT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"essgraph serve exited with {process.returncode}")
            try:
                if httpx.get(base + "/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("essgraph serve did not become ready")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def test_an_upload_through_one_process_is_read_through_the_other(
    server: OxigraphServer, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        serve_process(server, tmp_path / "a" / "home") as a,
        serve_process(server, tmp_path / "b" / "home") as b,
    ):
        for base in (a, b):
            health = httpx.get(base + "/health", timeout=30).json()
            assert health["store_reachable"] is True
        before = httpx.get(b + "/sparql", params={"query": DOCS_OF_FILE, "format": "json"}, timeout=60)
        assert before.status_code == 200 and before.json()["results"]["bindings"] == []

        files = {"file": ("fours-solaires.md", NOTE.encode(), "text/markdown")}
        sent = httpx.post(
            a + "/api/documents?wait=true",
            files=files,
            headers={"Authorization": f"Bearer {UPLOADER}"},
            timeout=600,
        )
        assert sent.status_code == 201, sent.text
        assert sent.json()["documents"] == 1

        # process B never saw the upload: it reads the document from the shared store
        answer = httpx.get(b + "/sparql", params={"query": DOCS_OF_FILE, "format": "json"}, timeout=60)
        assert answer.status_code == 200
        rows = answer.json()["results"]["bindings"]
        assert len(rows) == 1
        document_iri = rows[0]["d"]["value"]
        listed = httpx.get(b + "/api/documents", timeout=60).json()
        assert any(d["source_file"] == "fours-solaires.md" and d["passages"] > 0 for d in listed)
        # its linked-data page resolves on B, in HTML and in Turtle
        path = "/id/" + document_iri.split("/id/", 1)[1]
        page = httpx.get(b + path, headers={"Accept": "text/html"}, timeout=60)
        assert page.status_code == 200 and "fours-solaires" in page.text.lower()
        turtle = httpx.get(b + path, headers={"Accept": "text/turtle"}, timeout=60)
        assert turtle.status_code == 200 and document_iri in turtle.text
