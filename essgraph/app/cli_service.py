"""Subcommands of the `essgraph` CLI that belong to the service package."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from essgraph.service.tokens import SCOPES


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this package's commands to the CLI: `serve` and `token create`."""
    token_app = typer.Typer(help="Jetons d'équipe (stockés hachés dans les réglages).", no_args_is_help=True)
    app.add_typer(token_app, name="token")

    @app.command("serve")
    def serve(
        host: Annotated[
            str | None, typer.Option("--host", help="Adresse d'écoute (défaut : réglage host).")
        ] = None,
        port: Annotated[int | None, typer.Option("--port", help="Port (défaut : réglage port).")] = None,
    ) -> None:
        """Lancer le service web (API, SPARQL, pages) sur le graphe de $ESSGRAPH_HOME."""
        import uvicorn

        from essgraph.app.web import create_app
        from essgraph.core.settings import get_settings as settings

        current = settings()
        uvicorn.run(
            create_app(current),
            host=host or current.host,
            port=port or current.port,
            workers=1,
            proxy_headers=False,
            log_level="info",
        )

    @token_app.command("create")
    def create(
        name: Annotated[
            str, typer.Argument(help="Nom de la personne ou de l'usage (lettres, chiffres, . _ -).")
        ],
        scope: Annotated[
            str,
            typer.Option("--scope", help="Portées séparées par des virgules : " + ", ".join(SCOPES) + "."),
        ] = "curate",
    ) -> None:
        """Créer un jeton : il s'affiche une seule fois, avec la ligne de réglage (empreinte) à ajouter."""
        from essgraph.core.settings import get_settings as settings
        from essgraph.service.tokens import new_token, settings_entry

        scopes = [s.strip() for s in scope.split(",") if s.strip()]
        token = new_token()
        entry = settings_entry(name, scopes, token)
        existing = list(settings().staff_tokens)
        typer.echo(f"Jeton pour {name} ({', '.join(scopes)}) — conservez-le, il ne sera plus affiché :")
        typer.echo(f"  {token}")
        typer.echo("Ajoutez cette entrée (empreinte sha256, jamais le jeton) aux réglages :")
        typer.echo(f"  ESSGRAPH_STAFF_TOKENS='{json.dumps([*existing, entry])}'")
