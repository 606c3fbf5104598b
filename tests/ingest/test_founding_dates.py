"""A creation participle dates the entity it qualifies however the sentence joins them: in apposition with
the entity's kind (« X, association créée en 2016 à Y »), in a relative clause (« X, qui a été créé en
2014 »), with « constituée », and for a network as for an initiative (rules/fields.py). Sentences written
for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text

HEAD = "# Nouvelles du réseau\n\n## Initiatives\n\n"

CASES = [
    (
        "La Ressourcerie du Val de Sèvre, association créée en 2016 à Saint-Maixent-l'École, collecte des "
        "objets.",
        "Ressourcerie du Val de Sèvre",
        "2016",
    ),
    (
        "Le PTCE Vallée de la Bresle, qui a été créé en 2014 à l'initiative de la communauté de communes, "
        "réunit 25 structures.",
        "Vallée de la Bresle",
        "2014",
    ),
    (
        "La SCIC Bois Bocage Énergie, une coopérative constituée en 2011, chauffe trois écoles.",
        "Bois Bocage Énergie",
        "2011",
    ),
    (
        "Le réseau Terres Coopératives, créé en 2005, a accompagné en 2018 l'association Villes Partagées.",
        "Terres Coopératives",
        "2005",
    ),
]


@pytest.mark.parametrize(("sentence", "name", "year"), CASES)
def test_a_creation_participle_dates_its_entity(
    sentence: str, name: str, year: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(HEAD + sentence + "\n", tmp_path, thesaurus)
    dates = {
        (ex.entities[r.subject].label, r.object_literal) for r in ex.relations if r.kind == "foundingDate"
    }
    assert any(label.endswith(name) and lit == year for label, lit in dates), dates


def test_a_place_of_a_collectivite_is_no_founding(tmp_path: Path, thesaurus: object) -> None:
    """A collectivité « située à » or « créée en » is its institutional history, not an ESS founding."""
    ex = extract_text(
        HEAD + "La Communauté de communes du Pays de Pouzauges, créée en 1993, soutient la SCIC Bocage.\n",
        tmp_path,
        thesaurus,
    )
    assert not [r for r in ex.relations if r.kind == "foundingDate" and r.subject.startswith("collectivite/")]
