"""The `essgraph` command line: one Typer app; each package registers its own subcommands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from essgraph.core.errors import EssgraphError
from essgraph.core.settings import Settings, get_settings

app = typer.Typer(
    name="essgraph",
    help="Graphe de connaissances et recherche sémantique de l'ESS (publications du RTES).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(
    help="Évaluer le graphe (faits) et la recherche sur un jeu annoté.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")


@app.callback()
def _root(
    home: Annotated[
        Path | None, typer.Option("--home", help="Répertoire des données (défaut : $ESSGRAPH_HOME ou ./var).")
    ] = None,
) -> None:
    """Set the data directory for every subcommand."""
    if home is not None:
        import os

        os.environ["ESSGRAPH_HOME"] = str(home)
        get_settings.cache_clear()


def settings() -> Settings:
    """The validated settings for the running command."""
    return get_settings()


def _register_all() -> None:
    from essgraph.app.cli_graph import register as register_graph
    from essgraph.app.cli_ingest import register as register_ingest
    from essgraph.app.cli_search import register as register_search
    from essgraph.app.cli_service import register as register_service

    register_graph(app, eval_app)
    register_ingest(app, eval_app)
    register_search(app, eval_app)
    register_service(app, eval_app)


def main() -> None:
    """Entry point: run the CLI, turning every EssgraphError into one French line and its exit code."""
    _register_all()
    try:
        app()  # standalone mode: usage errors exit with code 2 and a message from the parser
    except EssgraphError as exc:
        typer.echo(f"erreur : {exc.message_fr}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrompu", err=True)
        sys.exit(130)
