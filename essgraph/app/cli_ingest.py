"""Ingest subcommand of the CLI: `essgraph ingest PATH… [--prune] [--force] [--workers N]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from essgraph.core.settings import get_settings


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Fichiers ou dossiers à ingérer.")],
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Retirer les documents déjà ingérés sous ces dossiers et disparus."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Réingérer même les fichiers inchangés.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            max=32,
            help="Processus qui lisent et analysent les documents en parallèle (défaut : le réglage "
            "ingest_workers, 1) ; le graphe et les index restent écrits par un seul processus.",
        ),
    ] = None,
) -> None:
    """Ingérer des documents (txt, md, pdf, html, csv, json) : graphe, index de recherche, journal.

    Code de sortie 2 si un fichier a échoué (les autres sont ingérés).
    """
    from essgraph.app.pipeline import ingest_paths

    summary = ingest_paths(paths, get_settings(), prune=prune, force=force, workers=workers)
    for line in summary.lines():
        typer.echo(line, err=line.startswith("  ✗"))
    if summary.errors:
        raise typer.Exit(2)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add `essgraph ingest` to the CLI."""
    app.command("ingest")(ingest)
