"""GET /api/concepts: the thesaurus (SKOS concept schemes) as trees."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from essgraph.service.deps import get_state
from essgraph.service.schemas import ERROR_RESPONSES, SchemeOut
from essgraph.service.state import ServiceState

router = APIRouter(tags=["thésaurus"])


@router.get("/api/concepts", response_model=list[SchemeOut], responses=ERROR_RESPONSES)
def concepts(state: Annotated[ServiceState, Depends(get_state)]) -> list[dict[str, Any]]:
    """Every concept scheme (leviers, thématiques, formes juridiques…) with its concept tree."""
    return [asdict(s) for s in state.reader.concepts()]
