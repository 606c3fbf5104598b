"""CLI of the precision sample: `essgraph eval precision [--sample N] [--seed S] [--out F] [--judged F]`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from essgraph.core.files import atomic_write
from essgraph.core.settings import get_settings
from essgraph.graph.precision import PrecisionReport, compare, load_judged, sample_statements
from essgraph.graph.store_factory import open_store

DEFAULT_SAMPLE = 160


def eval_precision(
    sample: Annotated[
        int, typer.Option("--sample", min=0, help="Nombre d'énoncés entité → entité à tirer.")
    ] = DEFAULT_SAMPLE,
    seed: Annotated[
        int, typer.Option("--seed", help="Graine du tirage (même graine, même échantillon).")
    ] = 1,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Fichier JSON lines des énoncés à juger (sortie standard sinon)."),
    ] = None,
    judged: Annotated[
        Path | None,
        typer.Option(
            "--judged",
            help="Fichier JSON lines déjà jugé (verdict correct/wrong) : ses énoncés ne sont pas "
            "réécrits, la précision est calculée sur eux.",
        ),
    ] = None,
) -> None:
    """Tirer un échantillon d'énoncés entité → entité du graphe avec le passage qui les atteste, à juger.

    Un énoncé relie deux entités (jamais un passage, une section, un concept ni un département) :
    sujet, prédicat, objet, qualificatifs, règle, confiance, texte du passage, document et lignes.
    Le tirage classe les énoncés par une empreinte de (graine, clé) : même graine, même tirage, et un
    énoncé garde son rang quand d'autres apparaissent. Avec --judged, les énoncés déjà jugés (même
    sujet, prédicat, objet et document) sont rapportés avec leur verdict, seuls les nouveaux sont
    écrits, et la précision (globale et par prédicat) est imprimée avec les raisons des erreurs.
    """
    verdicts = load_judged(judged) if judged is not None else {}
    store = open_store(get_settings(), read_only=True)
    try:
        drawn, population = sample_statements(store, sample, seed)
    finally:
        store.close()
    report = compare(drawn, population, verdicts)
    lines = "".join(json.dumps(s.to_json(), ensure_ascii=False) + "\n" for s in report.to_judge)
    to_stderr = out is None
    if out is None:
        sys.stdout.write(lines)
    else:
        atomic_write(out, lines)

    def say(text: str) -> None:
        typer.echo(text, err=to_stderr)

    say(
        f"Échantillon : {len(drawn)} énoncés tirés sur {report.population} (graine {seed}) ; "
        f"{len(report.to_judge)} à juger" + (f" écrits dans {out}" if out is not None else "")
    )
    if judged is not None:
        _print_report(report, say)


def _print_report(report: PrecisionReport, say: Callable[[str], None]) -> None:
    for statement, item in report.judged:
        mark = "correct" if item["verdict"] == "correct" else "FAUX"
        subject, obj = statement.subject["label"][:40], statement.object["label"][:40]
        line = f"{mark:<7}  {subject} —{statement.predicate}→ {obj}"
        if item["verdict"] == "wrong" and item.get("reason"):
            line += f"   ({item['reason']})"
        say(line)
    if report.rejudge:
        say(f"Énoncés jugés sur d'autres passages, à rejuger : {report.rejudge}")
    if report.absent:
        say(f"Énoncés jugés que le graphe n'affirme plus : {report.absent}")
    if report.precision is None:
        say("Aucun énoncé de l'échantillon n'est encore jugé : pas de précision.")
        return
    say(f"\nPrécision : {report.correct}/{len(report.judged)} ({report.precision:.1%})")
    say("Par prédicat :")
    for predicate, (correct, total) in report.per_predicate().items():
        say(f"  {predicate:<24} {correct}/{total} ({correct / total:.1%})")
    reasons = report.reasons()
    if reasons:
        say("Raisons des erreurs :")
        for reason, count in reasons:
            say(f"  {count:>3}  {reason}")


def register_eval_precision(eval_app: typer.Typer) -> None:
    """Add `precision` to the `essgraph eval` command group."""
    eval_app.command("precision")(eval_precision)
