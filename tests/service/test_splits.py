"""Staff splits of an entity (« Scinder »): token-protected, refused with nothing changed, written with a
PROV record, replayed by re-ingest, undone exactly.

The home holds two invented documents (tests/data/splits): a SCIC « Les Jardins du Val » in Besançon and a
homonymous association in Dijon that the extractor resolves to the one entity JARDINS; the split moves
the Dijon passage to a new organisation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from essgraph.app.web import create_app
from tests.service.conftest import SPLIT_DOCS, StaffTokens, assert_error, bearer, copy_home, make_settings

BASE = "https://w3id.org/essgraph/id/"
CURATED = f"{BASE}graph/curated"
PREFIXES = "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX eg: <https://w3id.org/essgraph/def#> "
JARDINS = f"{BASE}initiative/jardins-du-val"
DIJON_DOC = f"{BASE}doc/lettre-reseau-jardins-du-val-dijon"
BESANCON_DOC = f"{BASE}doc/deniche-jardins-du-val"
ASSOCIATION = f"{BASE}concept/formes-juridiques/association"


@pytest.fixture(scope="module")
def client(
    split_home: Path, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Iterator[TestClient]:
    """A TestClient on the real app over a private copy of the two-document split home."""
    home = copy_home(split_home, tmp_path_factory.mktemp("splits") / "home")
    with TestClient(create_app(make_settings(home, staff_tokens)), raise_server_exceptions=False) as test:
        yield test


def _document_quads(client: TestClient) -> list[str]:
    """The N-Quads lines of every document graph (what a split rewrites), sorted."""
    state = client.app.state.service  # type: ignore[attr-defined]
    lines = state.store.dump("nquads").decode().splitlines()
    return sorted(line for line in lines if "/graph/doc/" in line.rsplit(" ", 2)[-2] and "_:" not in line)


def _ask(client: TestClient, query: str) -> bool:
    response = client.get("/sparql", params={"query": PREFIXES + query})
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


def _involved(client: TestClient, token: str, entity: str) -> list[dict[str, Any]]:
    response = client.get("/api/splits/passages", params={"entity": entity}, headers=bearer(token))
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def test_splits_need_the_curate_scope(client: TestClient, staff_tokens: StaffTokens) -> None:
    body = {"entity": JARDINS, "label": "x", "type": "organisation", "passages": [], "reason": "r"}
    assert_error(client.post("/api/splits", json=body), 401, "unauthorized")
    assert_error(client.post("/api/splits", json=body, headers=bearer("pas-un-jeton")), 401)
    assert_error(client.post("/api/splits", json=body, headers=bearer(staff_tokens.writer)), 403)
    assert_error(client.get("/api/splits/passages", params={"entity": JARDINS}), 401)
    assert_error(client.delete("/api/splits/abc", headers=bearer(staff_tokens.uploader)), 403)


def test_bad_splits_are_refused_and_change_nothing(client: TestClient, staff_tokens: StaffTokens) -> None:
    headers = bearer(staff_tokens.curator)
    involved = _involved(client, staff_tokens.curator, JARDINS)
    assert involved and all(row["text"] and row["citation"] for row in involved)
    assert {row["document"] for row in involved} == {BESANCON_DOC, DIJON_DOC}
    before = client.app.state.service.store.quad_count()  # type: ignore[attr-defined]
    good = {
        "entity": JARDINS,
        "label": "Les Jardins du Val (association)",
        "type": "organisation",
        "passages": [involved[0]["passage"]],
        "reason": "Deux structures homonymes",
    }
    cases: list[tuple[dict[str, Any], int]] = [
        ({"type": "planete"}, 400),
        ({"passages": []}, 400),
        ({"passages": [f"{BASE}doc/inexistant/passage/1"]}, 400),
        ({"documents": [f"{BASE}doc/inexistant"]}, 400),
        ({"label": "a\u0007b"}, 400),
        ({"reason": "   "}, 400),
        ({"entity": f"{BASE}initiative/n-existe-pas"}, 404),
    ]
    for change, status in cases:
        body = assert_error(client.post("/api/splits", json={**good, **change}, headers=headers), status)
        assert body["message"] and body["message_en"], change
    assert client.app.state.service.store.quad_count() == before  # type: ignore[attr-defined]
    assert client.get("/api/splits", headers=headers).json() == []
    assert_error(client.delete("/api/splits/0123abcd", headers=headers), 404)


def test_split_moves_the_chosen_passages_survives_reingest_and_undoes_exactly(
    client: TestClient, staff_tokens: StaffTokens
) -> None:
    token = staff_tokens.curator
    headers = bearer(token)
    involved = _involved(client, token, JARDINS)
    moved = [row["passage"] for row in involved if row["document"] == DIJON_DOC]
    kept = [row["passage"] for row in involved if row["document"] == BESANCON_DOC]
    assert len(moved) == 1 and kept, involved
    before = _document_quads(client)
    mentioned = f"ASK {{ <{moved[0]}> eg:mentions <{JARDINS}> }}"
    assert _ask(client, mentioned)
    # the conflation: the one entity is a SCIC (Besançon) and an association (Dijon)
    assert _ask(client, f"ASK {{ <{JARDINS}> eg:legalForm <{ASSOCIATION}> }}")

    response = client.post(
        "/api/splits",
        json={
            "entity": JARDINS,
            "label": "Les Jardins du Val (Dijon)",
            "type": "organisation",
            "passages": moved,
            "reason": "Une association homonyme de la SCIC bisontine",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    split = response.json()
    new = split["new_entity"]
    assert new.startswith(f"{BASE}organisation/les-jardins-du-val-dijon") and split["active"]
    assert split["passages"] == moved and split["curated_by"] == "curatrice"
    record = (
        f"ASK {{ GRAPH <{CURATED}> {{ <{split['iri']}> a eg:EntitySplit , prov:Activity ; "
        f"prov:used <{JARDINS}> ; prov:generated <{new}> ; eg:movedPassage <{moved[0]}> ; "
        "prov:wasAssociatedWith ?agent ; prov:startedAtTime ?at } }"
    )
    assert _ask(client, record)
    assert not _ask(client, mentioned)
    assert _ask(client, f"ASK {{ <{moved[0]}> eg:mentions <{new}> }}")
    # the statements of the moved passage moved with it; the Besançon ones stayed
    assert _ask(client, f"ASK {{ <{new}> eg:legalForm <{ASSOCIATION}> }}")
    assert not _ask(client, f"ASK {{ <{JARDINS}> eg:legalForm <{ASSOCIATION}> }}")
    assert all(_ask(client, f"ASK {{ <{p}> eg:mentions <{JARDINS}> }}") for p in kept)
    page = client.get("/id/" + new.removeprefix(BASE), headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Les Jardins du Val (Dijon)" in page.text
    assert [
        s["id"] for s in client.get("/api/splits", params={"entity": JARDINS}, headers=headers).json()
    ] == [split["id"]]
    # only the new entity's IRI differs from the graph before the split
    after = _document_quads(client)
    assert after != before
    assert {line.replace(f"<{new}>", f"<{JARDINS}>") for line in after} == set(before)

    # re-ingest of the document of the moved passage: the split is replayed on the new extraction
    state = client.app.state.service  # type: ignore[attr-defined]
    rows = client.get(
        "/sparql",
        params={"query": PREFIXES + f"SELECT ?file WHERE {{ <{DIJON_DOC}> eg:sourceFile ?file }}"},
    ).json()["results"]["bindings"]
    summary = state.ingest(SPLIT_DOCS / rows[0]["file"]["value"])
    assert summary.documents == 1 and not summary.errors
    assert _document_quads(client) == after

    # undo: the document graphs are exactly those before the split; the record stays, dated
    undone = client.delete(f"/api/splits/{split['id']}", headers=headers)
    assert undone.status_code == 200 and undone.json()["withdrawn"], undone.text
    assert _document_quads(client) == before
    # the new IRI is gone from every graph but the curated one, whose kept, dated record names it
    assert not _ask(
        client,
        f"ASK {{ GRAPH ?g {{ {{ <{new}> ?p ?o }} UNION {{ ?s ?p <{new}> }} }} FILTER(?g != <{CURATED}>) }}",
    )
    assert not _ask(client, f"ASK {{ GRAPH <{CURATED}> {{ <{new}> ?p ?o }} }}")
    assert _ask(client, f"ASK {{ GRAPH <{CURATED}> {{ <{split['iri']}> prov:invalidatedAtTime ?t }} }}")
    assert_error(client.delete(f"/api/splits/{split['id']}", headers=headers), 404)
    assert client.get("/id/" + new.removeprefix(BASE), headers={"Accept": "text/html"}).status_code == 404
