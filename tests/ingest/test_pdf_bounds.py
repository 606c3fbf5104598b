"""A few kilobytes of PDF must not expand into millions of characters: extraction is bounded."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, StreamObject

from essgraph.core.errors import IngestFailed
from essgraph.core.settings import Settings
from essgraph.ingest.reading import read_document


def _font() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )


def _pdf_with_shared_content(pages: int, text_per_page: int) -> bytes:
    """Many pages pointing at ONE compressed content stream: tiny on disk, huge once extracted."""
    writer = PdfWriter()
    line = "Une commune soutient une cooperative. " * 4
    body = "".join(f"BT /F1 10 Tf 20 {700 - (i % 60) * 10} Td ({line}) Tj ET\n" for i in range(text_per_page))
    content = StreamObject()
    content._data = zlib.compress(body.encode("latin-1"), 9)
    content[NameObject("/Filter")] = NameObject("/FlateDecode")
    shared = writer._add_object(content)
    font = writer._add_object(_font())
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Contents")] = shared
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_small_pdf_expanding_past_the_character_bound_is_refused(tmp_path: Path) -> None:
    data = _pdf_with_shared_content(pages=200, text_per_page=200)
    assert len(data) < 40_000  # about 6 million characters once every page is extracted
    path = tmp_path / "bombe.pdf"
    path.write_bytes(data)
    settings = Settings(home=tmp_path / "home", max_document_chars=200_000)
    with pytest.raises(IngestFailed) as error:
        read_document(path, settings)
    assert "trop long" in error.value.message_fr


def test_a_stream_decompressing_past_its_bound_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 10 Tf (x) Tj ET\n" * 1_000_000)  # 23 MB once decoded
    stream = stream.flate_encode(level=9)
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "flot.pdf"
    path.write_bytes(out.getvalue())
    settings = Settings(home=tmp_path / "home", max_pdf_stream_bytes=4 * 1024 * 1024)
    with pytest.raises(IngestFailed):
        read_document(path, settings)


def test_an_ordinary_pdf_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "court.pdf"
    path.write_bytes(_pdf_with_shared_content(pages=2, text_per_page=3))
    document = read_document(path, Settings(home=tmp_path / "home"))
    assert "cooperative" in document.source
