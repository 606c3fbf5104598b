"""Statements about a page's subject that do not name it: a sentence-initial "Elle" / "Il" (after a
fronted adverbial at most) stands for the page's subject, and the label it obtained is linked to it
(sentences and documents written here; negation and condition assert nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from tests.ingest.conftest import extract_text, relation_labels

LABELS = """# Déniché pour vous : la SCIC Le Panier des Collines (26)

## Présentation

La SCIC distribue des paniers. En 2022, elle a obtenu le label « Territoire Engagé ».

Elle a reçu le label « Ruche Solidaire » en 2023.

Elle a décroché le label « Commerce Équitable Local ».

Depuis 2020, elle a remporté le label « Circuit Court Exemplaire » et le label « Table Locale ».

La SCIC Le Panier des Collines a obtenu le label « Épicerie Engagée ».

La SCIC n'a pas obtenu le label « Village Durable ».

Si elle obtenait le label « Bourg Vivant », elle pourrait s'agrandir.
"""

PRONOUN = """# Le tiers-lieu La Forge Commune

## Les soutiens

Il est soutenu par la Région Occitanie.

Depuis 2021, il est accompagné par le Département du Gers.

En 2024, il a été financé par la Métropole de Montpellier.

Il ne sera pas financé par la Ville de Toulouse.

La Ville de Rodez soutient le projet. Elle finance aussi la Maison des Cultures.
"""

SUBJECT = "SCIC Le Panier des Collines"


def _extract(text: str, tmp_path: Path, thesaurus: object) -> Extraction:
    return extract_text(text, tmp_path, thesaurus)


@pytest.fixture(scope="module")
def labels(tmp_path_factory: pytest.TempPathFactory, thesaurus: object) -> set[tuple[str, str, str]]:
    return relation_labels(_extract(LABELS, tmp_path_factory.mktemp("labels"), thesaurus))


@pytest.fixture(scope="module")
def pronoun(tmp_path_factory: pytest.TempPathFactory, thesaurus: object) -> set[tuple[str, str, str]]:
    return relation_labels(_extract(PRONOUN, tmp_path_factory.mktemp("pronoun"), thesaurus))


@pytest.mark.parametrize(
    "label",
    [
        "Territoire Engagé",  # fronted adverbial, pronoun, "obtenir"
        "Ruche Solidaire",  # "recevoir"
        "Commerce Équitable Local",  # "décrocher"
        "Circuit Court Exemplaire",  # "remporter", coordination (first)
        "Table Locale",  # coordination (second)
        "Épicerie Engagée",  # named subject
    ],
)
def test_the_label_obtained_is_linked_to_its_holder(labels: set[tuple[str, str, str]], label: str) -> None:
    assert ("labelledBy", SUBJECT, f"Label « {label} »") in labels


@pytest.mark.parametrize("label", ["Village Durable", "Bourg Vivant"])
def test_a_denied_or_conditional_label_is_not_asserted(labels: set[tuple[str, str, str]], label: str) -> None:
    assert not any(k == "labelledBy" and o == f"Label « {label} »" for k, _, o in labels)


@pytest.mark.parametrize(
    "supporter",
    ["Région Occitanie", "Département du Gers"],
)
def test_a_sentence_initial_pronoun_stands_for_the_page_subject(
    pronoun: set[tuple[str, str, str]], supporter: str
) -> None:
    assert any(k == "supports" and s == supporter and "Forge Commune" in o for k, s, o in pronoun)


def test_a_fronted_pronoun_carries_a_funding(pronoun: set[tuple[str, str, str]]) -> None:
    assert any(
        k in ("Funding", "supports") and "Montpellier" in s and "Forge Commune" in o for k, s, o in pronoun
    )


def test_a_negated_statement_about_the_subject_is_not_asserted(pronoun: set[tuple[str, str, str]]) -> None:
    assert not any("Toulouse" in s and "Forge Commune" in o for _, s, o in pronoun)


def test_a_pronoun_after_another_actor_is_not_the_page_subject(pronoun: set[tuple[str, str, str]]) -> None:
    # "La Ville de Rodez soutient le projet. Elle finance …": "Elle" is the town, not the page's subject
    assert not any("Forge Commune" in s and "Cultures" in o for _, s, o in pronoun)
