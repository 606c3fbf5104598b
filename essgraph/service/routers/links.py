"""Staff curation API: curated initiative→lever links and lever suggestions (scope 'curate')."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from essgraph.service import sizes
from essgraph.service.auth import StaffIdentity, require_scope
from essgraph.service.curation import CuratedLink, Suggestion
from essgraph.service.deps import get_state
from essgraph.service.schemas import STAFF_RESPONSES, LinkIn, LinkOut, SuggestionsOut
from essgraph.service.state import ServiceState

router = APIRouter(tags=["curation"])
CurateScope = Annotated[StaffIdentity, Depends(require_scope("curate"))]


def suggestion_out(suggestion: Suggestion) -> dict[str, Any]:
    """A suggestion as the API returns it."""
    return asdict(suggestion)


@router.get("/api/links", response_model=list[LinkOut], responses=STAFF_RESPONSES)
def list_links(
    state: Annotated[ServiceState, Depends(get_state)],
    staff: CurateScope,
    initiative: Annotated[
        str | None, Query(description="IRI de l'initiative.", max_length=sizes.IRI_CHARS)
    ] = None,
) -> list[dict[str, Any]]:
    """The curation history (newest first), optionally for one initiative."""
    return [link.to_dict() for link in state.curation.links(initiative=initiative)]


@router.post("/api/links", status_code=201, response_model=LinkOut, responses=STAFF_RESPONSES)
async def create_link(
    body: LinkIn, state: Annotated[ServiceState, Depends(get_state)], staff: CurateScope
) -> dict[str, Any]:
    """Accept (or reject) `initiative eg:illustratesLever lever`: stored in the curated named graph with
    prov:wasAttributedTo, prov:generatedAtTime and eg:reason; never touched by re-ingest."""

    def write() -> CuratedLink:
        return state.curation.create(body.initiative, body.lever, body.reason, staff.name, body.decision)

    return (await run_in_threadpool(state.locked_write, write)).to_dict()


@router.delete("/api/links/{link_id}", response_model=LinkOut, responses=STAFF_RESPONSES)
async def delete_link(
    link_id: str, state: Annotated[ServiceState, Depends(get_state)], staff: CurateScope
) -> dict[str, Any]:
    """Withdraw a decision: its statement leaves the graph; the record stays, dated, as history."""

    def write() -> CuratedLink:
        return state.curation.withdraw(link_id)

    return (await run_in_threadpool(state.locked_write, write)).to_dict()


@router.get("/api/links/suggestions", response_model=SuggestionsOut, responses=STAFF_RESPONSES)
def suggestions(
    state: Annotated[ServiceState, Depends(get_state)],
    staff: CurateScope,
    initiative: Annotated[str, Query(description="IRI de l'initiative.", max_length=sizes.IRI_CHARS)],
) -> dict[str, Any]:
    """Levers ranked for an initiative by text similarity and graph evidence, reasons in French."""
    found = state.curation.suggestions(initiative)
    label = state.reader.labels([initiative]).get(initiative, initiative)
    return {"initiative": initiative, "label": label, "suggestions": [suggestion_out(s) for s in found]}
