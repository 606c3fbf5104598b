"""Staff splits of an entity (scope 'curate'): the passages it may give, split, list, undo."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from essgraph.service import sizes
from essgraph.service.auth import StaffIdentity, require_scope
from essgraph.service.deps import get_state
from essgraph.service.schemas import STAFF_RESPONSES
from essgraph.service.splits import Split, Splits
from essgraph.service.state import ServiceState

router = APIRouter(tags=["curation"])
CurateScope = Annotated[StaffIdentity, Depends(require_scope("curate"))]


class SplitIn(BaseModel):
    """A split: the entity, the new entity's label and type, what moves to it, and why."""

    entity: str = Field(
        description="IRI of the entity that conflates two things.", max_length=sizes.IRI_CHARS
    )
    label: str = Field(description="Label of the new entity.", min_length=1, max_length=sizes.LABEL_CHARS)
    type: str = Field(
        description="Kind key of the new entity (collectivite, organisation…).", max_length=sizes.KIND_CHARS
    )
    passages: list[Annotated[str, Field(max_length=sizes.IRI_CHARS)]] = Field(
        default_factory=list, max_length=sizes.CHOSEN_ITEMS, description="Passage IRIs whose statements move."
    )
    documents: list[Annotated[str, Field(max_length=sizes.IRI_CHARS)]] = Field(
        default_factory=list,
        max_length=sizes.CHOSEN_ITEMS,
        description="Document IRIs: all their passages move.",
    )
    reason: str = Field(
        description="Why (shown in the history).", min_length=1, max_length=sizes.REASON_CHARS
    )


class SplitOut(BaseModel):
    """A split as stored (PROV-O: who, when, why), and whether it still holds."""

    id: str
    iri: str
    entity: str
    new_entity: str
    summary: str
    reason: str
    curated_by: str
    created: str
    withdrawn: str | None
    active: bool
    passages: list[str]


class InvolvementOut(BaseModel):
    """A passage in which the entity is involved, with its document and citation."""

    passage: str
    document: str
    graph: str
    text: str
    citation: str
    document_title: str


def _splits(state: ServiceState) -> Splits:
    return Splits(state.store, state.reader, state.settings)


@router.get("/api/splits/passages", response_model=list[InvolvementOut], responses=STAFF_RESPONSES)
def split_passages(
    state: Annotated[ServiceState, Depends(get_state)],
    staff: CurateScope,
    entity: Annotated[str, Query(description="IRI de l'entité.", max_length=sizes.IRI_CHARS)],
) -> list[dict[str, Any]]:
    """The passages the entity is involved in (what a split may move), by document."""
    return [asdict(i) for i in _splits(state).involvements(entity)]


@router.get("/api/splits", response_model=list[SplitOut], responses=STAFF_RESPONSES)
def list_splits(
    state: Annotated[ServiceState, Depends(get_state)],
    staff: CurateScope,
    entity: Annotated[str | None, Query(description="IRI de l'entité.", max_length=sizes.IRI_CHARS)] = None,
) -> list[dict[str, Any]]:
    """The splits (newest first), optionally those of one entity (split or created by one)."""
    return [s.to_dict() for s in _splits(state).list(entity=entity)]


@router.post("/api/splits", status_code=201, response_model=SplitOut, responses=STAFF_RESPONSES)
async def create_split(
    body: SplitIn, state: Annotated[ServiceState, Depends(get_state)], staff: CurateScope
) -> dict[str, Any]:
    """Split an entity that conflates two things: a new entity (label, type) receives the mentions and
    statements of the chosen passages (or documents). The document graphs and the PROV record are
    written in one transaction; re-ingest replays the split; DELETE undoes it exactly."""

    def write() -> Split:
        return _splits(state).create(
            body.entity, body.label, body.type, body.passages, body.documents, body.reason, staff.name
        )

    return (await run_in_threadpool(state.locked_write, write)).to_dict()


@router.delete("/api/splits/{split_id}", response_model=SplitOut, responses=STAFF_RESPONSES)
async def delete_split(
    split_id: str, state: Annotated[ServiceState, Depends(get_state)], staff: CurateScope
) -> dict[str, Any]:
    """Undo a split: the new entity's IRI is renamed back everywhere; the record stays, dated."""

    def write() -> Split:
        return _splits(state).withdraw(split_id)

    return (await run_in_threadpool(state.locked_write, write)).to_dict()
