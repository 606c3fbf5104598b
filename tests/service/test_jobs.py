"""Upload jobs: an upload answers at once with its job, the job shows its stage and then what was extracted
(or the pipeline's error), the list survives a restart, and a wrong staff token is refused and said so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from essgraph.core.errors import IngestFailed
from essgraph.core.model import IngestSummary
from essgraph.core.settings import Settings
from essgraph.service.jobs import JobBoard
from tests.service.conftest import StaffTokens, bearer, copy_home, make_settings
from tests.service.server import running_server

NOTE = (
    "Compte rendu de test\n\n"
    "La commune de Testville prête un local à la ressourcerie Ornithorynque, une association du quartier "
    "qui répare et revend des meubles.\n"
)


@pytest.fixture(scope="module")
def server(
    samples_home: Settings, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Iterator[tuple[str, Settings]]:
    """uvicorn on a copy of the sample-corpus home."""
    home = copy_home(samples_home.home, tmp_path_factory.mktemp("jobs-server") / "home")
    settings = make_settings(home, staff_tokens)
    with running_server(settings) as url:
        yield url, settings


def _wait_done(url: str, job: dict, token: str) -> tuple[dict, set[str]]:
    """Poll a job until it ends; returns it and the stages seen meanwhile."""
    seen: set[str] = set()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        current = httpx.get(url + job["url"], headers=bearer(token)).json()
        seen.add(current["stage"])
        if current["status"] in ("done", "failed"):
            return current, seen
        time.sleep(0.05)
    raise AssertionError(f"job {job['id']} did not end")


def test_an_upload_answers_with_its_job_which_then_says_what_was_extracted(
    server: tuple[str, Settings], staff_tokens: StaffTokens
) -> None:
    url, _ = server
    response = httpx.post(
        url + "/api/documents",
        files={"file": ("Note Ornithorynque.txt", NOTE.encode(), "text/plain")},
        headers=bearer(staff_tokens.uploader),
        timeout=60,
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == job["url"] == f"/api/jobs/{job['id']}"
    assert job["status"] in ("queued", "running") and job["result"] is None
    assert (job["file"], job["page"]) == ("note-ornithorynque.txt", f"/jobs/{job['id']}")
    done, _stages = _wait_done(url, job, staff_tokens.uploader)
    assert done["status"] == "done", done
    assert (done["status_label"], done["stage_label"]) == ("terminé", "terminé")
    assert done["result"]["documents"] == 1 and done["result"]["passages"] >= 1
    assert done["result"]["entities"] >= 1 and done["result"]["doc_ids"] == ["note-ornithorynque"]
    assert done["started"] and done["finished"]
    hits = httpx.get(url + "/api/search", params={"q": "ressourcerie Ornithorynque meubles"}).json()["hits"]
    assert hits[0]["document"] == "note-ornithorynque.txt"
    listed = httpx.get(url + "/api/jobs", headers=bearer(staff_tokens.uploader)).json()
    assert listed[0]["id"] == job["id"]
    page = httpx.get(url + done["page"])
    assert page.status_code == 200 and "Suivi du dépôt" in page.text


def test_a_job_that_cannot_be_ingested_keeps_the_pipelines_error(
    server: tuple[str, Settings], staff_tokens: StaffTokens
) -> None:
    url, settings = server
    kept = "# Fiche gardée\n\nUne régie de quartier entretient les espaces verts.\n"
    first = httpx.post(
        url + "/api/documents?wait=true",
        files={"file": ("fiche.md", kept.encode(), "text/markdown")},
        headers=bearer(staff_tokens.uploader),
        timeout=600,
    )
    assert first.status_code == 201, first.text
    response = httpx.post(
        url + "/api/documents",
        files={"file": ("fiche.md", b"   \n\n  ", "text/markdown")},
        headers=bearer(staff_tokens.uploader),
        timeout=60,
    )
    assert response.status_code == 202
    done, _ = _wait_done(url, response.json(), staff_tokens.uploader)
    assert done["status"] == "failed" and done["status_label"] == "échec"
    assert done["error"]["code"] == "ingest_failed"
    assert "fiche.md" in done["error"]["message"] and "espaces" in done["error"]["message"]
    assert done["error"]["details"]["file"] == "fiche.md"  # the stored name, never a server path
    assert (settings.uploads_dir / "fiche.md").read_text(encoding="utf-8") == kept  # the earlier one stays


def test_jobs_need_the_upload_scope_and_unknown_ones_are_404(
    server: tuple[str, Settings], staff_tokens: StaffTokens
) -> None:
    url, _ = server
    assert httpx.get(url + "/api/jobs").status_code == 401
    assert httpx.get(url + "/api/jobs", headers=bearer(staff_tokens.curator)).status_code == 403
    missing = httpx.get(url + "/api/jobs/inconnu", headers=bearer(staff_tokens.uploader))
    assert missing.status_code == 404 and missing.json()["message"] == "Tâche inconnue : inconnu."


def test_a_wrong_token_is_refused_and_said_so(
    server: tuple[str, Settings], staff_tokens: StaffTokens
) -> None:
    url, _ = server
    wrong = httpx.get(url + "/api/staff/me", headers=bearer("pas-un-vrai-jeton"))
    assert wrong.status_code == 401
    assert wrong.json()["message"] == "Jeton d'équipe inconnu."
    assert httpx.get(url + "/api/staff/me").status_code == 401
    me = httpx.get(url + "/api/staff/me", headers=bearer(staff_tokens.curator)).json()
    assert me["scopes"] == ["curate"] and me["scope_labels"]["curate"]


def test_the_job_list_survives_a_restart_and_unfinished_jobs_say_they_were_interrupted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jobs.json"
    board = JobBoard(path, keep=10)
    done = board.create("a.txt", "equipe")
    board.start(done.id, IngestSummary(stage="index"))
    board.finish(done.id, {"documents": 1})
    failed = board.create("b.txt", "equipe")
    board.start(failed.id, IngestSummary())
    board.fail(
        failed.id, IngestFailed("Lecture impossible de « b.txt ».", "Cannot read 'b.txt'.", file="b.txt")
    )
    running = board.create("c.txt", "equipe")
    live = IngestSummary()
    board.start(running.id, live)
    live.stage = "extract"
    assert board.get(running.id).stage == "extract"  # type: ignore[union-attr]  # read live
    again = JobBoard(path, keep=10, recovered={"ingested": 1, "failed": 0})
    jobs = {job.file: job for job in again.all()}
    assert [job.file for job in again.all()] == ["c.txt", "b.txt", "a.txt"]
    assert jobs["a.txt"].status == "done" and jobs["a.txt"].result == {"documents": 1}
    assert jobs["b.txt"].error["message"] == "Lecture impossible de « b.txt »."  # type: ignore[index]
    assert jobs["c.txt"].status == "failed" and jobs["c.txt"].error["code"] == "interrupted"  # type: ignore[index]


def test_the_board_keeps_at_most_its_limit_dropping_the_oldest_finished(tmp_path: Path) -> None:
    board = JobBoard(tmp_path / "jobs.json", keep=3)
    ids = []
    for k in range(5):
        job = board.create(f"{k}.txt", "equipe")
        board.finish(job.id, {"documents": 1})
        ids.append(job.id)
    waiting = board.create("attente.txt", "equipe")  # never dropped while unfinished
    assert [job.id for job in board.all()] == [waiting.id, ids[4], ids[3]]
