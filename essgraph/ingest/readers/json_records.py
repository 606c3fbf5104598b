"""JSON and JSON-lines readers: one record per object (a list, {"<any key>": [...]}, or one object a line)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from essgraph.core.errors import IngestFailed
from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, Reader, fail, register
from essgraph.ingest.readers.decoding import decode_text
from essgraph.ingest.readers.records import RecordBuilder

_WS = " \t\r\n"


def _cell(value: Any) -> str:
    """A JSON value as a record cell: lists `;`-joined, booleans oui/non, numbers and strings as text."""
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dict):
        return "; ".join(f"{k} : {_cell(v)}" for k, v in value.items())
    return str(value)


def cells_of(obj: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """(header, cell) of every key of a JSON object; a nested object gives "parent.child" headers."""
    out: list[tuple[str, str]] = []
    for key, value in obj.items():
        header = f"{prefix}{key}"
        if isinstance(value, dict) and value and not prefix:
            out.extend(cells_of(value, header + "."))
        else:
            out.append((header, _cell(value)))
    return out


def _too_deep(path: Path) -> IngestFailed:
    """The refusal of a JSON nested deeper than the parser follows (no record file is)."""
    return fail(
        path,
        "JSON trop imbriqué pour des enregistrements (voir docs/ingest.md)",
        "JSON nested too deeply for records (see docs/ingest.md)",
    )


def _add_object(builder: RecordBuilder, path: Path, obj: Any, source: str, pos: int, end: int) -> None:
    """Add one JSON value (which must be an object) spanning source[pos:end] to `builder`."""
    line = source.count("\n", 0, pos) + 1
    if not isinstance(obj, dict):
        kind = type(obj).__name__
        raise fail(
            path,
            f"ligne {line} : élément {kind} au lieu d'un objet",
            f"line {line}: {kind} element instead of an object",
        )
    cells = cells_of(obj)
    builder.check_width(len(cells), line)
    end_line = source.count("\n", 0, max(pos, end - 1)) + 1
    builder.add(cells, (line, end_line), (pos, end))


def _array_start(path: Path, source: str, whole: Any) -> int:
    """Offset of the `[` opening the array of records: the top level, or the one list member of a
    top-level object ({"records": [...]}, {"items": [...]}, {"data": [...], "total": 3})."""
    if isinstance(whole, list):
        return source.index("[")
    if isinstance(whole, dict):
        lists = [
            k for k, v in whole.items() if isinstance(v, list) and v and all(isinstance(o, dict) for o in v)
        ]
        if len(lists) == 1:
            decoder = json.JSONDecoder()
            pos = source.index("{") + 1
            while True:  # walk the top-level members to find the list's own offset
                while source[pos] in _WS + ",":
                    pos += 1
                key, pos = decoder.raw_decode(source, pos)
                while source[pos] in _WS + ":":
                    pos += 1
                if key == lists[0]:
                    return pos
                _, pos = decoder.raw_decode(source, pos)
    raise fail(
        path,
        "le JSON doit être une liste d'objets ou un objet avec une seule liste d'objets "
        '({"records": [...]})',
        'the JSON must be a list of objects or an object with one list of objects ({"records": [...]})',
    )


@register
class JsonReader(Reader):
    """Records as JSON: a list of objects, or an object holding one list of objects."""

    name = "json"
    media_type = "application/json"
    extensions = (".json",)

    def read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        """Map every object, keeping its char span; raises `IngestFailed` naming the line."""
        source = decode_text(path, data, settings)
        try:
            whole = json.loads(source)
        except json.JSONDecodeError as exc:
            raise fail(
                path,
                f"JSON invalide ligne {exc.lineno} : {exc.msg}",
                f"invalid JSON line {exc.lineno}: {exc.msg}",
            ) from exc
        except RecursionError as exc:  # nesting deeper than the parser follows: not a record file
            raise _too_deep(path) from exc
        builder = RecordBuilder(path, settings, ("objets", "objects"))
        decoder = json.JSONDecoder()
        pos = _array_start(path, source, whole) + 1
        while True:
            while pos < len(source) and source[pos] in _WS + ",":
                pos += 1
            if pos >= len(source) or source[pos] == "]":
                break
            try:
                obj, end = decoder.raw_decode(source, pos)
            except RecursionError as exc:
                raise _too_deep(path) from exc
            _add_object(builder, path, obj, source, pos, end)
            pos = end
        return builder.document(source, self.media_type)


@register
class JsonLinesReader(Reader):
    """Records as JSON lines: one object per line, blank lines skipped and counted."""

    name = "jsonl"
    media_type = "application/x-ndjson"
    extensions = (".jsonl", ".ndjson")

    def read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        """Map the object of every non-blank line; raises `IngestFailed` naming the first bad line."""
        source = decode_text(path, data, settings)
        builder = RecordBuilder(path, settings, ("lignes", "lines"))
        pos = 0
        for number, line in enumerate(source.split("\n"), start=1):
            start, pos = pos, pos + len(line) + 1
            if not line.strip():
                builder.skipped += 1 if pos <= len(source) else 0
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise fail(
                    path,
                    f"ligne {number} : JSON invalide ({exc.msg})",
                    f"line {number}: invalid JSON ({exc.msg})",
                ) from exc
            except RecursionError as exc:
                raise _too_deep(path) from exc
            _add_object(builder, path, obj, source, start, start + len(line))
        return builder.document(source, self.media_type)
