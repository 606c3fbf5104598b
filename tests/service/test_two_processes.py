"""Two real `essgraph serve` processes on one `oxigraph serve`: a document uploaded through one is read
through the other (/sparql, /id pages, /api/documents) — the service keeps no graph state of its own."""

from __future__ import annotations

from pathlib import Path

import httpx

from essgraph.service.tokens import settings_entry
from tests.service.server import serve_process
from tests.sparql_server_support import OxigraphServer

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


def _on_server(server: OxigraphServer) -> dict[str, str]:
    """The environment of an `essgraph serve` on the sparql store of `server`, with an upload token."""
    return {
        "ESSGRAPH_STORE_BACKEND": "sparql",
        "ESSGRAPH_SPARQL_QUERY_URL": f"{server.url}/query",
        "ESSGRAPH_SPARQL_UPDATE_URL": f"{server.url}/update",
        "ESSGRAPH_SPARQL_STORE_URL": f"{server.url}/store",
        "ESSGRAPH_STAFF_TOKENS": f'["{settings_entry("depot", ["upload"], UPLOADER)}"]',
        "ESSGRAPH_SPARQL_WORKERS": "1",
    }


def test_an_upload_through_one_process_is_read_through_the_other(
    oxigraph_server: OxigraphServer, tmp_path: Path
) -> None:
    oxigraph_server.clear()  # the session's server (tests/conftest.py), emptied
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    env = _on_server(oxigraph_server)
    with (
        serve_process(tmp_path / "a" / "home", env) as a,
        serve_process(tmp_path / "b" / "home", env) as b,
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
