"""Every HTML page of the service, rendered in Chromium, shows French only: no English UI word in its visible
text nor in the placeholder, title, aria-label or alt attributes a reader or a screen reader meets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from essgraph.core.settings import Settings
from tests.service.conftest import StaffTokens, copy_home, make_settings
from tests.service.server import FIXED_PAGES, running_server
from tests.service.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

# Common English UI words. Left out on purpose: words that are also French words (page, type, document,
# source, format, date, version, section, question, action, initiative, description, information, suggestion,
# catalogue, licence, label, curation, mine, on, or, in, import, export, total, public, note, menu, data…).
ENGLISH_UI_WORDS = frozenset(
    """
    search searching results result loading error errors submit next previous download downloads
    not found home back close open show hide clear reset cancel save delete remove edit undo merge
    split upload uploaded login logout settings help about more less none empty unknown invalid
    required missing failed failure success successful done running queued finished status
    query queries run execute send enter your you please click here select choose yes all any
    with without from the this that and of to for by is are was were be has have had showing
    items item entry rows row columns column view details detail map list entity entities graph
    accept reject apply title subject object predicate value values name names language similar
    like level levels theme themes collectivity authority warning copy copied share link links
    dataset datasets catalog size updated created modified author authors bad request server
    internal forbidden unauthorized timeout limit exceeded too many first last filter filters sort
    """.split()
)
WORD = re.compile(r"[A-Za-zÀ-ÿœŒ]+")
VISIBLE_TEXT_JS = """
() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],[alt]')) {
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  for (const el of document.querySelectorAll('input[type=submit],input[type=button]')) parts.push(el.value);
  return parts.join('\\n');
}
"""
# Zones that show data as it is written in the sources (passages, SPARQL text and result cells, IRIs):
# removed before the scan, they are not UI texts.
DATA_ZONES_JS = """
() => {
  for (const el of document.querySelectorAll('pre, code, textarea, blockquote')) el.remove();
  for (const el of document.querySelectorAll('[lang]:not(html)')) {
    if (!el.getAttribute('lang').startsWith('fr')) el.remove();
  }
}
"""


def english_words(text: str) -> list[str]:
    """The English UI words of `text`, in the order met. Identifiers are not UI words and are dropped
    first: IRIs and URLs, prefixed names (rule:capital-share, eg:supports) and snake_case codes
    (not_found, the stable error codes of the API) and the service's paths (/api/links)."""
    text = re.sub(r"\b(?:https?://|urn:)\S+", " ", text)
    text = re.sub(r"[\w-]+:[\w-]+|\w*_\w*|(?<!\w)/[\w/{}.-]+", " ", text)
    return [w for w in WORD.findall(text) if w.lower() in ENGLISH_UI_WORDS]


def test_the_scanner_finds_english_and_spares_french() -> None:
    assert english_words("Search results — Loading… Not found") == [
        "Search",
        "results",
        "Loading",
        "Not",
        "found",
    ]
    assert english_words("Rechercher dans les fiches : résultats, page 2, type d'initiative") == []
    assert english_words("voir https://w3id.org/essgraph/def/search") == []
    assert english_words("Code 404 · not_found ; règle « rule:capital-share » ; /api/links") == []


@pytest.fixture(scope="module")
def french_settings(
    built_home: Path, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Settings:
    """Settings on a private copy of the built home."""
    home = copy_home(built_home, tmp_path_factory.mktemp("service-french") / "home")
    return make_settings(home, staff_tokens)


@pytest.fixture(scope="module")
def french_page(french_settings: Settings) -> Iterator[tuple[object, str]]:
    """A Chromium page and the base URL of a real server (skips without Debian's chromium)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium absent (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with running_server(french_settings) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        yield context.new_page(), url
        context.close()
        browser.close()


def _first_link(p: object, base: str, path: str, prefix: str) -> str:
    """The first link of page `path` whose target starts with `prefix` (an entity or term to visit)."""
    p.goto(base + path)  # type: ignore[attr-defined]
    href = p.eval_on_selector(  # type: ignore[attr-defined]
        f"a[href*='{prefix}']", "a => a.getAttribute('href')"
    )
    assert href, f"no link to {prefix} on {path}"
    return str(href).split("#")[0].replace(base, "") if str(href).startswith(base) else str(href)


def test_every_page_reads_in_french_only(french_page: tuple[object, str], staff_tokens: StaffTokens) -> None:
    p, base = french_page
    question = "Comment une commune peut-elle soutenir une société coopérative d'intérêt collectif ?"
    paths = [
        "/",
        "/?q=" + quote(question),
        "/?q=" + quote("zzqxw krtpl"),  # nothing fits: the reason and the suggestions
        "/comme-la-mienne",
        *FIXED_PAGES,
        "/page-qui-n-existe-pas",  # 404
        "/?offset=-3",  # 400 (a bad parameter)
        "/jobs/inconnu",
    ]
    entity = _first_link(p, base, "/?q=" + quote(question), "/id/")
    term = _first_link(p, base, "/def", "/def/")
    paths += [entity, term]
    found: dict[str, list[str]] = {}
    for path in paths:
        p.goto(path if path.startswith("http") else base + path)  # type: ignore[attr-defined]
        p.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        if path in ("/curation", "/jobs"):
            # the staff pages after the token is given: what they show once the scripts have loaded
            box = p.query_selector("input[type=password]")  # type: ignore[attr-defined]
            if box is not None:
                p.click("#forget")  # type: ignore[attr-defined]  # the other page's token is not this one's
                box.fill(staff_tokens.curator if path == "/curation" else staff_tokens.uploader)
                box.press("Enter")
                p.wait_for_selector("#token-state:has-text('Jeton reconnu')")  # type: ignore[attr-defined]
                p.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        p.evaluate(DATA_ZONES_JS)  # type: ignore[attr-defined]
        words = english_words(str(p.evaluate(VISIBLE_TEXT_JS)))  # type: ignore[attr-defined]
        if words:
            found[path] = sorted(set(words))
    assert found == {}, found
