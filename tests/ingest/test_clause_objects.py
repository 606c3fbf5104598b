# ruff: noqa: E501
"""Clause relations for calls for projects (laureates), subsidiaries named after "filiale" and tribunes.

Sentences written for these tests (names invented, collectivités real): active, passive, coordination,
apposition, and negation or condition, which must assert nothing between the two actors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from tests.ingest.conftest import assert_sentence_case, extract_text

CASES: list[tuple[str, str, str, str | None]] = [
    # calls for projects: launcher and laureates
    ("La Région Bretagne lance un appel à projets « Territoires solidaires ».", "pilotedBy", "Appel à projets « Territoires solidaires »", "Région Bretagne"),
    ("L'AMI « Tiers-lieux ruraux », lancé par le Département du Gers, est ouvert jusqu'en mai.", "pilotedBy", "AMI « Tiers-lieux ruraux »", "Département du Gers"),
    ("La recyclerie Les Mains Vertes est lauréate de l'appel à projets « Territoires solidaires » de la Région Bretagne.", "labelledBy", "Les Mains Vertes", "Appel à projets « Territoires solidaires »"),
    ("La recyclerie Les Mains Vertes et le garage solidaire Roue de Secours sont lauréats de l'appel à projets « Territoires solidaires ».", "labelledBy", "Roue de Secours", "Appel à projets « Territoires solidaires »"),
    ("La recyclerie Les Mains Vertes, lauréate de l'AMI « Tiers-lieux ruraux », ouvre un second site.", "labelledBy", "Les Mains Vertes", "AMI « Tiers-lieux ruraux »"),
    ("La recyclerie Les Mains Vertes a été retenue par l'AMI « Tiers-lieux ruraux ».", "labelledBy", "Les Mains Vertes", "AMI « Tiers-lieux ruraux »"),
    ("La recyclerie Les Mains Vertes n'est pas lauréate de l'AMI « Tiers-lieux ruraux ».", "labelledBy", "Les Mains Vertes", None),
    ("La recyclerie Les Mains Vertes pourrait être lauréate de l'AMI « Tiers-lieux ruraux ».", "labelledBy", "Les Mains Vertes", None),
    # subsidiaries named after the noun, the owner implicit or after the name
    ("L'association Travail Partagé a créé une filiale, la SAS Net Services.", "subsidiaryOf", "Net Services", "Travail Partagé"),
    ("La SCIC Bois Local produit des plaquettes. La distribution est assurée par une filiale, la SAS Net Services.", "subsidiaryOf", "Net Services", "Bois Local"),
    ("L'association Travail Partagé et sa filiale, la SAS Net Services, emploient 40 salariés.", "subsidiaryOf", "Net Services", "Travail Partagé"),
    ("L'association Travail Partagé a créé sa filiale, la SAS Net Services, en 2019.", "subsidiaryOf", "Net Services", "Travail Partagé"),
    ("L'association Travail Partagé pourrait créer une filiale, la SAS Net Services.", "subsidiaryOf", "Net Services", None),
    # tribunes: initiator and signatories
    ("La tribune « Pour une ESS forte », initiée par le réseau Villes Solidaires, a été signée par la Ville de Lille et la Ville de Nantes.", "publishedBy", "Tribune « Pour une ESS forte »", "Villes Solidaires"),
    ("La tribune « Pour une ESS forte », initiée par le réseau Villes Solidaires, a été signée par la Ville de Lille et la Ville de Nantes.", "signatoryOf", "Ville de Nantes", "Tribune « Pour une ESS forte »"),
    ("Le réseau Villes Solidaires lance la tribune « Pour une ESS forte ».", "publishedBy", "Tribune « Pour une ESS forte »", "Villes Solidaires"),
    ("Le réseau Villes Solidaires envisage de lancer la tribune « Pour une ESS forte ».", "publishedBy", "Villes Solidaires", None),
]  # fmt: skip


def _extract(text: str, tmp_path: Path, thesaurus: object) -> Extraction:
    return extract_text(text + "\n", tmp_path, thesaurus, "phrase.md")


@pytest.mark.parametrize(
    ("text", "kind", "subject", "obj"), CASES, ids=[f"{c[1]}:{c[0][:50]}" for c in CASES]
)
def test_clause_object_family(
    text: str, kind: str, subject: str, obj: str | None, tmp_path: Path, thesaurus: object
) -> None:
    assert_sentence_case(_extract(text, tmp_path, thesaurus), kind, subject, obj)


def test_a_negated_subsidiary_sentence_links_nothing(tmp_path: Path, thesaurus: object) -> None:
    ex = _extract(
        "L'association Travail Partagé n'a pas créé de filiale, la SAS Net Services ferme.",
        tmp_path,
        thesaurus,
    )
    assert not [r for r in ex.relations if r.kind == "subsidiaryOf"]
