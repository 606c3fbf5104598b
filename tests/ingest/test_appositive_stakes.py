"""A second shareholder in apposition with its own stake (« …, aux côtés de X, sociétaire pour 2 000 € »)."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from tests.ingest.conftest import entity_key, extract_text

# Invented page and sentences, written as the network writes (never corpus sentences).
PAGE = "# Déniché pour vous : la SCIC Bois Partagé\n\nLa SCIC Bois Partagé transforme le bois.\n\n"
SCIC = "SCIC Bois Partagé"


def _stakes(ex: Extraction, holder: str) -> list[str | None]:
    """The amounts of the capital participations of `holder` in the SCIC (None for a stake with none)."""
    h, c = entity_key(ex, holder), entity_key(ex, SCIC)
    return [
        r.qualifiers.get("amount")
        for r in ex.relations
        if r.kind == "CapitalParticipation" and (r.subject, r.object) == (h, c)
    ]


CASES = [
    # the stake of the first holder, then a holder in apposition after « aux côtés de »
    ("La Communauté de communes du Val de Sorne est entrée au capital de la coopérative en 2022 à hauteur "
     "de 8 000 €, aux côtés de la Ville de Poligny, sociétaire pour 1 500 €.",
     {"Val de Sorne": ["8000"], "Poligny": ["1500"]}),
    # the first holder's own capital word, then « avec » and the apposition
    ("Le Département du Jura est sociétaire de la SCIC Bois Partagé pour 12 000 €, avec la Ville de Poligny, "
     "sociétaire à hauteur de 3 000 €.",
     {"Jura": ["12000"], "Poligny": ["3000"]}),
    # two holders in apposition, each with its amount
    ("La Communauté de communes du Val de Sorne est entrée au capital de la coopérative pour 8 000 €, "
     "aux côtés de la Ville de Poligny, sociétaire pour 1 500 €, et de la Ville de Salins, sociétaire "
     "pour 500 €.",
     {"Val de Sorne": ["8000"], "Poligny": ["1500"], "Salins": ["500"]}),
    # « elle-même » between the comma and the word
    ("La Communauté de communes du Val de Sorne est entrée au capital de la coopérative pour 8 000 €, "
     "aux côtés de la Ville de Poligny, elle-même sociétaire pour 1 000 €.",
     {"Val de Sorne": ["8000"], "Poligny": ["1000"]}),
    # the apposition gives no amount: a stake with none; the first holder keeps its own
    ("La Communauté de communes du Val de Sorne est entrée au capital de la coopérative pour 8 000 €, "
     "aux côtés de la Ville de Poligny, également sociétaire.",
     {"Val de Sorne": ["8000"], "Poligny": [None]}),
    # the first holder gives no amount: it never borrows the apposition's
    ("La Communauté de communes du Val de Sorne est entrée au capital de la coopérative en 2022, "
     "aux côtés de la Ville de Poligny, sociétaire pour 1 500 €.",
     {"Val de Sorne": [None], "Poligny": ["1500"]}),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_each_holder_gets_its_own_stake(
    sentence: str, expected: dict[str, list[str | None]], tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(PAGE + sentence + "\n", tmp_path, thesaurus)
    assert {holder: _stakes(ex, holder) for holder in expected} == expected


def test_a_denied_apposition_is_no_stake(tmp_path: Path, thesaurus: object) -> None:
    sentence = (
        "La Communauté de communes du Val de Sorne est entrée au capital de la coopérative pour 8 000 €, aux "
        "côtés de la Ville de Poligny, qui n'est pas sociétaire."
    )
    ex = extract_text(PAGE + sentence + "\n", tmp_path, thesaurus)
    assert _stakes(ex, "Poligny") == []
    assert _stakes(ex, "Val de Sorne") == ["8000"]
