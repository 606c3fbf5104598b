"""The ingest journal: which file was ingested with which content hash, persisted atomically as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from essgraph.core.errors import ConfigError
from essgraph.core.files import atomic_write

JOURNAL_VERSION = 1
STATUS_OK = "ok"


def _key(path: Path | str) -> str:
    """The journal key of a file: its absolute, resolved path as a string."""
    return str(Path(path).resolve())


class Journal:
    """Entries keyed by absolute path -> {sha256, doc_id, ingested_at, passages, status}.

    Every change is written at once: temp file in the same folder, fsync, `os.replace`, fsync of the
    folder, so a crash leaves either the old or the new journal, never a torn one.
    """

    def __init__(self, path: Path) -> None:
        """Open (or start) the journal at `path`; raises `ConfigError` if the file is not a journal."""
        self.path = Path(path)
        self._entries: dict[str, dict[str, Any]] = self._load()

    def _load(self) -> dict[str, dict[str, Any]]:
        """The entries stored on disk ({} when the file does not exist yet)."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise ConfigError(f"Journal d'ingestion illisible : {self.path} ({exc.strerror}).") from exc
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"Journal d'ingestion corrompu : {self.path} (JSON invalide ligne {exc.lineno})."
            ) from exc
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            raise ConfigError(f"Journal d'ingestion corrompu : {self.path} (clé « entries » absente).")
        return {str(k): dict(v) for k, v in entries.items() if isinstance(v, dict)}

    def _save(self) -> None:
        """Write the journal atomically (temp file + fsync + os.replace + fsync of the folder)."""
        payload = json.dumps(
            {"version": JOURNAL_VERSION, "entries": self._entries},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )
        atomic_write(self.path, payload)

    def is_unchanged(self, path: Path | str, sha: str, pipeline: str | None = None) -> bool:
        """True when `path` was ingested successfully with exactly this sha256 (and pipeline version)."""
        entry = self._entries.get(_key(path))
        return (
            entry is not None
            and entry.get("sha256") == sha
            and entry.get("status") == STATUS_OK
            and (pipeline is None or entry.get("pipeline") == pipeline)
        )

    def entry(self, path: Path | str) -> dict[str, Any] | None:
        """A copy of the entry of `path`, or None if it was never ingested."""
        entry = self._entries.get(_key(path))
        return dict(entry) if entry is not None else None

    def record(
        self,
        path: Path | str,
        sha: str,
        doc_id: str,
        passages: int = 0,
        status: str = STATUS_OK,
        pipeline: str | None = None,
    ) -> dict[str, Any]:
        """Store (and persist) the entry of `path`; `pipeline` is the version that produced it."""
        entry: dict[str, Any] = {
            "sha256": sha,
            "pipeline": pipeline,
            "doc_id": doc_id,
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "passages": int(passages),
            "status": status,
        }
        self._entries[_key(path)] = entry
        self._save()
        return dict(entry)

    def remove(self, path: Path | str) -> bool:
        """Forget `path` (persisted); returns True if it was there."""
        if self._entries.pop(_key(path), None) is None:
            return False
        self._save()
        return True

    def entries(self) -> dict[str, dict[str, Any]]:
        """A copy of every entry, keyed by absolute path."""
        return {k: dict(v) for k, v in self._entries.items()}

    def missing(
        self, paths_seen: Iterable[Path | str], under: Iterable[Path | str] | None = None
    ) -> list[str]:
        """Journalled paths not in `paths_seen` (for --prune), limited to those below `under` if given."""
        seen = {_key(p) for p in paths_seen}
        roots = [Path(_key(r)) for r in under] if under is not None else None
        out = []
        for key in sorted(self._entries):
            if key in seen:
                continue
            if roots is not None and not any(Path(key).is_relative_to(r) for r in roots):
                continue
            out.append(key)
        return out
