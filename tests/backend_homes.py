"""Homes built from the sample documents on each backend configuration (embedded, remote) for the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx

from essgraph.core.settings import Settings
from tests.sparql_server_support import OxigraphServer

# the two configurations the backend-dependent tests run on:
#   embedded — the default: Oxigraph store and local (FAISS + BM25) index files in the home;
#   remote   — the scale-out one: the graph on an `oxigraph serve` server, vectors + BM25 + facets in
#              one Milvus collection (a milvus-lite file here, the same client code as a Milvus server).
CONFIGURATIONS = ("embedded", "remote")

COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def remote_settings(base: Settings, server: OxigraphServer) -> Settings:
    """`base` on the remote configuration: the sparql store on `server`, the index in the milvus-lite
    file index/milvus.db of the home (milvus_uri left empty), both index backends milvus."""
    return server.settings(base).model_copy(
        update={"index": "milvus", "vector_backend": "milvus", "lexical_backend": "milvus", "milvus_uri": ""}
    )


class ServerDataset:
    """The graph a remote home put on the shared Oxigraph server, kept as N-Quads so that it can be put
    back: the graph tests empty the same server between their tests, and the upload tests add to it."""

    def __init__(self, server: OxigraphServer) -> None:
        self.server = server
        self.nquads = self._get()
        self.quads = self.count()

    def _get(self) -> bytes:
        response = httpx.get(
            f"{self.server.url}/store", headers={"Accept": "application/n-quads"}, timeout=60.0
        )
        response.raise_for_status()
        return response.content

    def count(self) -> int:
        """Quads in the named graphs of the server now."""
        response = httpx.post(
            f"{self.server.url}/query",
            content=COUNT_QUADS.encode(),
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
            timeout=60.0,
        )
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    def ensure(self) -> None:
        """Put the saved graph back when the server no longer holds exactly it (same quad count and the
        saved dump; a changed count means another test cleared or wrote to the server)."""
        if self.count() == self.quads:
            return
        self.server.clear()
        httpx.post(
            f"{self.server.url}/store",
            content=self.nquads,
            headers={"Content-Type": "application/n-quads"},
            timeout=120.0,
        ).raise_for_status()
        if self.count() != self.quads:
            raise RuntimeError("the remote home's graph could not be put back on the server")


def copy_backend_home(settings: Settings, target: Path) -> Settings:
    """`settings` on a private copy of its home (index files or milvus-lite file included); on the remote
    configuration the copy shares the server's graph, which ServerDataset.ensure puts back."""
    shutil.copytree(settings.home, target)
    return settings.model_copy(update={"home": target})
