"""Linked data: minted IRIs dereference through /id/… with content negotiation; 404 otherwise."""

from __future__ import annotations

import json
import random

import pytest
import rdflib
from fastapi.testclient import TestClient

from tests.service.conftest import assert_error

BASE = "https://w3id.org/essgraph/id/"
ILOE = BASE + "initiative/iloe"


def _minted(client: TestClient) -> list[str]:
    query = (
        "SELECT DISTINCT ?s WHERE { ?s a ?t . "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }} ORDER BY ?s'
    )
    store = client.app.state.service.store  # type: ignore[attr-defined]
    return [row["s"] for row in store.select(query)]


def test_entity_as_turtle_jsonld_and_ntriples(client: TestClient) -> None:
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ):
        response = client.get("/id/initiative/iloe", headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(accept)
        graph = rdflib.Graph().parse(data=response.text, format=fmt)
        labels = {str(o) for o in graph.objects(rdflib.URIRef(ILOE), rdflib.RDFS.label)}
        assert "SCIC Iloe" in labels


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get("/id/initiative/iloe", params={"format": "jsonld"}, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert json.loads(response.text)


def test_browser_gets_the_entity_page(client: TestClient) -> None:
    response = client.get("/id/initiative/iloe", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    page = response.text
    assert "<h1>SCIC Iloe</h1>" in page
    assert "Métropole de Lyon" in page
    assert "passage" in page and "Kit MunicipalESS, fiche n°9" in page


def test_unknown_entity_is_404_in_json_and_french_html(client: TestClient) -> None:
    assert_error(client.get("/id/initiative/inconnue", headers={"Accept": "text/turtle"}), 404, "not_found")
    page = client.get("/id/initiative/inconnue", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "introuvable" in page.text


def test_unknown_format_is_406(client: TestClient) -> None:
    assert_error(client.get("/id/initiative/iloe", params={"format": "pdf"}), 406)


@pytest.mark.slow
def test_minted_iris_dereference(client: TestClient) -> None:
    minted = _minted(client)
    assert len(minted) > 500
    by_type: dict[str, str] = {}
    for iri in minted:
        by_type.setdefault(iri[len(BASE) :].split("/", 1)[0], iri)
    sample = set(by_type.values()) | set(random.Random(7).sample(minted, 60))
    for iri in sorted(sample):
        path = "/id/" + iri[len(BASE) :]
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200, (iri, turtle.text)
        assert rdflib.Graph().parse(data=turtle.text, format="turtle")
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200, (iri, page.text[:300])


def test_concepts_dereference_too(client: TestClient) -> None:
    response = client.get("/api/concepts").json()
    leviers = next(s for s in response if s["iri"].endswith("/leviers"))
    concept = leviers["concepts"][0]["iri"]
    path = "/id/" + concept[len(BASE) :]
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Levier" in page.text
