"""Browser tests for élus (real Chromium): answer card with cited lines, map filter, « comme la mienne »."""

# ruff: noqa: F811  (the fixtures of test_browser.py are imported, and arguments of the tests re-bind them)

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.service.test_browser import (  # noqa: F401  (fixtures shared with the other browser journeys)
    _shot,
    base_url,
    browser_settings,
    nothing_blocked_by_the_policy,
    page,
)

pytestmark = pytest.mark.browser

PASSAGE_LINK = re.compile(r"^/id/doc/[^/]+/passage/\d+$")

# (question, the lever or kind of initiative whose card must answer it: its thesaurus label)
LEVER_QUESTIONS = [
    ("Comment une métropole peut-elle entrer au capital d'une SCIC ?", "Entrée au capital"),
    ("Comment mettre en place une commande publique responsable ?", "Commande publique responsable"),
    ("Comment faciliter l'accès au foncier des structures de l'ESS ?", "Accès au foncier"),
]


def _cited_lines(p: object) -> list[tuple[str, str]]:
    """(citation text, href) of the cite link of every line of the answer card."""
    lines = p.locator(".answer-card li.cited")  # type: ignore[attr-defined]
    out = []
    for i in range(lines.count()):
        cite = lines.nth(i).locator("a.cite")
        assert cite.count() == 1, lines.nth(i).inner_text()
        out.append((cite.inner_text(), cite.get_attribute("href") or ""))
    return out


@pytest.mark.parametrize(("question", "lever"), LEVER_QUESTIONS)
def test_answer_card_cites_a_passage_on_every_line(
    page: object, base_url: str, question: str, lever: str
) -> None:
    p = page
    p.goto(base_url + "/")  # type: ignore[attr-defined]
    p.fill("input[name=q]", question)  # type: ignore[attr-defined]
    p.click("form.searchbox button")  # type: ignore[attr-defined]
    p.wait_for_selector(".answer-card")  # type: ignore[attr-defined]
    assert p.inner_text(".answer-card h2") == lever  # type: ignore[attr-defined]
    assert p.inner_text(".answer-card .definition").strip()  # type: ignore[attr-defined]
    # the card comes before the hits
    card_y = p.locator(".answer-card").bounding_box()["y"]  # type: ignore[attr-defined]
    assert card_y < p.locator("li.hit").first.bounding_box()["y"]  # type: ignore[attr-defined]
    lines = _cited_lines(p)
    assert p.locator(".answer-card ul.fiche li").count() == 1  # type: ignore[attr-defined]
    assert p.locator(".answer-card ul.legal li, .answer-card ul.users li").count() >= 1  # type: ignore[attr-defined]
    for citation, href in lines:
        assert PASSAGE_LINK.match(href), href
        assert " — l. " in citation, citation
    if lever == LEVER_QUESTIONS[0][1]:
        _shot(p, "reponse.png")
    # the cited line opens the passage it stands on: the same lines, the passage text
    citation, href = lines[0]
    p.click(f".answer-card a.cite[href='{href}']")  # type: ignore[attr-defined]
    p.wait_for_load_state()  # type: ignore[attr-defined]
    assert urlparse(p.url).path == href  # type: ignore[attr-defined]
    body = p.inner_text("main")  # type: ignore[attr-defined]
    first_line = citation.rsplit("l. ", 1)[1].split("-")[0]
    assert first_line in body


def test_the_answer_card_is_in_the_json_with_the_same_passages(base_url: str) -> None:
    response = httpx.get(base_url + "/api/search", params={"q": LEVER_QUESTIONS[0][0]}, timeout=60)
    answer = response.json()["answer"]
    assert answer["label"].lower() == LEVER_QUESTIONS[0][1].lower()
    cited = [b["passage"] for b in answer["legal"]] + [c["passage"] for c in answer["collectivites"]]
    assert cited and all(PASSAGE_LINK.match(c["url"]) and c["start_line"] for c in cited)
    # at least one collectivité comes with a figure from the graph (amount, share, year…)
    assert any(c["figures"] for c in answer["collectivites"]), answer["collectivites"]


def test_clicking_a_departement_on_the_map_filters_the_search(page: object, base_url: str) -> None:
    p = page
    question = "soutien des collectivités aux initiatives de l'ESS"
    p.goto(base_url + "/?q=" + question)  # type: ignore[attr-defined]
    p.wait_for_selector("li.hit")  # type: ignore[attr-defined]
    unfiltered = httpx.get(base_url + "/api/search", params={"q": question}, timeout=60).json()["total"]
    # a département where the graph places several initiatives or collectivités
    target = p.locator("aside figure.map a.dep.n3, aside figure.map a.dep.n2").first  # type: ignore[attr-defined]
    code = target.get_attribute("data-code")
    target.click()
    p.wait_for_selector(f"figure.map a.dep.selected[data-code='{code}']")  # type: ignore[attr-defined]
    assert parse_qs(urlparse(p.url).query)["departement"] == [code]  # type: ignore[attr-defined]
    assert f"Département : {code}" in p.inner_text(".filters")  # type: ignore[attr-defined]
    filtered = httpx.get(base_url + "/api/search", params={"q": question, "departement": code}, timeout=60)
    assert 0 < filtered.json()["total"] < unfiltered
    p.locator("aside figure.map").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    _shot(p, "carte.png")
    # a second click on the same département removes the filter
    p.locator(f"aside figure.map a.dep[data-code='{code}']").click()  # type: ignore[attr-defined]
    p.wait_for_selector("li.hit")  # type: ignore[attr-defined]
    assert "departement" not in parse_qs(urlparse(p.url).query)  # type: ignore[attr-defined]


def test_collectivites_like_mine(page: object, base_url: str) -> None:
    p = page
    p.goto(base_url + "/comme-la-mienne")  # type: ignore[attr-defined]
    p.type("#collectivite-q", "Lill", delay=40)  # type: ignore[attr-defined]
    p.wait_for_selector("#collectivite-list a.pick")  # type: ignore[attr-defined]
    p.locator("#collectivite-list a.pick", has_text="Ville de Lille").first.click()  # type: ignore[attr-defined]
    p.wait_for_selector("li.peer")  # type: ignore[attr-defined]
    mine = p.inner_text(".mine h2")  # type: ignore[attr-defined]
    assert "Ville de Lille" in mine and "commune" in mine
    peers = p.locator("li.peer")  # type: ignore[attr-defined]
    assert peers.count() >= 2
    # the first peers share the level; every action line cites its passage
    assert "commune" in peers.first.locator("h3").inner_text()
    for i in range(peers.count()):
        cites = peers.nth(i).locator("li.cited a.cite")
        assert cites.count() >= 1
        for j in range(cites.count()):
            assert PASSAGE_LINK.match(cites.nth(j).get_attribute("href") or "")
            assert " — l. " in cites.nth(j).inner_text()
    _shot(p, "comme-la-mienne.png")


def test_elus_pages_fit_a_phone(page: object, base_url: str) -> None:
    """At 390 px wide the answer card, the map and « comme la mienne » scroll only vertically."""
    p = page
    p.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        lille = httpx.get(base_url + "/api/collectivites", params={"q": "Lille"}, timeout=30).json()[0]["iri"]
        for path, ready in [
            ("/?q=" + LEVER_QUESTIONS[0][0], ".answer-card"),
            ("/carte?departement=69", "figure.map"),
            ("/comme-la-mienne?collectivite=" + lille, "li.peer"),
        ]:
            p.goto(base_url + path)  # type: ignore[attr-defined]
            p.wait_for_selector(ready)  # type: ignore[attr-defined]
            width = p.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
            assert width <= 390, (path, width)
            box = p.locator(ready).first.bounding_box()  # type: ignore[attr-defined]
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (path, box)
    finally:
        p.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
