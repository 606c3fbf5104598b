"""Calls for projects and who stands behind them: a call's sentence-case title, the actor that launched it
(pilotedBy), its laureate (labelledBy) when a participle's complement stands between, « le projet ACRONYME »,
a name continued up to the bracketed acronym it spells, and a funding list announced for the author's own
actions (phrases.py, mentions.py, clauses.py, rules/triggers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.ingest.extract.names import initials, spelled_acronym
from essgraph.ingest.extract.phrases import call_title
from tests.ingest.conftest import extract_text, relation_labels

HEAD = "# Rapport d'activité 2025 du Réseau\n\n## Territoires\n\n"

TITLES = [
    # lower-case words after a function word, then a comma and the owner
    ("l'appel à projets Territoires en transition, de la Fondation de France", "Territoires en transition"),
    # an adjective (plural) after the first word, then a launch participle
    ("l'appel à manifestation d'intérêt Forêts vivantes lancé par la Région", "Forêts vivantes"),
    # capitalised words joined by « pour le », then the owner's comma
    (
        "l'appel à projets Soutien Collectif pour le Commerce Rural, du Ministère",
        "Soutien Collectif pour le Commerce Rural",
    ),
    # « de l'ANRU »: an acronym after « de » is the owner, not the title
    ("l'appel à projets Jardins partagés de l'ANRU", "Jardins partagés"),
    # « à » is a function word inside a title like « de » or « pour »
    ("l'appel à projets Fabriques à projets de quartier, de l'Agence", "Fabriques à projets de quartier"),
    (
        "l'appel à manifestation d'intérêt Tiers-lieux à vocation sociale lancé par l'État",
        "Tiers-lieux à vocation sociale",
    ),
]


@pytest.mark.parametrize(("text", "title"), TITLES)
def test_a_calls_title_runs_in_sentence_case(text: str, title: str) -> None:
    start = text.index(title.split()[0])
    assert call_title(text, start) == title


@pytest.mark.parametrize(
    "text",
    [
        # a verb ends the title: no longer than the capitalised name
        "l'appel à projets France Relance mobilise les acteurs",
        "l'appel à projets ANIMA (Animation rurale)",  # an acronym alone
        # the verb « a » is not the preposition « à »: the title does not run on into the clause
        "l'appel à projets Horizon Rural a été relancé en 2024",
    ],
)
def test_no_title_longer_than_the_capitalised_name(text: str) -> None:
    start = text.index("projets ") + len("projets ")
    assert call_title(text, start) is None


OWNERS = [
    (
        "Le projet VIGNES, porté avec la Fédération des Parcs, est lauréat de l'appel à projets Territoires "
        "en transition, de la Fondation de France (2022-2024).",
        [
            ("labelledBy", "Projet VIGNES", "Appel à projets Territoires en transition"),
            ("pilotedBy", "Appel à projets Territoires en transition", "Fondation de France"),
        ],
        [("labelledBy", "Fédération des Parcs", "Appel à projets Territoires en transition")],
    ),
    (
        "Relancé en 2025, le projet CAPESS est lauréat de l'appel à projets RURALIA (Ruralités actives) "
        "porté par le Réseau Rural Français (RRF).",
        [
            ("labelledBy", "Projet CAPESS", "Appel à projets RURALIA"),
            ("pilotedBy", "Appel à projets RURALIA", "Réseau Rural Français"),
        ],
        [
            ("pilotedBy", "Projet CAPESS", "Réseau Rural Français"),
            ("supports", "Réseau Rural Français", "Projet CAPESS"),
        ],
    ),
    (
        "La SCIC Bois Local est lauréate de l'appel à manifestation d'intérêt Forêts vivantes lancé par la "
        "Région Grand Est.",
        [
            ("labelledBy", "SCIC Bois Local", "Appel à manifestation d'intérêt Forêts vivantes"),
            ("pilotedBy", "Appel à manifestation d'intérêt Forêts vivantes", "Région Grand Est"),
        ],
        [("labelledBy", "Région Grand Est", "Appel à manifestation d'intérêt Forêts vivantes")],
    ),
    (
        "Le projet MOSAIC, relancé en 2024, lauréat de l'appel à projets Cohésion (Coopérer en territoire) "
        "porté par l'Agence Régionale du Développement.",
        [
            ("labelledBy", "Projet MOSAIC", "Appel à projets Cohésion"),
            ("pilotedBy", "Appel à projets Cohésion", "Agence Régionale du Développement"),
        ],
        [("pilotedBy", "Projet MOSAIC", "Agence Régionale du Développement")],
    ),
]


OWNERS.append(
    # the owner after the call's comma is no distinction won; « Chambre » and « Ministère de l'X » are bodies
    (
        "En 2024, le réseau a poursuivi le projet SAVEURS (Systèmes alimentaires et ESS), mené avec la "
        "Chambre Régionale d'Agriculture, lauréat de l'appel à projets Alimentation locale et solidaire, du "
        "Ministère de l'Agriculture (2023-2025).",
        [
            ("labelledBy", "Projet SAVEURS", "Appel à projets Alimentation locale et solidaire"),
            ("pilotedBy", "Appel à projets Alimentation locale et solidaire", "Ministère de l'Agriculture"),
        ],
        [
            ("labelledBy", "Projet SAVEURS", "Ministère de l'Agriculture"),
            (
                "labelledBy",
                "Chambre Régionale d'Agriculture",
                "Appel à projets Alimentation locale et solidaire",
            ),
        ],
    )
)


# how a laureate is said besides « X est lauréat de Y » (sentences written for the test, several
# verbs, types and word orders per phrasing)
LAUREATE_PHRASINGS = [
    # the passive of a selection verb names the call with « à » or « dans », not « par »
    (
        "La SCIC Le Chai Partagé a été retenue à l'appel à projets Fabriques solidaires de la Région "
        "Occitanie.",
        [("labelledBy", "SCIC Le Chai Partagé", "Appel à projets Fabriques solidaires")],
        [("labelledBy", "SCIC Le Chai Partagé", "Région Occitanie")],
    ),
    (
        "En 2024, l'association Vélo Pour Tous a été sélectionnée dans l'appel à manifestation d'intérêt "
        "Mobilités rurales de l'ADEME.",
        [("labelledBy", "Vélo Pour Tous", "Appel à manifestation d'intérêt Mobilités rurales")],
        [("labelledBy", "Vélo Pour Tous", "Ademe")],
    ),
    # « figurer / compter parmi les lauréats de »: the verb's subject is one of the group the noun names
    (
        "La recyclerie La Glanerie figure parmi les lauréats de l'appel à projets Territoires engagés de la "
        "Fondation de France.",
        [("labelledBy", "Recyclerie La Glanerie", "Appel à projets Territoires engagés")],
        [("labelledBy", "Recyclerie La Glanerie", "Fondation de France")],
    ),
    (
        "Cette année, la commune de Pontivy compte parmi les lauréates de l'appel à projets Bourgs actifs.",
        [("labelledBy", "Commune de Pontivy", "Appel à projets Bourgs actifs")],
        [],
    ),
    # the call as the subject that selects: the actor named inside the call's phrase owns it, never the
    # laureate's selector
    (
        "L'appel à projets Fabriques solidaires de la Région Occitanie a retenu la SCIC Le Chai Partagé.",
        [
            ("labelledBy", "SCIC Le Chai Partagé", "Appel à projets Fabriques solidaires"),
            ("pilotedBy", "Appel à projets Fabriques solidaires", "Région Occitanie"),
        ],
        [("labelledBy", "SCIC Le Chai Partagé", "Région Occitanie")],
    ),
    # an actor that selects stays the selector when no call is named
    (
        "La Région Bretagne a retenu la SCOP Ti Kafe pour son programme d'accompagnement.",
        [("labelledBy", "SCOP Ti Kafe", "Région Bretagne")],
        [],
    ),
]


@pytest.mark.parametrize(("sentence", "wanted", "unwanted"), [*OWNERS, *LAUREATE_PHRASINGS])
def test_a_calls_laureate_and_launcher(
    sentence: str,
    wanted: list[tuple[str, str, str]],
    unwanted: list[tuple[str, str, str]],
    tmp_path: Path,
    thesaurus: object,
) -> None:
    got = relation_labels(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    for rel in wanted:
        assert rel in got
    for rel in unwanted:
        assert rel not in got


def test_a_capitalised_word_after_projet_is_no_name(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_text(HEAD + "Le projet Alimentation de la commune avance.\n", tmp_path, thesaurus)
    assert not [e for e in ex.entities.values() if e.label.startswith("Projet")]


def test_initials_skip_function_words_and_accents() -> None:
    assert initials("Réseau National Agricole et Ruralités") == "RNAR"
    assert initials("Union des Écoles") == "UE"


def test_a_name_runs_to_the_acronym_it_spells() -> None:
    text = "porté par le Réseau National Forestier et Montagnes (RNFM), avec"
    end = text.index(" et Montagnes")
    spelled = spelled_acronym(text, end, "Réseau National Forestier")
    assert spelled == (text.index(" (RNFM)"), "RNFM")
    # an acronym that the words do not spell is no continuation
    assert (
        spelled_acronym("Réseau National Forestier et Montagnes (RTES)", 25, "Réseau National Forestier")
        is None
    )


def test_an_acronym_extended_name_is_one_entity(tmp_path: Path, thesaurus: object) -> None:
    text = HEAD + "L'appel est porté par le Réseau National Forestier et Montagnes (RNFM).\n"
    ex = extract_text(text, tmp_path, thesaurus)
    [org] = [e for e in ex.entities.values() if e.label.startswith("Réseau National Forestier")]
    assert org.label == "Réseau National Forestier et Montagnes"
    assert "RNFM" in org.alt_labels


OWN_LIST = (
    "# Convention pluriannuelle 2021-2023\n\n"
    "Le Réseau des collectivités Territoriales pour une Économie Solidaire (RTES) a mené trois actions.\n\n"
    "Pour réaliser nos missions, la Fondation Horizon a apporté un financement de :\n\n"
    "- Année 2021 : 12 000 € (dont 2 000 € pour l'action 1)\n"
    "- Année 2022 : 14 000 €\n"
)


def _fundings(text: str, tmp_path: Path, thesaurus: object) -> set[tuple[str, str, str, str]]:
    ex = extract_text(text, tmp_path, thesaurus)
    e = ex.entities
    return {
        (e[r.subject].label, e[r.object].label, r.qualifiers.get("amount", ""), r.qualifiers.get("year", ""))
        for r in ex.relations
        if r.kind == "Funding" and r.object in e
    }


def test_a_funding_list_for_the_authors_own_actions(tmp_path: Path, thesaurus: object) -> None:
    got = _fundings(OWN_LIST, tmp_path, thesaurus)
    assert ("Fondation Horizon", "RTES", "12000", "2021") in got
    assert ("Fondation Horizon", "RTES", "14000", "2022") in got
    assert not [f for f in got if f[2] == "2000"]  # the first amount of an item is the year's total


def test_a_funding_list_for_someone_elses_actions_is_nobodys(tmp_path: Path, thesaurus: object) -> None:
    text = OWN_LIST.replace("Pour réaliser nos missions", "Pour réaliser des missions d'étude")
    assert not _fundings(text, tmp_path, thesaurus)


@pytest.mark.parametrize(
    "sentence",
    [
        "Avec le soutien de la Fondation Horizon, en partenariat avec le Réseau Rural Français, le réseau "
        "publie un guide.",
        # the backer written with its acronym in brackets, the « l' » read as « I' » by OCR
        "Avec le soutien de I'Agence Régionale du Développement (ARD), en partenariat avec le Réseau Rural "
        "Français (RRF), le réseau publie un guide.",
    ],
)
def test_a_backer_is_not_the_partner_of_whom_the_clause_works_with(
    sentence: str, tmp_path: Path, thesaurus: object
) -> None:
    got = relation_labels(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    assert not [r for r in got if r[0] == "partnerOf" and "Réseau Rural Français" in r[1:]]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "l'appel à projets Fabriques de territoire solidaires en octobre 2025",
            "Fabriques de territoire solidaires",
        ),
        ("l'appel à projets Cantines durables depuis 2023", "Cantines durables"),
        ("l'appel à projets Quartiers en transition le 1er mars", "Quartiers en transition"),
        # a function word before a word that is no date stays in the title
        ("l'appel à projets Territoires en transition, de la Fondation", "Territoires en transition"),
    ],
)
def test_a_date_after_a_function_word_ends_a_calls_title(text: str, title: str) -> None:
    start = text.index(title.split()[0])
    assert call_title(text, start) == title
