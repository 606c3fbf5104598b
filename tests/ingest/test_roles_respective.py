# ruff: noqa: E501
"""Roles given « respectivement » to coordinated persons, and roles held before (« ancien directeur »), on
sentences written for these tests (persons and organisations invented, collectivités real).

« P et Q, respectivement R1 de A et R2 de B » gives each person the role of the same rank, and nothing
when the counts differ; a former role (« ancien », « ex- ») is a role whose title says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import assert_roles, extract_news

# (text, {(person, organisation, words the role title holds)}, {(person, organisation)} that must not hold)
CASES: list[tuple[str, set[tuple[str, str, str]], set[tuple[str, str]]]] = [
    ("Léa Morvan et Hugo Tanguy, respectivement adjointe au maire de Quimper et vice-président de Concarneau Cornouaille Agglomération, ont présenté le projet.",
     {("Léa Morvan", "Ville de Quimper", "adjointe"), ("Hugo Tanguy", "Concarneau Cornouaille Agglomération", "vice-président")},
     {("Léa Morvan", "Concarneau Cornouaille Agglomération"), ("Hugo Tanguy", "Ville de Quimper")}),
    ("Sarah Benali, Marc Olivier et Inès Caron, respectivement présidente de la CRESS Normandie, directeur de la Fédération Emploi Normand et élue de la Ville de Caen, signent la tribune.",
     {("Sarah Benali", "CRESS Normandie", "présidente"), ("Inès Caron", "Ville de Caen", "élue")},
     {("Sarah Benali", "Ville de Caen"), ("Inès Caron", "CRESS Normandie")}),
    # three persons, two roles: no safe reading
    ("Anne Roy, Luc Petit et Marc Blanc, respectivement maire de Brest et président de Brest Métropole, ouvrent la journée.",
     set(), {("Anne Roy", "Brest Métropole"), ("Marc Blanc", "Brest Métropole"), ("Luc Petit", "Brest Métropole")}),
    # a role held before
    ("L'association remercie Jeanne Le Bihan, ancienne directrice de la SCIC Les Jardins du Scorff, pour son témoignage.",
     {("Jeanne Le Bihan", "SCIC Les Jardins du Scorff", "ancienne directrice")}, set()),
    ("Yves Garnier, ex-président de la CRESS Bretagne, rejoint le conseil d'administration.",
     {("Yves Garnier", "CRESS Bretagne", "ex-président")}, set()),
]  # fmt: skip


@pytest.mark.parametrize(("text", "roles", "not_roles"), CASES, ids=range(len(CASES)))
def test_roles(
    text: str,
    roles: set[tuple[str, str, str]],
    not_roles: set[tuple[str, str]],
    tmp_path: Path,
    thesaurus: object,
) -> None:
    assert_roles(extract_news(text, tmp_path, thesaurus), roles, not_roles)
