"""A kind word before a name ("le réseau X", "le collectif X") names the same entity as the bare name."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.ingest.extract.registry import Registry, name_key
from tests.ingest.conftest import extract_text


@pytest.mark.parametrize(
    "spelled",
    [
        "Réseau Voisinages Actifs",
        "le réseau Voisinages Actifs",
        "Collectif Voisinages Actifs",
        "Voisinages Actifs",
    ],
)
def test_kind_word_is_not_part_of_the_key(spelled: str) -> None:
    assert name_key(spelled) == name_key("Voisinages Actifs") == "voisinages-actifs"


def test_kind_word_only_at_the_start() -> None:
    # "réseau" inside a name stays: a different name gives a different key
    assert name_key("Voisinages Actifs Réseau") != name_key("Voisinages Actifs")
    assert name_key("Réseau Voisinages Actifs") != name_key("Réseau Voisinages")


def test_registry_merges_the_two_spellings_and_keeps_both_labels() -> None:
    reg = Registry()
    first = reg.add("Organisation", "Voisinages Actifs", 0)
    second = reg.add("Organisation", "Réseau Voisinages Actifs", 1)
    assert first == second
    entity = reg.entities[first]
    assert {entity.label, *entity.alt_labels} == {"Voisinages Actifs", "Réseau Voisinages Actifs"}
    assert entity.passages == {0, 1}


def test_one_network_spelled_two_ways_in_a_document(tmp_path: Path, thesaurus: object) -> None:
    text = (
        "# Rapport d'activité 2023\n\n"
        "## Les adhérents du Réseau Voisinages Actifs\n\n"
        "- Ville de Orléans, depuis 2015\n\n"
        "## Les adhérents de Voisinages Actifs\n\n"
        "- Ville de Tours, depuis 2019\n"
        "- Ville de Blois, depuis 2021\n"
    )
    ex = extract_text(text, tmp_path, thesaurus)
    orgs = {k for k, e in ex.entities.items() if "Voisinages Actifs" in " ".join((e.label, *e.alt_labels))}
    # one entity (its type, initiative or organisation, is another family's concern)
    assert len(orgs) == 1 and next(iter(orgs)).endswith("/voisinages-actifs"), orgs
    members = {
        ex.entities[r.subject].label for r in ex.relations if r.kind == "memberOf" and r.object in orgs
    }
    assert {"Ville de Tours", "Ville de Blois"} <= members
    assert any("Orl" in m for m in members)
