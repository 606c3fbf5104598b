"""Members announced in a member list's scope ("Nouvelles adhésions en 2023 : A et B"), with their year."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Literal

from essgraph.core.model import Extraction
from essgraph.core.settings import get_settings
from essgraph.graph.mapping import document_graph
from essgraph.ingest.reading import read_document
from essgraph.ontology.namespace import EG
from tests.ingest.conftest import extract_text

HEAD = "# Les collectivités adhérentes du réseau Voisinages Actifs\n\n## Mouvements\n\n"


def _members(ex: Extraction) -> dict[str, str]:
    """Member label -> its year ("" when none) for the memberOf relations to the network."""
    e = ex.entities
    return {
        e[r.subject].label: r.qualifiers.get("since", r.qualifiers.get("year", ""))
        for r in ex.relations
        if r.kind == "memberOf" and r.object in e and e[r.object].label.endswith("Voisinages Actifs")
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # noun announcement, coordination
        (
            "Deux nouvelles adhésions en 2023 : le Département du Cher et la Ville de Bourges.",
            {"Département du Cher": "2023", "Ville de Bourges": "2023"},
        ),
        # plural noun of persons, comma enumeration, year after the noun
        (
            "Nouveaux adhérents en 2022 : la Ville de Vierzon, la Ville de Blois et la Ville de Chartres.",
            {"Ville de Vierzon": "2022", "Ville de Blois": "2022", "Ville de Chartres": "2022"},
        ),
        # no year: members still, with no year
        ("Nouveaux membres : la Ville de Dreux.", {"Ville de Dreux": ""}),
    ],
)
def test_an_announcement_names_members_with_their_year(
    tmp_path: Path, thesaurus: object, sentence: str, expected: dict[str, str]
) -> None:
    members = _members(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    for label, year in expected.items():
        found = [y for m, y in members.items() if m.endswith(label.split(" ", 2)[-1])]
        assert found == [year], (label, members)


@pytest.mark.parametrize(
    "sentence",
    [
        # hedged: only considered
        "Adhésions envisagées pour 2026 : la Ville de Dreux et la Ville de Vendôme.",
        # denied
        "Aucune adhésion en 2024 : la Ville de Dreux et la Ville de Vendôme ont décliné.",
        # a sentence after the colon, not an enumeration
        "Adhésions en 2024 : la Ville de Dreux a finalement renoncé, la Ville de Vendôme aussi.",
        # leaving is no joining
        "Départs en 2024 : la Ville de Dreux et la Ville de Vendôme.",
    ],
)
def test_hedged_denied_or_leaving_names_no_member(tmp_path: Path, thesaurus: object, sentence: str) -> None:
    members = _members(extract_text(HEAD + sentence + "\n", tmp_path, thesaurus))
    assert not any("Dreux" in m or "Vendôme" in m for m in members), members


def test_outside_a_member_list_an_announcement_names_nothing(tmp_path: Path, thesaurus: object) -> None:
    text = (
        "# Lettre d'information\n\nNouvelles adhésions en 2023 : la Ville de Dreux et la Ville de Vendôme.\n"
    )
    ex = extract_text(text, tmp_path, thesaurus)
    assert not [
        r for r in ex.relations if r.kind == "memberOf" and "structure" in r.qualifiers.get("rule", "")
    ]


def test_the_year_goes_on_the_reified_statement(tmp_path: Path, thesaurus: object) -> None:
    text = HEAD + "Deux nouvelles adhésions en 2023 : le Département du Cher et la Ville de Bourges.\n"
    ex = extract_text(text, tmp_path, thesaurus)
    path = tmp_path / "doc.md"
    graph = document_graph(read_document(path, get_settings()), ex, get_settings().base_iri)
    years = {
        int(y)
        for st in graph.subjects(RDF.predicate, EG.memberOf)
        for y in graph.objects(st, EG.year)
        if (st, RDF.type, RDF.Statement) in graph
    }
    assert years == {2023}
    assert (None, EG.year, Literal(2023)) in graph
