"""Companion files read with a document, never ingested alone: its column mapping and its metadata.

`<file>.mapping.json` says how a data file's headers name fields (readers/record_fields.py);
`<file>.meta.json` gives what the text does not say reliably: the publication's title, publisher,
date, edition and address (URL), so that a citation can link to the original publication. A changed
companion re-ingests its document: its bytes enter the document's fingerprint.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from essgraph.core.errors import IngestFailed
from essgraph.ingest.readers.base import fail

COMPANION_SUFFIXES: tuple[str, ...] = (".mapping.json", ".meta.json")
META_SUFFIX = ".meta.json"
MAX_META_BYTES = 64 * 1024  # a metadata file is a handful of fields; larger is a mistake, refused

_ISSUED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # 2020, 2020-06 or 2020-06-15


def is_companion(path: Path) -> bool:
    """True for a companion file (read with its document, never ingested alone)."""
    return path.name.lower().endswith(COMPANION_SUFFIXES)


def companions(path: Path) -> list[Path]:
    """The companion files of document `path` that exist, in a fixed order."""
    return [p for p in (path.with_name(path.name + s) for s in COMPANION_SUFFIXES) if p.is_file()]


@dataclass(slots=True, frozen=True)
class DocumentMeta:
    """A document's metadata from its `.meta.json`; None fields are left to what the text says."""

    title: str | None = None
    publisher: str | None = None
    issued: str | None = None
    edition: str | None = None
    url: str | None = None


_FIELDS: dict[str, str] = {
    "title": "titre",
    "publisher": "éditeur",
    "issued": "date (AAAA, AAAA-MM ou AAAA-MM-JJ)",
    "edition": "édition",
    "url": "adresse http(s) de la publication",
}


def read_meta(document: Path) -> DocumentMeta:
    """The metadata beside `document` (`<file>.meta.json`), or an empty DocumentMeta when there is none.

    Raises IngestFailed (naming the document and the bad field) for a file that is not a JSON object of
    the known fields with text values, a date that is not ISO, or an address that is not http(s): a
    wrong address in a citation is worse than none.
    """
    where = document.with_name(document.name + META_SUFFIX)
    if not where.is_file():
        return DocumentMeta()
    try:
        if where.stat().st_size > MAX_META_BYTES:
            raise _bad(
                document, where, f"plus de {MAX_META_BYTES} octets", f"more than {MAX_META_BYTES} bytes"
            )
        data = json.loads(where.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(document, where, f"JSON illisible ({exc})", f"unreadable JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise _bad(document, where, "un objet JSON est attendu", "a JSON object is expected")
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        known = ", ".join(f"{k} ({v})" for k, v in _FIELDS.items())
        raise _bad(
            document,
            where,
            f"champ inconnu {unknown[0]!r} ; champs connus : {known}",
            f"unknown field {unknown[0]!r}",
        )
    values: dict[str, str | None] = {}
    for key, value in data.items():
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise _bad(
                document, where, f"{key} doit être un texte non vide", f"{key} must be a non-empty string"
            )
        values[key] = " ".join(value.split()) if value else None
    issued, url = values.get("issued"), values.get("url")
    if issued and not _ISSUED.match(issued):
        raise _bad(
            document, where, f"date {issued!r} : AAAA, AAAA-MM ou AAAA-MM-JJ attendu", f"date {issued!r}"
        )
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            raise _bad(
                document,
                where,
                f"adresse {url!r} : http(s)://… attendu",
                f"address {url!r}: http(s) expected",
            )
    return DocumentMeta(**values)


def _bad(document: Path, where: Path, reason: str, reason_en: str) -> IngestFailed:
    return fail(
        document,
        f"métadonnées {where.name} : {reason}",
        f"metadata {where.name}: {reason_en}",
        meta=str(where),
    )


__all__ = ["COMPANION_SUFFIXES", "DocumentMeta", "companions", "is_companion", "read_meta"]
