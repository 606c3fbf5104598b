"""French server-rendered pages: search with citations and chips, escaping, documents, curation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from essgraph.service.app import safe_highlight
from tests.service.conftest import SCRIPT_MARKER

HTML = {"Accept": "text/html"}


def test_home_without_question(client: TestClient) -> None:
    page = client.get("/", headers=HTML)
    assert page.status_code == 200
    assert 'lang="fr"' in page.text and "Que cherchez-vous" in page.text


def test_home_shows_cited_results_with_entity_chips_and_facets(client: TestClient) -> None:
    page = client.get("/", params={"q": "entrer au capital d'une SCIC"}, headers=HTML).text
    assert "Kit MunicipalESS, fiche n°" in page and " — l. " in page
    assert 'class="chip entity" href="/id/' in page
    assert "Affiner" in page and "<mark>" in page


def test_facet_link_narrows_results(client: TestClient) -> None:
    page = client.get(
        "/", params={"q": "coopération", "document": "rtes-rapport-activite-2023.txt"}, headers=HTML
    ).text
    assert "Filtres" in page
    assert "rtes-kit-municipaless-2020.txt, lignes" not in page


def test_passage_markup_is_escaped_in_results(client: TestClient) -> None:
    page = client.get("/", params={"q": "balisage échappement texte brut"}, headers=HTML).text
    assert SCRIPT_MARKER in page
    assert "<script>alert(" not in page
    assert "&lt;script&gt;" in page
    assert "<b>du balisage</b>" not in page


def test_query_is_escaped_when_echoed(client: TestClient) -> None:
    page = client.get("/", params={"q": '"><script>alert(1)</script>'}, headers=HTML).text
    assert "<script>alert(1)</script>" not in page


def test_passage_markup_is_escaped_on_entity_pages(client: TestClient) -> None:
    store = client.app.state.service.store  # type: ignore[attr-defined]
    rows = store.select(
        "SELECT ?p WHERE { ?p <https://w3id.org/essgraph/def#text> ?t . "
        f'FILTER(CONTAINS(?t, "{SCRIPT_MARKER}")) }} LIMIT 1'
    )
    assert rows
    path = "/id/" + rows[0]["p"].removeprefix("https://w3id.org/essgraph/id/")
    page = client.get(path, headers=HTML).text
    assert "<script>alert(" not in page and "&lt;script&gt;" in page


def test_safe_highlight_keeps_only_mark() -> None:
    assert str(safe_highlight("a <mark>b</mark> &lt;i&gt;")) == "a <mark>b</mark> &lt;i&gt;"
    assert str(safe_highlight("<script>x</script><mark>y")) == "&lt;script&gt;x&lt;/script&gt;<mark>y</mark>"


def test_documents_and_curation_pages(client: TestClient) -> None:
    docs = client.get("/documents", headers=HTML).text
    assert "Kit MunicipalESS" in docs and "passages" in docs
    curation = client.get("/curation", headers=HTML).text
    assert "sessionStorage" in curation and "Jeton" in curation


def test_search_page_pages_with_voir_plus(client: TestClient) -> None:
    page = client.get("/", params={"q": "monnaie locale complémentaire"}, headers=HTML).text
    assert "Voir plus de résultats" in page and "offset=10" in page and "passages correspondent" in page
    second = client.get("/", params={"q": "monnaie locale complémentaire", "offset": 10}, headers=HTML).text
    assert 'start="11"' in second and "résultats 11 à" in second


def test_search_page_explains_an_empty_answer(client: TestClient) -> None:
    page = client.get("/", params={"q": "What is the social and solidarity economy?"}, headers=HTML).text
    assert "Aucun résultat pertinent" in page and "Essayez plutôt" in page
    assert "économie sociale et solidaire" in page


def test_search_page_shows_hits_of_one_section_together(client: TestClient) -> None:
    page = client.get("/", params={"q": "SCIC collectivité capital"}, headers=HTML).text
    assert "Dans la même section" in page
