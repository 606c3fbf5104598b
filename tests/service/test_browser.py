"""Browser tests: headless Debian Chromium driven by Playwright through the four pages (with screenshots)."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from essgraph.core.settings import Settings
from tests.service.conftest import REPO, StaffTokens, copy_home, make_settings
from tests.service.server import running_server

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CURATED = "https://w3id.org/essgraph/id/graph/curated"
CSP_REPORTS: list[str] = []  # console messages of Chromium about the Content-Security-Policy


@pytest.fixture(scope="module")
def browser_settings(
    built_home: Path, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Settings:
    """Settings on a private copy of the built home (the API tests hold the other copy open)."""
    home = copy_home(built_home, tmp_path_factory.mktemp("service-browser") / "home")
    return make_settings(home, staff_tokens)


@pytest.fixture(scope="module")
def base_url(browser_settings: Settings) -> Iterator[str]:
    """The URL of a real uvicorn server on the copied home."""
    with running_server(browser_settings) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[object]:
    """A Chromium page (skips when Debian's chromium is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium absent (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="fr-FR"
        )
        opened = context.new_page()
        # Chromium reports every resource or script the Content-Security-Policy blocks on the console
        opened.on(
            "console",
            lambda message: (
                CSP_REPORTS.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        yield opened
        context.close()
        browser.close()


@pytest.fixture(autouse=True)
def nothing_blocked_by_the_policy() -> Iterator[None]:
    """Each page journey runs with the service's Content-Security-Policy and nothing is refused by it."""
    CSP_REPORTS.clear()
    yield
    assert CSP_REPORTS == []


def _shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)  # type: ignore[attr-defined]


def test_ask_a_question_and_open_the_entity_page(page: object, base_url: str) -> None:
    p = page  # playwright Page
    p.goto(base_url + "/")  # type: ignore[attr-defined]
    p.fill("input[name=q]", "Comment une métropole peut-elle entrer au capital d'une SCIC ?")  # type: ignore[attr-defined]
    p.click("form.searchbox button")  # type: ignore[attr-defined]
    p.wait_for_selector("li.hit")  # type: ignore[attr-defined]
    citations = p.locator("li.hit .citation").all_inner_texts()  # type: ignore[attr-defined]
    assert any("Kit MunicipalESS, fiche n°" in c and " — l. " in c for c in citations), citations
    _shot(p, "recherche.png")
    chip = p.locator("a.chip.entity", has_text="SCIC Iloe").first  # type: ignore[attr-defined]
    chip.click()
    p.wait_for_selector("article.entity h1")  # type: ignore[attr-defined]
    assert p.inner_text("article.entity h1") == "SCIC Iloe"  # type: ignore[attr-defined]
    assert "/id/initiative/iloe" in p.url  # type: ignore[attr-defined]
    p.locator("details.support summary").first.click()  # type: ignore[attr-defined]
    assert p.locator("details.support blockquote.passage").first.is_visible()  # type: ignore[attr-defined]
    _shot(p, "entite.png")


def test_run_an_example_sparql_query_and_download_csv(page: object, base_url: str) -> None:
    p = page
    p.goto(base_url + "/sparql")  # type: ignore[attr-defined]
    options = p.locator("#example option").count() if p.locator("#example").count() else 0  # type: ignore[attr-defined]
    if options > 1:
        p.select_option("#example", index=1)  # type: ignore[attr-defined]
    else:
        p.fill(  # type: ignore[attr-defined]
            "#query",
            "PREFIX eg: <https://w3id.org/essgraph/def#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?initiative ?nom WHERE { ?initiative a eg:Initiative ; rdfs:label ?nom } "
            "ORDER BY ?nom LIMIT 20",
        )
    query = p.input_value("#query")  # type: ignore[attr-defined]
    assert query.strip()
    p.click(".sparql-form button")  # type: ignore[attr-defined]
    p.wait_for_selector("table.results-table, p.boolean, pre.turtle")  # type: ignore[attr-defined]
    assert p.locator(".error").count() == 0  # type: ignore[attr-defined]
    _shot(p, "sparql.png")
    link = p.get_by_role("link", name="CSV", exact=True)  # type: ignore[attr-defined]
    if link.count() == 0:
        pytest.skip("the first example query is a CONSTRUCT: no CSV")
    with p.expect_download() as info:  # type: ignore[attr-defined]
        link.click()
    download = info.value
    assert download.suggested_filename == "resultats.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(rows) >= 2 and rows[0]


def test_enter_a_token_accept_a_suggestion_and_find_it_by_sparql(
    page: object, base_url: str, staff_tokens: StaffTokens, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    p = page
    p.goto(base_url + "/curation")  # type: ignore[attr-defined]
    p.fill("#token", "un-jeton-invente")  # type: ignore[attr-defined]
    p.click("#token-form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_selector("#token-state.error")  # type: ignore[attr-defined]
    assert p.inner_text("#token-state") == "Jeton d'équipe inconnu."  # type: ignore[attr-defined]
    assert p.evaluate("sessionStorage.getItem('essgraph-token')") is None  # type: ignore[attr-defined]
    p.fill("#token", staff_tokens.curator)  # type: ignore[attr-defined]
    p.click("#token-form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_selector("#token-state:has-text('Jeton reconnu')")  # type: ignore[attr-defined]
    stored = p.evaluate("sessionStorage.getItem('essgraph-token')")  # type: ignore[attr-defined]
    assert stored == staff_tokens.curator
    assert p.evaluate("localStorage.length") == 0  # type: ignore[attr-defined]
    p.fill("#initiative-q", "Iloe")  # type: ignore[attr-defined]
    p.locator("#initiative-list button", has_text="SCIC Iloe").first.click()  # type: ignore[attr-defined]
    # the lever descriptions are embedded in the background at start (tens of seconds on a loaded machine)
    p.wait_for_selector("#suggestions li.suggestion", timeout=300_000)  # type: ignore[attr-defined]
    first = p.locator("#suggestions li.suggestion").first  # type: ignore[attr-defined]
    lever_label = first.locator("strong").inner_text()
    assert first.locator(".reasons li").count() >= 1
    first.locator("button.accept").click()
    p.wait_for_selector("#history li.active")  # type: ignore[attr-defined]
    assert "Lien ajouté" in p.inner_text("#message")  # type: ignore[attr-defined]
    p.wait_for_selector("#suggestions li.suggestion .chip.curated")  # type: ignore[attr-defined]
    p.locator("#work").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    _shot(p, "curation.png")

    query = (
        "PREFIX eg: <https://w3id.org/essgraph/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT ?label WHERE {{ GRAPH <{CURATED}> {{ <https://w3id.org/essgraph/id/initiative/iloe> "
        "eg:illustratesLever ?lever } ?lever skos:prefLabel ?label }"
    )
    response = httpx.get(base_url + "/sparql", params={"query": query}, timeout=30)
    labels = {b["label"]["value"] for b in response.json()["results"]["bindings"]}
    assert lever_label in labels
    assert staff_tokens.curator not in caplog.text
    assert "GET /api/links/suggestions" in caplog.text or "POST /api/links" in caplog.text


def test_correct_an_entity_type_then_undo_it(page: object, base_url: str, staff_tokens: StaffTokens) -> None:
    p = page
    p.goto(base_url + "/curation")  # type: ignore[attr-defined]
    if p.evaluate("sessionStorage.getItem('essgraph-token')") != staff_tokens.curator:  # type: ignore[attr-defined]
        p.fill("#token", staff_tokens.curator)  # type: ignore[attr-defined]
        p.click("#token-form button[type=submit]")  # type: ignore[attr-defined]
    p.select_option("#entity-kind", "personne")  # type: ignore[attr-defined]
    p.fill("#initiative-q", "Chaire")  # type: ignore[attr-defined]
    p.locator("#initiative-list button", has_text="Chaire TerrESS").first.click()  # type: ignore[attr-defined]
    p.wait_for_selector("#correction-form")  # type: ignore[attr-defined]
    assert p.locator("#levers").is_hidden()  # type: ignore[attr-defined]
    p.select_option("#correction-kind", "type")  # type: ignore[attr-defined]
    assert "organisation" in p.inner_text("#correction-help")  # type: ignore[attr-defined]
    p.fill("#correction-value", "organisation")  # type: ignore[attr-defined]
    p.fill("#correction-reason", "Une chaire universitaire, pas une personne")  # type: ignore[attr-defined]
    p.click("#correction-form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_selector("#history li.correction.active")  # type: ignore[attr-defined]
    assert "Correction enregistrée" in p.inner_text("#message")  # type: ignore[attr-defined]
    assert "Organisation" in p.inner_text("#history li.correction.active")  # type: ignore[attr-defined]
    page_html = httpx.get(base_url + "/id/person/chaire-terress", headers={"Accept": "text/html"}, timeout=30)
    assert '<p class="kind">Organisation</p>' in page_html.text
    p.locator("#history li.correction.active button.undo").click()  # type: ignore[attr-defined]
    p.wait_for_selector("#history li.correction.withdrawn")  # type: ignore[attr-defined]
    assert "Correction annulée" in p.inner_text("#message")  # type: ignore[attr-defined]
    page_html = httpx.get(base_url + "/id/person/chaire-terress", headers={"Accept": "text/html"}, timeout=30)
    assert '<p class="kind">Personne</p>' in page_html.text


def test_upload_a_document_and_follow_its_job_to_what_it_extracted(
    page: object, base_url: str, staff_tokens: StaffTokens, tmp_path: Path
) -> None:
    note = tmp_path / "note-tatou.md"
    note.write_text(
        "# Note de quartier\n\nLa commune prête un local à la ressourcerie Tatou, qui répare des vélos.\n",
        encoding="utf-8",
    )
    p = page
    p.goto(base_url + "/jobs")  # type: ignore[attr-defined]
    p.evaluate("sessionStorage.clear()")  # type: ignore[attr-defined]
    p.goto(base_url + "/jobs")  # type: ignore[attr-defined]
    p.fill("#token", staff_tokens.uploader)  # type: ignore[attr-defined]
    p.click("#token-form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_selector("#token-state:has-text('Jeton reconnu')")  # type: ignore[attr-defined]
    p.set_input_files("#upload-file", str(note))  # type: ignore[attr-defined]
    p.click("#upload-form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_url("**/jobs/*")  # type: ignore[attr-defined]
    p.wait_for_selector("#token-state:has-text('Jeton reconnu')")  # type: ignore[attr-defined]
    p.wait_for_selector("#jobs tr[data-status=done]", timeout=600_000)  # type: ignore[attr-defined]
    row = p.inner_text("#jobs tr")  # type: ignore[attr-defined]
    assert "note-tatou.md" in row and "terminé" in row and "passages" in row and "entités" in row
    _shot(p, "depot.png")


def test_the_api_explorer_renders_with_no_network_but_the_service(page: object, base_url: str) -> None:
    p = page
    elsewhere: list[str] = []

    def only_the_service(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(base_url):
            route.continue_()  # type: ignore[attr-defined]
        else:
            elsewhere.append(url)
            route.abort()  # type: ignore[attr-defined]

    p.route("**/*", only_the_service)  # type: ignore[attr-defined]
    try:
        p.goto(base_url + "/docs")  # type: ignore[attr-defined]
        p.wait_for_selector(".swagger-ui .info .title:has-text('essgraph')")  # type: ignore[attr-defined]
        assert p.locator(".opblock-summary-path").count() > 10  # type: ignore[attr-defined]
    finally:
        p.unroute("**/*")  # type: ignore[attr-defined]
    assert elsewhere == []
