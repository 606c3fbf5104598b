"""Staff corrections of entities (scope 'curate'): label, type, legal form, département, owl:sameAs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from essgraph.service import sizes
from essgraph.service.auth import StaffIdentity, require_scope
from essgraph.service.corrections import Correction
from essgraph.service.deps import get_state
from essgraph.service.schemas import STAFF_RESPONSES, CorrectionIn, CorrectionOut
from essgraph.service.state import ServiceState

router = APIRouter(tags=["curation"])
CurateScope = Annotated[StaffIdentity, Depends(require_scope("curate"))]


@router.get("/api/corrections", response_model=list[CorrectionOut], responses=STAFF_RESPONSES)
def list_corrections(
    state: Annotated[ServiceState, Depends(get_state)],
    staff: CurateScope,
    entity: Annotated[str | None, Query(description="IRI de l'entité.", max_length=sizes.IRI_CHARS)] = None,
) -> list[dict[str, Any]]:
    """The corrections (newest first), optionally those of one entity."""
    return [c.to_dict() for c in state.corrections.list(entity=entity)]


@router.post("/api/corrections", status_code=201, response_model=CorrectionOut, responses=STAFF_RESPONSES)
async def create_correction(
    body: CorrectionIn, state: Annotated[ServiceState, Depends(get_state)], staff: CurateScope
) -> dict[str, Any]:
    """Correct an entity: its label (the old one kept as skos:altLabel), type, legal form or
    département (the extracted values declared wrong), or mark it as the same as another entity
    (owl:sameAs: pages and autocomplete show them merged). Stored in the curated named graph with
    who, when and why (PROV-O); re-ingest never touches it; DELETE undoes it."""

    def write() -> Correction:
        return state.corrections.create(body.entity, body.kind, body.value, body.reason, staff.name)

    return (await run_in_threadpool(state.locked_write, write)).to_dict()


@router.delete("/api/corrections/{correction_id}", response_model=CorrectionOut, responses=STAFF_RESPONSES)
async def delete_correction(
    correction_id: str, state: Annotated[ServiceState, Depends(get_state)], staff: CurateScope
) -> dict[str, Any]:
    """Undo a correction: its statements leave the graph; the records stay, dated, as history."""

    def write() -> Correction:
        return state.corrections.withdraw(correction_id)

    return (await run_in_threadpool(state.locked_write, write)).to_dict()
