# ruff: noqa: E501
"""A relational noun takes its object with « de » whatever its trigger's verbs take: « X est signataire
de Y », « X, signataire de Y, … » (sentences written for these tests, names invented, collectivités real).
A negated copula asserts nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_news

# (text, kind, subject, object) — object None: no relation of that kind at all
CASES: list[tuple[str, str, str, str | None]] = [
    ("La Ville de Millau est signataire de la charte « Achats responsables en Aveyron ».", "signatoryOf", "Ville de Millau", "Achats responsables en Aveyron"),
    ("La Ville de Millau, signataire de la charte « Achats responsables en Aveyron », a publié son schéma.", "signatoryOf", "Ville de Millau", "Achats responsables en Aveyron"),
    ("La Ville de Millau n'est pas signataire de la charte « Achats responsables en Aveyron ».", "signatoryOf", "Ville de Millau", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "subject", "obj"), CASES, ids=range(len(CASES)))
def test_relational_noun_objects(
    text: str, kind: str, subject: str, obj: str | None, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    e = ex.entities
    got = [
        (e[r.subject].label, e[r.object].label)
        for r in ex.relations
        if r.kind == kind and r.subject in e and r.object in e
    ]
    if obj is None:
        assert not got, got
    else:
        assert any(s == subject and obj in o for s, o in got), got
