# ruff: noqa: E501
"""Organisations named by a capitalised kind word, a lower-case complement and the place they serve, on
sentences written for these tests (organisations invented, places real): « la Fédération des centres
sociaux de la Gironde ». A kind word in lower case, or a place the gazetteers do not know, names nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_news

NAMED = [
    ("La Fédération des jardins partagés de la Gironde soutient le projet.", "Fédération des jardins partagés de la Gironde"),
    ("L'Association des maires ruraux de la Creuse accompagne la démarche.", "Association des maires ruraux de la Creuse"),
    ("Le Réseau des ressourceries de Bretagne publie un guide.", "Réseau des ressourceries de Bretagne"),
    ("Le président de l'Union régionale des entreprises d'insertion de Normandie, Paul Roux, a rappelé les enjeux.", "Union régionale des entreprises d'insertion de Normandie"),
]  # fmt: skip

NOT_NAMED = [
    ("La fédération des acteurs de Lyon soutient le projet.", "édération des acteurs de Lyon"),
]


@pytest.mark.parametrize(("text", "label"), NAMED)
def test_kind_complement_and_place_name_an_organisation(
    text: str, label: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    labels = {e.label for e in ex.entities.values() if e.type == "Organisation"}
    assert label in labels, labels


@pytest.mark.parametrize(("text", "fragment"), NOT_NAMED)
def test_a_lower_case_kind_word_names_nothing(
    text: str, fragment: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    assert not [e.label for e in ex.entities.values() if fragment in e.label]
