"""The parties of an agreement verb (clauses.py `_agreement_parties`): « avec » hung on the agreement noun,
« entre X et Y » on the verb or the noun (also an agreement noun no agreement verb governs, « la CPO
entre X et Y court jusqu'en … »), coordinated signatories of an unnamed agreement, a day read as the
object; negations by a determiner (« aucune convention »), intended agreements, « entre » lists with an
unknown party and co-signatories of a named text give none. Sentences written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text, relation_labels

HEAD = "# Rapport d'activité 2025 du Réseau\n\n## Partenariats\n\n"

PARTIES = [
    (
        "La Ville de Besançon a signé une convention avec la SCIC Mobilités Doubs.",
        ("Ville de Besançon", "SCIC Mobilités Doubs"),
    ),
    (
        "En 2024, la Communauté urbaine de Dunkerque a conclu une convention pluriannuelle d'objectifs avec "
        "l'association Flandre Réemploi pour trois ans.",
        ("Communauté urbaine de Dunkerque", "Flandre Réemploi"),
    ),
    (
        "Une convention de partenariat a été signée en 2022 entre le Département de la Drôme et "
        "l'association Drôme Éco-Chantiers.",
        ("Département de la Drôme", "Drôme Éco-Chantiers"),
    ),
    (
        "La Métropole de Rouen et la CRESS Normandie ont signé une convention de coopération.",
        ("Métropole de Rouen", "CRESS Normandie"),
    ),
    # a date read as the object does not hide the agreement (« ont signé le 5 mai 2023 une convention »)
    (
        "La Métropole de Rouen et la CRESS Normandie ont signé le 14 mars 2024 une convention de "
        "coopération.",
        ("Métropole de Rouen", "CRESS Normandie"),
    ),
    # an agreement noun with its own « entre X et Y », whatever verb tells it (or a participle)
    (
        "Signée en janvier 2025, la CPO entre la Ville de Cholet et l'association Mauges Réemploi court "
        "jusqu'en 2027.",
        ("Ville de Cholet", "Mauges Réemploi"),
    ),
    (
        "La convention entre la Ville de Cholet et l'association Mauges Réemploi prévoit un local rue "
        "Nationale.",
        ("Ville de Cholet", "Mauges Réemploi"),
    ),
]

NO_AGREEMENT = [
    "Aucune convention n'a encore été signée entre la Ville de Reims et la SCOP Champagne Vélo.",
    "La Ville de Nantes n'a signé aucune convention avec la SCOP Ouest Vélo.",
    "La Ville de Lille et la Ville de Roubaix ont signé la tribune « Pour des achats solidaires ».",
    # « ni X ni Y ne … »: a negation carried by the coordinated subject
    "Ni la Ville de Vichy ni Vichy Communauté n'ont conventionné avec l'association Allier Réemploi.",
    # an intended or pending agreement, and one whose listed parties are not all known actors
    "Un projet de convention entre la Ville de Cholet et l'association Mauges Réemploi est à l'étude.",
    "La Ville de Cholet pourrait signer une convention entre elle et l'association Mauges Réemploi.",
    "Le réseau suit le renouvellement de la convention entre l'État et la Ville de Cholet qui associe "
    "l'association Mauges Réemploi.",
]


def _agreements(sentence: str, tmp_path: Path, thesaurus: object) -> set[frozenset[str]]:
    got = relation_labels(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    return {frozenset((s, o)) for kind, s, o in got if kind == "Agreement"}


@pytest.mark.parametrize(("sentence", "parties"), PARTIES)
def test_the_parties_of_an_agreement(
    sentence: str, parties: tuple[str, str], tmp_path: Path, thesaurus: object
) -> None:
    assert frozenset(parties) in _agreements(sentence, tmp_path, thesaurus)


@pytest.mark.parametrize("sentence", NO_AGREEMENT)
def test_no_agreement_when_denied_or_a_named_text_is_cosigned(
    sentence: str, tmp_path: Path, thesaurus: object
) -> None:
    assert not _agreements(sentence, tmp_path, thesaurus)


def test_an_agreement_noun_keeps_its_adjectives_as_its_kind(tmp_path: Path, thesaurus: object) -> None:
    """« la convention pluriannuelle entre X et Y »: the agreement's kind is the noun with its adjectives."""
    ex = extract_text(
        HEAD + "La convention pluriannuelle entre la Ville de Cholet et l'association Mauges Réemploi court "
        "jusqu'en 2027.\n",
        tmp_path,
        thesaurus,
    )
    kinds = {r.qualifiers.get("agreement") for r in ex.relations if r.kind == "Agreement"}
    assert "convention pluriannuelle" in kinds, kinds
