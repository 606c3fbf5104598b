"""The API on the sample home of each configuration (embedded; Oxigraph server + milvus-lite): health,
cited search hits with facets and filters, entity and passage pages, /sparql, and upload → search."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from essgraph.app.web import create_app
from essgraph.core.settings import Settings
from tests.backend_homes import copy_backend_home
from tests.conftest import BackendHome
from tests.service.conftest import StaffTokens, bearer, make_settings

HTML = {"Accept": "text/html"}
DEF = "https://w3id.org/essgraph/def#"
DOCUMENTS = f"SELECT ?d WHERE {{ ?d a <{DEF}Document> }} ORDER BY ?d"
# a short note written for this test (not corpus text)
NOTE = (
    "# Note sur la recyclerie Les Bocaux Vagabonds\n\n"
    "La recyclerie Les Bocaux Vagabonds collecte la vaisselle de réemploi des cantines scolaires. "
    "La commune lui prête un entrepôt et finance un poste en insertion.\n"
)


# the settings that choose the configuration (tests/backend_homes.py), kept in the service's settings
BACKEND_FIELDS = (
    "store_backend",
    "sparql_query_url",
    "sparql_update_url",
    "sparql_store_url",
    "sparql_retries",
    "sparql_timeout_s",
    "index",
    "milvus_uri",
)


def _settings(backend: BackendHome, target: Path, staff_tokens: StaffTokens) -> Settings:
    """Service settings (limits and tokens of tests/service/conftest.py) on a copy of the home."""
    copied = copy_backend_home(backend.settings, target)
    return make_settings(copied.home, staff_tokens, **{k: getattr(copied, k) for k in BACKEND_FIELDS})


@pytest.fixture(scope="module")
def module_client(
    backend_home: BackendHome, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Iterator[TestClient]:
    """The app on a private copy of the configuration's home, for the read-only tests of this module."""
    backend_home.ready()
    settings = _settings(backend_home, tmp_path_factory.mktemp("configuration") / "home", staff_tokens)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def api(backend: BackendHome, module_client: TestClient) -> TestClient:
    """`module_client`, its graph on the server put back first (remote)."""
    return module_client


def test_health_reports_the_configuration_store_and_index(api: TestClient, backend: BackendHome) -> None:
    health = api.get("/health").json()
    assert health["status"] == "ok" and health["store_reachable"] is True
    assert health["documents"] == 4 and health["passages"] > 0 and health["quads"] > 0


def test_search_hits_are_cited_with_facets_and_a_filter_narrows_them(api: TestClient) -> None:
    data = api.get("/api/search", params={"q": "achats publics responsables", "k": 10}).json()
    assert data["hits"] and data["facets"]["document"]
    hit = data["hits"][0]
    assert " — l. " in hit["citation"] and "<mark>" in hit["highlight"]
    broad = api.get("/api/search", params={"q": "commune", "k": 20}).json()["hits"]
    documents = {h["document"] for h in broad}
    assert len(documents) >= 2
    for document in documents:
        hits = api.get("/api/search", params={"q": "commune", "k": 20, "document": document}).json()["hits"]
        assert hits and {h["document"] for h in hits} == {document}


def test_entity_found_by_autocomplete_has_its_page_and_turtle(api: TestClient) -> None:
    hits = api.get("/api/entities", params={"q": "garage solidaire"}).json()
    assert hits, "the sample initiatives hold a garage solidaire"
    path, label = hits[0]["path"], hits[0]["label"]
    page = api.get(path, headers=HTML)
    assert page.status_code == 200 and label in page.text
    turtle = api.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    iri = rdflib.URIRef("https://w3id.org/essgraph" + path)
    assert (iri, None, None) in graph
    assert label in {str(o) for o in graph.objects(iri) if isinstance(o, rdflib.Literal)}


def test_a_hit_passage_has_its_page(api: TestClient) -> None:
    hit = api.get("/api/search", params={"q": "mobilité solidaire", "k": 1}).json()["hits"][0]
    path = "/id/" + hit["passage"].split("/id/", 1)[1]
    page = api.get(path, headers=HTML)
    longest_word = max(re.findall(r"\w+", hit["text"]), key=len)  # no character HTML would escape
    assert page.status_code == 200 and longest_word in page.text


def test_sparql_select_and_construct(api: TestClient) -> None:
    rows = api.get("/sparql", params={"query": DOCUMENTS, "format": "json"}).json()["results"]["bindings"]
    assert len(rows) == 4
    construct = f"CONSTRUCT {{ ?d a <{DEF}Document> }} WHERE {{ ?d a <{DEF}Document> }}"
    turtle = api.get("/sparql", params={"query": construct}, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) == 4


def test_an_upload_is_found_by_search_sparql_and_its_page(
    backend: BackendHome, tmp_path: Path, staff_tokens: StaffTokens
) -> None:
    settings = _settings(backend, tmp_path / "home", staff_tokens)
    with TestClient(create_app(settings), raise_server_exceptions=False) as own:
        files = {"file": ("bocaux-vagabonds.md", NOTE.encode(), "text/markdown")}
        sent = own.post("/api/documents?wait=true", files=files, headers=bearer(staff_tokens.uploader))
        assert sent.status_code == 201, sent.text
        hits = own.get("/api/search", params={"q": "recyclerie vaisselle de réemploi"}).json()["hits"]
        assert hits and hits[0]["document"] == "bocaux-vagabonds.md"
        rows = own.get("/sparql", params={"query": DOCUMENTS, "format": "json"}).json()["results"]["bindings"]
        assert len(rows) == 5
        assert own.get("/health").json()["documents"] == 5
