"""Shared fixtures: paths to the real corpus and eval set, isolated settings in a temporary home."""

from __future__ import annotations

import select
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib

from essgraph.core.settings import Settings, get_settings
from tests.backend_homes import CONFIGURATIONS, ServerDataset, remote_settings
from tests.sparql_server_support import (
    LocalSparqlServer,
    OxigraphServer,
    VirtuosoServer,
    oxigraph_binary,
    virtuoso_binary,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"
SAMPLES = REPO / "essgraph" / "ingest" / "samples"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The five real documents (skips the test when ../shared/corpus is absent)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus absent")
    return CORPUS


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """The development evaluation set (skips when absent)."""
    if not EVAL.is_dir():
        pytest.skip("../shared/eval absent")
    return EVAL


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh ESSGRAPH_HOME for one test, with the cached settings reset around it."""
    monkeypatch.setenv("ESSGRAPH_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()


@pytest.fixture
def settings(home: Path) -> Settings:
    """Settings bound to the temporary home."""
    return get_settings()


def _build_home(tmp_path_factory: pytest.TempPathFactory, name: str, source: Path) -> Settings:
    from essgraph.app.pipeline import ingest_paths

    settings = Settings(home=tmp_path_factory.mktemp(name) / "home")
    summary = ingest_paths([source], settings, progress=False)
    assert not summary.errors, summary.errors
    return settings


@pytest.fixture(scope="session")
def samples_home(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a home built once per session from the committed sample corpus (ingest/samples)."""
    return _build_home(tmp_path_factory, "samples", SAMPLES)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP socket listening on localhost, to prove that no connection reaches it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.setblocking(False)
    yield server
    server.close()


def pending_connections(server: socket.socket) -> int:
    """1 when a connection is waiting on the listening `server` (within half a second), else 0."""
    ready, _, _ = select.select([server], [], [], 0.5)
    return len(ready)


UNSEEN_DOCS = REPO / "tests" / "data" / "extraction" / "unseen-docs"


@pytest.fixture(scope="session")
def unseen_doc_graphs() -> dict[str, rdflib.Graph]:
    """Named graph IRI -> rdflib Graph of every invented test document (read → extract → map), built once."""
    from essgraph.graph.mapping import document_graph
    from essgraph.ingest.extract import extract
    from essgraph.ingest.reading import read_document
    from essgraph.ontology.thesaurus import load_thesaurus

    settings = Settings()
    thesaurus = load_thesaurus()
    graphs: dict[str, rdflib.Graph] = {}
    for path in sorted(UNSEEN_DOCS.glob("*.md")):
        doc = read_document(path, settings)
        iri = f"{settings.base_iri}graph/doc/{doc.doc_id}"
        graphs[iri] = document_graph(doc, extract(doc, thesaurus, settings), settings.base_iri)
    return graphs


def _session_server(
    factory: pytest.TempPathFactory, kind: type[LocalSparqlServer], binary: str | None, absent: str
) -> Iterator[object]:
    """The one start / yield / stop shape of the session's SPARQL servers: a `kind` server
    (tests/sparql_server_support.py) on `binary` in a fresh folder, stopped at the end; the test skips
    with `absent` when the binary is not installed."""
    if binary is None:
        pytest.skip(absent)
    server = kind(binary, factory.mktemp(kind.__name__))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A real `oxigraph serve` on a free local port for the whole session (skips when the binary of
    the PyPI package `oxigraph` is absent); stopped at the end."""
    absent = "oxigraph server binary absent (pip install oxigraph)"
    yield from _session_server(tmp_path_factory, OxigraphServer, oxigraph_binary(), absent)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A real Virtuoso (`virtuoso-t`) with its own database and free ports for the whole session (skips
    when the Debian package virtuoso-opensource is not installed); stopped at the end."""
    absent = "virtuoso-t absent (apt-get install virtuoso-opensource)"
    yield from _session_server(tmp_path_factory, VirtuosoServer, virtuoso_binary(), absent)


SERVER_FIXTURES = {"sparql": "oxigraph_server", "virtuoso": "virtuoso_server"}


@pytest.fixture(params=["oxigraph", *SERVER_FIXTURES])
def store_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """`settings` on each store backend: the embedded store, then the sparql backend on an emptied
    Oxigraph server and on an emptied Virtuoso (each skipped when its server is not installed)."""
    if request.param == "oxigraph":
        return settings
    server = request.getfixturevalue(SERVER_FIXTURES[request.param])
    server.clear()
    return server.settings(settings)


@dataclass(frozen=True)
class BackendHome:
    """A home built from the sample documents on one configuration (tests/backend_homes.py); `dataset`
    is the graph it keeps on the shared Oxigraph server (None when embedded)."""

    name: str
    settings: Settings
    dataset: ServerDataset | None

    def ready(self) -> Settings:
        """The settings, once the server holds this home's graph again (remote)."""
        if self.dataset is not None:
            self.dataset.ensure()
        return self.settings


@pytest.fixture(scope="session", params=CONFIGURATIONS)
def backend_home(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, samples_home: Settings
) -> BackendHome:
    """The sample home on each configuration, built once per session: embedded (the default home of
    `samples_home`), then remote (Oxigraph server of the session + milvus-lite); never written to —
    tests copy it (copy_backend_home) or only read it."""
    if request.param == "embedded":
        return BackendHome("embedded", samples_home, None)
    pytest.importorskip("milvus_lite")
    from essgraph.app.pipeline import ingest_paths
    from essgraph.search.embedders import SQLITE_CACHE_FILE, seed_embedding_cache

    server = request.getfixturevalue("oxigraph_server")
    server.clear()
    base = Settings(home=tmp_path_factory.mktemp("samples-remote") / "home")
    settings = remote_settings(base, server)
    # the product's own embedding cache (content-hash keyed, in Milvus on this configuration): the
    # passages are not encoded twice
    seed_embedding_cache(settings, samples_home.cache_dir / SQLITE_CACHE_FILE)
    summary = ingest_paths([SAMPLES], settings, progress=False)
    assert not summary.errors, summary.errors
    return BackendHome("remote", settings, ServerDataset(server))


@pytest.fixture
def backend(backend_home: BackendHome) -> BackendHome:
    """`backend_home` with its graph on the server put back if another test changed it."""
    backend_home.ready()
    return backend_home
