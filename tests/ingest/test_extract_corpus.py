"""Integration tests of extraction on the real corpus (../shared/corpus): counts, relations, resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.settings import Settings
from ingest.extract import extract
from ingest.model import Extraction, ParsedDocument
from ingest.reading import read_document
from ontology.thesaurus import load_thesaurus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extracted(corpus_dir: Path) -> dict[str, tuple[ParsedDocument, Extraction]]:
    settings = Settings()
    thesaurus = load_thesaurus()
    out = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = read_document(path, settings)
        out[path.name] = (doc, extract(doc, thesaurus, settings))
    return out


def _entities(extracted: dict[str, tuple[ParsedDocument, Extraction]], etype: str) -> dict[str, object]:
    return {k: e for _, ex in extracted.values() for k, e in ex.entities.items() if e.type == etype}


def test_counts(extracted: dict[str, tuple[ParsedDocument, Extraction]]) -> None:
    initiatives = _entities(extracted, "Initiative")
    collectivites = {
        k: e for k, e in _entities(extracted, "Collectivite").items() if e.attributes.get("level")
    }
    with_dept = {
        k
        for _, ex in extracted.values()
        for k, e in ex.entities.items()
        if e.type == "Collectivite" and e.attributes.get("departement")
    }
    assert len(initiatives) >= 100
    assert len(collectivites) >= 60
    assert len(with_dept) >= 40


def test_kit_fiche_cross_references(extracted: dict[str, tuple[ParsedDocument, Extraction]]) -> None:
    doc, ex = extracted["rtes-kit-municipaless-2020.txt"]
    number = {s.index: s.number for s in doc.sections}
    to_seven = sorted(number[src] for src, kind, target in ex.section_links if target == 7)
    assert to_seven == [8, 11, 14, 18, 22, 23]
    assert (next(s.index for s in doc.sections if s.number == 13), "refersToFiche", 9) in ex.section_links


def test_known_relations(extracted: dict[str, tuple[ParsedDocument, Extraction]]) -> None:
    _, kit = extracted["rtes-kit-municipaless-2020.txt"]
    caps = {(r.subject, r.object): r.qualifiers for r in kit.relations if r.kind == "CapitalParticipation"}
    iloe = caps[("collectivite/metropole-de-lyon", "initiative/iloe")]
    assert iloe["amount"] == "100000" and iloe["sharePercent"] == "48"
    dsp = [r for r in kit.relations if r.kind == "Contract" and r.qualifiers.get("contractKind") == "dsp"]
    assert any(r.object == "initiative/okhra" and r.qualifiers.get("duration") == "20" for r in dsp)
    _, fa = extracted["rtes-fiches-action-2022.txt"]
    apes = {
        (r.qualifiers.get("amount"), r.qualifiers.get("year"))
        for r in fa.relations
        if r.kind == "Funding" and r.subject == "organisation/apes" and r.object == "organisation/rtes"
    }
    assert apes == {("10000", "2022"), ("10000", "2023")}


def test_entity_resolution(extracted: dict[str, tuple[ParsedDocument, Extraction]]) -> None:
    _, kit = extracted["rtes-kit-municipaless-2020.txt"]
    assert kit.entities["organisation/avise"].label == "Avise"
    assert not [k for k in kit.entities if "aise" in k.split("/")[1] and k != "organisation/avise"]
    fiche15 = {
        p.index for p in extracted["rtes-kit-municipaless-2020.txt"][0].passages if "Aise/RTES" in p.text
    }
    assert fiche15 and fiche15 <= kit.entities["organisation/avise"].passages
    garages = {k for k in kit.entities if "solidarauto" in k}
    assert len(garages) == 2, garages
    labels = {kit.entities[k].label for k in garages}
    assert any("38" in label for label in labels) and any("49" in label for label in labels)


def test_labels_of_numbered_parts(extracted: dict[str, tuple[ParsedDocument, Extraction]]) -> None:
    _, kit = extracted["rtes-kit-municipaless-2020.txt"]
    labels = {e.label for e in kit.entities.values() if e.type == "Publication"}
    assert "Déniché pour vous n°38 : Solidarauto49" in labels
