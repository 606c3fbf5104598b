"""A collectivité's stake in a company's capital: holder, company, amount and the year of the stake."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.ontology.thesaurus import load_thesaurus
from tests.ingest.conftest import extract_text


def _stakes(tmp_path: Path, sentence: str) -> set[tuple[str, str, str | None, str | None]]:
    ex = extract_text(f"# Une coopérative de territoire\n\n{sentence}\n", tmp_path, load_thesaurus())
    label = {key: entity.label for key, entity in ex.entities.items()}
    return {
        (label[r.subject], label[r.object], r.qualifiers.get("amount"), r.qualifiers.get("year"))
        for r in ex.relations
        if r.kind == "CapitalParticipation" and r.object
    }


@pytest.mark.parametrize(
    ("sentence", "stake"),
    [
        # the amount before the trigger, a creation year that is not the stake's
        (
            "Quimperlé Communauté a voté une participation de 15 000 € au capital de la SCIC Bois "
            "Local, créée en 2019 à Elven.",
            ("Quimperlé Communauté", "SCIC Bois Local", "15000", None),
        ),
        # the amount after the trigger, the year of the stake
        (
            "En 2022, Quimperlé Communauté est entrée au capital de la SCIC Bois Local pour 8 000 €.",
            ("Quimperlé Communauté", "SCIC Bois Local", "8000", "2022"),
        ),
        # a stake held since a year
        (
            "Quimperlé Communauté est sociétaire de la SCIC Bois Local depuis 2021.",
            ("Quimperlé Communauté", "SCIC Bois Local", None, "2021"),
        ),
        # the company founded in one year, the stake taken in another
        (
            "La SCIC Bois Local, fondée en 2018, compte Quimperlé Communauté au capital depuis 2023.",
            ("Quimperlé Communauté", "SCIC Bois Local", None, "2023"),
        ),
    ],
)
def test_capital_stake(tmp_path: Path, sentence: str, stake: tuple[str, str, str | None, str | None]) -> None:
    assert stake in _stakes(tmp_path, sentence)
