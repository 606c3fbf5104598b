"""Entry point of ingest reading: a file path -> a cleaned, segmented `ParsedDocument`."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from essgraph.core.errors import IngestFailed
from essgraph.core.model import Link, ParsedDocument, Passage, Section
from essgraph.core.settings import Settings
from essgraph.core.text import slugify
from essgraph.ingest.clean import clean
from essgraph.ingest.companions import DocumentMeta, read_meta
from essgraph.ingest.readers import RawDocument, fail, reader_for
from essgraph.ingest.readers.record_fields import type_of_name
from essgraph.ingest.readers.records import render_record
from essgraph.ingest.segment import (
    DocumentInfo,
    detect_document,
    find_sections,
    line_of,
    line_starts,
    make_passages,
)

SNIFF_BYTES = 1024


def _read_bytes(path: Path, settings: Settings) -> bytes:
    """The whole content of a regular file; raises `IngestFailed` for anything else or too large."""
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise fail(path, "boucle de liens symboliques") from exc
        if exc.errno == errno.ENOENT:
            raise fail(path, "fichier introuvable (ou lien symbolique cassé)") from exc
        raise fail(path, f"fichier inaccessible ({exc.strerror})") from exc
    if stat.S_ISDIR(st.st_mode):
        raise fail(path, "c'est un dossier, pas un fichier")
    if not stat.S_ISREG(st.st_mode):
        raise fail(path, "ce n'est pas un fichier ordinaire (tube, socket ou périphérique)")
    if st.st_size > settings.max_file_bytes:
        raise fail(
            path,
            f"{st.st_size} octets, plus que la limite de {settings.max_file_bytes} octets",
            f"{st.st_size} bytes, more than the limit of {settings.max_file_bytes} bytes",
            max_file_bytes=settings.max_file_bytes,
        )
    if st.st_size == 0:
        raise fail(path, "fichier vide")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(settings.max_file_bytes + 1)
    except OSError as exc:
        raise fail(path, f"lecture refusée ({exc.strerror})") from exc
    if len(data) > settings.max_file_bytes:
        raise fail(path, f"plus de {settings.max_file_bytes} octets")
    if not data:
        raise fail(path, "fichier vide")
    return data


def _record_document(raw: RawDocument, doc: ParsedDocument) -> None:
    """Fill `doc` from structured records: one section, one passage per row spanning its lines.

    The file's kind (`doc.record_kind`) is the one its mapping file declares, else the one its file
    name says ("collectivites-2024.csv"), else None (each row's columns decide, see extract/records.py).
    """
    starts = line_starts(raw.source)
    doc.records = raw.records
    doc.skipped_records = raw.skipped_records
    doc.record_kind = raw.record_kind or type_of_name(Path(doc.file_name).stem)
    doc.sections = [
        Section(
            index=0,
            title=doc.title,
            kind="liste",
            start_line=1,
            end_line=max(1, len(starts)),
            label=doc.title,
        )
    ]
    for k, rec in enumerate(raw.records):
        doc.passages.append(
            Passage(
                index=k,
                text=render_record(rec, doc.record_kind),
                start_line=rec.start_line,
                end_line=rec.end_line,
                char_start=rec.char_start,
                char_end=rec.char_end,
                section=0,
            )
        )


def _apply_meta(doc: ParsedDocument, meta: DocumentMeta, url_hint: str | None) -> None:
    """What the document's .meta.json says wins over what was read from its text; the address falls
    back to the one the file declares for itself."""
    doc.title = meta.title or doc.title
    doc.publisher = meta.publisher or doc.publisher
    doc.issued = meta.issued or doc.issued
    doc.edition = meta.edition or doc.edition
    doc.url = meta.url or url_hint or doc.url


def read_document(path: Path, settings: Settings) -> ParsedDocument:
    """Read, clean and segment the file at `path`.

    Returns a `ParsedDocument` whose `source` is the decoded text (`\\n` line ends; for PDF the page
    texts, for HTML the extracted main text) with sections and passages pointing into it.
    Raises `IngestFailed` (one-line French message naming the file) for any unreadable or refused file.
    """
    path = Path(path)
    data = _read_bytes(path, settings)
    reader = reader_for(path, data[:SNIFF_BYTES])
    if not data.strip():
        raise fail(path, "le fichier ne contient que des espaces")
    raw = reader.read(path, data, settings)
    if len(raw.source) > settings.max_document_chars:  # every format: text, HTML, records (PDF: earlier)
        bound = settings.max_document_chars
        raise fail(
            path,
            f"texte extrait trop long : {len(raw.source)} caractères, plus que la limite de {bound}",
            f"extracted text too long: {len(raw.source)} characters, more than the limit of {bound}",
            max_document_chars=bound,
            extracted_chars=len(raw.source),
        )
    doc_id = slugify(path.stem)
    doc = ParsedDocument(
        doc_id=doc_id,
        path=str(path.absolute()),
        file_name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=raw.media_type,
        title=path.stem,
        source=raw.source,
    )
    if raw.records:
        info = DocumentInfo(raw.title_hint or f"Enregistrements {path.stem}", "records")
        doc.title = info.title
        _apply_meta(doc, read_meta(path), raw.url_hint)
        _record_document(raw, doc)
        return doc
    info = detect_document(raw.source, path.stem, raw.title_hint)
    doc.title, doc.issued, doc.publisher = info.title, info.issued, info.publisher
    _apply_meta(doc, read_meta(path), raw.url_hint)
    segmentation = find_sections(raw.source, info)
    ct = clean(raw.source)
    doc.sections = segmentation.sections
    doc.listed_items = segmentation.listed_items
    doc.passages = make_passages(
        raw.source,
        doc.sections,
        settings.passage_target_chars,
        settings.passage_max_chars,
        raw.page_starts,
        ct,
    )
    if not doc.passages:
        raise fail(path, "aucun texte exploitable après nettoyage")
    starts = line_starts(raw.source)
    doc.links = [Link(k.title, k.target, k.start, k.end, line_of(starts, k.start)) for k in ct.links]
    return doc


__all__ = ["IngestFailed", "read_document"]
