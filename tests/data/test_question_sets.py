"""Format and span checks of the hand-written search question sets: tests/data/search/own-questions-* and
heldout-questions-* over the corpus, heldout-unseen-docs.jsonl over tests/data/extraction/unseen-docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from essgraph.core.text import fold
from essgraph.ontology.thesaurus import load_thesaurus

SEARCH_DATA = Path(__file__).resolve().parent / "search"
# the own sets (tuned on by cross-validation) and the held-out sets over the corpus (never tuned on)
QUESTION_FILES = sorted(
    [*SEARCH_DATA.glob("own-questions-*.jsonl"), *SEARCH_DATA.glob("heldout-questions-*.jsonl")]
)
HELDOUT_FILE = SEARCH_DATA / "heldout-unseen-docs.jsonl"
# the same questions judged for the six documents ingested among the corpus (pooled corpus spans added)
AMONG_CORPUS_FILE = SEARCH_DATA / "heldout-unseen-docs-among-corpus.jsonl"
UNSEEN_DOCS = SEARCH_DATA.parent / "extraction" / "unseen-docs"
KINDS = {"lexical", "paraphrase", "semantic", "entity", "hard"}
PERSONAS = {"elu", "researcher", "staff"}
KEYS = {"id", "query", "persona", "relevant", "notes", "concept"}
SPAN_KEYS = {"document", "start_line", "end_line", "grade"}
MAX_UNANSWERED = 10


def _load(path: Path) -> list[dict[str, Any]]:
    """Parses one JSON-lines file; returns its records in order (an unparsable line fails the test)."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{number} is blank"
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - reported as a failure
            pytest.fail(f"{path.name}:{number} does not parse: {exc}")
    return records


@pytest.fixture(scope="module")
def question_sets() -> dict[str, list[dict[str, Any]]]:
    """Every question file by name, the held-out set last; fails when one is missing (a glob matching
    nothing would otherwise test nothing)."""
    assert QUESTION_FILES, f"no own-questions-*.jsonl under {SEARCH_DATA}"
    assert HELDOUT_FILE.is_file(), f"{HELDOUT_FILE} missing"
    return {path.name: _load(path) for path in [*QUESTION_FILES, HELDOUT_FILE]}


def test_records_have_the_eval_format(question_sets: dict[str, list[dict[str, Any]]]) -> None:
    """Keys, persona, kind (first word of notes) and span fields follow ../shared/eval/README.md."""
    for name, records in question_sets.items():
        for rec in records:
            where = f"{name} {rec.get('id')}"
            assert set(rec) == KEYS, where
            assert isinstance(rec["query"], str) and rec["query"].strip(), where
            assert rec["persona"] in PERSONAS, where
            kind = rec["notes"].split(".", 1)[0].split()[0]
            assert kind in KINDS, f"{where}: kind {kind!r}"
            assert isinstance(rec["relevant"], list), where
            for span in rec["relevant"]:
                assert set(span) - {"pooled"} == SPAN_KEYS, where
                assert span["grade"] in (1, 2), where
                assert isinstance(span["start_line"], int) and isinstance(span["end_line"], int), where


def test_ids_are_unique_and_prefixed_per_file(question_sets: dict[str, list[dict[str, Any]]]) -> None:
    """Ids are unique across all files, and each file uses one prefix (qa…, qb…) so runs can be merged."""
    seen: set[str] = set()
    for name, records in question_sets.items():
        prefixes = {rec["id"].rstrip("0123456789") for rec in records}
        assert len(prefixes) == 1, f"{name}: several id prefixes {prefixes}"
        for rec in records:
            assert rec["id"] not in seen, f"duplicate id {rec['id']}"
            seen.add(rec["id"])


def test_queries_are_distinct_from_each_other_and_from_the_dev_set(
    question_sets: dict[str, list[dict[str, Any]]], eval_dir: Path
) -> None:
    """No query repeats (accents and case folded), and none copies a development question."""
    dev_lines = (eval_dir / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    dev = {fold(json.loads(line)["query"]).strip() for line in dev_lines if line.strip()}
    seen: dict[str, str] = {}
    for records in question_sets.values():
        for rec in records:
            key = fold(rec["query"]).strip()
            assert key not in dev, f"{rec['id']} copies a dev question"
            assert key not in seen, f"{rec['id']} repeats {seen[key]}"
            seen[key] = rec["id"]


def test_unanswered_questions_are_few_and_noted(question_sets: dict[str, list[dict[str, Any]]]) -> None:
    """At most ten unanswered questions per file, each noted "no answer"; answered ones have a grade 2."""
    for name, records in question_sets.items():
        unanswered = [rec for rec in records if not rec["relevant"]]
        assert len(unanswered) <= MAX_UNANSWERED, name
        for rec in unanswered:
            assert "no answer" in rec["notes"], rec["id"]
        for rec in records:
            if rec["relevant"]:
                assert any(span["grade"] == 2 for span in rec["relevant"]), f"{rec['id']} has no grade-2 span"


def test_concepts_are_thesaurus_entries(question_sets: dict[str, list[dict[str, Any]]]) -> None:
    """Every question's concept is an IRI of the project's thesaurus (concept or reference organisation)."""
    thesaurus = load_thesaurus()
    for records in question_sets.values():
        for rec in records:
            assert rec["concept"] in thesaurus, f"{rec['id']}: unknown concept {rec['concept']}"


def _check_spans(records: list[dict[str, Any]], files: list[Path]) -> None:
    """Each span names one of `files`, lies 1-based inclusive within it, holds text and is listed once."""
    assert files, "no document to check the spans against"
    lines = {path.name: path.read_text(encoding="utf-8").splitlines() for path in files}
    for rec in records:
        keys = [(s["document"], s["start_line"], s["end_line"]) for s in rec["relevant"]]
        assert len(keys) == len(set(keys)), f"{rec['id']} lists a span twice"
        for document, start, end in keys:
            assert document in lines, f"{rec['id']}: unknown document {document}"
            assert 1 <= start <= end <= len(lines[document]), f"{rec['id']}: {document} {start}-{end}"
            text = lines[document][start - 1 : end]
            assert any(line.strip() for line in text), f"{rec['id']}: blank span"


def test_spans_lie_inside_their_corpus_file(
    question_sets: dict[str, list[dict[str, Any]]], corpus_dir: Path
) -> None:
    """The own-questions spans lie in the corpus files (../shared/corpus/*.txt)."""
    for path in QUESTION_FILES:
        _check_spans(question_sets[path.name], sorted(corpus_dir.glob("*.txt")))


def test_heldout_spans_lie_inside_unseen_docs(question_sets: dict[str, list[dict[str, Any]]]) -> None:
    """The held-out spans lie in tests/data/extraction/unseen-docs/*.md, never in the corpus."""
    _check_spans(question_sets[HELDOUT_FILE.name], sorted(UNSEEN_DOCS.glob("*.md")))


def test_among_corpus_set_is_the_heldout_set_plus_corpus_spans(
    question_sets: dict[str, list[dict[str, Any]]], corpus_dir: Path
) -> None:
    """The among-corpus file asks the held-out questions, keeps every held-out span and adds only pooled
    spans, which lie in the six documents or in the corpus."""
    heldout = {r["id"]: r for r in question_sets[HELDOUT_FILE.name]}
    assert AMONG_CORPUS_FILE.is_file(), f"{AMONG_CORPUS_FILE} missing"
    among = _load(AMONG_CORPUS_FILE)
    assert [r["id"] for r in among] == list(heldout)
    for rec in among:
        first = heldout[rec["id"]]
        assert {k: v for k, v in rec.items() if k != "relevant"} == {
            k: v for k, v in first.items() if k != "relevant"
        }, rec["id"]
        assert all(span in rec["relevant"] for span in first["relevant"]), rec["id"]
        for span in rec["relevant"]:
            assert span in first["relevant"] or (span.get("pooled") and set(span) - {"pooled"} == SPAN_KEYS)
    _check_spans(among, [*sorted(UNSEEN_DOCS.glob("*.md")), *sorted(corpus_dir.glob("*.txt"))])
