"""Tests of the facts evaluation: label matching, link rules, and the ratio on the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from essgraph.core.errors import BadInput
from essgraph.graph.facts import evaluate_facts, labels_match, load_facts, summary

EG = "https://w3id.org/essgraph/def#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _n(local: str) -> ox.NamedNode:
    return ox.NamedNode("https://example.org/" + local)


def _store() -> ox.Store:
    s = ox.Store()
    g = ox.NamedNode("https://example.org/graph")
    add = lambda a, p, b: s.add(ox.Quad(a, p, b, g))  # noqa: E731
    add(_n("ville"), RDFS_LABEL, ox.Literal("Ville de Fleurville", language="fr"))
    add(_n("scic"), RDFS_LABEL, ox.Literal("SCIC Recyclo", language="fr"))
    add(_n("autre"), RDFS_LABEL, ox.Literal("Association Voisine", language="fr"))
    add(_n("part"), RDF_TYPE, ox.NamedNode(EG + "CapitalParticipation"))
    add(_n("part"), ox.NamedNode(EG + "holder"), _n("ville"))
    add(_n("part"), ox.NamedNode(EG + "company"), _n("scic"))
    add(_n("part"), ox.NamedNode(EG + "amount"), ox.Literal("50000"))
    add(_n("passage"), RDF_TYPE, ox.NamedNode(EG + "Passage"))
    add(_n("passage"), ox.NamedNode(EG + "mentions"), _n("ville"))
    add(_n("passage"), ox.NamedNode(EG + "mentions"), _n("autre"))
    return s


def test_label_matching_normalises() -> None:
    assert labels_match("Métropole  de LYON", "Metropole de Lyon")
    assert labels_match("Guipel (Ille-et-Vilaine)", "Guipel")
    assert not labels_match("Solidarauto49", "SolidarAuto 38")


def test_link_through_small_relation_node_but_not_through_passage() -> None:
    facts = [
        {"id": "a", "subject": "Ville de Fleurville", "object": "SCIC Recyclo", "object_type": "Initiative"},
        {
            "id": "b",
            "subject": "Ville de Fleurville",
            "object": "Association Voisine",
            "object_type": "Organisation",
        },
        {"id": "c", "subject": "SCIC Recyclo", "object": "50 000", "object_type": "Literal"},
        {
            "id": "d",
            "subject": "Ville de Fleurville; SCIC Recyclo",
            "object": "Association Voisine",
            "object_type": "Organisation",
        },
    ]
    results = {r.id: r.held for r in evaluate_facts(_store(), facts)}
    assert results == {"a": True, "b": False, "c": True, "d": False}


def test_load_facts_rejects_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text(json.dumps({"subject": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(BadInput):
        load_facts(path)
    with pytest.raises(BadInput):
        load_facts(tmp_path / "absent.jsonl")


@pytest.mark.slow
def test_development_facts_ratio(corpus_store: ox.Store, eval_dir: Path) -> None:
    report = summary(evaluate_facts(corpus_store, load_facts(eval_dir / "facts.jsonl")))
    assert report["ratio"] >= 0.85, report["misses"]
