"""A sentence that opens with a place or time phrase before its comma (« À Vénissieux, une SCIC… »): the
phrase is no name, the apposition after the comma is not about it (mentions._NOT_A_NAME_START), and the
commune it names is found (gazetteer._FRONT_PREP). The sentences are written for these tests
(organisations invented, places real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text

FRONTED = [
    "À Saint-Étienne, une SCIC rénove des logements vacants.",
    "À Vénissieux, l'association Linge et Partage a ouvert une laverie solidaire.",
    "Au Havre, une entreprise d'insertion répare des vélos.",
    "A Bordeaux, une coopérative d'habitants construit un immeuble.",  # the accent lost, as OCR loses it
    "Depuis Lyon, un réseau anime les acteurs du réemploi.",
    "Chez nos voisins bretons, une association gère la cantine.",
    "Dans la vallée, un collectif répare les outils agricoles.",
]


def _labels(text: str, tmp_path: Path, thesaurus: object) -> set[str]:
    ex = extract_text(text, tmp_path, thesaurus)
    return {e.label for e in ex.entities.values()}


@pytest.mark.parametrize("text", FRONTED)
def test_a_fronted_place_or_time_phrase_names_nothing(text: str, tmp_path: Path, thesaurus: object) -> None:
    fronted = text.split(",")[0]
    assert not any(label.startswith(fronted.split()[0] + " ") for label in _labels(text, tmp_path, thesaurus))


def test_the_name_after_the_phrase_is_still_found(tmp_path: Path, thesaurus: object) -> None:
    assert "Linge et Partage" in _labels(FRONTED[1], tmp_path, thesaurus)


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        (FRONTED[0], "Saint-Étienne"),
        (FRONTED[1], "Vénissieux"),
        (FRONTED[2], "Le Havre"),
        (FRONTED[3], "Bordeaux"),
    ],
)
def test_the_commune_of_a_fronted_phrase_is_a_place(
    text: str, commune: str, tmp_path: Path, thesaurus: object
) -> None:
    assert commune in _labels(text, tmp_path, thesaurus)


def test_a_name_that_starts_with_au_is_still_a_name(tmp_path: Path, thesaurus: object) -> None:
    """« Au », « À » also start names of associations: only a commune after them makes a place phrase."""
    text = "Au Fil des Saisons, association d'insertion, cultive des légumes bio."
    assert ("Au Fil des Saisons", "Initiative") in {
        (e.label, e.type) for e in extract_text(text, tmp_path, thesaurus).entities.values()
    }


def test_a_name_before_its_apposition_is_still_an_initiative(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_text("Torrefactis, entreprise solidaire, torréfie du café équitable.", tmp_path, thesaurus)
    assert ("Torrefactis", "Initiative") in {(e.label, e.type) for e in ex.entities.values()}
