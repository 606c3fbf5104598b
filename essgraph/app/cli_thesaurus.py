"""CLI of the thesaurus label coverage: `essgraph eval thesaurus` lists the concepts with too few labels."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from essgraph.core.settings import get_settings
from essgraph.ontology.coverage import label_counts, thin_concepts
from essgraph.ontology.thesaurus import load_thesaurus


def eval_thesaurus(
    minimum: Annotated[
        int | None,
        typer.Option("--min", help="Libellés exigés par concept (défaut : réglage thesaurus_min_labels)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Lister les concepts (leviers, thématiques, formes juridiques, niveaux) qui ont trop peu de libellés.

    Compte les libellés autres que le préféré (alternatifs, cachés, d'usage) ; sort avec le code 1
    quand un concept en a moins que le seuil.
    """
    needed = get_settings().thesaurus_min_labels if minimum is None else minimum
    thesaurus = load_thesaurus()
    counts = label_counts(thesaurus)
    thin = thin_concepts(thesaurus, needed)
    if as_json:
        rows = [
            {
                "concept": str(c.concept.iri),
                "label": c.concept.pref_label,
                "alt": c.alt,
                "hidden": c.hidden,
                "usage": c.usage,
                "total": c.total,
            }
            for c in thin
        ]
        report = {"minimum": needed, "concepts": len(counts), "thin": rows}
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for c in thin:
            typer.echo(
                f"{c.total:>3}  {c.concept.scheme_slug}/{c.concept.slug} « {c.concept.pref_label} »"
                f" (alternatifs {c.alt}, cachés {c.hidden}, d'usage {c.usage})"
            )
        usage = sum(c.usage for c in counts)
        typer.echo(
            f"{len(counts) - len(thin)}/{len(counts)} concepts ont au moins {needed} libellés"
            f" ({usage} libellés d'usage en tout)"
        )
    if thin:
        sys.exit(1)


def register_eval_thesaurus(eval_app: typer.Typer) -> None:
    """Add `essgraph eval thesaurus` to the CLI."""
    eval_app.command("thesaurus")(eval_thesaurus)
