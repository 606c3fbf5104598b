"""Uploaded documents: safe file names, size-capped copies into unique temporary files beside them."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from anyascii import anyascii

from essgraph.core.errors import BadInput, PayloadTooLarge, UnsupportedMediaType
from essgraph.core.text import fold, slugify

_CHUNK = 1 << 16
PART_SUFFIX = ".part"  # temporary files of uploads being received (removed at start when left over)
PREVIOUS_SUFFIX = ".previous"  # an earlier upload set aside while its replacement is ingested
FAILED_SUFFIX = ".failed"  # an upload left by a killed run that could not be ingested at the next start
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,10}$")


def accepted_extensions() -> set[str]:
    """File extensions some ingest reader claims (".txt", ".pdf", ".html"…)."""
    from essgraph.ingest.readers import registered

    return {ext for reader in registered() for ext in reader.extensions}


def safe_filename(raw: str | None, extensions: set[str]) -> str:
    """A file name that cannot leave the uploads folder: last path component only (both / and \\),
    NFKC-normalised, stem slugified (ASCII, no dots), extension kept only if a reader accepts it.

    Raises BadInput for an empty name, UnsupportedMediaType (415) for an extension no reader accepts.
    """
    if not raw or not raw.strip():
        raise BadInput("Nom de fichier manquant.", "Missing file name.")
    name = unicodedata.normalize("NFKC", raw).replace("\x00", "")
    name = PureWindowsPath(PurePosixPath(name).name).name.strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = "." + extension.lower() if extension else ""
    if not _EXTENSION.match(extension) or extension not in extensions:
        raise UnsupportedMediaType(
            f"Type de fichier refusé « {extension or '(aucun)'} » ; "
            f"acceptés : {', '.join(sorted(extensions))}.",
            f"File type '{extension or '(none)'}' refused; accepted: {', '.join(sorted(extensions))}.",
        )
    other_script = any(ch.isalpha() and not ch.isascii() for ch in fold(stem))
    slug = slugify(anyascii(stem) if other_script else stem)
    if other_script or slug == "x":
        # a name in another script (or none at all) is transliterated, and a short hash of the name as
        # written keeps two different names apart («報告» and «报告» are both "baogao")
        slug = f"{slug}-{hashlib.sha256(stem.encode('utf-8')).hexdigest()[:8]}"
    return f"{slug}{extension}"


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, checked to resolve inside `folder`; raises BadInput otherwise."""
    root = folder.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise BadInput("Nom de fichier refusé.", "File name refused.")
    return target


def spool_upload(source: BinaryIO, folder: Path, name: str, limit: int) -> Path:
    """Copy the uploaded bytes of `source` into a new temporary file of `folder`, fsynced; returns it.

    The temporary name is unique (`.<name>.<random>.part`, hidden from ingest), so concurrent uploads,
    of one name or not, never write the same file; the caller renames it to `name` on its turn.
    Raises PayloadTooLarge past `limit` bytes and BadInput for an empty file, and then keeps nothing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = inside(folder, name)
    handle_fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=PART_SUFFIX)
    tmp = Path(tmp_name)
    size = 0
    try:
        with os.fdopen(handle_fd, "wb") as handle:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(
                        f"Fichier trop volumineux : au plus {limit} octets.",
                        f"File too large: at most {limit} bytes.",
                        limit_bytes=limit,
                    )
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if size == 0:
            raise BadInput("Fichier vide.", "Empty file.")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp
