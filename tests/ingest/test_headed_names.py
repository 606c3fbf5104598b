"""Names that open with a kind word and its lower-case complement (« Régie de quartier Les Hauts »)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text

# Invented sentences, written as the network writes (never corpus sentences).
WHOLE_NAMES = [
    # legal form, multiword kind word, proper part introduced by a capitalised article
    ("Fondée en 2016, l'association Régie de quartier Les Tilleuls emploie 18 salariés.",
     "Régie de quartier Les Tilleuls"),
    # legal form, kind word + adjective, proper part after « du »
    ("La SCIC Garage solidaire du Pays Vert répare des voitures à petit prix.",
     "Garage solidaire du Pays Vert"),
    # kind word + participle adjective, proper part after « de la »
    ("L'association Jardins partagés de la Croix Blanche anime des ateliers.",
     "Jardins partagés de la Croix Blanche"),
    # kind word alone as the head of a typed phrase, then the complement
    ("La Ville de Poligny soutient la ressourcerie Atelier solidaire des Trois Ponts depuis 2020.",
     "Atelier solidaire des Trois Ponts"),
    # passive sentence, the name as agent complement
    ("Le projet est porté par l'association Épicerie sociale du Val Fleuri.",
     "Épicerie sociale du Val Fleuri"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "name"), WHOLE_NAMES)
def test_kind_word_and_its_complement_stay_in_the_name(
    sentence: str, name: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(f"# Note\n\n{sentence}\n", tmp_path, thesaurus)
    labels = [e.label for e in ex.entities.values()]
    assert any(label.endswith(name) for label in labels), labels
    # the kind word alone never becomes an entity of its own
    assert not [label for label in labels if label.split()[-1] in {"Régie", "Garage", "Jardins", "Épicerie"}]


@pytest.mark.parametrize(
    ("sentence", "not_in_name"),
    [
        ("L'association Garage créée à Lyon en 2019 répare des vélos.", "Lyon"),  # a place, not a name part
        ("La SCIC Bois Partagé transforme le bois de la Forêt Haute.", "Forêt"),  # a verb ends the name
        ("La Ville de Lyon et l'association Régie de quartier ont signé une convention.", "convention"),
    ],
)
def test_name_does_not_run_over_a_place_or_a_verb(
    sentence: str, not_in_name: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(f"# Note\n\n{sentence}\n", tmp_path, thesaurus)
    initiatives = [e.label for e in ex.entities.values() if e.type in ("Initiative", "Organisation")]
    assert not [label for label in initiatives if not_in_name in label], initiatives
