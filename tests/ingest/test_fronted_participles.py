"""A participle phrase written before the clause (« Créée en 2018 par X, la SCIC Y emploie … ») qualifies
that clause's subject (clauses.py `_apply`): its agent acts on the subject, with each trigger's relation.
Sentences written for the test, several triggers and types."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text, relation_labels

HEAD = "# Rapport d'activité 2025 du Réseau\n\n## Territoires\n\n"

CASES = [
    (
        "Lancé par la Région Occitanie en octobre 2025, l'appel à projets « Fabriques solidaires » soutient "
        "les tiers-lieux.",
        ("pilotedBy", "Appel à projets « Fabriques solidaires »", "Région Occitanie"),
    ),
    (
        "Créée en 2018 par la Ville de Grenoble, la SCIC Bois Local emploie douze salariés.",
        ("createdBy", "SCIC Bois Local", "Ville de Grenoble"),
    ),
    (
        "Soutenue par le Département du Gers depuis 2020, l'association Gers Solidaire ouvre une épicerie.",
        ("supports", "Département du Gers", "Gers Solidaire"),
    ),
]


@pytest.mark.parametrize(("sentence", "wanted"), CASES)
def test_a_fronted_participle_qualifies_the_subject(
    sentence: str, wanted: tuple[str, str, str], tmp_path: Path, thesaurus: object
) -> None:
    got = relation_labels(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    assert wanted in got, got


def test_a_participle_after_the_subject_is_not_read_as_fronted(tmp_path: Path, thesaurus: object) -> None:
    """The subject written before the participle is the participle's own business (other rules); the
    agent of a later participle is never given the main subject by this reading."""
    sentence = "La Ville de Pau présente son plan, soutenu par la CRESS Nouvelle-Aquitaine."
    got = relation_labels(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    assert ("supports", "CRESS Nouvelle-Aquitaine", "Ville de Pau") not in got
