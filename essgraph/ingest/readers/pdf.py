"""PDF reader (pypdf): text per page with page starts; refuses encrypted, truncated and oversized PDFs."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from pypdf import PdfReader, apply_configuration
from pypdf.errors import PdfReadError, PyPdfError

from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, Reader, fail, register
from essgraph.ingest.readers.decoding import normalise_newlines

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
EOF_MARKER = b"%%EOF"
EOF_SEARCH_BYTES = 4096  # the PDF spec allows junk after %%EOF; readers look in the last 1-4 KiB


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
            raise fail(path, "c'est une archive ZIP renommée en .pdf, pas un PDF")
        if not data.lstrip()[:16].startswith(PDF_MAGIC):
            raise fail(path, "en-tête %PDF absent : ce n'est pas un PDF")
        if EOF_MARKER not in data[-EOF_SEARCH_BYTES:]:
            raise fail(path, "PDF tronqué (marqueur %%EOF absent)")
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
                raise fail(path, "PDF chiffré (protégé par mot de passe), refusé")
            count = len(reader.pages)
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
            raise fail(path, f"PDF corrompu ({type(exc).__name__})") from exc
        if count > settings.max_pdf_pages:
            raise fail(path, f"{count} pages, plus que la limite de {settings.max_pdf_pages} (PDF bombe ?)")
        parts: list[str] = []
        starts: list[int] = []
        offset = 0
        try:
            for page in reader.pages:
                text = normalise_newlines(page.extract_text() or "").strip("\n")
                starts.append(offset)
                parts.append(text + "\n")
                offset += len(text) + 1
                if offset > settings.max_document_chars:
                    raise fail(
                        path,
                        f"texte extrait trop long : plus de {settings.max_document_chars} caractères "
                        f"dès la page {len(starts)} (PDF bombe ?)",
                    )
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
            raise fail(path, f"PDF corrompu, page {len(starts)} illisible ({type(exc).__name__})") from exc
        source = "".join(parts)
        if not source.strip():
            raise fail(path, "PDF sans texte extractible (image scannée ?)")
        title = None
        try:
            meta = reader.metadata
            title = str(meta.title).strip() if meta is not None and meta.title else None
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError):
            title = None
        return RawDocument(source=source, media_type=self.media_type, page_starts=starts, title_hint=title)
