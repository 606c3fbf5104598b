"""PDF reader (pypdf): text per page with page starts; refuses encrypted, truncated and oversized PDFs."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError

from essgraph.core.errors import IngestFailed
from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, Reader, fail, register
from essgraph.ingest.readers.decoding import normalise_newlines

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
EOF_MARKER = b"%%EOF"
EOF_SEARCH_BYTES = 4096  # the PDF spec allows junk after %%EOF; readers look in the last 1-4 KiB


# what pypdf may raise on a hostile or broken file (its own errors, and Python's on odd structures)
_PDF_ERRORS = (
    PdfReadError,
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    OSError,
    AttributeError,
    IndexError,
    AssertionError,
    ZeroDivisionError,
    RecursionError,
)
# operators that show text, and so make the extracted text grow
_SHOWING = frozenset((b"Tj", b"TJ", b"'", b'"'))


class _BoundPassed(BaseException):
    """Raised from pypdf's extraction callbacks once the document's character bound is passed.

    A BaseException on purpose: pypdf catches `Exception` around every form XObject it draws, and
    extraction must stop inside forms too (nested forms are how a few kilobytes draw millions of
    characters).
    """

    def __init__(self, chars: int) -> None:
        super().__init__(chars)
        self.chars = chars


def _shown(operands: list[Any]) -> int:
    """Characters a text-showing operator adds at most: the length of its string operands."""
    total = 0
    for operand in operands:
        if isinstance(operand, str | bytes):
            total += len(operand)
        elif isinstance(operand, list):
            total += sum(len(item) for item in operand if isinstance(item, str | bytes))
    return total


class _TextBudget:
    """Counts the characters extracted so far, during a page's extraction, and stops past `limit`.

    pypdf reports text in pieces (`text`) when it flushes a line; the characters shown since the last
    piece (`operator`) are counted from the operators' strings, so one page drawing millions of
    characters without ever flushing is stopped too. Raises `_BoundPassed` with the count.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0  # characters of the pages already extracted (with their line ends)
        self.page = 0  # characters reported by pypdf for the current page
        self.pending = 0  # characters shown since pypdf's last report

    def _check(self) -> None:
        total = self.used + self.page + self.pending
        if total > self.limit:
            raise _BoundPassed(total)

    def text(self, text: str, *_: Any) -> None:
        """pypdf's visitor_text: a piece of extracted text."""
        self.page += len(text)
        self.pending = 0
        self._check()

    def operator(self, operator: bytes, operands: list[Any], *_: Any) -> None:
        """pypdf's visitor_operand_before: every content-stream operator, forms included."""
        if operator in _SHOWING:
            self.pending += _shown(operands)
            self._check()

    def end_page(self, chars: int) -> None:
        """Count a finished page by the length of its text as kept; raises `_BoundPassed` past the limit."""
        self.used += chars
        self.page = self.pending = 0
        self._check()


def _broken(path: Path, exc: BaseException, page: int | None) -> IngestFailed:
    """The refusal of a PDF pypdf cannot read (`page`: the 1-based page being read, if any)."""
    where_fr = f", page {page} illisible" if page else ""
    where_en = f", page {page} unreadable" if page else ""
    kind = type(exc).__name__
    if isinstance(exc, LimitReachedError):
        return fail(
            path,
            f"un flux se décompresse au-delà de la limite de décompression{where_fr} (PDF bombe ?)",
            f"a stream decompresses past the decompression limit{where_en} (PDF bomb?)",
        )
    if isinstance(exc, RecursionError):
        return fail(
            path, f"structure PDF trop imbriquée{where_fr}", f"PDF structure nested too deeply{where_en}"
        )
    return fail(path, f"PDF corrompu{where_fr} ({kind})", f"corrupt PDF{where_en} ({kind})")


@register
class PdfDocumentReader(Reader):
    """Text PDFs. Each page's text is appended to `source`; `page_starts` keeps where pages begin."""

    name = "pdf"
    media_type = "application/pdf"
    extensions = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        """True for bytes starting with the PDF header."""
        return head.startswith(PDF_MAGIC)

    def read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        """Extract the text of every page; raises `IngestFailed` for any unreadable or refused PDF."""
        if data.startswith(ZIP_MAGIC):
            raise fail(
                path, "c'est une archive ZIP renommée en .pdf, pas un PDF", "a ZIP archive renamed .pdf"
            )
        if not data.lstrip()[:16].startswith(PDF_MAGIC):
            raise fail(path, "en-tête %PDF absent : ce n'est pas un PDF", "no %PDF header: not a PDF")
        if EOF_MARKER not in data[-EOF_SEARCH_BYTES:]:
            raise fail(path, "PDF tronqué (marqueur %%EOF absent)", "truncated PDF (no %%EOF marker)")
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        # pypdf's own decoding limits, set from the settings: a few kilobytes of PDF must not expand
        # into gigabytes of stream or millions of characters
        limit = settings.max_pdf_stream_bytes
        with apply_configuration(
            zlib_maximum_output_length=limit,
            lzw_maximum_output_length=limit,
            run_length_maximum_output_length=limit,
            array_based_stream_maximum_output_length=limit,
            maximum_declared_stream_length=limit,
            stream_decoding_work_maximum_length=4 * limit,
        ):
            return self._read(path, data, settings)

    def _read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise fail(path, "PDF chiffré (protégé par mot de passe), refusé", "encrypted PDF refused")
            count = len(reader.pages)
        except _PDF_ERRORS as exc:
            raise _broken(path, exc, None) from exc
        if count > settings.max_pdf_pages:
            raise fail(
                path,
                f"{count} pages, plus que la limite de {settings.max_pdf_pages} (PDF bombe ?)",
                f"{count} pages, more than the limit of {settings.max_pdf_pages} (PDF bomb?)",
                pages=count,
                max_pdf_pages=settings.max_pdf_pages,
            )
        parts: list[str] = []
        starts: list[int] = []
        budget = _TextBudget(settings.max_document_chars)
        number = 0  # the page being read, 1-based
        try:
            for index in range(count):
                number = index + 1
                page = reader.pages[index]
                raw = page.extract_text(visitor_operand_before=budget.operator, visitor_text=budget.text)
                text = normalise_newlines(raw or "").strip("\n")
                starts.append(budget.used)
                parts.append(text + "\n")
                budget.end_page(len(text) + 1)
        except _BoundPassed as passed:
            bound = settings.max_document_chars
            raise fail(
                path,
                f"texte extrait trop long : plus de {bound} caractères dès la page {number}, "
                "extraction arrêtée (PDF bombe ?)",
                f"extracted text too long: more than {bound} characters by page {number}, "
                "extraction stopped (PDF bomb?)",
                max_document_chars=bound,
                extracted_chars=passed.chars,
                page=number,
            ) from None
        except _PDF_ERRORS as exc:
            raise _broken(path, exc, number) from exc
        source = "".join(parts)
        if not source.strip():
            raise fail(
                path, "PDF sans texte extractible (image scannée ?)", "no extractable text (scanned image?)"
            )
        title = None
        try:
            meta = reader.metadata
            title = str(meta.title).strip() if meta is not None and meta.title else None
        except _PDF_ERRORS:
            title = None
        return RawDocument(source=source, media_type=self.media_type, page_starts=starts, title_hint=title)
