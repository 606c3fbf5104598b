"""The merge step of bench/search_pool.py: judged pooled spans join their questions, bad judgements
stop the merge with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.search_pool import main

DOC = "doc.txt"


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def questions(tmp_path: Path) -> Path:
    first = {"document": DOC, "start_line": 3, "end_line": 5, "grade": 2}
    return _write(
        tmp_path / "q.jsonl",
        [
            {"id": "q1", "query": "une question", "relevant": [first], "notes": "lexical"},
            {"id": "q2", "query": "une autre", "relevant": [], "notes": "paraphrase. no answer"},
        ],
    )


def _judgement(qid: str, cand: int, start: int, end: int, grade: int) -> dict[str, object]:
    return {"id": qid, "cand": cand, "document": DOC, "start_line": start, "end_line": end, "grade": grade}


def test_merge_adds_graded_spans_marked_pooled(tmp_path: Path, questions: Path) -> None:
    judged = _write(
        tmp_path / "judged.jsonl",
        [
            _judgement("q1", 1, 10, 12, 1),
            _judgement("q1", 2, 20, 22, 0),  # not relevant: not kept
            _judgement("q2", 1, 30, 30, 2),
            _judgement("q1", 3, 3, 5, 1),  # the span already judged: kept once, with its first grade
        ],
    )
    out = tmp_path / "merged.jsonl"
    assert main(["merge", str(questions), str(judged), "--out", str(out)]) == 0
    merged = {q["id"]: q for q in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert merged["q1"]["relevant"] == [
        {"document": DOC, "start_line": 3, "end_line": 5, "grade": 2},
        {"document": DOC, "start_line": 10, "end_line": 12, "grade": 1, "pooled": True},
    ]
    assert merged["q2"]["relevant"] == [
        {"document": DOC, "start_line": 30, "end_line": 30, "grade": 2, "pooled": True}
    ]
    assert merged["q1"]["query"] == "une question"  # everything else unchanged


@pytest.mark.parametrize(
    "bad",
    [
        _judgement("q9", 1, 10, 12, 1),  # unknown question
        _judgement("q1", 1, 10, 12, 3),  # grade off the scale
        _judgement("q1", 1, 12, 10, 1),  # empty line range
    ],
)
def test_merge_refuses_a_bad_judgement_and_writes_nothing(
    tmp_path: Path, questions: Path, bad: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    judged = _write(tmp_path / "judged.jsonl", [_judgement("q1", 2, 40, 41, 2), bad])
    out = tmp_path / "merged.jsonl"
    assert main(["merge", str(questions), str(judged), "--out", str(out)]) == 1
    assert not out.exists()
    assert "judged.jsonl:2" in capsys.readouterr().err


def _batch(folder: Path) -> Path:
    """A batch file as `pool` writes it: q1 has candidates 1 (lines 10-14) and 2 (20-22)."""
    folder.mkdir()
    cands = [
        {"cand": 1, "document": DOC, "start_line": 10, "end_line": 14, "text": "…"},
        {"cand": 2, "document": DOC, "start_line": 20, "end_line": 22, "text": "…"},
    ]
    entry = {"id": "q1", "query": "une question", "judged": [], "candidates": cands}
    (folder / "batch-01.json").write_text(json.dumps([entry]), encoding="utf-8")
    return folder


def test_merge_with_the_pool_takes_the_document_from_the_candidate(tmp_path: Path, questions: Path) -> None:
    """Judges write {id, cand, grade, lines}: the candidate gives the document."""
    pool = _batch(tmp_path / "pool")
    judged = _write(
        tmp_path / "judged.jsonl",
        [
            {"id": "q1", "cand": 1, "grade": 1, "start_line": 11, "end_line": 12},
            {"id": "q1", "cand": 2, "grade": 0, "start_line": 20, "end_line": 22},
        ],
    )
    out = tmp_path / "merged.jsonl"
    assert main(["merge", str(questions), str(judged), "--pool", str(pool), "--out", str(out)]) == 0
    merged = {q["id"]: q for q in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert merged["q1"]["relevant"][1] == {
        "document": DOC,
        "start_line": 11,
        "end_line": 12,
        "grade": 1,
        "pooled": True,
    }


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"id": "q1", "cand": 7, "grade": 1, "start_line": 11, "end_line": 12}, "unknown candidate"),
        ({"id": "q1", "cand": 1, "grade": 1, "start_line": 13, "end_line": 16}, "outside the candidate"),
        (
            {"id": "q1", "cand": 1, "grade": 1, "start_line": 11, "end_line": 12, "document": "x.txt"},
            "not the candidate's",
        ),
    ],
)
def test_merge_with_the_pool_refuses_what_does_not_fit_a_candidate(
    tmp_path: Path, questions: Path, bad: dict[str, object], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = _batch(tmp_path / "pool")
    judged = _write(tmp_path / "judged.jsonl", [bad])
    out = tmp_path / "merged.jsonl"
    assert main(["merge", str(questions), str(judged), "--pool", str(pool), "--out", str(out)]) == 1
    assert not out.exists()
    assert message in capsys.readouterr().err


def test_merge_without_the_pool_needs_the_document(
    tmp_path: Path, questions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A judgement without its document is an error naming the option, not a crash."""
    judged = _write(
        tmp_path / "judged.jsonl", [{"id": "q1", "cand": 1, "grade": 1, "start_line": 11, "end_line": 12}]
    )
    assert main(["merge", str(questions), str(judged), "--out", str(tmp_path / "m.jsonl")]) == 1
    assert "--pool" in capsys.readouterr().err
