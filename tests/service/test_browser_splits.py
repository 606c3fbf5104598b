"""Browser journey of a split (« Scinder ») on the curation page: real Chromium, desktop and phone width."""

# ruff: noqa: F811  (the fixtures of test_browser.py are imported, and arguments of the tests re-bind them)

from __future__ import annotations

import httpx
import pytest

from tests.service.conftest import StaffTokens
from tests.service.test_browser import (  # noqa: F401  (fixtures shared with the other browser journeys)
    base_url,
    browser_settings,
    nothing_blocked_by_the_policy,
    page,
)

pytestmark = pytest.mark.browser


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
        p.goto(base_url + "/id/initiative/plaine-sud-energies")  # type: ignore[attr-defined]
        p.click("#curate-entity")  # type: ignore[attr-defined]
        p.wait_for_selector("#split-passages input.split-passage")  # type: ignore[attr-defined]
        width = p.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert width <= 390, width
        box = p.locator("#split-form").bounding_box()  # type: ignore[attr-defined]
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box

        p.locator("#split-passages input.split-passage").last.check()  # type: ignore[attr-defined]
        p.fill("#split-label", "Plaine Sud (homonyme du navigateur)")  # type: ignore[attr-defined]
        p.select_option("#split-type", "organisation")  # type: ignore[attr-defined]
        p.fill("#split-reason", "Deux structures du même nom")  # type: ignore[attr-defined]
        p.click("#split-form button[type=submit]")  # type: ignore[attr-defined]
        p.wait_for_selector("#history li.split.active")  # type: ignore[attr-defined]
        assert "Entité scindée" in p.inner_text("#message")  # type: ignore[attr-defined]
        assert "Plaine Sud (homonyme du navigateur)" in p.inner_text("#history li.split.active")  # type: ignore[attr-defined]
        assert p.evaluate("document.documentElement.scrollWidth") <= 390  # type: ignore[attr-defined]
        new = "/id/organisation/plaine-sud-homonyme-du-navigateur"
        response = httpx.get(base_url + new, headers={"Accept": "text/html"}, timeout=30)
        assert response.status_code == 200 and "Plaine Sud (homonyme du navigateur)" in response.text

        p.locator("#history li.split.active button.undo").click()  # type: ignore[attr-defined]
        p.wait_for_selector("#history li.split.withdrawn")  # type: ignore[attr-defined]
        assert "Scission annulée" in p.inner_text("#message")  # type: ignore[attr-defined]
        assert httpx.get(base_url + new, headers={"Accept": "text/html"}, timeout=30).status_code == 404
    finally:
        p.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
