"""Communes and EPCI named bare: the INSEE gazetteer types them, context decides (sentences written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from essgraph.ingest.extract.gazetteer import commune_spans, epci_spans
from essgraph.ontology.communes import commune_named, communes_by_name, standalone_epci_names
from tests.ingest.conftest import extract_text


def _names(text: str) -> list[str]:
    return [p.name for p in commune_spans(text)]


def test_the_gazetteer_holds_every_commune_with_its_departement() -> None:
    assert len(communes_by_name()) > 30_000
    valence = commune_named("Valence", "26")
    assert valence is not None and valence.code == "26362"
    assert commune_named("Valence") is not None and commune_named("Valence").departement == "26"  # type: ignore[union-attr]
    assert commune_named("Territoires Solidaires") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La ressourcerie, installée à Saint-Jean-de-Luz, recrute.", ["Saint-Jean-de-Luz"]),
        ("Un atelier vélo ouvrira aux Sables-d'Olonne en mai.", ["Les Sables-d'Olonne"]),
        (
            "Les communes membres (Oloron-Sainte-Marie, Mauléon-Licharre et Tardets-Sorholus) ont voté.",
            ["Oloron-Sainte-Marie", "Mauléon-Licharre", "Tardets-Sorholus"],
        ),
        ("Une épicerie de Quimperlé (29) rouvre.", ["Quimperlé"]),
        ("Grenoble accueille la journée.", ["Grenoble"]),
        # a commune written with spaces for its hyphens is that commune, not its first word
        ("Le pôle ESS de Saint-Jean de Braye (45) a ouvert.", ["Saint-Jean-de-Braye"]),
        ("Une conserverie installée à Villeneuve de Berg recrute.", ["Villeneuve-de-Berg"]),
    ],
)
def test_a_commune_is_recognised_in_a_place_context(text: str, expected: list[str]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Port et Falaise sont des mots du rapport.",  # ordinary words that are also commune names
        "Le Château de Valence Solidaire ouvre.",  # a commune inside a longer capitalised name
        "Martine Gaillard présente le projet.",  # a surname that is also a commune
        "La Fabrique Coopérative présente son bilan.",
        # a small commune's name that goes on with « de / du » and a capital is the start of another name
        "La ressourcerie du Val de Sèvre recrute.",
        "Une balade au Bois de la Cambre est prévue.",
    ],
)
def test_capitalised_words_are_not_typed_commune(text: str) -> None:
    assert _names(text) == []


def test_a_departement_code_chooses_the_commune_of_that_departement() -> None:
    spans = commune_spans("Une SCIC de Valence (82) essaime.")
    assert [(s.name, s.departement) for s in spans] == [("Valence", "82")]


def test_an_epci_is_named_without_its_level_word() -> None:
    assert "Mulhouse Alsace Agglomération" in standalone_epci_names()
    text = "Lannion-Trégor Communauté et Quimper Bretagne Occidentale cofinancent le projet."
    assert [e.written for _, _, e in epci_spans(text)] == [
        "Lannion-Trégor Communauté",
        "Quimper Bretagne Occidentale",
    ]
    assert "Angers" not in standalone_epci_names()  # a commune's name is never an EPCI's


def _extract(text: str, tmp_path: Path, thesaurus: object) -> Extraction:
    return extract_text(text + "\n", tmp_path, thesaurus, "place.md")


def test_extraction_types_a_bare_commune_as_a_collectivite(tmp_path: Path, thesaurus: object) -> None:
    ex = _extract(
        "La recyclerie Les Trois Bobines, basée à Lons-le-Saunier, travaille avec Pays de Saint-Omer.",
        tmp_path,
        thesaurus,
    )
    commune = next(e for e in ex.entities.values() if e.label == "Lons-le-Saunier")
    assert commune.type == "Collectivite"
    assert "Ville de Lons-le-Saunier" in commune.alt_labels
    assert commune.attributes.get("departement") == ["39"]
    assert commune.attributes.get("level") == ["commune"]
