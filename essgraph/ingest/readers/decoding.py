"""Byte-to-text decoding for text-like inputs: BOMs, UTF-8, UTF-16, cp1252 fallback, line endings."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import fail

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NEWLINES = re.compile(r"\r\n|\r")
_ALLOWED_CONTROLS = frozenset("\n\r\t\f\v")


def normalise_newlines(text: str) -> str:
    """`text` with CRLF and lone CR turned into `\\n` (each original line end stays one line end)."""
    return _NEWLINES.sub("\n", text)


def _control_ratio(text: str) -> float:
    """Share of characters that are control characters other than usual whitespace."""
    if not text:
        return 0.0
    bad = sum(1 for c in text if c not in _ALLOWED_CONTROLS and unicodedata.category(c) in ("Cc", "Cs", "Co"))
    return bad / len(text)


def decode_text(path: Path, data: bytes, settings: Settings) -> str:
    """Decode `data` as text with `\\n` line ends.

    Tries a BOM (UTF-8/16/32), then strict UTF-8, then cp1252 (latin-1 for the bytes cp1252 leaves
    undefined) when the result looks like text. Raises `IngestFailed` for NUL bytes, binary junk,
    undecodable bytes, or a text that is empty or whitespace only.
    """
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise fail(
                    path,
                    f"texte {encoding} invalide (octet {exc.start})",
                    f"invalid {encoding} text (byte {exc.start})",
                ) from exc
            break
    if text is None:
        if b"\x00" in data:
            position = data.index(b"\x00")
            raise fail(
                path,
                f"octets nuls (NUL) à la position {position} : fichier binaire",
                f"NUL bytes at position {position}: binary file",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data, settings.min_letter_ratio)
            if text is None:
                raise fail(
                    path,
                    "encodage illisible (ni UTF-8, ni UTF-16, ni Windows-1252)",
                    "unreadable encoding (neither UTF-8, UTF-16 nor Windows-1252)",
                ) from None
    if "\x00" in text:
        raise fail(
            path, "octets nuls (NUL) dans le texte : fichier binaire", "NUL bytes in the text: binary file"
        )
    if _control_ratio(text) > settings.max_control_ratio:
        raise fail(
            path,
            "contenu binaire (trop de caractères de contrôle), pas du texte",
            "binary content (too many control characters), not text",
        )
    if not text.strip():
        raise fail(path, "le fichier ne contient que des espaces", "the file holds only whitespace")
    return normalise_newlines(text)


def _decode_legacy(data: bytes, min_letter_ratio: float) -> str | None:
    """cp1252 decoding (undefined bytes read as latin-1); None when the result does not look like text."""
    chars = []
    for byte in data:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(bytes([byte]).decode("latin-1"))
    text = "".join(chars)
    letters = sum(1 for c in text if c.isalpha() or c.isspace() or c in ".,;:!?'\"()-«»’")
    if not text or letters / len(text) < min_letter_ratio:
        return None
    return text
