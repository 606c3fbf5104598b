"""Documents: what is ingested (GET /api/documents) and staff uploads (POST /api/documents)."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from essgraph.core.errors import BadInput, EssgraphError, IngestFailed, UnsupportedMediaType
from essgraph.core.model import IngestSummary
from essgraph.service.auth import StaffIdentity, require_scope
from essgraph.service.deps import get_state
from essgraph.service.schemas import ERROR_RESPONSES, STAFF_RESPONSES, DocumentOut, UploadOut
from essgraph.service.state import ServiceState
from essgraph.service.uploads import (
    PREVIOUS_SUFFIX,
    accepted_extensions,
    inside,
    safe_filename,
    spool_upload,
)

router = APIRouter(tags=["documents"])


@router.get("/api/documents", response_model=list[DocumentOut], responses=ERROR_RESPONSES)
def documents(state: Annotated[ServiceState, Depends(get_state)]) -> list[dict[str, Any]]:
    """Every ingested document with its passage count and its sections (fiches, chapters) in order."""
    return [asdict(d) for d in state.reader.documents()]


@router.post(
    "/api/documents",
    status_code=201,
    response_model=UploadOut,
    responses={**STAFF_RESPONSES, 413: {"description": "Fichier trop volumineux."}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    },
)
async def upload(
    request: Request,
    state: Annotated[ServiceState, Depends(get_state)],
    staff: Annotated[StaffIdentity, Depends(require_scope("upload"))],
) -> dict[str, Any]:
    """Upload one document (multipart field `file`, scope 'upload') and ingest it.

    The body is refused with 413 past settings.max_upload_bytes before being read in full; the file
    name is reduced to a safe slug (no path can leave the uploads folder; another script is
    transliterated, with a short hash). The bytes go to a unique temporary file first; then uploads of
    one name take turns: a file of the same name replaces the earlier upload and its document, and the
    answer says so (`replaced`). A file that cannot be ingested answers with its error (422
    `ingest_failed`, French and English) and the earlier upload of that name is kept.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        raise UnsupportedMediaType(
            "Envoyez le fichier en multipart/form-data (champ « file »).",
            "Send the file as multipart/form-data ('file' field).",
        )
    settings = state.settings
    limit = settings.max_upload_bytes
    form = await request.form(max_files=1, max_fields=5, max_part_size=limit)
    try:
        upload_file = form.get("file")
        if not isinstance(upload_file, UploadFile):
            raise BadInput("Champ « file » manquant.", "Missing 'file' field.")
        name = safe_filename(upload_file.filename, accepted_extensions())
        # received into its own temporary file while other uploads of this name may still run
        spooled = await run_in_threadpool(spool_upload, upload_file.file, settings.uploads_dir, name, limit)
    finally:
        await form.close()
    try:
        async with state.upload_turns.turn(name):
            target = inside(settings.uploads_dir, name)
            previous = target.with_name(f".{target.name}{PREVIOUS_SUFFIX}")
            had_previous = target.is_file()
            if had_previous:
                os.replace(target, previous)  # set aside: put back if the new file fails
            os.replace(spooled, target)
            try:
                summary = await run_in_threadpool(state.ingest, target)
            except BaseException:
                _restore(target, previous, had_previous)
                raise
            if summary.failures or summary.errors:
                _restore(target, previous, had_previous)
                raise _refusal(summary, name, staff.name)
            previous.unlink(missing_ok=True)
    finally:
        spooled.unlink(missing_ok=True)
    return {
        "file": name,
        "documents": summary.documents,
        "passages": summary.passages,
        "entities": summary.entities,
        "statements": summary.statements,
        "doc_ids": summary.doc_ids,
        "replaced": had_previous,
    }


def _refusal(summary: IngestSummary, name: str, uploader: str) -> EssgraphError:
    """The error an upload that could not be ingested answers with: the pipeline's own (its class,
    French and English messages, details such as the limit passed), naming the stored file name
    instead of the server path."""
    if summary.failures:
        first = summary.failures[0]
        details = {**first.details, "file": name, "uploaded_by": uploader}
        return type(first)(first.message_fr, first.message_en, **details)
    text = "; ".join(summary.errors)
    return IngestFailed(text, text, file=name, uploaded_by=uploader)


def _restore(target: Path, previous: Path, had_previous: bool) -> None:
    """Put back the earlier upload of this name (or remove the refused new file)."""
    if had_previous:
        os.replace(previous, target)
    else:
        target.unlink(missing_ok=True)
