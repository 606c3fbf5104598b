"""docs/ontology.md is generated from the Turtle files and committed up to date."""

from __future__ import annotations

from pathlib import Path

from essgraph.ontology.docgen import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "ontology.md"


def test_docs_ontology_md_is_up_to_date() -> None:
    assert DOC.is_file(), "run: python -m essgraph.ontology.docgen > docs/ontology.md"
    assert DOC.read_text(encoding="utf-8") == render(), (
        "stale: python -m essgraph.ontology.docgen > docs/ontology.md"
    )


def test_render_lists_classes_properties_and_schemes() -> None:
    text = render()
    assert "`eg:Passage`" in text and "`eg:inDepartement`" in text
    assert "`igeo:Departement`" in text
    assert "concept/leviers" in text and "organisations de référence" in text
