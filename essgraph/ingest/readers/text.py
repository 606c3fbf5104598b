"""Plain text and Markdown reader (.txt, .md): the corpus files are text extracted from PDFs."""

from __future__ import annotations

from pathlib import Path

from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, Reader, register
from essgraph.ingest.readers.decoding import decode_text


@register
class TextReader(Reader):
    """UTF-8/UTF-16/cp1252 text or Markdown; line numbers are those of the file."""

    name = "text"
    media_type = "text/plain"
    extensions = (".txt", ".text", ".md", ".markdown")

    def read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        """Decode the file; the media type is text/markdown for .md files. Raises `IngestFailed`."""
        media = "text/markdown" if path.suffix.lower() in (".md", ".markdown") else self.media_type
        return RawDocument(source=decode_text(path, data, settings), media_type=media)
