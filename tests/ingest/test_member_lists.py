"""Member lists: a heading announcing the members of an organisation and the entries under it (invented)."""

from __future__ import annotations

import pytest

from essgraph.core.model import Extraction
from essgraph.core.settings import get_settings
from essgraph.ingest.extract import extract
from essgraph.ingest.reading import read_document
from essgraph.ontology.thesaurus import load_thesaurus

DOC = """# Les membres du réseau Coopérations Alpines en 2026

Le réseau compte douze adhérents. Pour chacun : l'année d'adhésion et son élu·e référent·e.

## Collectivités

Ville de Chambéry (73), depuis 2014, membre fondateur, Odile Perrin ; Département de la Savoie, \
depuis 2019, Marc Vidal ; Grand Annecy, depuis 2021, Lucie Bernard.

Les autres communes adhérentes (Albertville, Aix-les-Bains et Annemasse) désigneront leur référent en juin.

## Associations

- l'association Montagnes Partagées, depuis 2016, Yanis Colin
- Fédération Alpine des Recycleries, depuis 2020

## Départs

La Ville de Thonon-les-Bains a quitté le réseau en 2025 ; la Ville de Cluses n'a pas renouvelé son adhésion.

## Agenda

Réunion du bureau ; rencontre avec la Ville de Voiron ; visite à Sallanches.
"""


@pytest.fixture(scope="module")
def extraction(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    path = tmp_path_factory.mktemp("members") / "membres.md"
    path.write_text(DOC, encoding="utf-8")
    settings = get_settings()
    return extract(read_document(path, settings), load_thesaurus(), settings)


def _rels(ex: Extraction, kind: str) -> set[tuple[str, str, str]]:
    e = ex.entities
    return {
        (e[r.subject].label, e[r.object].label, r.qualifiers.get("since", ""))
        for r in ex.relations
        if r.kind == kind and r.object and r.qualifiers.get("rule") == "structure:member-list"
    }


def test_semicolon_entries_and_list_items_are_members_with_their_start(extraction: Extraction) -> None:
    members = _rels(extraction, "memberOf")
    whole = "Coopérations Alpines"
    for label, since in [
        ("Ville de Chambéry", "2014"),
        ("Département de la Savoie", "2019"),
        ("Grand Annecy", "2021"),
        ("Montagnes Partagées", "2016"),
        ("Fédération Alpine des Recycleries", "2020"),
    ]:
        assert any(s.endswith(label) and o.endswith(whole) and y == since for s, o, y in members), (
            label,
            members,
        )


def test_a_parenthesised_enumeration_after_the_relational_word_names_members(extraction: Extraction) -> None:
    subjects = {s for s, _, _ in _rels(extraction, "memberOf")}
    assert {"Albertville", "Aix-les-Bains", "Annemasse"} <= subjects


def test_founders_and_representatives(extraction: Extraction) -> None:
    assert any(o == "Ville de Chambéry" for _, o, _ in _rels(extraction, "createdBy"))
    represents = {(s, o) for s, o, _ in _rels(extraction, "represents")}
    assert ("Odile Perrin", "Ville de Chambéry") in represents
    assert ("Marc Vidal", "Département de la Savoie") in represents


def test_sentences_and_other_sections_name_no_member(extraction: Extraction) -> None:
    subjects = {s for s, _, _ in _rels(extraction, "memberOf")}
    for label in ("Thonon-les-Bains", "Cluses", "Voiron", "Sallanches"):
        assert not any(label in s for s in subjects), subjects
