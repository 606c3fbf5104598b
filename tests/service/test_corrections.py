"""Staff corrections of entities: label, type, legal form, département, owl:sameAs — stored with PROV-O,
applied by pages, autocomplete and SPARQL, surviving re-ingest, undone by DELETE."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.service.conftest import CORPUS, StaffTokens, assert_error, bearer

BASE = "https://w3id.org/essgraph/id/"
CURATED = f"{BASE}graph/curated"
PREFIXES = (
    "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX eg: <https://w3id.org/essgraph/def#> "
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
)
PLAINE = f"{BASE}initiative/plaine-sud-energies"
CHAIRE = f"{BASE}person/chaire-terress"
MAISON_ORG = f"{BASE}organisation/maison-des-alternatives"
MAISON_INIT = f"{BASE}initiative/maison-des-alternatives"


def _correct(
    client: TestClient, token: str, entity: str, kind: str, value: str, reason: str
) -> dict[str, Any]:
    response = client.post(
        "/api/corrections",
        json={"entity": entity, "kind": kind, "value": value, "reason": reason},
        headers=bearer(token),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["curated_by"] == "curatrice" and body["active"] and body["reason"] == reason
    return body


def _select(client: TestClient, query: str) -> list[dict[str, Any]]:
    response = client.get("/sparql", params={"query": PREFIXES + query})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return rows


def _page(client: TestClient, entity: str) -> str:
    response = client.get("/id/" + entity.removeprefix(BASE), headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    return response.text


def _hits(client: TestClient, q: str, kind: str | None = None) -> list[dict[str, Any]]:
    params = {"q": q} | ({"type": kind} if kind else {})
    response = client.get("/api/entities", params=params)
    assert response.status_code == 200, response.text
    hits: list[dict[str, Any]] = response.json()
    return hits


def _source_file(client: TestClient, entity: str) -> str:
    rows = _select(
        client,
        f"SELECT DISTINCT ?file WHERE {{ GRAPH ?g {{ <{entity}> a ?t }} ?d a eg:Document ; "
        f'eg:sourceFile ?file . FILTER(STRENDS(STR(?g), STRAFTER(STR(?d), "/doc/"))) }}',
    )
    assert rows, entity
    return str(rows[0]["file"]["value"])


def test_corrections_need_the_curate_scope(client: TestClient, staff_tokens: StaffTokens) -> None:
    body = {"entity": PLAINE, "kind": "label", "value": "x", "reason": "r"}
    assert_error(client.post("/api/corrections", json=body), 401, "unauthorized")
    assert_error(client.post("/api/corrections", json=body, headers=bearer(staff_tokens.writer)), 403)
    assert_error(client.get("/api/corrections"), 401)
    assert_error(client.delete("/api/corrections/abc", headers=bearer(staff_tokens.uploader)), 403)


def test_bad_corrections_are_refused(client: TestClient, staff_tokens: StaffTokens) -> None:
    headers = bearer(staff_tokens.curator)

    def post(entity: str, kind: str, value: str) -> Any:
        body = {"entity": entity, "kind": kind, "value": value, "reason": "test"}
        return client.post("/api/corrections", json=body, headers=headers)

    assert_error(post(f"{BASE}initiative/nulle-part", "label", "X"), 404, "not_found")
    assert_error(post(f"{BASE}concept/leviers/entree-au-capital", "label", "X"), 404, "not_found")
    assert_error(post(PLAINE, "departement", "100"), 400, "bad_input")
    assert_error(post(PLAINE, "type", "levier"), 400, "bad_input")
    assert_error(post(PLAINE, "legal_form", "societe-imaginaire"), 404, "not_found")
    assert_error(post(PLAINE, "same_as", PLAINE), 400, "bad_input")
    assert_error(post(PLAINE, "label", "a\x00b"), 400, "bad_input")
    assert_error(post(PLAINE, "couleur", "bleu"), 400, "bad_input")
    assert_error(client.delete("/api/corrections/0000000000000000", headers=headers), 404, "not_found")


def test_label_type_legal_form_and_departement(client: TestClient, staff_tokens: StaffTokens) -> None:
    token = staff_tokens.curator
    old_label = "SCIC Plaine Sud Energies"
    assert old_label in _page(client, PLAINE)

    label = _correct(client, token, PLAINE, "label", "SCIC Plaine Sud Énergies", "Accent manquant")
    assert label["status"] == "added" and old_label in label["replaced"]
    page = _page(client, PLAINE)
    assert "<h1>SCIC Plaine Sud Énergies</h1>" in page and "libellé corrigé" in page
    assert old_label in page.split("Aussi appelé", 1)[1].split("</p>", 1)[0]
    hit = next(h for h in _hits(client, "plaine sud") if h["iri"] == PLAINE)
    assert hit["label"] == "SCIC Plaine Sud Énergies"
    # an invalid new correction is refused without undoing the standing one
    bad = {"entity": PLAINE, "kind": "label", "value": "x\ty", "reason": "faute de frappe"}
    assert_error(client.post("/api/corrections", json=bad, headers=bearer(token)), 400, "bad_input")
    assert "<h1>SCIC Plaine Sud Énergies</h1>" in _page(client, PLAINE)
    rows = _select(
        client,
        f"SELECT ?label ?old ?who ?when ?why WHERE {{ GRAPH <{CURATED}> {{ "
        f"<{PLAINE}> skos:prefLabel ?label ; skos:altLabel ?old . ?c a eg:CuratedLink ; "
        f"rdf:subject <{PLAINE}> ; rdf:predicate skos:prefLabel ; rdf:object ?label ; "
        "prov:wasAttributedTo ?who ; prov:generatedAtTime ?when ; eg:reason ?why } }",
    )
    assert [(r["label"]["value"], r["old"]["value"], r["why"]["value"]) for r in rows] == [
        ("SCIC Plaine Sud Énergies", old_label, "Accent manquant")
    ]
    assert rows[0]["who"]["value"] == f"{BASE}staff/curatrice"

    departement = _correct(client, token, PLAINE, "departement", "2a", "Vérifié auprès de la structure")
    assert departement["value"] == "2A" and "14" in departement["replaced"]
    page = _page(client, PLAINE)
    attributes = page.split('class="attributes"', 1)[1].split("</dl>", 1)[0]
    assert "2A" in attributes and ">14<" not in attributes
    legal = _correct(client, token, PLAINE, "legal_form", "scop", "Statut coopératif de production")
    assert legal["value"].endswith("/formes-juridiques/scop") and legal["replaced"]

    kind = _correct(
        client, token, CHAIRE, "type", "organisation", "Une chaire universitaire, pas une personne"
    )
    assert kind["replaced"] == ["Personne"] and kind["value_label"] == "Organisation"
    assert '<p class="kind">Organisation</p>' in _page(client, CHAIRE)
    assert CHAIRE in {h["iri"] for h in _hits(client, "chaire", "organisation")}
    assert CHAIRE not in {h["iri"] for h in _hits(client, "chaire", "personne")}

    # the curated graph survives a forced re-ingest of the document the entity comes from
    state = client.app.state.service  # type: ignore[attr-defined]
    summary = state.ingest(CORPUS / _source_file(client, PLAINE))
    assert summary.documents == 1 and not summary.errors
    assert "<h1>SCIC Plaine Sud Énergies</h1>" in _page(client, PLAINE)
    assert '<p class="kind">Organisation</p>' in _page(client, CHAIRE)

    history = client.get("/api/corrections", params={"entity": PLAINE}, headers=bearer(token)).json()
    assert [c["id"] for c in history] == [legal["id"], departement["id"], label["id"]]
    links = client.get("/api/links", headers=bearer(token)).json()
    assert not {c["iri"] for c in history} & {link["iri"] for link in links}

    # undo: the extracted values come back, the records stay dated
    for done in (label, departement, legal, kind):
        gone = client.delete(f"/api/corrections/{done['id']}", headers=bearer(token))
        assert gone.status_code == 200 and gone.json()["withdrawn"], gone.text
    page = _page(client, PLAINE)
    assert f"<h1>{old_label}</h1>" in page and "libellé corrigé" not in page
    assert ">14<" in page.split('class="attributes"', 1)[1].split("</dl>", 1)[0]
    assert '<p class="kind">Personne</p>' in _page(client, CHAIRE)
    assert not _select(client, f"SELECT ?p ?o WHERE {{ GRAPH <{CURATED}> {{ <{PLAINE}> ?p ?o }} }}")
    history = client.get("/api/corrections", params={"entity": PLAINE}, headers=bearer(token)).json()
    assert len(history) == 3 and not any(c["active"] for c in history)
    assert_error(client.delete(f"/api/corrections/{label['id']}", headers=bearer(token)), 404)


def test_same_as_merges_pages_and_autocomplete(client: TestClient, staff_tokens: StaffTokens) -> None:
    token = staff_tokens.curator
    before = {h["iri"] for h in _hits(client, "maison des alternatives")}
    assert {MAISON_ORG, MAISON_INIT} <= before

    merge = _correct(client, token, MAISON_ORG, "same_as", MAISON_INIT, "Doublon : même structure")
    assert merge["value"] == MAISON_INIT
    ask = f"ASK {{ GRAPH <{CURATED}> {{ <{MAISON_ORG}> owl:sameAs <{MAISON_INIT}> }} }}"
    assert client.get("/sparql", params={"query": PREFIXES + ask}).json()["boolean"] is True
    after = [h for h in _hits(client, "maison des alternatives") if h["iri"] in (MAISON_ORG, MAISON_INIT)]
    assert [h["iri"] for h in after] == [MAISON_INIT]

    redirect = client.get(
        "/id/organisation/maison-des-alternatives", headers={"Accept": "text/html"}, follow_redirects=False
    )
    assert (
        redirect.status_code == 303
        and redirect.headers["location"] == "/id/initiative/maison-des-alternatives"
    )
    page = _page(client, MAISON_INIT)
    assert "Fiches fusionnées" in page and "organisation/maison-des-alternatives" in page
    # the merged entity's RDF stays its own (with the sameAs statement)
    turtle = client.get("/id/organisation/maison-des-alternatives", params={"format": "ttl"}).text
    assert "owl:sameAs" in turtle

    again = client.post(
        "/api/corrections",
        json={"entity": MAISON_INIT, "kind": "same_as", "value": MAISON_ORG, "reason": "encore"},
        headers=bearer(token),
    )
    assert_error(again, 400, "bad_input")

    assert client.delete(f"/api/corrections/{merge['id']}", headers=bearer(token)).status_code == 200
    assert {MAISON_ORG, MAISON_INIT} <= {h["iri"] for h in _hits(client, "maison des alternatives")}
    assert client.get("/sparql", params={"query": PREFIXES + ask}).json()["boolean"] is False
    assert (
        client.get(
            "/id/organisation/maison-des-alternatives",
            headers={"Accept": "text/html"},
            follow_redirects=False,
        ).status_code
        == 200
    )
