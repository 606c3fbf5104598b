"""Uploaded documents: safe file names, streamed size-capped writes into the uploads folder."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from essgraph.core.errors import BadInput, PayloadTooLarge, UnsupportedMediaType
from essgraph.core.text import slugify

_CHUNK = 1 << 16
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
    slug = slugify(stem)
    return f"{slug}{extension}"


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, checked to resolve inside `folder`; raises BadInput otherwise."""
    root = folder.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise BadInput("Nom de fichier refusé.", "File name refused.")
    return target


def store_upload(chunks: list[bytes] | None, folder: Path, name: str, limit: int) -> Path:
    """Write `chunks` to `folder/name` through a temp file renamed at the end; returns the path.

    Raises PayloadTooLarge (nothing kept) when the content exceeds `limit` bytes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = inside(folder, name)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    size = 0
    try:
        with tmp.open("wb") as handle:
            for chunk in chunks or []:
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
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
