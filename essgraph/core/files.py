"""Atomic file writing: a reader or a crash sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from essgraph.core.errors import BadInput


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside `path` for the caller to write (by any library); when the block ends
    without error it is fsync'd, renamed over `path` and the rename made durable; on error it is
    removed and `path` is left as it was. The temporary name is unique (`.<name>.<random><suffix>`),
    so concurrent writers of one path never share it; a start-up clean-up can find leftovers by
    `suffix`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8, or bytes) to `path` atomically and durably: a temporary file in the
    same folder, fsync, `os.replace`, fsync of the folder (see `atomic_path`, for writers that need a
    path or a stream of their own)."""
    with atomic_path(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)


def read_json_lines(path: Path, what_fr: str, what_en: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The (line number, object) pairs of a JSON-lines file, blank lines skipped.

    Raises BadInput naming the file (`what_fr` / `what_en`: "de faits" / "facts") when it is missing, and
    the line when it is not JSON or not an object.
    """
    if not path.is_file():
        raise BadInput(f"Fichier {what_fr} introuvable : {path}", f"{what_en} file not found: {path}")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"Ligne {number} invalide dans {path} : {exc}", f"invalid line {number}") from exc
        if not isinstance(item, dict):
            raise BadInput(
                f"Ligne {number} n'est pas un objet dans {path}", f"line {number} is not an object"
            )
        yield number, item
