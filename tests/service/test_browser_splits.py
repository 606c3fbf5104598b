"""Browser journey of a split (« Scinder ») on the curation page: real Chromium at a phone's width, on the
small home of two invented documents (tests/data/splits) whose homonyms the extractor merged."""

# ruff: noqa: F811  (the fixtures of test_browser.py are imported, and arguments of the tests re-bind them)

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from essgraph.core.settings import Settings
from tests.service.conftest import StaffTokens, copy_home, make_settings
from tests.service.test_browser import (  # noqa: F401  (fixtures shared with the other browser journeys)
    base_url,
    nothing_blocked_by_the_policy,
    page,
)

pytestmark = pytest.mark.browser
DIJON_PASSAGE = "https://w3id.org/essgraph/id/doc/lettre-reseau-jardins-du-val-dijon/passage/1"


@pytest.fixture(scope="module")
def browser_settings(
    split_home: Path, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Settings:
    """Settings on a private copy of the two-document split home (replaces test_browser's corpus home
    for `base_url` in this module)."""
    home = copy_home(split_home, tmp_path_factory.mktemp("browser-splits") / "home")
    return make_settings(home, staff_tokens)


def test_split_an_entity_on_a_phone_then_undo_it(
    page: object, base_url: str, staff_tokens: StaffTokens
) -> None:
    p = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        p.goto(base_url + "/curation")  # type: ignore[attr-defined]
        if p.evaluate("sessionStorage.getItem('essgraph-token')") != staff_tokens.curator:  # type: ignore[attr-defined]
            p.fill("#token", staff_tokens.curator)  # type: ignore[attr-defined]
            p.click("#token-form button[type=submit]")  # type: ignore[attr-defined]
        # from the entity page, its staff link opens the curation panel of that entity
        p.goto(base_url + "/id/initiative/jardins-du-val")  # type: ignore[attr-defined]
        p.click("#curate-entity")  # type: ignore[attr-defined]
        p.wait_for_selector("#split-passages input.split-passage")  # type: ignore[attr-defined]
        width = p.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert width <= 390, width
        box = p.locator("#split-form").bounding_box()  # type: ignore[attr-defined]
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box

        p.locator(f"#split-passages input.split-passage[value='{DIJON_PASSAGE}']").check()  # type: ignore[attr-defined]
        p.fill("#split-label", "Les Jardins du Val (Dijon, navigateur)")  # type: ignore[attr-defined]
        p.select_option("#split-type", "organisation")  # type: ignore[attr-defined]
        p.fill("#split-reason", "Association homonyme de la SCIC")  # type: ignore[attr-defined]
        p.click("#split-form button[type=submit]")  # type: ignore[attr-defined]
        p.wait_for_selector("#history li.split.active")  # type: ignore[attr-defined]
        assert "Entité scindée" in p.inner_text("#message")  # type: ignore[attr-defined]
        assert "Les Jardins du Val (Dijon, navigateur)" in p.inner_text("#history li.split.active")  # type: ignore[attr-defined]
        assert p.evaluate("document.documentElement.scrollWidth") <= 390  # type: ignore[attr-defined]
        new = "/id/organisation/les-jardins-du-val-dijon-navigateur"
        response = httpx.get(base_url + new, headers={"Accept": "text/html"}, timeout=30)
        assert response.status_code == 200 and "Les Jardins du Val (Dijon, navigateur)" in response.text

        p.locator("#history li.split.active button.undo").click()  # type: ignore[attr-defined]
        p.wait_for_selector("#history li.split.withdrawn")  # type: ignore[attr-defined]
        assert "Scission annulée" in p.inner_text("#message")  # type: ignore[attr-defined]
        assert httpx.get(base_url + new, headers={"Accept": "text/html"}, timeout=30).status_code == 404
    finally:
        p.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
