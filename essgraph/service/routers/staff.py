"""Staff: who a token is (GET /api/staff/me, so a page can refuse a wrong token at once) and the upload page
with its job list and progress (/jobs, /jobs/{id})."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from essgraph.service.auth import SCOPES, StaffIdentity, TokenVerifier
from essgraph.service.deps import get_state
from essgraph.service.jobs import STAGE_LABELS, STATUS_LABELS
from essgraph.service.schemas import STAFF_RESPONSES, StaffOut
from essgraph.service.state import ServiceState
from essgraph.service.uploads import accepted_extensions

router = APIRouter()


def _identity(request: Request) -> StaffIdentity:
    verifier: TokenVerifier = request.app.state.service.tokens
    return verifier.identify(request.headers.get("authorization"))


@router.get("/api/staff/me", response_model=StaffOut, responses=STAFF_RESPONSES, tags=["staff"])
def me(identity: Annotated[StaffIdentity, Depends(_identity)]) -> dict[str, Any]:
    """The name and scopes of the token presented; 401 (« Jeton d'équipe inconnu ») for a wrong one."""
    return {
        "name": identity.name,
        "scopes": sorted(identity.scopes),
        "scope_labels": {scope: SCOPES.get(scope, scope) for scope in sorted(identity.scopes)},
    }


def _page(request: Request, job_id: str | None) -> HTMLResponse:
    html = request.app.state.templates.get_template("jobs.html").render(
        request=request,
        job_id=job_id,
        extensions=sorted(accepted_extensions()),
        status_labels=STATUS_LABELS,
        stage_labels=STAGE_LABELS,
    )
    return HTMLResponse(html)


@router.get("/jobs", response_class=HTMLResponse, include_in_schema=False)
def jobs_page(request: Request, _state: Annotated[ServiceState, Depends(get_state)]) -> HTMLResponse:
    """The staff upload page: send a document, follow its ingest, see what each upload extracted."""
    return _page(request, None)


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(
    job_id: str, request: Request, _state: Annotated[ServiceState, Depends(get_state)]
) -> HTMLResponse:
    """One upload's progress page (the job itself is read by the page with the staff token)."""
    return _page(request, job_id)
