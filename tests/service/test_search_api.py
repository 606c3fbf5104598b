"""GET /api/search on the real corpus: cited hits, facets, filters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.conftest import assert_error


def test_search_returns_cited_hits_and_facets(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "entrer au capital d'une SCIC", "k": 5})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"hits", "facets"}
    assert 1 <= len(data["hits"]) <= 5
    hit = data["hits"][0]
    for key in (
        "document",
        "start_line",
        "end_line",
        "char_start",
        "char_end",
        "section",
        "text",
        "highlight",
    ):
        assert key in hit
    assert hit["start_line"] <= hit["end_line"]
    assert " — l. " in hit["citation"]
    assert any(h["document"] == "rtes-kit-municipaless-2020.txt" for h in data["hits"])
    kit = next(h for h in data["hits"] if h["document"] == "rtes-kit-municipaless-2020.txt")
    assert kit["citation"].startswith("Kit MunicipalESS, fiche n°")
    assert "<mark>" in kit["highlight"]
    assert data["facets"]["document"]


def test_filter_narrows_to_one_document(client: TestClient) -> None:
    response = client.get(
        "/api/search", params={"q": "coopération", "document": "rtes-rapport-activite-2023.txt", "k": 10}
    )
    hits = response.json()["hits"]
    assert hits and {h["document"] for h in hits} == {"rtes-rapport-activite-2023.txt"}


def test_bad_mode_and_k(client: TestClient) -> None:
    assert_error(client.get("/api/search", params={"q": "scic", "mode": "magie"}), 400, "bad_input")
    assert_error(client.get("/api/search", params={"q": "scic", "k": 0}), 400, "bad_input")
    assert_error(client.get("/api/search", params={"q": "scic", "k": 100000}), 400, "bad_input")


def test_health(client: TestClient) -> None:
    data = client.get("/health").json()
    assert data["status"] == "ok" and data["documents"] == 6 and data["passages"] > 500 and data["quads"] > 0


def test_openapi_documents_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/sparql", "/id/{path}", "/api/entities", "/api/concepts", "/api/documents"):
        assert path in spec["paths"]
    assert "/api/links/suggestions" in spec["paths"]


def test_k_offset_and_total_page_through_the_results(client: TestClient) -> None:
    params = {"q": "monnaie locale complémentaire", "k": 3}
    first = client.get("/api/search", params=params).json()
    second = client.get("/api/search", params={**params, "offset": 3}).json()
    both = client.get("/api/search", params={**params, "k": 6}).json()
    assert len(first["hits"]) == 3 and first["offset"] == 0 and second["offset"] == 3
    assert [h["passage"] for h in first["hits"] + second["hits"]] == [h["passage"] for h in both["hits"]]
    assert first["total"] == second["total"] >= 6


def test_hits_carry_kind_and_the_other_hits_of_their_section(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "SCIC collectivité capital", "k": 20}).json()["hits"]
    assert all(
        h["kind"] in {"answer", "example", "contact", "resources", "toc", "index", "names"} for h in hits
    )
    by_passage = {h["passage"]: h for h in hits}
    grouped = [h for h in hits if h["same_section"]]
    assert grouped
    for hit in grouped:
        for other in hit["same_section"]:
            assert (
                by_passage[other]["section"] == hit["section"]
                and by_passage[other]["doc_id"] == hit["doc_id"]
            )


def test_long_question_and_unknown_filter_value_name_the_parameter(client: TestClient) -> None:
    body = assert_error(client.get("/api/search", params={"q": "x" * 10_000}), 400, "bad_input")
    assert body["details"]["parameter"] == "q"
    body = assert_error(
        client.get("/api/search", params={"q": "scic", "region": "atlantide"}), 400, "bad_input"
    )
    assert body["details"]["parameter"] == "region" and "atlantide" in body["details"]["value"]
    body = assert_error(client.get("/api/search", params={"q": "scic", "offset": -1}), 400, "bad_input")
    assert "offset" in body["message"]


def test_gibberish_english_and_stopwords_get_a_reason_and_suggestions(client: TestClient) -> None:
    for question, code in [
        ("xqzv brumpf", "unknown_words"),
        ("How can a city invest in a cooperative?", "not_french"),
        ("de la le et", "no_content_word"),
    ]:
        data = client.get("/api/search", params={"q": question}).json()
        assert data["hits"] == [] and data["total"] == 0, question
        assert data["reason"]["code"] == code
        assert data["reason"]["message"].startswith("Aucun résultat pertinent")
    english = client.get("/api/search", params={"q": "social and solidarity economy in cities"}).json()
    assert any(s["label"] == "économie sociale et solidaire" for s in english["suggestions"])
    answered = client.get("/api/search", params={"q": "régie de quartier"}).json()
    assert answered["hits"] and answered["reason"] is None
