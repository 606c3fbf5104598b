"""Names written partly in lower case: a kind word and its complement (« Régie de quartier Les Tilleuls »),
a network named by its scope and members (« Réseau national des scieries coopératives »)."""

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


# ---------------------------------------------------------------- networks named in lower case
NETWORKS = [
    ("La SCIC Bois Partagé est adhérente du Réseau national des scieries coopératives.",
     "Réseau national des scieries coopératives"),
    ("Depuis 2021, la coopérative est membre de la Fédération régionale des cuisines solidaires (FRCS).",
     "Fédération régionale des cuisines solidaires"),
    # a verb ends the name
    ("Le Comité national de liaison des ateliers solidaires accompagne les nouveaux ateliers.",
     "Comité national de liaison des ateliers solidaires"),
    # coordination: the name ends at « et »
    ("L'Union régionale des entreprises d'insertion et la Ville de Poligny ont signé une charte.",
     "Union régionale des entreprises d'insertion"),
    # passive: the name as agent complement, ended by the date
    ("Le guide a été rédigé par le Mouvement national des monnaies locales en 2023.",
     "Mouvement national des monnaies locales"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "name"), NETWORKS)
def test_network_named_in_lower_case_is_an_organisation(
    sentence: str, name: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(f"# Note\n\n{sentence}\n", tmp_path, thesaurus)
    assert name in [e.label for e in ex.entities.values() if e.type == "Organisation"], [
        e.label for e in ex.entities.values()
    ]


def test_network_membership_in_lower_case_names_is_a_statement(tmp_path: Path, thesaurus: object) -> None:
    text = (
        "# Déniché pour vous : la SCIC Bois Partagé\n\nLa SCIC Bois Partagé transforme le bois.\n\n"
        "La SCIC Bois Partagé est membre du Réseau national des scieries coopératives depuis 2020.\n"
    )
    ex = extract_text(text, tmp_path, thesaurus)
    pairs = {
        (ex.entities[r.subject].label, ex.entities[r.object].label)
        for r in ex.relations
        if r.kind == "memberOf"
    }
    assert ("SCIC Bois Partagé", "Réseau national des scieries coopératives") in pairs, pairs


@pytest.mark.parametrize(
    ("sentence", "forbidden"),
    [
        ("Un réseau national des recycleries existe depuis 2000.", "réseau national"),  # a common noun
        (
            "Source : Observatoire national de l'ESS, 2021.",
            "Observatoire national de l",
        ),  # acronym after « de l' »
        ("Le Réseau régional a été créé en 2010.", "Réseau régional"),  # no complement: nothing to name
        (
            "Le Réseau national des recycleries créé en 2000 réunit 150 structures.",
            "créé",
        ),  # a participle ends it
    ],
)
def test_network_name_stops_where_the_name_does(
    sentence: str, forbidden: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(f"# Note\n\n{sentence}\n", tmp_path, thesaurus)
    labels = [e.label for e in ex.entities.values()]
    bad = [x for x in labels if forbidden in x and x != "Observatoire national de l'ESS"]
    assert not bad, labels
