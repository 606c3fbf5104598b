"""Reader base class, the extension/content registry and the failure helper shared by every reader."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from essgraph.core.errors import IngestFailed
from essgraph.core.model import Record
from essgraph.core.settings import Settings


def fail(path: Path, reason: str, reason_en: str | None = None, **details: Any) -> IngestFailed:
    """An `IngestFailed` (returned, not raised) whose one-line messages name the file and the reason.

    `reason` is French; `reason_en` its English text (the French one is repeated when absent); the
    `details` (limits and measures, for a client to act on) go with the file into the error body.
    """
    one_line = " ".join(reason.split())
    one_line_en = " ".join((reason_en or reason).split())
    return IngestFailed(
        f"Lecture impossible de « {path.name} » : {one_line}.",
        f"Cannot read '{path.name}': {one_line_en}.",
        file=str(path),
        **details,
    )


@dataclass(slots=True)
class RawDocument:
    """What a reader hands back: the decoded source text (`\\n` line ends) and what it knows beyond it.

    `page_starts[i]` is the char offset in `source` where page i+1 starts (PDF only). `records` are the
    structured rows of a CSV/JSON/JSON-lines file, each with its lines and chars in `source`;
    `skipped_records` counts its empty rows; `record_kind` is the entity type its mapping file declares.
    `title_hint` is a title found in the file's metadata (HTML <title>, PDF /Title); `url_hint` the
    address the file declares for itself (an HTML canonical link or og:url), when it is http(s).
    """

    source: str
    media_type: str
    page_starts: list[int] | None = None
    records: list[Record] = field(default_factory=list)
    skipped_records: int = 0
    record_kind: str | None = None
    title_hint: str | None = None
    url_hint: str | None = None


class Reader(ABC):
    """One input format: which extensions it claims, how to recognise its bytes, how to decode them."""

    name: ClassVar[str]
    media_type: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes of a file show this format whatever its extension (default: never)."""
        return False

    @abstractmethod
    def read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        """Decode `data` (the whole file) into a `RawDocument`; raises `IngestFailed` on any problem."""


_REGISTRY: list[Reader] = []


def register(reader_cls: type[Reader]) -> type[Reader]:
    """Class decorator adding one instance of `reader_cls` to the registry; returns the class."""
    _REGISTRY.append(reader_cls())
    return reader_cls


def registered() -> list[Reader]:
    """Every registered reader, in registration order."""
    return list(_REGISTRY)


def reader_for(path: Path, head: bytes) -> Reader:
    """The reader for `path`: by extension, else by sniffing `head`; raises `IngestFailed` if none fits."""
    suffix = path.suffix.lower()
    for reader in _REGISTRY:
        if suffix in reader.extensions:
            return reader
    for reader in _REGISTRY:
        if reader.sniff(head):
            return reader
    known = ", ".join(sorted({ext for r in _REGISTRY for ext in r.extensions}))
    raise fail(path, f"extension « {suffix or '(aucune)'} » inconnue (formats acceptés : {known})")
