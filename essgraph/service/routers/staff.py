"""Staff: who a token is (GET /api/staff/me, so a page can refuse a wrong token at once) and the upload page
with its job list and progress (/jobs, /jobs/{id})."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from essgraph.service.auth import SCOPES, StaffIdentity, TokenVerifier, require_scope
from essgraph.service.corrections import ENTITY_KINDS
from essgraph.service.deps import get_state
from essgraph.service.duplicates import Candidate, likely_duplicates
from essgraph.service.jobs import STAGE_LABELS, STATUS_LABELS
from essgraph.service.schemas import STAFF_RESPONSES, DuplicateOut, StaffOut
from essgraph.service.state import ServiceState
from essgraph.service.uploads import accepted_extensions

router = APIRouter()
CORRECTABLE = frozenset(k.key for k in ENTITY_KINDS)
ACTORS = frozenset({"initiative", "organisation", "collectivite", "personne", "lieu"}) & CORRECTABLE
"""Kinds one real actor or place may be mistyped between (a duplicate may cross them, never others)."""


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


@router.get(
    "/api/entities/duplicates", response_model=list[DuplicateOut], responses=STAFF_RESPONSES, tags=["staff"]
)
def duplicates(
    state: Annotated[ServiceState, Depends(get_state)],
    _staff: Annotated[StaffIdentity, Depends(require_scope("curate"))],
    limit: Annotated[
        int | None, Query(ge=1, description="Pairs listed at most (default: max_duplicates).")
    ] = None,
) -> list[dict[str, Any]]:
    """Likely duplicate entities with their evidence, likeliest first (scope 'curate'): the same name with
    or without article, in another order, an acronym, a name inside a longer one, a spelling slip. Merge
    one with `POST /api/corrections` (kind `same_as`); merged pairs are no longer listed."""
    bound = min(limit or state.settings.max_duplicates, state.settings.max_duplicates)
    names = state.reader.entity_names()
    candidates = [
        Candidate(iri, label, kind, labels)
        for iri, (label, kind, labels) in names.items()
        if kind in CORRECTABLE  # things of the world, not concepts, documents or sections
    ]

    def side(c: Candidate) -> dict[str, Any]:
        return {
            "iri": c.iri,
            "label": c.label,
            "kind": c.kind,
            "labels": sorted(c.labels),
            "path": state.reader.path_for(c.iri),
        }

    return [
        {"merge": side(d.merge), "keep": side(d.keep), "score": d.score, "reasons": d.reasons}
        for d in likely_duplicates(candidates, bound, ACTORS)
    ]


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
