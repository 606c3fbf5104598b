"""Every page at 390 px (real Chromium): no horizontal scroll, the answer first, the filters after."""

# ruff: noqa: F811  (the fixtures of test_browser.py are imported, and arguments of the tests re-bind them)

from __future__ import annotations

from urllib.parse import urlparse

import httpx
import pytest

from tests.service.server import FIXED_PAGES
from tests.service.test_browser import (  # noqa: F401  (fixtures shared with the other browser journeys)
    base_url,
    browser_settings,
    nothing_blocked_by_the_policy,
    page,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
QUESTION = "Comment soutenir une SCIC avec la commande publique ?"


def _pages(base_url: str) -> list[str]:
    """Every page a user meets: the fixed ones, then an entity, a document, a passage and a concept page
    reached from a search hit as a user would reach them."""
    hit = httpx.get(base_url + "/api/search", params={"q": QUESTION}, timeout=60).json()["hits"][0]
    entity = next(e for e in hit["entities"] if e.get("iri"))
    lille = httpx.get(base_url + "/api/collectivites", params={"q": "Lille"}, timeout=30).json()[0]["iri"]
    return [
        "/",
        "/?q=" + QUESTION,
        "/comme-la-mienne?collectivite=" + lille,
        *FIXED_PAGES,
        urlparse(hit["passage"]).path,
        f"/id/doc/{hit['doc_id']}",
        urlparse(entity["iri"]).path,
    ]


def test_no_page_scrolls_sideways_on_a_phone(page: object, base_url: str) -> None:
    p = page
    p.set_viewport_size(PHONE)  # type: ignore[attr-defined]
    wide: list[tuple[str, int]] = []
    try:
        for path in _pages(base_url):
            p.goto(base_url + path)  # type: ignore[attr-defined]
            p.wait_for_load_state("load")  # type: ignore[attr-defined]
            width = p.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
            if width > PHONE["width"]:
                wide.append((path, width))
    finally:
        p.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
    assert wide == [], wide


def test_results_come_before_the_filters_on_a_phone(page: object, base_url: str) -> None:
    """The answer (card or first hit) starts on the first screen, the filters come after the hits, and a hit
    is never taller than a screen and a half (its passage page has the whole text)."""
    p = page
    p.set_viewport_size(PHONE)  # type: ignore[attr-defined]
    try:
        p.goto(base_url + "/?q=" + QUESTION)  # type: ignore[attr-defined]
        p.wait_for_selector("li.hit")  # type: ignore[attr-defined]
        first = p.locator(".answer-card, li.hit").first.bounding_box()  # type: ignore[attr-defined]
        hit = p.locator("li.hit").first.bounding_box()  # type: ignore[attr-defined]
        facets = p.locator("aside.facets").bounding_box()  # type: ignore[attr-defined]
        assert first["y"] < PHONE["height"], first
        assert facets["y"] > hit["y"], (facets, hit)
        assert hit["height"] < PHONE["height"] * 1.5, hit
    finally:
        p.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
