"""Roles said around a name in several ways (rules/roles.py): after it through a copula or a relative clause,
before it with its organisation, and « X est présidé(e) par P »; negated and conditional copulas give none.
Sentences written for the test, several names, organisations and word orders per phrasing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text, relation_labels

HEAD = "# Compte rendu de la rencontre régionale\n\n## Intervenants\n\n"

CASES = [
    # a relative clause or a copula between the name and the role
    (
        "Marion Keller, qui est adjointe au maire de Colmar, a présenté la démarche.",
        [("Role", "Marion Keller", "Colmar")],
    ),
    (
        "Paul Martin est directeur de la SCOP Atelier Bois depuis 2019.",
        [("Role", "Paul Martin", "SCOP Atelier Bois")],
    ),
    (
        "En 2023, Léa Fontaine a été élue présidente de l'association Terres Partagées.",
        [("Role", "Léa Fontaine", "Terres Partagées")],
    ),
    # the role and its organisation before the name in apposition
    (
        "Le président de la Fédération Épiceries Solidaires, Guillaume Ferrand, a rappelé les difficultés.",
        [("Role", "Guillaume Ferrand", "Fédération Épiceries Solidaires")],
    ),
    (
        "Lors de la table ronde, la directrice de la SCIC Bois Local, Hélène Moreau, a décrit le projet.",
        [("Role", "Hélène Moreau", "SCIC Bois Local")],
    ),
    # the organisation chaired, named as the clause's subject
    (
        "L'association Cultures Croisées est présidée depuis 2020 par Sophie Lemarchand.",
        [("Role", "Sophie Lemarchand", "Cultures Croisées")],
    ),
    (
        "La SCIC Énergies Citoyennes est présidée par Jean Dubreuil.",
        [("Role", "Jean Dubreuil", "SCIC Énergies Citoyennes")],
    ),
]

NO_ROLE = [
    "Didier Roux n'est plus vice-président de la Communauté d'agglomération de La Rochelle.",
    "Claire Vidal devrait être élue présidente du réseau Coop'Territoires lors de la prochaine assemblée.",
    "Le président de séance a remercié Julien Marchal pour sa présentation.",
]


@pytest.mark.parametrize(("sentence", "wanted"), CASES)
def test_a_role_said_around_the_name(
    sentence: str, wanted: list[tuple[str, str, str]], tmp_path: Path, thesaurus: object
) -> None:
    got = relation_labels(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    for rel in wanted:
        assert rel in got, got


@pytest.mark.parametrize("sentence", NO_ROLE)
def test_no_role_from_a_negated_or_conditional_copula_or_a_role_without_organisation(
    sentence: str, tmp_path: Path, thesaurus: object
) -> None:
    got = relation_labels(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    assert not {rel for rel in got if rel[0] == "Role"}, got
