"""CLI wrapper of the facts evaluation: `essgraph eval facts FILE.jsonl`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from essgraph.core.settings import get_settings
from essgraph.graph.facts import evaluate_facts, load_facts, summary
from essgraph.graph.store_factory import open_store


def eval_facts(
    file: Annotated[Path, typer.Argument(help="Fichier JSON lines de faits (subject, predicate, object…).")],
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON au lieu du tableau.")] = False,
) -> None:
    """Vérifier que le graphe relie chaque sujet à son objet ; imprime les faits manqués et le taux."""
    facts = load_facts(file)
    store = open_store(get_settings(), read_only=True)
    try:
        results = evaluate_facts(store, facts)
    finally:
        store.close()
    report = summary(results)
    if as_json:
        typer.echo(
            json.dumps(
                {**report, "results": [r.__dict__ if hasattr(r, "__dict__") else _row(r) for r in results]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    width = max((len(r.id) for r in results), default=2)
    typer.echo(f"{'id':<{width}}  {'tenu':<4}  sujet → objet")
    for r in results:
        mark = "oui" if r.held else "NON"
        line = f"{r.id:<{width}}  {mark:<4}  {r.subject[:50]} → {r.object[:50]}"
        if not r.held:
            line += f"   ({r.reason})"
        typer.echo(line)
    typer.echo(f"\nFaits tenus : {report['held']}/{report['total']} ({report['ratio']:.1%})")


def _row(result: object) -> dict[str, object]:
    return {name: getattr(result, name) for name in getattr(result, "__slots__", ())}


def register_eval_facts(eval_app: typer.Typer) -> None:
    """Add `facts` to the `essgraph eval` command group."""
    eval_app.command("facts")(eval_facts)
