"""The élus' features over HTTP on the real corpus: answer card JSON, collectivités like mine, the map."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import assert_error

PASSAGE_URL = re.compile(r"^/id/doc/[^/]+/passage/\d+$")
CAPITAL_QUESTION = "Comment une métropole peut-elle entrer au capital d'une SCIC ?"


def _passages(answer: dict) -> list[dict]:
    lines = [b["passage"] for b in answer["legal"]] + [c["passage"] for c in answer["collectivites"]]
    return lines + ([answer["fiche"]["passage"]] if answer["fiche"] and answer["fiche"]["passage"] else [])


def test_search_json_carries_the_answer_card_with_its_passages(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": CAPITAL_QUESTION}).json()
    answer = body["answer"]
    assert answer["concept"] in body["understood"]
    assert answer["scheme"] in ("leviers", "formes-juridiques")
    assert answer["definition"]
    lines = _passages(answer)
    assert len(lines) >= 3
    for passage in lines:
        assert PASSAGE_URL.match(passage["url"]), passage
        assert passage["start_line"] and passage["end_line"] >= passage["start_line"]
        assert " — l. " in passage["citation"]
        # the cited passage exists and is served
        assert client.get(passage["url"], headers={"Accept": "text/html"}).status_code == 200
    assert len(answer["collectivites"]) <= 3
    assert any(c["figures"] for c in answer["collectivites"])


def test_the_page_shows_the_same_card(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": CAPITAL_QUESTION}).json()["answer"]
    html = client.get("/", params={"q": CAPITAL_QUESTION}).text
    card = html[
        html.index('class="answer-card"') : html.index("</section>", html.index('class="answer-card"'))
    ]
    for passage in _passages(answer):
        assert f'href="{passage["url"]}"' in card
    for collectivite in answer["collectivites"]:
        assert collectivite["label"].replace("'", "&#39;") in card


def test_no_card_when_nothing_is_understood(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "zzyzx qwvbn"}).json()
    assert body["answer"] is None


def test_collectivites_search_as_you_type(client: TestClient) -> None:
    found = client.get("/api/collectivites", params={"q": "lyon"}).json()
    assert found and all(hit["path"].startswith("/id/collectivite/") for hit in found)
    assert all("lyon" in hit["label"].lower() for hit in found)
    assert client.get("/api/collectivites", params={"q": "lyon", "limit": 1}).json() == found[:1]
    assert_error(client.get("/api/collectivites", params={"limit": 0}), 400, "bad_input")


def test_similar_collectivites(client: TestClient) -> None:
    chosen = client.get("/api/collectivites", params={"q": "lyon"}).json()[0]["iri"]
    body = client.get("/api/collectivites/similaires", params={"collectivite": chosen}).json()
    mine = body["collectivite"]
    assert mine["iri"] == chosen and mine["level"]
    assert body["similaires"]
    same = [p for p in body["similaires"] if p["same_level"]]
    assert all(p["level"] == mine["level"] for p in same)
    # same level before sibling levels
    flags = [p["same_level"] for p in body["similaires"]]
    assert flags == sorted(flags, reverse=True)
    for peer in body["similaires"]:
        assert peer["iri"] != chosen and peer["actions"]
        for action in peer["actions"]:
            assert PASSAGE_URL.match(action["passage"]["url"]) and " — l. " in action["passage"]["citation"]


def test_similar_collectivites_errors(client: TestClient) -> None:
    assert_error(client.get("/api/collectivites/similaires", params={"collectivite": "pas une IRI"}), 400)
    unknown = "https://w3id.org/essgraph/id/collectivite/inexistante"
    assert_error(client.get("/api/collectivites/similaires", params={"collectivite": unknown}), 404)
    page = client.get("/comme-la-mienne", params={"collectivite": unknown})
    assert page.status_code == 404 and "collectivité inconnue" in page.text


def test_map_on_the_search_page_toggles_the_departement_filter(client: TestClient) -> None:
    # theme=x is an unknown filter value: a browser gets the page (the error inline, the map kept); a
    # client not asking for HTML would get the JSON 400 of every bad parameter
    html = client.get("/", params={"q": "tiers-lieux", "theme": "x"}, headers={"Accept": "text/html"}).text
    links = re.findall(r'<a href="([^"]+)" class="dep[^"]*" data-code="(\w+)"', html)
    assert len(links) == 101  # the metropolitan départements, Corsica included, and the five overseas
    for url, code in links[:5]:
        assert url.startswith("/?q=tiers-lieux&amp;theme=x&amp;departement=" + code)
    selected = client.get("/", params={"q": "tiers-lieux", "departement": "69"}).text
    assert re.search(r'class="dep n\d selected" data-code="69"', selected)
    # the selected département's link removes the filter
    assert re.search(r'<a href="/\?q=tiers-lieux" class="dep n\d selected" data-code="69"', selected)
    home = client.get("/").text
    assert 'href="/carte?departement=2A"' in home


def test_map_draws_the_overseas_departements_as_insets_under_metropolitan_france(
    client: TestClient,
) -> None:
    html = client.get("/carte").text
    view = re.search(r'<svg viewBox="0 0 (\d+) (\d+)"', html)
    assert view is not None
    width, height = int(view.group(1)), int(view.group(2))
    metro_bottom = 0
    for code, d in re.findall(r'data-code="(\w+)" aria-label="[^"]+">\s*<path d="([^"]+)"', html):
        ys = [int(y) for y in re.findall(r"[ML]\d+ (\d+)", d)]
        xs = [int(x) for x in re.findall(r"[ML](\d+) \d+", d)]
        assert ys and max(ys) <= height and max(xs) <= width, code
        if code.startswith("97"):
            assert min(ys) > metro_bottom, code  # the insets sit in a row below the metropole
        else:
            metro_bottom = max(metro_bottom, max(ys))
    page = client.get("/carte", params={"departement": "974"})
    assert page.status_code == 200 and "La Réunion" in page.text


def test_map_page_lists_a_departement(client: TestClient) -> None:
    counts = client.get("/carte").text
    populated = re.findall(
        r'data-code="(\w+)" aria-label="[^"]+">\s*<path d="[^"]+"><title>[^<]*: (\d+) initiative', counts
    )
    code = next(c for c, n in populated if int(n) > 0)
    page = client.get("/carte", params={"departement": code})
    assert page.status_code == 200
    assert f'<input type="hidden" name="departement" value="{code}">' in page.text
    assert 'class="chip kind">Initiative</span>' in page.text
    assert_error(
        client.get("/carte", params={"departement": "00"}, headers={"Accept": "application/json"}), 404
    )


def test_warmed_cards_answer_without_graph_queries(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`warm_cards` (run by the service on its writer thread at start) builds the card of every lever and
    kind of initiative for the current snapshot; a question naming one is then answered from that cache,
    with no graph query (the card builder is made to fail to show it is not called)."""
    from essgraph.service import elus

    state = client.app.state.service  # type: ignore[attr-defined]
    expected = [
        iri
        for scheme in elus.ANSWER_SCHEMES
        for iri, *_rest in state.reader.concepts_in(elus.CONCEPT_IRI + scheme)
    ]
    assert expected and elus.warm_cards(state) == len(expected)
    snapshot = state.engine.snapshot
    with elus._cache_lock:
        warmed = {concept for concept, (snap, _card) in elus._cache.items() if snap is snapshot}
    assert set(expected[: elus.CARD_CACHE_SIZE]) <= warmed

    def no_query(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the card was built again")

    monkeypatch.setattr(elus, "answer_card", no_query)
    assert client.get("/api/search", params={"q": CAPITAL_QUESTION}).json()["answer"]["definition"]
