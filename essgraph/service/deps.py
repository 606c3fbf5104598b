"""Small FastAPI dependencies shared by the routers."""

from __future__ import annotations

from fastapi import Request

from essgraph.service.state import ServiceState


def get_state(request: Request) -> ServiceState:
    """The service state opened by the lifespan."""
    state: ServiceState = request.app.state.service
    return state
