"""Held-out competency questions: the 13 questions over our own unseen documents, one query each."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from essgraph.app.memory_graph import memory_store
from essgraph.core.settings import get_settings
from essgraph.graph.competency import Question, check, check_all, fragments, load_questions, totals

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"

# Regression floor: questions answered completely (bench/competency.py): all 13. (03 and 10 answered since
# the page-grant and framework-agreement families: tests/ingest/test_page_grants.py,
# tests/ingest/test_framework_agreements.py; 08 since supporter lists give eg:supports, apart from the
# signatories: tests/ingest/test_signatory_lists.py.)
COMPLETE_FLOOR = 13


@pytest.fixture(scope="module")
def unseen_store() -> ox.Store:
    return memory_store([DATA / "unseen-docs"], get_settings())


def test_every_question_has_a_query_naming_it() -> None:
    for q in load_questions(DATA / "docs-cq.jsonl"):
        text = (DATA / "docs-cq" / f"{q.number:02d}.rq").read_text(encoding="utf-8")
        assert text.startswith(f"# {q.number:02d} — "), q.number
        assert "SELECT" in text


def test_fragments_split_names_amounts_shares_and_years() -> None:
    assert fragments("Département du Finistère — 35 000 € (2021)") == [
        "departement finistere",
        "35000",
        "2021",
    ]
    assert fragments("SCIC X → SCIC Y (2 000 €, 8 %, 2021)") == ["scic x", "scic y", "2000", "8", "2021"]


def test_an_answer_needs_all_its_fragments_in_one_row() -> None:
    store = ox.Store()
    ex = "https://example.org/"
    for s, o in (("a", "Département du Cher"), ("b", "35000")):
        store.add(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + "p"), ox.Literal(o)))
    q = Question(1, "?", ["Département du Cher — 35 000 €"])
    split = check(store, q, f"SELECT ?v WHERE {{ ?s <{ex}p> ?v }}")
    assert split.verdict == "none" and len(split.unexpected) == 2
    joined = check(store, q, f"SELECT ?v ?w WHERE {{ <{ex}a> <{ex}p> ?v . <{ex}b> <{ex}p> ?w }}")
    assert joined.verdict == "complete" and joined.unexpected == []


@pytest.mark.slow
def test_heldout_questions_do_not_fall_below_the_floor(unseen_store: ox.Store) -> None:
    outcomes = check_all(unseen_store, load_questions(DATA / "docs-cq.jsonl"), DATA / "docs-cq")
    assert not [o.error for o in outcomes if o.error]
    report = totals(outcomes)
    failing = [o.question.number for o in outcomes if o.verdict != "complete"]
    assert report["complete"] >= COMPLETE_FLOOR, (report, failing)
