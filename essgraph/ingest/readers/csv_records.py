"""CSV reader: one record per row, columns mapped by header (ingest.readers.records, docs/ingest.md)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, Reader, fail, register
from essgraph.ingest.readers.decoding import decode_text
from essgraph.ingest.readers.records import RecordBuilder

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
        """Map every row; empty rows are skipped and counted, a short row is padded with empty cells.

        Raises `IngestFailed` naming the line for a malformed CSV, a row longer than the header, a
        header wider than `settings.max_record_columns`, no data row or no name column.
        """
        source = decode_text(path, data, settings)
        first = source.split("\n", 1)[0]
        delimiter = max(_DELIMITERS, key=first.count)
        reader = csv.reader(io.StringIO(source, newline=""), delimiter=delimiter, strict=True)
        starts = line_starts(source)
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        except (csv.Error, StopIteration) as exc:
            raise fail(path, f"en-tête CSV illisible ({exc})", f"unreadable CSV header ({exc})") from exc
        builder = RecordBuilder(path, settings)
        builder.check_width(len(header), 1)
        previous_end = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise fail(
                    path,
                    f"ligne {reader.line_num} : CSV mal formé ({exc})",
                    f"line {reader.line_num}: malformed CSV ({exc})",
                ) from exc
            start_line, end_line = previous_end + 1, reader.line_num
            previous_end = reader.line_num
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                raise fail(
                    path,
                    f"ligne {start_line} : {len(row)} valeurs pour {len(header)} colonnes",
                    f"line {start_line}: {len(row)} values for {len(header)} columns",
                )
            cells = list(zip(header, [*row, *[""] * (len(header) - len(row))], strict=False))
            end_offset = starts[end_line] - 1 if end_line < len(starts) else len(source)
            builder.add(cells, (start_line, end_line), (starts[start_line - 1], end_offset))
        return builder.document(source, self.media_type)
