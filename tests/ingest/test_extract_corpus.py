"""Integration tests of extraction on the real corpus (../shared/corpus): counts, relations, resolution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from essgraph.core.model import Entity, Extraction, ParsedDocument
from essgraph.core.settings import Settings
from essgraph.ingest.extract import extract
from essgraph.ingest.extract.units import build_units
from essgraph.ingest.reading import read_document
from essgraph.ontology.thesaurus import load_thesaurus

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


def _entities(extracted: dict[str, tuple[ParsedDocument, Extraction]], etype: str) -> dict[str, Entity]:
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
    to_seven = sorted(number[src] or 0 for src, kind, target in ex.section_links if target == 7)
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


def test_every_kit_fiche_levier_and_thematique_maps_to_its_concept(
    extracted: dict[str, tuple[ParsedDocument, Extraction]],
) -> None:
    doc, ex = extracted["rtes-kit-municipaless-2020.txt"]
    concept_of = {int(r.subject.split("/")[1]): str(r.object) for r in ex.relations if r.kind == "subject"}
    leviers = [s for s in doc.sections if s.kind == "levier" and s.number is not None]
    thematiques = [s for s in doc.sections if s.kind == "thematique" and s.number is not None]
    assert len(leviers) == 10 and len(thematiques) == 11
    assert all("/concept/leviers/" in concept_of.get(s.index, "") for s in leviers)
    assert all("/concept/thematiques/" in concept_of.get(s.index, "") for s in thematiques)
    assert len({concept_of[s.index] for s in leviers}) == 10
    assert concept_of[next(s.index for s in leviers if s.number == 7)].endswith(
        "/commande-publique-responsable"
    )
    assert concept_of[next(s.index for s in leviers if s.number == 9)].endswith("/entree-au-capital")


def test_box_initiatives_illustrate_the_lever_of_their_fiche(
    extracted: dict[str, tuple[ParsedDocument, Extraction]],
) -> None:
    doc, ex = extracted["rtes-kit-municipaless-2020.txt"]
    concept_of = {int(r.subject.split("/")[1]): r.object for r in ex.relations if r.kind == "subject"}
    kind_of = {s.index: s.kind for s in doc.sections}
    links = {(r.kind, r.subject, r.object) for r in ex.relations}
    units = build_units(doc)
    checked = 0
    for idx, unit in enumerate(units):
        if unit.box != idx or unit.section not in concept_of:
            continue
        mentioned = {
            r.subject
            for r in ex.relations
            if r.passage == unit.passage and r.kind in ("illustratesLever", "theme")
        }
        kind = "illustratesLever" if kind_of[unit.section] == "levier" else "theme"
        for subject in mentioned:
            assert (kind, subject, concept_of[unit.section]) in links
            checked += 1
    assert checked >= 35  # enough boxes for the invariant above to mean something (39 at 10:40, 2026-12-04)
    assert (
        "illustratesLever",
        "initiative/iloe",
        concept_of[next(s.index for s in doc.sections if s.number == 9)],
    ) in links
    uses = {r.subject for r in ex.relations if r.kind == "usesLever"}
    assert "collectivite/metropole-de-lyon" in uses


def test_initiative_labels_are_names(extracted: dict[str, tuple[ParsedDocument, Extraction]]) -> None:
    labels = {e.label for e in _entities(extracted, "Initiative").values()}
    assert {"SCIC Iloe", "Terre de Liens", "Racine", "Cairn", "Eusko"} <= labels
    bad = [
        label
        for label in labels
        if re.search(r"\(n°\s*\d+\)|^\d{1,2} [A-ZÉ]|^\d{4}\b|\s(?:de|à|du)$|, monnaie locale", label)
    ]
    assert not bad, bad
    assert "collectivite/bayonne" in {k for _, ex in extracted.values() for k in ex.entities}
    collectivites_as_initiatives = {
        "initiative/bordeaux-metropole",
        "initiative/nantes-metropole",
        "initiative/rennes-metropole",
        "initiative/bayonne",
    }
    assert not collectivites_as_initiatives & set(_entities(extracted, "Initiative"))
