"""Ingest journal: persisted atomically, keyed by absolute path, prune support."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from essgraph.core.errors import ConfigError
from essgraph.ingest.journal import Journal


def test_record_reload_and_unchanged(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("x")
    journal = Journal(tmp_path / "var" / "journal.json")
    entry = journal.record(doc, "abc", "a", passages=3)
    assert entry["status"] == "ok" and entry["passages"] == 3
    again = Journal(tmp_path / "var" / "journal.json")
    assert again.is_unchanged(doc, "abc")
    assert not again.is_unchanged(doc, "def")
    assert str(doc.resolve()) in again.entries()
    stored = again.entry(doc)
    assert stored is not None and stored["doc_id"] == "a"
    assert not list((tmp_path / "var").glob(".journal-*")), "no temp file left behind"


def test_relative_and_absolute_paths_are_one_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("b.txt").write_text("y")
    journal = Journal(tmp_path / "j.json")
    journal.record(Path("b.txt"), "s", "b")
    assert journal.is_unchanged(tmp_path / "b.txt", "s")


def test_failed_status_is_not_unchanged(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.json")
    journal.record(tmp_path / "c.txt", "s", "c", status="failed")
    assert not journal.is_unchanged(tmp_path / "c.txt", "s")


def test_remove_and_missing(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.json")
    folder = tmp_path / "docs"
    folder.mkdir()
    kept, gone, other = folder / "kept.txt", folder / "gone.txt", tmp_path / "other.txt"
    for path in (kept, gone, other):
        journal.record(path, "s", path.stem)
    assert journal.missing([kept], under=[folder]) == [str(gone.resolve())]
    assert set(journal.missing([kept])) == {str(gone.resolve()), str(other.resolve())}
    assert journal.remove(gone) and not journal.remove(gone)
    assert set(Journal(tmp_path / "j.json").entries()) == {str(kept.resolve()), str(other.resolve())}


def test_corrupt_journal_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    path.write_text("{pas du json")
    with pytest.raises(ConfigError, match="corrompu"):
        Journal(path)
    path.write_text(json.dumps({"autre": 1}))
    with pytest.raises(ConfigError, match="entries"):
        Journal(path)
