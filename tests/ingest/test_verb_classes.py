# ruff: noqa: E501
"""The ways French says a relation, by family, beyond the first verb of each (lexicon.toml triggers), on
sentences written for these tests (organisations invented, collectivités real).

Support: lending (« prête à Y un local »), sponsoring, advising, and an action noun given with a light
verb (« apporte son appui à Y », « a accordé son soutien à Y », which is support, not money). Membership:
« l'adhésion de X à Y », « dont X est membre ». Signing: ratifying a charter. A root the tagger
read as an adjective but with a subject is a verb.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_news, relation_labels

# (text, relation kind, subject label, object label)
HELD: list[tuple[str, str, str, str]] = [
    ("La Ville de Vannes prête à l'association Clés en Main un local de 120 m² depuis 2022.", "supports", "Ville de Vannes", "Clés en Main"),
    ("La Région Bretagne parraine la coopérative Bocage Vivant depuis sa création.", "supports", "Région Bretagne", "Bocage Vivant"),
    ("La Communauté de communes du Kreiz Breizh apporte son appui technique au garage solidaire Roule en Centre Bretagne.", "supports", "Communauté de communes du Kreiz Breizh", "Garage solidaire Roule en Centre Bretagne"),
    ("La Région Bretagne a accordé son soutien à la SCIC Bocage Vivant en 2023.", "supports", "Région Bretagne", "SCIC Bocage Vivant"),
    ("Le conseil municipal a voté l'adhésion de la Ville de Quimper au réseau Territoires Engagés en 2021.", "memberOf", "Ville de Quimper", "Réseau Territoires Engagés"),
    ("Le réseau Territoires Engagés, dont la Ville de Morlaix est membre depuis 2022, réunit 40 collectivités.", "memberOf", "Ville de Morlaix", "Réseau Territoires Engagés"),
    ("La Ville de Brest a ratifié la charte « Achats solidaires » en mars 2023.", "signatoryOf", "Ville de Brest", "Charte « Achats solidaires »"),
]  # fmt: skip

# (text, relation kind that must not link the two, subject label, object label)
NOT_HELD: list[tuple[str, str, str, str]] = [
    # support given is no money
    ("La Région Bretagne a accordé son soutien à la SCIC Bocage Vivant en 2023.", "Funding", "Région Bretagne", "SCIC Bocage Vivant"),
    # a money word that names a plan, a search or a request, not a grant
    ("La conserverie Les Bocaux du Morvan a été épaulée par la Ville d'Autun, qui l'a aidée à bâtir son plan de financement.", "Funding", "Ville d'Autun", "Conserverie Les Bocaux du Morvan"),
    ("La Ville d'Autun accompagne la recyclerie Le Grenier du Morvan dans sa recherche de financements.", "Funding", "Ville d'Autun", "Recyclerie Le Grenier du Morvan"),
    ("L'association Cycles du Morvan a déposé une demande de subvention auprès de la Région Bourgogne-Franche-Comté.", "Funding", "Région Bourgogne-Franche-Comté", "Cycles du Morvan"),
    # an action noun whose verb says it is still to come
    ("L'adhésion de la Ville de Quimper au réseau Territoires Engagés sera soumise au vote du conseil municipal en mars 2026.", "memberOf", "Ville de Quimper", "Réseau Territoires Engagés"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "subject", "obj"), HELD, ids=range(len(HELD)))
def test_held(text: str, kind: str, subject: str, obj: str, tmp_path: Path, thesaurus: object) -> None:
    got = relation_labels(extract_news(text, tmp_path, thesaurus))
    assert (kind, subject, obj) in got, got


@pytest.mark.parametrize(("text", "kind", "subject", "obj"), NOT_HELD, ids=range(len(NOT_HELD)))
def test_not_held(text: str, kind: str, subject: str, obj: str, tmp_path: Path, thesaurus: object) -> None:
    got = relation_labels(extract_news(text, tmp_path, thesaurus))
    assert (kind, subject, obj) not in got, got
