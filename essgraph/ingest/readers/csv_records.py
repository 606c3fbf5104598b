"""CSV reader for records of initiatives and collectivités (schema in ingest.readers.records)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, Reader, fail, register
from essgraph.ingest.readers.decoding import decode_text
from essgraph.ingest.readers.records import check_columns, normalise_record

_DELIMITERS = ",;\t"


def line_starts(text: str) -> list[int]:
    """Char offset at which each line of `text` starts (index 0 is line 1)."""
    starts = [0]
    starts.extend(i + 1 for i, c in enumerate(text) if c == "\n")
    return starts


@register
class CsvReader(Reader):
    """Comma, semicolon or tab separated records; header row required; one record per row."""

    name = "csv"
    media_type = "text/csv"
    extensions = (".csv", ".tsv")

    def read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        """Parse and validate every row; raises `IngestFailed` naming the first bad line."""
        source = decode_text(path, data, settings)
        first = source.split("\n", 1)[0]
        delimiter = max(_DELIMITERS, key=first.count)
        reader = csv.reader(io.StringIO(source, newline=""), delimiter=delimiter, strict=True)
        starts = line_starts(source)
        try:
            header = [h.strip().lower().lstrip("\ufeff") for h in next(reader)]
        except (csv.Error, StopIteration) as exc:
            raise fail(path, f"en-tête CSV illisible ({exc})") from exc
        check_columns(path, header, "ligne 1")
        records: list[dict[str, str]] = []
        spans: list[tuple[int, int]] = []
        previous_end = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise fail(path, f"ligne {reader.line_num} : CSV mal formé ({exc})") from exc
            start_line, end_line = previous_end + 1, reader.line_num
            previous_end = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise fail(path, f"ligne {start_line} : {len(row)} valeurs pour {len(header)} colonnes")
            if len(records) >= settings.max_records:
                raise fail(
                    path,
                    f"plus de {settings.max_records} lignes",
                    f"more than {settings.max_records} rows",
                    max_records=settings.max_records,
                )
            records.append(normalise_record(path, dict(zip(header, row, strict=True)), start_line))
            end_offset = starts[end_line] - 1 if end_line < len(starts) else len(source)
            spans.append((starts[start_line - 1], end_offset))
        if not records:
            raise fail(path, "CSV sans aucune ligne de données")
        return RawDocument(source=source, media_type=self.media_type, records=records, record_spans=spans)
