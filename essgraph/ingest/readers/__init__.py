"""Input readers, one per format, behind `Reader` and a registry keyed by extension and content sniffing."""

from __future__ import annotations

from essgraph.ingest.readers import csv_records, html, json_records, pdf, text
from essgraph.ingest.readers.base import RawDocument, Reader, fail, reader_for, register, registered

__all__ = [
    "RawDocument",
    "Reader",
    "csv_records",
    "fail",
    "html",
    "json_records",
    "pdf",
    "reader_for",
    "register",
    "registered",
    "text",
]
