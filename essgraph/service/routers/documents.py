"""Documents: what is ingested (GET /api/documents), staff uploads (POST /api/documents) and their jobs."""

from __future__ import annotations

import logging
import os
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from essgraph.core.errors import BadInput, EssgraphError, IngestFailed, NotFound, UnsupportedMediaType
from essgraph.core.model import IngestSummary
from essgraph.service.auth import StaffIdentity, require_scope
from essgraph.service.deps import get_state
from essgraph.service.schemas import ERROR_RESPONSES, STAFF_RESPONSES, DocumentOut, JobOut, UploadOut
from essgraph.service.state import ServiceState
from essgraph.service.uploads import (
    PREVIOUS_SUFFIX,
    accepted_extensions,
    inside,
    safe_filename,
    spool_upload,
)

router = APIRouter(tags=["documents"])
log = logging.getLogger(__name__)


@router.get("/api/documents", response_model=list[DocumentOut], responses=ERROR_RESPONSES)
def documents(state: Annotated[ServiceState, Depends(get_state)]) -> list[dict[str, Any]]:
    """Every ingested document with its passage count and its sections (fiches, chapters) in order."""
    return [asdict(d) for d in state.reader.documents()]


@router.post(
    "/api/documents",
    status_code=202,
    response_model=JobOut | UploadOut,
    responses={
        **STAFF_RESPONSES,
        201: {"model": UploadOut, "description": "Avec wait=true : le document est ingéré."},
        413: {"description": "Fichier trop volumineux."},
    },
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
    response: Response,
    background: BackgroundTasks,
    state: Annotated[ServiceState, Depends(get_state)],
    staff: Annotated[StaffIdentity, Depends(require_scope("upload"))],
    wait: Annotated[
        bool, Query(description="Attendre la fin de l'ingestion (réponse 201 avec le bilan).")
    ] = False,
) -> Any:
    """Upload one document (multipart field `file`, scope 'upload'); it is ingested in the background.

    Answers at once with 202 and the job (`Location: /api/jobs/{id}`; progress page `/jobs/{id}`); with
    `wait=true`, answers when the document is ingested, with what it extracted (201) or its error (422
    `ingest_failed`, French and English). The body is refused with 413 past settings.max_upload_bytes
    before being read in full; the file name is reduced to a safe slug (no path can leave the uploads
    folder). The bytes go to a unique temporary file first; then uploads of one name take turns: a file
    of the same name replaces the earlier upload and its document (`replaced`), and a file that cannot
    be ingested leaves the earlier upload of that name in place.
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
    if wait:
        response.status_code = 201
        return await _ingest_upload(state, spooled, name, staff.name, IngestSummary())
    job = state.jobs.create(name, staff.name)
    background.add_task(_run_job, state, job.id, spooled, name, staff.name)
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return job.public()


@router.get("/api/jobs", response_model=list[JobOut], responses=STAFF_RESPONSES)
def jobs(
    state: Annotated[ServiceState, Depends(get_state)],
    _staff: Annotated[StaffIdentity, Depends(require_scope("upload"))],
) -> list[dict[str, Any]]:
    """The upload jobs, newest first: status, stage, and what each upload extracted (scope 'upload')."""
    return [job.public() for job in state.jobs.all()]


@router.get("/api/jobs/{job_id}", response_model=JobOut, responses=STAFF_RESPONSES)
def job(
    job_id: str,
    state: Annotated[ServiceState, Depends(get_state)],
    _staff: Annotated[StaffIdentity, Depends(require_scope("upload"))],
) -> dict[str, Any]:
    """One upload job (scope 'upload'); 404 for an unknown id."""
    found = state.jobs.get(job_id)
    if found is None:
        raise NotFound(f"Tâche inconnue : {job_id}.", f"Unknown job: {job_id}.", job=job_id)
    return found.public()


async def _run_job(state: ServiceState, job_id: str, spooled: Path, name: str, uploader: str) -> None:
    """The background part of an upload: ingest it, then record the outcome on the job board."""
    summary = IngestSummary()
    state.jobs.start(job_id, summary)
    try:
        result = await _ingest_upload(state, spooled, name, uploader, summary)
    except EssgraphError as exc:
        state.jobs.fail(job_id, exc)
    except Exception as exc:  # the job must end either way; the traceback goes to the log
        log.exception("upload job %s failed", job_id)
        kind = type(exc).__name__
        state.jobs.fail(job_id, IngestFailed(f"Erreur interne ({kind}).", f"Internal error ({kind})."))
    else:
        state.jobs.finish(job_id, result)


async def _ingest_upload(
    state: ServiceState, spooled: Path, name: str, uploader: str, summary: IngestSummary
) -> dict[str, Any]:
    """Put the spooled file in place (uploads of one name take turns) and ingest it; returns what it
    extracted, or raises the pipeline's error with the earlier upload of that name put back."""
    settings = state.settings
    try:
        async with state.upload_turns.turn(name):
            target = inside(settings.uploads_dir, name)
            previous = target.with_name(f".{target.name}{PREVIOUS_SUFFIX}")
            had_previous = target.is_file()
            if had_previous:
                os.replace(target, previous)  # set aside: put back if the new file fails
            os.replace(spooled, target)
            try:
                summary = await run_in_threadpool(state.ingest, target, summary)
            except BaseException:
                _restore(target, previous, had_previous)
                raise
            if summary.failures or summary.errors:
                _restore(target, previous, had_previous)
                raise _refusal(summary, name, uploader)
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
