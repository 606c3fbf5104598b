"""Staff curation: suggestions with reasons, curated links with PROV-O, history, survival of re-ingest."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.service.conftest import CORPUS, StaffTokens, assert_error, bearer

ILOE = "https://w3id.org/essgraph/id/initiative/iloe"
CURATED = "https://w3id.org/essgraph/id/graph/curated"


def _suggest(client: TestClient, token: str) -> list[dict[str, object]]:
    response = client.get("/api/links/suggestions", params={"initiative": ILOE}, headers=bearer(token))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["label"] == "SCIC Iloe"
    suggestions: list[dict[str, object]] = data["suggestions"]
    return suggestions


def test_staff_routes_need_the_curate_scope(client: TestClient, staff_tokens: StaffTokens) -> None:
    assert_error(client.get("/api/links/suggestions", params={"initiative": ILOE}), 401, "unauthorized")
    response = client.get(
        "/api/links/suggestions", params={"initiative": ILOE}, headers=bearer(staff_tokens.writer)
    )
    assert_error(response, 403, "forbidden")
    body = {"initiative": ILOE, "lever": "x", "reason": "r"}
    assert_error(client.post("/api/links", json=body), 401)
    assert_error(client.post("/api/links", json=body, headers=bearer(staff_tokens.uploader)), 403)
    assert_error(client.delete("/api/links/abc"), 401)


def test_suggestions_are_ranked_with_french_reasons(client: TestClient, staff_tokens: StaffTokens) -> None:
    suggestions = _suggest(client, staff_tokens.curator)
    assert suggestions
    scores = [float(s["score"]) for s in suggestions]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)
    top = suggestions[0]
    assert top["reasons"], top
    reasons = top["reasons"]
    assert isinstance(reasons, list)
    assert all(isinstance(r, str) and r.endswith(".") for r in reasons)
    assert any("levier" in r for r in reasons)


def test_unknown_initiative_is_404(client: TestClient, staff_tokens: StaffTokens) -> None:
    response = client.get(
        "/api/links/suggestions",
        params={"initiative": "https://w3id.org/essgraph/id/initiative/nulle-part"},
        headers=bearer(staff_tokens.curator),
    )
    assert_error(response, 404, "not_found")


def test_accept_stores_prov_and_survives_reingest(
    client: TestClient, staff_tokens: StaffTokens, tmp_path: Path
) -> None:
    suggestions = _suggest(client, staff_tokens.curator)
    lever = str(suggestions[-1]["lever"])
    response = client.post(
        "/api/links",
        json={"initiative": ILOE, "lever": lever, "reason": "Vérifié dans la fiche", "decision": "accept"},
        headers=bearer(staff_tokens.curator),
    )
    assert response.status_code == 201, response.text
    link = response.json()
    assert link["curated_by"] == "curatrice" and link["active"] and link["status"] in ("added", "confirmed")

    query = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX eg: <https://w3id.org/essgraph/def#> "
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        f"SELECT ?who ?when ?why WHERE {{ GRAPH <{CURATED}> {{ <{ILOE}> eg:illustratesLever <{lever}> . "
        f"?l a eg:CuratedLink ; rdf:subject <{ILOE}> ; rdf:object <{lever}> ; "
        "prov:wasAttributedTo ?who ; prov:generatedAtTime ?when ; eg:reason ?why } }"
    )
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert len(rows) == 1
    assert rows[0]["who"]["value"].endswith("/staff/curatrice")
    assert rows[0]["why"]["value"] == "Vérifié dans la fiche"

    # re-ingest the Kit (forced): the document graph is rewritten, the curated graph is not touched
    state = client.app.state.service  # type: ignore[attr-defined]
    summary = state.ingest(CORPUS / "rtes-kit-municipaless-2020.txt")
    assert summary.documents == 1 and not summary.errors
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert len(rows) == 1

    history = client.get(
        "/api/links", params={"initiative": ILOE}, headers=bearer(staff_tokens.curator)
    ).json()
    assert history[0]["id"] == link["id"]
    again = _suggest(client, staff_tokens.curator)
    assert next(s for s in again if s["lever"] == lever)["decided"] == link["status"]

    # withdrawing removes the statement and keeps the dated record
    gone = client.delete(f"/api/links/{link['id']}", headers=bearer(staff_tokens.curator))
    assert gone.status_code == 200 and gone.json()["withdrawn"]
    after = client.get("/sparql", params={"query": query}).json()
    assert after["results"]["bindings"] == [], after
    history = client.get(
        "/api/links", params={"initiative": ILOE}, headers=bearer(staff_tokens.curator)
    ).json()
    assert history[0]["id"] == link["id"] and not history[0]["active"]
    assert_error(client.delete(f"/api/links/{link['id']}", headers=bearer(staff_tokens.curator)), 404)


def test_reject_records_the_decision_without_a_statement(
    client: TestClient, staff_tokens: StaffTokens
) -> None:
    lever = str(_suggest(client, staff_tokens.curator)[0]["lever"])
    response = client.post(
        "/api/links",
        json={"initiative": ILOE, "lever": lever, "reason": "Hors sujet", "decision": "reject"},
        headers=bearer(staff_tokens.curator),
    )
    assert response.status_code == 201 and response.json()["status"] == "rejected"
    predicate = "<https://w3id.org/essgraph/def#illustratesLever>"
    ask = f"ASK {{ GRAPH <{CURATED}> {{ <{ILOE}> {predicate} <{lever}> }} }}"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False


def test_bad_link_bodies(client: TestClient, staff_tokens: StaffTokens) -> None:
    headers = bearer(staff_tokens.curator)
    not_lever = "https://w3id.org/essgraph/id/collectivite/metropole-de-lyon"
    response = client.post(
        "/api/links", json={"initiative": ILOE, "lever": not_lever, "reason": "x"}, headers=headers
    )
    assert_error(response, 404, "not_found")
    response = client.post(
        "/api/links", json={"initiative": ILOE, "lever": "pas une iri", "reason": "x"}, headers=headers
    )
    assert_error(response, 400, "bad_input")
    response = client.post(
        "/api/links", json={"initiative": ILOE, "lever": not_lever, "reason": ""}, headers=headers
    )
    assert_error(response, 400, "bad_input")
