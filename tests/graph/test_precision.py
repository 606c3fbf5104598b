"""Tests of the precision sample on a real store: which statements are drawn, their evidence, the verdicts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from essgraph.core.errors import BadInput
from essgraph.core.text import fold
from essgraph.graph.precision import (
    compare,
    draw,
    entity_statements,
    load_judged,
    sample_statements,
    statement_key,
)

UNSEEN = Path(__file__).resolve().parents[1] / "data" / "extraction" / "unseen-docs"
ENTITY_TYPES = {
    "eg:Initiative",
    "eg:Organisation",
    "eg:Collectivite",
    "eg:Person",
    "eg:Programme",
    "eg:Event",
    "eg:Publication",
    "eg:PublicationSeries",
    "eg:Law",
    "eg:Place",
}


@pytest.fixture(scope="module")
def store(unseen_doc_graphs: dict[str, rdflib.Graph]) -> ox.Store:
    """The invented test documents, one named graph each, in a pyoxigraph Store."""
    s = ox.Store()
    for iri, graph in unseen_doc_graphs.items():
        s.load(graph.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    return s


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def test_statements_join_two_entities_and_have_unique_keys(store: ox.Store) -> None:
    statements = entity_statements(store)
    assert statements, "the test documents assert entity-to-entity statements"
    assert len({s.key for s in statements}) == len(statements)
    for s in statements:
        for end in (s.subject, s.object):
            assert set(end["type"].split(",")) <= ENTITY_TYPES, end
            assert end["label"] and end["iri"].startswith("https://")
        assert s.predicate.startswith("eg:") and s.document.endswith(".md")
    predicates = {s.predicate for s in statements}
    # both shapes: a reified simple statement and a relation node read through its two roles
    assert predicates & {"eg:organisedBy", "eg:locatedIn", "eg:supports", "eg:partnerOf"}
    assert predicates & {"eg:Role", "eg:Funding", "eg:Contract", "eg:CapitalParticipation"}
    # nothing whose end is a text container, a concept or a département
    assert not predicates & {"eg:legalForm", "eg:inDepartement", "eg:refersToFiche", "dcterms:subject"}


def test_evidence_points_at_the_source_lines(store: ox.Store) -> None:
    drawn, population = sample_statements(store, 1000, seed=3)
    assert len(drawn) == len(population)
    for s in drawn:
        assert s.evidence, s.key
        source = (UNSEEN / s.document).read_text(encoding="utf-8").splitlines()
        for ev in s.evidence:
            assert ev["rule"] and 0 < ev["confidence"] <= 1
            assert 1 <= ev["start_line"] <= ev["end_line"] <= len(source)
            span = _words(" ".join(source[ev["start_line"] - 1 : ev["end_line"]]))
            assert _words(ev["text"])[:30] in span, (ev["text"], span)
    roles = [ev for s in drawn if s.predicate == "eg:Role" for ev in s.evidence]
    assert roles and all(ev["rule"].startswith(("trigger:", "pattern:", "structure:")) for ev in roles)


def test_draw_is_seeded_and_stable_when_the_population_changes(store: ox.Store) -> None:
    statements = entity_statements(store)
    size = len(statements) // 2
    first = [s.key for s in draw(statements, size, seed=1)]
    assert first == [s.key for s in draw(list(reversed(statements)), size, seed=1)]
    assert first != [s.key for s in draw(statements, size, seed=2)]
    # dropping statements outside the sample leaves the sample as it was
    kept = [s for s in statements if s.key in first or s is statements[0]]
    assert [s.key for s in draw(kept, size, seed=1)] == first
    assert draw(statements, 0, seed=1) == []
    assert len(draw(statements, len(statements) + 5, seed=1)) == len(statements)
    with pytest.raises(BadInput):
        draw(statements, -1, seed=1)


def test_judged_statements_give_the_precision_and_only_new_ones_are_left(
    store: ox.Store, tmp_path: Path
) -> None:
    drawn, population = sample_statements(store, 6, seed=1)
    assert len(drawn) == 6
    lines = []
    for number, s in enumerate(drawn[:4]):
        item = s.to_json()
        item["verdict"] = "wrong" if number == 0 else "correct"
        item["reason"] = "co-mention only" if number == 0 else ""
        # labels re-cased and the predicate written in full still match (the key folds them)
        item["subject"]["label"] = item["subject"]["label"].upper()
        item["predicate"] = "https://w3id.org/essgraph/def#" + s.predicate[3:]
        lines.append(json.dumps(item, ensure_ascii=False))
    gone = drawn[0].to_json() | {"verdict": "correct", "document": "absent.md"}
    lines += [json.dumps(gone), json.dumps(drawn[5].to_json()), ""]  # an unjudged line, a blank line
    path = tmp_path / "judged.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")

    report = compare(drawn, population, load_judged(path))
    assert [s.key for s, _ in report.judged] == [s.key for s in drawn[:4]]
    assert [s.key for s in report.to_judge] == [s.key for s in drawn[4:]]
    assert report.correct == 3 and report.precision == pytest.approx(0.75)
    assert report.absent == 1
    per = report.per_predicate()
    assert sum(total for _, total in per.values()) == 4
    assert sum(correct for correct, _ in per.values()) == 3
    assert per[drawn[0].predicate][1] - per[drawn[0].predicate][0] == 1
    assert report.reasons() == [("co-mention only", 1)]


def test_nothing_judged_gives_no_precision(store: ox.Store) -> None:
    drawn, population = sample_statements(store, 3, seed=1)
    report = compare(drawn, population, {})
    assert report.precision is None and len(report.to_judge) == 3 and report.per_predicate() == {}


def test_bad_judged_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    good = {"subject": {"label": "A"}, "predicate": "eg:supports", "object": {"label": "B"}, "document": "d"}
    for bad in ("{not json", json.dumps(good | {"verdict": "peut-être"}), json.dumps({"verdict": "wrong"})):
        path.write_text(bad + "\n", encoding="utf-8")
        with pytest.raises(BadInput):
            load_judged(path)
    with pytest.raises(BadInput):
        load_judged(tmp_path / "absent.jsonl")
    assert statement_key("Métropole  de Lyon", "eg:supports", "SCIC X", "d") == statement_key(
        "metropole de lyon", "https://w3id.org/essgraph/def#supports", "scic x", "d"
    )


def test_a_verdict_holds_for_the_passages_it_was_given(store: ox.Store, tmp_path: Path) -> None:
    drawn, population = sample_statements(store, 3, seed=1)
    first, second, third = (s.to_json() for s in drawn)
    # judged against other passages (the provenance changed since): to judge again
    moved = first | {"verdict": "wrong", "reason": "not in evidence passage"}
    moved["evidence"] = [dict(e, passage=e["passage"] + "-elsewhere") for e in first["evidence"]]
    # judged twice, the later verdict against the same passages wins; a line without evidence applies
    older = second | {"verdict": "wrong", "reason": "old"}
    newer = second | {"verdict": "correct"}
    bare = {k: v for k, v in third.items() if k != "evidence"} | {"verdict": "correct"}
    path = tmp_path / "judged.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in (moved, older, newer, bare)) + "\n", encoding="utf-8")

    judged = load_judged(path)
    assert [len(judged[s.key]) for s in drawn] == [1, 2, 1]
    report = compare(drawn, population, judged)
    assert [s.key for s in report.to_judge] == [drawn[0].key] and report.rejudge == 1
    assert [item["verdict"] for _, item in report.judged] == ["correct", "correct"]
