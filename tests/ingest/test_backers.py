"""Backers blocks: the bodies named after « Avec le soutien de : » (logos as text) back the publisher."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.ingest.extract.rules.backers import RULE
from essgraph.ontology.thesaurus import load_thesaurus
from tests.ingest.conftest import extract_text


def _backers(tmp_path: Path, back_cover: str) -> set[str]:
    ex = extract_text(
        "# Rapport d'activité 2025 du réseau\n\nLe réseau a tenu quinze rencontres cette année.\n\n"
        + back_cover,
        tmp_path,
        load_thesaurus(),
    )
    publisher = ex.entities["organisation/rtes"].key
    return {
        ex.entities[r.subject].label
        for r in ex.relations
        if r.kind == "supports" and r.qualifiers.get("rule") == RULE and r.object == publisher
    }


@pytest.mark.parametrize(
    ("back_cover", "expected"),
    [
        # logos in capitals broken over lines, bold marks, a seam between two emphasised logos
        (
            "Avec le soutien de :\n\n**BANQUE DES\nTERRITOIRES** *Fondation\nde France*\n",
            {"Banque des Territoires", "Fondation de France"},
        ),
        # a list of partners, one per item, a collectivité among them
        (
            "Nos partenaires financiers :\n\n- Région Occitanie\n- Fondation de France\n",
            {"Région Occitanie", "Fondation de France"},
        ),
        # another cue, names in lower case over several lines
        ("Ils nous soutiennent\n\nbanque des\nterritoires\n", {"Banque des Territoires"}),
        # the cue inside a sentence is no block
        (
            "Ce rapport a été réalisé avec le soutien de la Fondation de France et de la Région Bretagne.\n",
            set(),
        ),
        # a sentence ends the block: the names after it are not backers
        (
            "Avec le concours de :\n\nFondation de France\n\nLe réseau remercie ses adhérents pour leur "
            "engagement constant.\n\nRégion Bretagne\n",
            {"Fondation de France"},
        ),
    ],
)
def test_backers_block(tmp_path: Path, back_cover: str, expected: set[str]) -> None:
    assert _backers(tmp_path, back_cover) == expected
