# ruff: noqa: E501
"""Foundings told by other participles and by the idiom « voir le jour », on sentences written for these
tests (initiatives invented, collectivités real).

The family: « cofondée en 2018 », « immatriculée le 2 mai 2011 », « créée le 14 mars 2019 » (a full date
after « le »), « a vu le jour en 2016 », « X, qui a vu le jour en 2016, … »; the future (« verra le jour »),
a negation and a collectivité's own history tell no founding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_news

# (text, initiative label, founding year or None for no founding)
CASES: list[tuple[str, str, str | None]] = [
    ("La coopérative Terres de Bresse a vu le jour en 2016 à l'initiative de six producteurs.", "Terres de Bresse", "2016"),
    ("La recyclerie Le Grenier Vert, qui a vu le jour en 2012, emploie douze salariés en insertion.", "Le Grenier Vert", "2012"),
    ("La SCIC Les Cantines du Vercors, cofondée en 2018 par la commune et des parents d'élèves, sert 300 repas.", "SCIC Les Cantines du Vercors", "2018"),
    ("L'entreprise d'insertion Métaux Solidaires a été immatriculée le 2 mai 2011 au greffe de Charleville-Mézières.", "Métaux Solidaires", "2011"),
    ("La SCIC Bois Énergie du Morvan a été créée le 14 mars 2019 par la communauté de communes.", "SCIC Bois Énergie du Morvan", "2019"),
    # no founding told
    ("La SCIC Vélo Partagé du Diois verra le jour en 2026 si le tour de table est bouclé.", "SCIC Vélo Partagé du Diois", None),
    ("La coopérative Les Paniers du Ried n'a pas vu le jour en 2020, faute de financement.", "Les Paniers du Ried", None),
    # a person's birth is no founding of the body her role names
    ("La présidente de la CRESS Occitanie, née le 12 mai 1970 à Albi, a ouvert la séance.", "CRESS Occitanie", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "initiative", "year"), CASES, ids=range(len(CASES)))
def test_founding_idioms(
    text: str, initiative: str, year: str | None, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    e = ex.entities
    found = {
        r.object_literal
        for r in ex.relations
        if r.kind == "foundingDate"
        and r.subject in e
        and initiative in (e[r.subject].label, *e[r.subject].alt_labels)
    }
    labels = {x.label for x in e.values()}
    assert any(initiative in label for label in labels), labels
    assert found == ({year} if year else set()), found
