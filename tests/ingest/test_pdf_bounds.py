"""A few kilobytes of PDF must not expand into millions of characters: extraction is bounded."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from essgraph.core.errors import IngestFailed
from essgraph.core.settings import Settings
from essgraph.ingest.reading import read_document

LINE = "Une commune soutient une cooperative. " * 4  # 152 characters drawn per text operator
SMALL_BOUND = 1000  # the smallest max_document_chars the settings accept


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


def _one_page(
    content: bytes, xobjects: DictionaryObject | None = None, writer: PdfWriter | None = None
) -> bytes:
    """A one-page PDF whose (compressed) content stream is `content`, Helvetica as /F1."""
    writer = writer or PdfWriter()
    page = writer.add_blank_page(612, 792)
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): _font()})})
    if xobjects is not None:
        resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode(level=9))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _many_lines() -> bytes:
    """One page of 3 000 lines: 456 000 characters from 9 kilobytes."""
    line = f"BT /F1 10 Tf 20 700 Td ({LINE}) Tj ET\n".encode("latin-1")
    return _one_page(line * 3000)


def _one_endless_line() -> bytes:
    """One text object showing 3 000 strings at one place: pypdf reports no text until its end."""
    return _one_page(b"BT /F1 10 Tf 20 700 Td " + f"({LINE}) Tj ".encode("latin-1") * 3000 + b"ET\n")


def _nested_forms() -> bytes:
    """Form XObjects drawing each other ten times, three levels deep: 1 000 copies of one line."""
    writer = PdfWriter()
    box = ArrayObject([NumberObject(0), NumberObject(0), NumberObject(612), NumberObject(792)])
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(_font())})
    drawn = f"BT /F1 10 Tf 20 700 Td ({LINE}) Tj ET\n".encode("latin-1")
    child: DictionaryObject | None = None
    for _ in range(4):
        form = DecodedStreamObject()
        form.set_data(drawn if child is None else b"/X0 Do\n" * 10)
        resources = DictionaryObject({NameObject("/Font"): fonts})
        if child is not None:
            resources[NameObject("/XObject")] = DictionaryObject({NameObject("/X0"): child})
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): box,
                NameObject("/Resources"): resources,
            }
        )
        child = writer._add_object(form)
    assert child is not None
    return _one_page(b"/X0 Do\n" * 10, DictionaryObject({NameObject("/X0"): child}), writer)


@pytest.mark.parametrize("make", [_many_lines, _one_endless_line, _nested_forms])
def test_extraction_stops_inside_the_page_that_passes_the_bound(tmp_path: Path, make: object) -> None:
    assert callable(make)
    data = make()
    assert len(data) < 20_000
    path = tmp_path / "bombe.pdf"
    path.write_bytes(data)
    with pytest.raises(IngestFailed) as error:
        read_document(path, Settings(home=tmp_path / "home", max_document_chars=SMALL_BOUND))
    details = error.value.details
    assert details["page"] == 1 and details["max_document_chars"] == SMALL_BOUND
    # stopped at the text operator that passed the bound, not at the end of the page
    assert SMALL_BOUND < details["extracted_chars"] <= SMALL_BOUND + len(LINE) + 1
    assert "extraction arrêtée" in error.value.message_fr
    assert (
        "extracted text too long" in error.value.message_en and "extraction stopped" in error.value.message_en
    )


def test_a_pdf_with_more_pages_than_the_bound_is_refused_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "pages.pdf"
    path.write_bytes(_pdf_with_shared_content(pages=12, text_per_page=1))
    with pytest.raises(IngestFailed) as error:
        read_document(path, Settings(home=tmp_path / "home", max_pdf_pages=10))
    assert error.value.details["pages"] == 12 and error.value.details["max_pdf_pages"] == 10
    assert "12 pages, more than the limit of 10" in error.value.message_en


def test_a_stream_bomb_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "flot.pdf"
    path.write_bytes(_one_page(b"BT /F1 10 Tf (x) Tj ET\n" * 300_000))  # 6.9 MB once decoded
    with pytest.raises(IngestFailed) as error:
        read_document(path, Settings(home=tmp_path / "home", max_pdf_stream_bytes=1024 * 1024))
    assert "décompresse au-delà" in error.value.message_fr and "corrompu" not in error.value.message_fr
    assert "page 1" in error.value.message_fr  # pages are counted from 1


def test_a_deeply_nested_pdf_content_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "imbrique.pdf"
    path.write_bytes(_one_page(b"BT /F1 10 Tf " + b"[" * 5000 + b"]" * 5000 + b" TJ (Bonjour) Tj ET"))
    with pytest.raises(IngestFailed) as error:
        read_document(path, Settings(home=tmp_path / "home"))
    assert "trop imbriquée" in error.value.message_fr and "nested too deeply" in error.value.message_en


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("long.txt", "La commune soutient une recyclerie solidaire de quartier.\n\n" * 40),
        ("long.md", "# Note\n\n" + "La commune soutient une recyclerie solidaire.\n\n" * 40),
        (
            "long.html",
            "<html><body>" + "<p>La commune soutient une recyclerie solidaire.</p>" * 40 + "</body></html>",
        ),
        ("long.csv", "type,nom\n" + "".join(f"initiative,Recyclerie solidaire {i}\n" for i in range(60))),
        (
            "long.json",
            "[" + ",".join(f'{{"type": "initiative", "nom": "Recyclerie {i}"}}' for i in range(40)) + "]",
        ),
    ],
)
def test_every_format_has_the_same_character_bound(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestFailed) as error:
        read_document(path, Settings(home=tmp_path / "home", max_document_chars=SMALL_BOUND))
    assert error.value.details["max_document_chars"] == SMALL_BOUND
    assert error.value.details["extracted_chars"] > SMALL_BOUND
    assert "more than the limit of 1000" in error.value.message_en
    read_document(path, Settings(home=tmp_path / "home"))  # and read whole under the default bound
