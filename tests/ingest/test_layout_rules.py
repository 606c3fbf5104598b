"""Layout rule families on documents written for these tests: board lists under role headings, and a name
introduced once with its kind recognised wherever it recurs."""

from __future__ import annotations

from pathlib import Path

from essgraph.core.model import Extraction
from essgraph.core.settings import get_settings
from essgraph.ingest.extract import extract
from essgraph.ingest.reading import read_document
from essgraph.ontology.thesaurus import load_thesaurus

BOARD = """# Rapport annuel 2025 — Coopérations Vertes du Jura

## Le réseau

Fondé en 2015, le réseau Coopérations Vertes du Jura réunit des collectivités et des structures de l'ESS.

## Gouvernance

**PRÉSIDENTE**
Odette Marchal
adjointe au maire, Ville de Lons-le-Saunier

**TRÉSORIERS**
Yves Berthet
conseiller communautaire, Communauté de communes Bresse Haute Seille

Paul Girod, ancien président, reste membre du conseil.
"""


def _extract(text: str, tmp_path: Path) -> Extraction:
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    settings = get_settings()
    return extract(read_document(path, settings), load_thesaurus(), settings)


def test_board_list_roles_belong_to_the_document_organisation(tmp_path: Path) -> None:
    ex = _extract(BOARD, tmp_path)
    org = next(k for k, e in ex.entities.items() if e.label.endswith("Coopérations Vertes du Jura"))
    roles = {
        (ex.entities[r.subject].label, r.qualifiers.get("roleTitle"))
        for r in ex.relations
        if r.kind == "Role" and r.object == org
    }
    assert ("Odette Marchal", "Présidente") in roles
    assert ("Yves Berthet", "Trésorier") in roles  # a plural heading gives the singular title
    # a sentence after the list is not an entry of it (its own apposition, "ancien président", is read as
    # a role in the document's organisation by the subject-role rule, not as a board entry)
    block = {
        ex.entities[r.subject].label
        for r in ex.relations
        if r.kind == "Role" and r.qualifiers.get("rule") == "structure:role-block"
    }
    assert "Paul Girod" not in block
    assert ("Paul Girod", "ancien président") in roles


def test_a_name_introduced_with_its_kind_is_recognised_where_it_recurs(tmp_path: Path) -> None:
    ex = _extract(BOARD, tmp_path)
    org = next(k for k, e in ex.entities.items() if e.label.endswith("Coopérations Vertes du Jura"))
    # the title names the network without its kind: still the same entity, in the title's passage too
    assert 0 in ex.entities[org].passages
