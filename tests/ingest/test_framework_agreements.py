"""The agreement a funding is paid under (« dans le cadre de la convention … »), extract/frameworks.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.ingest.extract.frameworks import acronym, framework_agreement
from tests.ingest.conftest import extract_text


def _fundings(text: str, tmp_path: Path, thesaurus: object) -> list[tuple[str, str, dict[str, str]]]:
    ex = extract_text(f"# Note\n\n{text}\n", tmp_path, thesaurus)
    e = ex.entities
    return [
        (e[r.subject].label, e[r.object].label, r.qualifiers)
        for r in ex.relations
        if r.kind == "Funding" and r.object in e
    ]


PAID_UNDER = [
    # active, the amount and year of the funding kept apart from the agreement's period
    (
        "La Région Occitanie a financé l'association Les Jardins du Lez à hauteur de 30 000 € en 2024 dans "
        "le cadre de la convention pluriannuelle d'objectifs 2022-2024.",
        "Région Occitanie",
        "convention pluriannuelle d'objectifs 2022-2024",
    ),
    # « au titre de », a participle after the name ends it
    (
        "Le Département de l'Hérault a versé 12 000 € à l'association Les Jardins du Lez au titre de la "
        "convention de partenariat signée avec elle.",
        "Département d'Hérault",
        "convention de partenariat",
    ),
    # the acronym written in the text
    (
        "La Métropole de Montpellier finance la SCIC Ecoloc dans le cadre de la CPO 2021-2023.",
        "Métropole de Montpellier",
        "CPO 2021-2023",
    ),
    # a possessive is no part of the name
    (
        "La Ville de Sète subventionne l'association Mer Solidaire dans le cadre de sa convention "
        "d'objectifs et de moyens.",
        "Ville de Sète",
        "convention d'objectifs et de moyens",
    ),
    # coordination of two funders: both paid under the same agreement
    (
        "La Région Bretagne et le Département du Finistère ont financé l'association Ti Coop dans le "
        "cadre du contrat de territoire.",
        "Département du Finistère",
        "contrat de territoire",
    ),
]


@pytest.mark.parametrize(("text", "funder", "agreement"), PAID_UNDER)
def test_funding_paid_under_an_agreement(
    text: str, funder: str, agreement: str, tmp_path: Path, thesaurus: object
) -> None:
    agreements = {q.get("agreement") for f, _, q in _fundings(text, tmp_path, thesaurus) if f == funder}
    assert agreement in agreements


def test_the_agreements_period_is_not_the_fundings_year(tmp_path: Path, thesaurus: object) -> None:
    text = "La Métropole de Montpellier finance la SCIC Ecoloc dans le cadre de la CPO 2021-2023."
    (quals,) = [q for _, _, q in _fundings(text, tmp_path, thesaurus)]
    assert quals["agreement"] == "CPO 2021-2023"
    assert "year" not in quals


NO_AGREEMENT = [
    # a partnership or a plan is no agreement of the lexicon
    "La Ville de Sète a subventionné l'association Mer Solidaire dans le cadre d'un partenariat ancien.",
    "La Région Occitanie a financé l'association Les Jardins du Lez dans le cadre de son plan climat.",
    # an indefinite agreement names none
    "La Région Occitanie a financé l'association Les Jardins du Lez dans le cadre d'une convention.",
]


@pytest.mark.parametrize("text", NO_AGREEMENT)
def test_no_agreement_named(text: str, tmp_path: Path, thesaurus: object) -> None:
    fundings = _fundings(text, tmp_path, thesaurus)
    assert fundings
    assert not [q for _, _, q in fundings if "agreement" in q]


def test_a_negated_funding_under_an_agreement_asserts_nothing(tmp_path: Path, thesaurus: object) -> None:
    text = (
        "La Ville de Sète n'a pas financé l'association Mer Solidaire dans le cadre de la convention de "
        "partenariat."
    )
    assert not _fundings(text, tmp_path, thesaurus)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("convention pluriannuelle d'objectifs 2023-2025", "CPO 2023-2025"),
        ("convention pluriannuelle d’objectifs et de moyens", "CPOM"),
        ("convention de partenariat", None),  # two content words: no acronym is used
        ("CPO 2021-2023", None),  # already one
    ],
)
def test_acronym(name: str, short: str | None) -> None:
    assert acronym(name) == short


def test_framework_read_in_a_sentence() -> None:
    assert framework_agreement("… versé en 2022 en application du protocole d'accord de 2019.") == (
        "protocole d'accord de 2019"
    )
    assert framework_agreement("La Région finance les réseaux.") is None


def test_a_denied_funding_lends_nothing_to_an_earlier_one(tmp_path: Path, thesaurus: object) -> None:
    """The same pair funded, then denied under an agreement in a later passage: the denial adds no
    agreement to the funding (it used to be merged into it as a qualifier)."""
    text = (
        "# Rapport d'activité 2024 du Réseau Solidarités Occitanie\n"
        "\n"
        "La Région Occitanie a financé nos actions à hauteur de 30 000 € en 2024 dans le cadre de notre "
        "convention pluriannuelle d’objectifs 2022-2024.\n"
        "\n"
        "Le Département de l'Hérault a versé 12 000 € à l'association Les Jardins Partagés au titre de la "
        "convention de partenariat signée en 2021.\n"
        "\n"
        "La Métropole de Montpellier finance la SCIC Ecoloc dans le cadre de la CPO 2021-2023.\n"
        "\n"
        "La Ville de Sète a subventionné l'association Mer Solidaire dans le cadre d'un partenariat ancien.\n"
        "\n"
        "La Ville de Sète n'a pas financé l'association Mer Solidaire dans le cadre de la convention de "
        "partenariat.\n"
        "\n"
    )
    ex = extract_text(text, tmp_path, thesaurus)
    e = ex.entities
    sete = [
        r.qualifiers for r in ex.relations if r.kind == "Funding" and e[r.subject].label == "Ville de Sète"
    ]
    assert sete
    assert not [q for q in sete if "agreement" in q]
