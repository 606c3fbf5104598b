"""The one atomic write: the old file or the new one, never half of one, and no temporary file left."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.files import atomic_path, atomic_write


def test_atomic_write_text_and_bytes(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "file.json"
    atomic_write(target, "Économie sociale")
    assert target.read_text(encoding="utf-8") == "Économie sociale"
    atomic_write(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.json"]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "journal.json"
    atomic_write(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half of the new", encoding="utf-8")
        raise RuntimeError("crash while writing")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["journal.json"]


def test_the_temporary_name_is_unique_and_carries_the_suffix(tmp_path: Path) -> None:
    target = tmp_path / "upload.pdf"
    with atomic_path(target, suffix=".part") as one, atomic_path(target, suffix=".part") as two:
        assert one != two and one.parent == tmp_path
        assert one.name.startswith(".upload.pdf.") and one.name.endswith(".part")
        one.write_bytes(b"first")
        two.write_bytes(b"second")
    assert target.read_bytes() == b"first"  # the last writer to finish wins, whole


def test_read_json_lines_names_the_file_and_the_bad_line(tmp_path: Path) -> None:
    from essgraph.core.errors import BadInput
    from essgraph.core.files import read_json_lines

    good = tmp_path / "ok.jsonl"
    good.write_text('{"a": 1}\n\n{"b": 2}\n', encoding="utf-8")
    assert list(read_json_lines(good, "de faits", "facts")) == [(1, {"a": 1}), (3, {"b": 2})]
    with pytest.raises(BadInput, match="introuvable"):
        list(read_json_lines(tmp_path / "absent.jsonl", "de faits", "facts"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": 1}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(BadInput, match="Ligne 2"):
        list(read_json_lines(bad, "de faits", "facts"))
