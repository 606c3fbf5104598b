"""Subcommands of the `essgraph` CLI that belong to the ingest package."""

from __future__ import annotations

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this package's commands to the CLI."""
