# ruff: noqa: E501
"""Programmes, publications and their owners, on sentences written for these tests (names invented).

A thing an actor owns is named up to « de (la) » + its owner (« le programme X de la Ville de Y »: the
programme is « X », piloted by the Ville), whether the owner is an institution, a network or the acronym
of a known organisation; after « des » the words name a kind and stay in the name. A participle opening
its sentence qualifies the main clause's subject even when the parser makes it the root (« Porté par X,
le programme Y … »).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_news, relation_labels

# (text, relation kind, subject label, object label)
OWNED: list[tuple[str, str, str, str]] = [
    ("Le programme Cap Vallée de la Ville de Rodez accompagne douze projets.", "pilotedBy", "Programme Cap Vallée", "Ville de Rodez"),
    ("Le programme Bourgs Vivants de la Région Occitanie soutient les commerces ruraux.", "pilotedBy", "Programme Bourgs Vivants", "Région Occitanie"),
    ("Le guide Coopérer Autrement du Réseau Bocage Solidaire est paru en 2023.", "publishedBy", "Guide Coopérer Autrement", "Réseau Bocage Solidaire"),
    ("Le guide Achats Durables de l'ANCT est paru en 2024.", "publishedBy", "Guide Achats Durables", "ANCT"),
    # a fronted participle the parser made the root
    ("Porté par Millau Grands Causses, le programme Terres Partagées n'inclut pas le tourisme.", "pilotedBy", "Programme Terres Partagées", "Millau Grands Causses"),
    ("Lancé par la Région Occitanie en 2023, le programme Bourgs Vivants accompagne 40 communes.", "pilotedBy", "Programme Bourgs Vivants", "Région Occitanie"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "subject", "obj"), OWNED, ids=range(len(OWNED)))
def test_a_thing_and_its_owner(
    text: str, kind: str, subject: str, obj: str, tmp_path: Path, thesaurus: object
) -> None:
    got = relation_labels(extract_news(text, tmp_path, thesaurus))
    assert (kind, subject, obj) in got, got


def test_after_des_the_words_name_a_kind(tmp_path: Path, thesaurus: object) -> None:
    """« l'étude Fusion des EPCI »: the EPCI are what the study is about, not its owner."""
    ex = extract_news("L'étude Fusion des EPCI a été publiée en 2017.", tmp_path, thesaurus)
    labels = {e.label for e in ex.entities.values() if e.type == "Publication"}
    assert "Étude Fusion des EPCI" in labels, labels
