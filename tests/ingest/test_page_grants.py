"""Grants on a page about one initiative: the receiver left implicit, one amount per funder's clause, the
scheme the money comes through (« au titre de son dispositif X ») never the receiver (rules/triggers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text

PAGE = (
    "# Déniché pour vous : La Fabrique à Vélos, atelier solidaire (35)\n\n"
    "## Le projet\n\n"
    "Créée en 2019, la SCIC La Fabrique à Vélos répare et loue des vélos aux habitants du quartier.\n\n"
    "## Le rôle de la collectivité\n\n"
)
SCIC = "SCIC La Fabrique à Vélos"


def _fundings(text: str, tmp_path: Path, thesaurus: object) -> set[tuple[str, str, str, str, str]]:
    ex = extract_text(text, tmp_path, thesaurus)
    e = ex.entities
    return {
        (
            e[r.subject].label,
            e[r.object].label,
            r.qualifiers.get("amount", ""),
            r.qualifiers.get("year", ""),
            r.qualifiers.get("action", ""),
        )
        for r in ex.relations
        if r.kind == "Funding" and r.object in e
    }


IMPLICIT = [
    # the funded thing is a purchase, the receiver the page's initiative
    (
        "Le Département d'Ille-et-Vilaine a financé l'achat des outils à hauteur de 12 000 € en 2022.",
        ("Département d'Ille-et-Vilaine", SCIC, "12000", "2022", ""),
    ),
    # just an amount granted
    (
        "En 2023, la Région Bretagne a accordé 8 000 € pour le lancement de l'atelier mobile.",
        ("Région Bretagne", SCIC, "8000", "2023", ""),
    ),
    # passive
    (
        "Une subvention de 5 000 € a été versée en 2021 par la Ville de Rennes.",
        ("Ville de Rennes", SCIC, "5000", "2021", ""),
    ),
]


@pytest.mark.parametrize(("sentence", "funding"), IMPLICIT)
def test_grant_goes_to_the_pages_initiative(
    sentence: str, funding: tuple[str, ...], tmp_path: Path, thesaurus: object
) -> None:
    assert funding in _fundings(PAGE + sentence + "\n", tmp_path, thesaurus)


def test_each_amount_is_its_own_clauses_funders(tmp_path: Path, thesaurus: object) -> None:
    sentence = (
        "Le Département d'Ille-et-Vilaine a financé l'achat des outils à hauteur de 12 000 € en 2022, et la "
        "Région Bretagne a accordé 8 000 € en 2023 au titre de son dispositif « Cap Atelier »."
    )
    found = _fundings(PAGE + sentence + "\n", tmp_path, thesaurus)
    assert ("Département d'Ille-et-Vilaine", SCIC, "12000", "2022", "") in found
    assert ("Région Bretagne", SCIC, "8000", "2023", "Dispositif « Cap Atelier »") in found
    # never crossed, and the scheme receives nothing
    assert not [
        f
        for f in found
        if (f[0], f[2]) in {("Département d'Ille-et-Vilaine", "8000"), ("Région Bretagne", "12000")}
    ]
    assert not [f for f in found if "Cap Atelier" in f[1]]


NOT_THE_PAGES = [
    # another receiver named
    "Le Département d'Ille-et-Vilaine a versé 5 000 € à l'association Vélo Partage en 2022.",
    # another receiver written, though no recogniser names it
    "La Région Bretagne a accordé 2 millions d'euros aux ateliers vélo de la région en 2023.",
    "Le Département d'Ille-et-Vilaine a versé 3 000 € à trois associations du quartier.",
    # negated
    "La Région Bretagne n'a pas accordé les 8 000 € demandés en 2023.",
]


@pytest.mark.parametrize("sentence", NOT_THE_PAGES)
def test_no_grant_to_the_page(sentence: str, tmp_path: Path, thesaurus: object) -> None:
    assert not [f for f in _fundings(PAGE + sentence + "\n", tmp_path, thesaurus) if f[1] == SCIC]


def test_no_page_initiative_no_implicit_receiver(tmp_path: Path, thesaurus: object) -> None:
    text = "# Compte rendu de la rencontre régionale\n\nLa Région Bretagne a accordé 8 000 € en 2023.\n"
    assert not _fundings(text, tmp_path, thesaurus)
