"""Upload jobs: an upload answers at once with a job, ingested in the background; the board keeps each job's
stage, outcome and what was extracted, on disk, so the job list survives a restart."""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from essgraph.core.errors import EssgraphError
from essgraph.core.files import atomic_write
from essgraph.core.model import IngestSummary

JobStatus = Literal["queued", "running", "done", "failed"]

STATUS_LABELS: dict[str, str] = {
    "queued": "en attente",
    "running": "en cours",
    "done": "terminé",
    "failed": "échec",
}
"""French label of each job status, for the pages."""

STAGE_LABELS: dict[str, str] = {
    "": "en attente",
    "read": "lecture du fichier",
    "extract": "extraction des entités et relations",
    "store": "écriture dans le graphe",
    "index": "indexation pour la recherche",
    "done": "terminé",
}
"""French label of each pipeline stage (`IngestSummary.stage`), in order."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _interrupted(recovered: dict[str, int]) -> dict[str, Any]:
    """The error of a job a stopped service left unfinished (start-up recovery took its file up)."""
    taken, failed = recovered.get("ingested", 0), recovered.get("failed", 0)
    return {
        "code": "interrupted",
        "message": "Interrompu par un arrêt du service ; le redémarrage a repris les fichiers reçus "
        f"(documents repris : {taken}, en échec : {failed}).",
        "message_en": f"Interrupted by a service stop; the restart took up the stored files ({taken} in).",
        "details": {},
    }


@dataclass(slots=True)
class Job:
    """One upload: its stored file name, who sent it, its status and stage, what the ingest produced
    (`result`: documents, passages, entities, statements, doc_ids, replaced) or why it failed (`error`:
    code, message, message_en, details)."""

    id: str
    file: str
    uploaded_by: str
    status: JobStatus = "queued"
    stage: str = ""
    created: str = field(default_factory=_now)
    started: str | None = None
    finished: str | None = None
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None

    def public(self) -> dict[str, Any]:
        """The job as the API shows it, with its French status and stage labels and its page."""
        return {
            **asdict(self),
            "status_label": STATUS_LABELS[self.status],
            "stage_label": STAGE_LABELS.get(self.stage, self.stage),
            "url": f"/api/jobs/{self.id}",
            "page": f"/jobs/{self.id}",
        }


class JobBoard:
    """The upload jobs of one service home, newest last, at most `keep` (the oldest finished ones go).

    Thread-safe: the request handlers create jobs, the background task moves them on. Every change is
    written atomically to `path`; at start, a job a stopped service left queued or running is marked
    failed (start-up recovery re-ingests its stored file: `recovered` says how that went).
    """

    def __init__(self, path: Path, keep: int, recovered: dict[str, int] | None = None) -> None:
        self.path = path
        self.keep = keep
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._live: dict[str, IngestSummary] = {}
        self._load(recovered or {})

    def _load(self, recovered: dict[str, int]) -> None:
        if not self.path.is_file():
            return
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # a damaged job list is only history: start a new one rather than refuse to start
        for row in rows if isinstance(rows, list) else []:
            try:
                job = Job(**row)
            except TypeError:
                continue
            if job.status in ("queued", "running"):
                job.status, job.finished = "failed", _now()
                job.error = _interrupted(recovered)
            self._jobs[job.id] = job
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        rows = [asdict(job) for job in self._jobs.values()]
        atomic_write(self.path, json.dumps(rows, ensure_ascii=False, indent=1))

    def create(self, file: str, uploaded_by: str) -> Job:
        """A new queued job for stored file name `file`."""
        with self._lock:
            job = Job(id=secrets.token_urlsafe(9), file=file, uploaded_by=uploaded_by)
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.finished is not None]
            for old in finished[: max(0, len(self._jobs) - self.keep)]:
                del self._jobs[old.id]
            self._save()
            return job

    def start(self, job_id: str, summary: IngestSummary) -> None:
        """The job runs; its stage is read live from the pipeline's `summary`."""
        with self._lock:
            job = self._jobs[job_id]
            job.status, job.started = "running", _now()
            self._live[job_id] = summary
            self._save()

    def finish(self, job_id: str, result: dict[str, Any]) -> None:
        """The job ended well with `result`."""
        with self._lock:
            job = self._jobs[job_id]
            job.status, job.stage, job.finished, job.result = "done", "done", _now(), result
            self._live.pop(job_id, None)
            self._save()

    def fail(self, job_id: str, error: EssgraphError) -> None:
        """The job ended with `error` (its code, both messages and details are kept)."""
        with self._lock:
            job = self._jobs[job_id]
            summary = self._live.pop(job_id, None)
            job.status, job.finished = "failed", _now()
            job.stage = summary.stage if summary is not None else job.stage
            body = error.to_dict()
            job.error = {
                "code": body.get("code", error.code),
                "message": body.get("message", error.message_fr),
                "message_en": body.get("message_en", error.message_en),
                "details": body.get("details", {}),
            }
            self._save()

    def get(self, job_id: str) -> Job | None:
        """The job (its stage brought up to date while it runs), or None."""
        with self._lock:
            job = self._jobs.get(job_id)
            summary = self._live.get(job_id)
            if job is not None and summary is not None:
                job.stage = summary.stage
            return job

    def all(self) -> list[Job]:
        """Every kept job, newest first."""
        with self._lock:
            for job_id, summary in self._live.items():
                self._jobs[job_id].stage = summary.stage
            return list(reversed(self._jobs.values()))


__all__ = ["STAGE_LABELS", "STATUS_LABELS", "Job", "JobBoard"]
