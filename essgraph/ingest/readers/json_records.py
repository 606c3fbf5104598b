"""JSON reader for records of initiatives and collectivités: a list of objects, or {"records": [...]}."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from essgraph.core.errors import IngestFailed
from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, Reader, fail, register
from essgraph.ingest.readers.decoding import decode_text
from essgraph.ingest.readers.records import check_columns, normalise_record

_WS = " \t\r\n"


def _cell(value: Any) -> str:
    """A JSON value as a record cell: lists are `;`-joined, numbers and strings as text."""
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool | dict):
        raise TypeError(type(value).__name__)
    return str(value)


def _too_deep(path: Path) -> IngestFailed:
    """The refusal of a JSON nested deeper than the parser follows (no record file is)."""
    return fail(
        path,
        "JSON trop imbriqué pour des enregistrements (voir docs/ingest.md)",
        "JSON nested too deeply for records (see docs/ingest.md)",
    )


@register
class JsonReader(Reader):
    """Records as JSON; every object is validated against the schema of docs/ingest.md."""

    name = "json"
    media_type = "application/json"
    extensions = (".json",)

    def read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        """Parse and validate every object, keeping its char span; raises `IngestFailed` naming the line."""
        source = decode_text(path, data, settings)
        try:
            whole = json.loads(source)
        except json.JSONDecodeError as exc:
            raise fail(path, f"JSON invalide ligne {exc.lineno} : {exc.msg}") from exc
        except RecursionError as exc:  # nesting deeper than the parser follows: not a record file
            raise _too_deep(path) from exc
        if isinstance(whole, dict) and isinstance(whole.get("records"), list) and len(whole) == 1:
            array_start = source.index("[", source.index('"records"'))
        elif isinstance(whole, list):
            array_start = source.index("[")
        else:
            raise fail(
                path, 'le JSON doit être une liste d\'objets ou {"records": [...]} (voir docs/ingest.md)'
            )
        decoder = json.JSONDecoder()
        records: list[dict[str, str]] = []
        spans: list[tuple[int, int]] = []
        pos = array_start + 1
        while True:
            while pos < len(source) and source[pos] in _WS + ",":
                pos += 1
            if pos >= len(source) or source[pos] == "]":
                break
            try:
                obj, end = decoder.raw_decode(source, pos)
            except RecursionError as exc:
                raise _too_deep(path) from exc
            line = source.count("\n", 0, pos) + 1
            if not isinstance(obj, dict):
                raise fail(path, f"ligne {line} : élément {type(obj).__name__} au lieu d'un objet")
            check_columns(path, list(obj), f"ligne {line}")
            try:
                raw = {k: _cell(v) for k, v in obj.items()}
            except TypeError as exc:
                raise fail(path, f"ligne {line} : valeur de type {exc} non admise") from exc
            if len(records) >= settings.max_records:
                raise fail(
                    path,
                    f"plus de {settings.max_records} objets",
                    f"more than {settings.max_records} objects",
                    max_records=settings.max_records,
                )
            records.append(normalise_record(path, raw, line))
            spans.append((pos, end))
            pos = end
        if not records:
            raise fail(path, "JSON sans aucun enregistrement")
        return RawDocument(source=source, media_type=self.media_type, records=records, record_spans=spans)
