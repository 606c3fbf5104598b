"""Autocomplete, thesaurus tree and document list."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.conftest import assert_error


def test_autocomplete_ignores_accents_and_case(client: TestClient) -> None:
    hits = client.get("/api/entities", params={"q": "metropole de lyon"}).json()
    assert hits and hits[0]["label"] == "Métropole de Lyon"
    assert hits[0]["path"] == "/id/collectivite/metropole-de-lyon"


def test_autocomplete_filters_by_type(client: TestClient) -> None:
    hits = client.get("/api/entities", params={"q": "scic", "type": "initiative"}).json()
    assert hits and all(h["kind"] == "initiative" for h in hits)
    levers = client.get("/api/entities", params={"q": "", "type": "levier"}).json()
    assert levers and all(h["kind"] == "levier" for h in levers)


def test_autocomplete_prefix_matches_first(client: TestClient) -> None:
    hits = client.get("/api/entities", params={"q": "scic"}).json()
    assert hits[0]["matched"].lower().startswith("scic")


def test_unknown_type_is_400(client: TestClient) -> None:
    assert_error(client.get("/api/entities", params={"q": "x", "type": "licorne"}), 400, "bad_input")


def test_concepts_tree(client: TestClient) -> None:
    schemes = client.get("/api/concepts").json()
    iris = {s["iri"].rsplit("/", 1)[-1] for s in schemes}
    assert {"leviers", "thematiques", "formes-juridiques"} <= iris
    formes = next(s for s in schemes if s["iri"].endswith("/formes-juridiques"))
    labels = {c["label"] for c in formes["concepts"]} | {
        n["label"] for c in formes["concepts"] for n in c["narrower"]
    }
    assert "société coopérative d'intérêt collectif" in labels


def test_documents_with_sections(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    assert len(docs) == 6
    kit = next(d for d in docs if d["source_file"] == "rtes-kit-municipaless-2020.txt")
    assert kit["passages"] > 100
    numbers = [s["number"] for s in kit["sections"] if s["number"] is not None]
    assert 9 in numbers
    assert any(s["label"].startswith("Kit MunicipalESS — fiche n°9") for s in kit["sections"])
