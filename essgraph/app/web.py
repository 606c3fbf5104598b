"""The web service wired to the ingest pipeline: what `essgraph serve` and the tests run."""

from __future__ import annotations

from fastapi import FastAPI

from essgraph.app.pipeline import Pipeline
from essgraph.core.settings import Settings
from essgraph.service.app import create_app as create_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app for `settings` (default: the process settings), uploads ingested by the pipeline."""
    return create_service_app(Pipeline, settings)
