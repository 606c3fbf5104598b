"""Regional clubs: bodies co-animating a club lead it (pilotedBy); a bare regional body is the région's."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.ontology.thesaurus import load_thesaurus
from tests.ingest.conftest import extract_text


def _animators(tmp_path: Path, item: str) -> set[tuple[str, str]]:
    ex = extract_text(
        "# Rapport d'activité 2024\n\nRéalisations 2024 :\n\n- Animation des clubs de collectivités :\n"
        f" - {item}\n",
        tmp_path,
        load_thesaurus(),
    )
    label = {key: entity.label for key, entity in ex.entities.items()}
    return {(label[r.subject], label[r.object]) for r in ex.relations if r.kind == "pilotedBy" and r.object}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # co-animated, two bodies coordinated: both lead, the bare chamber is the région's
        (
            "en Occitanie, co-animé avec la CRESS et l'URSCOP (3 rencontres),",
            {("Club ESS Occitanie", "CRESS Occitanie"), ("Club ESS Occitanie", "URSCOP Occitanie")},
        ),
        # launched "avec" one body
        (
            "Lancement d'un club en Normandie avec la CRESS (2 rencontres),",
            {("Club ESS Normandie", "CRESS Normandie")},
        ),
        # a body that is not regional keeps its own identity
        (
            "Lancement d'un club en Bretagne avec la Fondation de France (1 rencontre),",
            {("Club ESS Bretagne", "Fondation de France")},
        ),
        # two régions in one item: each segment's body goes to its own club
        (
            "Lancement du club en Pays de la Loire, co-animé avec la CRESS, et en Bretagne.",
            {("Club ESS Pays de la Loire", "CRESS Pays de la Loire")},
        ),
        # passive: "co-animé par"
        (
            "en Normandie, co-animé par l'URSCOP (2 rencontres),",
            {("Club ESS Normandie", "URSCOP Normandie")},
        ),
        # no "avec": no leader is asserted
        ("en Occitanie, sans la CRESS cette année (2 rencontres),", set()),
    ],
)
def test_club_animators(tmp_path: Path, item: str, expected: set[tuple[str, str]]) -> None:
    assert _animators(tmp_path, item) == expected
