"""Likely duplicates: one thing written several ways is proposed with its evidence, look-alikes with other
numbers never are, and the API lists pairs for staff, merged pairs no longer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from essgraph.service.duplicates import Candidate, likely_duplicates
from tests.service.conftest import StaffTokens, bearer


def _c(iri: str, label: str, kind: str | None = "organisation", *more: str) -> Candidate:
    return Candidate(iri=f"https://e.org/{iri}", label=label, kind=kind, labels={label, *more})


def _pairs(*candidates: Candidate) -> dict[frozenset[str], tuple[float, str]]:
    return {
        frozenset((d.merge.label, d.keep.label)): (d.score, " ".join(d.reasons))
        for d in likely_duplicates(candidates, 100)
    }


def test_each_family_of_variant_is_proposed_with_its_reason() -> None:
    found = _pairs(
        _c("a1", "La Ressourcerie du Pont", "initiative"),
        _c("a2", "Ressourcerie du Pont", "initiative"),
        _c("b1", "Métropole de Valbourg", "collectivite"),
        _c("b2", "Valbourg Métropole", "collectivite"),
        _c("c1", "Union des Coopératives Agricoles"),
        _c("c2", "UCA"),
        _c("d1", "Fédération des centres sociaux du Levant"),
        _c("d2", "Federation des centres sociaux du Levamt"),
        _c("e1", "Réseau des épiceries solidaires du Nord"),
        _c("e2", "Réseau régional des épiceries solidaires du Nord"),
    )
    assert "article" in found[frozenset(("La Ressourcerie du Pont", "Ressourcerie du Pont"))][1]
    assert "autre ordre" in found[frozenset(("Métropole de Valbourg", "Valbourg Métropole"))][1]
    assert "sigle" in found[frozenset(("UCA", "Union des Coopératives Agricoles"))][1]
    spelled = frozenset(
        ("Fédération des centres sociaux du Levant", "Federation des centres sociaux du Levamt")
    )
    assert "orthographes voisines" in found[spelled][1]
    contained = frozenset(
        ("Réseau des épiceries solidaires du Nord", "Réseau régional des épiceries solidaires du Nord")
    )
    assert "contient" in found[contained][1]
    scores = [found[k][0] for k in found]
    assert scores == sorted(scores, reverse=True) or len(set(scores)) > 1


def test_look_alikes_are_not_proposed() -> None:
    found = _pairs(
        _c("a", "Garage solidaire 38"),
        _c("b", "Garage solidaire 49"),
        _c("c", "Maison de l'emploi"),
        _c("d", "Maison de la culture"),
        _c("e", "Conseil départemental"),
        _c("f", "Conseil régional"),
        _c("g", "Club ESS AURA"),  # an acronym that spells a little word is no little word
        _c("h", "Club ESS Bretagne"),
        _c("k", "Ville de Nantes", "collectivite"),
        _c("l", "Ville de Naples", "collectivite"),
        _c("m", "Association des maires du Jura"),
        _c("n", "Association des maires ruraux du Jura"),
        _c("i", "Guide « PTCE & collectivités »", "publication"),
        _c("j", "Guide « SCIC & collectivités »", "publication"),
    )
    assert found == {}


def test_the_fuller_name_is_kept_and_other_kinds_rank_lower() -> None:
    same_kind = likely_duplicates([_c("x", "Atelier vélo"), _c("y", "L'Atelier vélo", "organisation")], 5)
    mixable = frozenset({"organisation", "personne"})
    other_kind = likely_duplicates(
        [_c("x", "Atelier vélo"), _c("y", "L'Atelier vélo", "personne")], 5, mixable
    )
    assert not likely_duplicates(
        [_c("x", "Atelier vélo"), _c("y", "L'Atelier vélo", "publication")], 5, mixable
    )
    assert same_kind[0].keep.label == "L'Atelier vélo" and same_kind[0].merge.label == "Atelier vélo"
    assert other_kind[0].score < same_kind[0].score
    assert "types différents" in " ".join(other_kind[0].reasons)


def test_alternative_labels_count_and_merged_members_are_one_entity() -> None:
    alias = _c("a", "Chantier d'insertion des Berges", "initiative", "CIB")
    other = _c("b", "CIB", "initiative")
    assert likely_duplicates([alias, other], 5)[0].score == 0.95


def test_the_api_lists_duplicates_for_staff_only(client: TestClient, staff_tokens: StaffTokens) -> None:
    assert client.get("/api/entities/duplicates").status_code == 401
    assert client.get("/api/entities/duplicates", headers=bearer(staff_tokens.uploader)).status_code == 403
    response = client.get(
        "/api/entities/duplicates", params={"limit": 5}, headers=bearer(staff_tokens.curator)
    )
    assert response.status_code == 200
    pairs = response.json()
    assert len(pairs) <= 5
    for pair in pairs:
        assert pair["merge"]["iri"] != pair["keep"]["iri"] and pair["reasons"] and 0 < pair["score"] <= 1
    if not pairs:
        return
    first = pairs[0]
    body = {
        "entity": first["merge"]["iri"],
        "kind": "same_as",
        "value": first["keep"]["iri"],
        "reason": "doublon",
    }
    merged = client.post("/api/corrections", json=body, headers=bearer(staff_tokens.curator))
    assert merged.status_code == 201, merged.text
    try:
        again = client.get("/api/entities/duplicates", headers=bearer(staff_tokens.curator)).json()
        listed = {(p["merge"]["iri"], p["keep"]["iri"]) for p in again}
        assert (first["merge"]["iri"], first["keep"]["iri"]) not in listed  # merged: one entity now
        assert first["merge"]["iri"] not in {p["merge"]["iri"] for p in again}
    finally:
        undone = client.delete(
            f"/api/corrections/{merged.json()['id']}", headers=bearer(staff_tokens.curator)
        )
        assert undone.status_code in (200, 204), undone.text
