"""Signatory and supporter lists: the entries under a signatories heading sign the text the title names,
those under a supporters heading support it without signing (invented)."""

from __future__ import annotations

import pytest

from essgraph.core.model import Extraction
from essgraph.core.settings import get_settings
from essgraph.ingest.extract import extract
from essgraph.ingest.reading import read_document
from essgraph.ontology.thesaurus import load_thesaurus

DOC = """# Tribune : « Des cantines coopératives dans chaque vallée »

Nous, élu·es de montagne, demandons un fonds pour les cantines coopératives.

## Premiers signataires

- **Odile Perrin**, adjointe au maire de Chambéry chargée de l'alimentation
- **Marc Vidal**, maire de Modane
- la Ville de Briançon

## Elles et ils soutiennent la tribune

L'Union des cantines libres, le réseau Vallées Nourricières et la fédération Assiettes Alpines.

Le Département des Hautes-Alpes, qui a suivi les échanges, n'a pas souhaité signer la tribune.

## Pour aller plus loin

- **Yanis Colin**, chercheur, a publié une étude sur les cantines.
"""


@pytest.fixture(scope="module")
def extraction(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    path = tmp_path_factory.mktemp("signers") / "tribune.md"
    path.write_text(DOC, encoding="utf-8")
    settings = get_settings()
    return extract(read_document(path, settings), load_thesaurus(), settings)


def _signers(ex: Extraction, kind: str = "signatoryOf") -> set[str]:
    e = ex.entities
    return {
        e[r.subject].label
        for r in ex.relations
        if r.kind == kind and r.object and e[r.object].label.startswith("Tribune « Des cantines")
    }


def test_the_title_names_the_publication(extraction: Extraction) -> None:
    labels = {e.label: e.type for e in extraction.entities.values()}
    assert labels.get("Tribune « Des cantines coopératives dans chaque vallée »") == "Publication"


def test_persons_and_collectivites_listed_under_the_heading_sign(extraction: Extraction) -> None:
    assert {"Odile Perrin", "Marc Vidal", "Ville de Briançon"} <= _signers(extraction)


def test_a_verbless_enumeration_under_a_supporters_heading_supports_without_signing(
    extraction: Extraction,
) -> None:
    supporters = _signers(extraction, "supports")
    assert any(s.endswith("Vallées Nourricières") for s in supporters), supporters
    assert any(s.endswith("Assiettes Alpines") for s in supporters), supporters
    # a part no recogniser named, opening on an organisation's kind word, is that organisation
    assert "Union des cantines libres" in supporters, supporters
    assert not supporters & _signers(extraction)


def test_a_refusal_and_other_sections_sign_nothing(extraction: Extraction) -> None:
    signers = _signers(extraction) | _signers(extraction, "supports")
    assert not any("Hautes-Alpes" in s or "Yanis Colin" in s for s in signers), signers
