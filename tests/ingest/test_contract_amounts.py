"""A public contract's amount: taken when its sentence gives exactly one, never borrowed from another sum."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import entity_key, extract_text

# Invented sentences, written as the network writes (never corpus sentences).
PAGE = (
    "# Déniché pour vous : l'association Vélo Solidaire\n\nL'association Vélo Solidaire répare des vélos.\n\n"
)

WITH_AMOUNT = [
    ("La Ville de Poligny confie à l'association Vélo Solidaire l'entretien de sa flotte par un marché "
     "réservé d'un montant de 60 000 € par an.", "60000"),
    ("Un marché réservé de 45 000 € a été attribué à l'association Vélo Solidaire par la Ville de Poligny.",
     "45000"),
    ("La Ville de Poligny a passé avec l'association Vélo Solidaire une délégation de service public pour un "
     "montant de 120 000 euros.", "120000"),
    ("Titulaire d'un marché réservé de la Ville de Poligny (30 000 €), l'association Vélo Solidaire emploie "
     "six salariés.", "30000"),
    ("La Ville de Poligny a attribué en 2022 un marché réservé à l'association Vélo Solidaire, "
     "pour 25 000 €.", "25000"),
]  # fmt: skip


def _contracts(ex: object) -> list[dict[str, str]]:
    poligny, velo = entity_key(ex, "Poligny"), entity_key(ex, "Vélo Solidaire")  # type: ignore[arg-type]
    return [
        r.qualifiers
        for r in ex.relations  # type: ignore[attr-defined]
        if r.kind == "Contract" and (r.subject, r.object) == (poligny, velo)
    ]


@pytest.mark.parametrize(("sentence", "amount"), WITH_AMOUNT)
def test_the_one_amount_of_a_contract_sentence_is_its_amount(
    sentence: str, amount: str, tmp_path: Path, thesaurus: object
) -> None:
    found = _contracts(extract_text(PAGE + sentence + "\n", tmp_path, thesaurus))
    assert found, "no contract"
    assert {q.get("amount") for q in found} == {amount}, found


def test_two_amounts_give_the_contract_none(tmp_path: Path, thesaurus: object) -> None:
    sentence = (
        "La Ville de Poligny a attribué un marché réservé de 40 000 € à l'association Vélo Solidaire et lui "
        "verse une subvention de 10 000 €."
    )
    found = _contracts(extract_text(PAGE + sentence + "\n", tmp_path, thesaurus))
    assert found and not [q for q in found if "amount" in q], found
