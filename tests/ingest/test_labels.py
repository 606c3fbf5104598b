"""A label named by the participle that awards it (« labellisée « X » ») is a Label the labelled thing holds,
whether the participle is the clause's verb, an apposition or fronted; whoever awarded it (« par Z ») stays
a labelledBy of its own (phrases.py, clauses.py). Sentences written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text, relation_labels

HEAD = "# Nouvelles du réseau\n\n## Initiatives\n\n"

CASES = [
    # passive, with the awarding body
    (
        "La recyclerie Les Trois Tiroirs a été labellisée « Commerce engagé » par la Ville de Caen en 2023.",
        [
            ("labelledBy", "Recyclerie Les Trois Tiroirs", "Label « Commerce engagé »"),
            ("labelledBy", "Recyclerie Les Trois Tiroirs", "Ville de Caen"),
        ],
    ),
    # apposition
    (
        "L'épicerie Le Panier d'Ici, labellisée « ESS de confiance » par la CRESS Occitanie, ouvre un "
        "second magasin.",
        [
            ("labelledBy", "Épicerie Le Panier d'Ici", "Label « ESS de confiance »"),
            ("labelledBy", "Épicerie Le Panier d'Ici", "CRESS Occitanie"),
        ],
    ),
    # fronted participle: the label is the clause subject's
    (
        "Labellisée « Fabrique de Territoire » en 2021, la ressourcerie Le Grenier Bleu anime un atelier "
        "vélo.",
        [("labelledBy", "Ressourcerie Le Grenier Bleu", "Label « Fabrique de Territoire »")],
    ),
]


@pytest.mark.parametrize(("sentence", "wanted"), CASES)
def test_a_label_named_by_its_participle(
    sentence: str, wanted: list[tuple[str, str, str]], tmp_path: Path, thesaurus: object
) -> None:
    got = relation_labels(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    for rel in wanted:
        assert rel in got, got


def test_a_candidate_holds_no_label(tmp_path: Path, thesaurus: object) -> None:
    """Applying for a label is not holding it; the noun « label » names it, no participle awards it."""
    got = relation_labels(
        extract_text(
            HEAD + "L'association Cuisine Nomade est candidate au label « Restaurant solidaire ».\n",
            tmp_path,
            thesaurus,
        )
    )
    assert not [r for r in got if r[0] == "labelledBy"], got
