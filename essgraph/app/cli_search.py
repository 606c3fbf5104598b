"""Subcommands of the `essgraph` CLI that belong to the search package: search, reindex, eval search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from essgraph.core.errors import BadInput
from essgraph.core.settings import get_settings


def parse_filters(items: list[str] | None) -> dict[str, list[str]]:
    """`key=value` strings as {key: [values]}; raises BadInput for an item without '='."""
    filters: dict[str, list[str]] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise BadInput(
                f"Filtre mal formé « {item} » : attendu clé=valeur.",
                f"Malformed filter {item!r}: expected key=value.",
            )
        filters.setdefault(key.strip(), []).append(value.strip())
    return filters


def search(
    query: Annotated[str, typer.Argument(help="La question, en français.")],
    top: Annotated[int | None, typer.Option("--top", "-k", help="Nombre de résultats.")] = None,
    filters: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            "-f",
            help="Filtre clé=valeur (document, section_kind, lever, theme, legal_form, collectivite_level,"
            " departement, region, year) ; répétable.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON {hits, facets}.")] = False,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, bm25 ou dense.")] = "hybrid",
) -> None:
    """Chercher les passages qui répondent à une question (recherche hybride)."""
    from essgraph.search.engine import SearchEngine

    settings = get_settings()
    engine = SearchEngine.open(settings)
    result = engine.search(query, top, parse_filters(filters), mode=mode)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if not engine.records:
        typer.echo("aucun passage indexé : lancez d'abord « essgraph ingest ».", err=True)
    if result.understood:
        typer.echo("compris : " + " · ".join(result.understood.values()))
    if not result.hits:
        typer.echo("aucun résultat")
    for rank, hit in enumerate(result.hits, start=1):
        rec = hit.record
        where = f"{rec.document}:{rec.start_line}-{rec.end_line}"
        section = rec.section.label or rec.section.title
        typer.echo(f"{rank:>2}. [{hit.score:.3f}] {where}  {section}")
        text = " ".join(rec.text.split())
        limit = settings.cli_snippet_chars
        typer.echo(f"    {text[:limit]}{'…' if len(text) > limit else ''}")
        if rec.entities:
            typer.echo(
                "    entités : " + ", ".join(e.label for e in rec.entities[: settings.cli_max_entities])
            )


def reindex() -> None:
    """Reconstruire les index de recherche (BM25, vecteurs) à partir du graphe."""
    from essgraph.graph.store_factory import open_store
    from essgraph.search.engine import SearchEngine

    settings = get_settings()
    with open_store(settings) as store:
        engine = SearchEngine.open(settings, store)
        computed = engine.rebuild_from_store(progress=True)
        passages, docs = len(engine.records), len(engine.doc_ids())
        engine.close()
    typer.echo(f"index reconstruits : {passages} passages de {docs} documents ({computed} vecteurs calculés)")


def eval_search(
    file: Annotated[Path, typer.Argument(help="Questions annotées (JSON lines, format de ../shared/eval).")],
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    run_dir: Annotated[
        Path | None, typer.Option("--run-dir", help="Écrire les runs (format score.py) dans ce dossier.")
    ] = None,
) -> None:
    """Mesurer nDCG@10, MRR et succès@10 : système complet, BM25 seul, dense seul (même exécution)."""
    from essgraph.search.engine import SearchEngine
    from essgraph.search.evaluate import (
        format_scores,
        load_questions,
        run_questions,
        score_run,
        spans,
        write_run,
    )

    settings = get_settings()
    questions = load_questions(file)
    engine = SearchEngine.open(settings)
    k = settings.eval_top_k
    report: dict[str, Any] = {}
    for mode in ("hybrid", "bm25", "dense"):

        def run_one(query: str, mode: str = mode) -> list[dict[str, Any]]:
            return [h.to_dict() for h in engine.search(query, k, mode=mode).hits]

        run = run_questions(questions, run_one)
        if run_dir is not None:
            run_dir.mkdir(parents=True, exist_ok=True)
            write_run(run_dir / f"run-{mode}.jsonl", run)
        scores = score_run(questions, spans(run))
        report[mode] = scores.to_dict()
        if not as_json:
            typer.echo(format_scores(mode, scores))
    best_single = max(report["bm25"]["ndcg@10"], report["dense"]["ndcg@10"])
    report["gain_over_best_single"] = report["hybrid"]["ndcg@10"] - best_single
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"gain du système complet sur le meilleur seul : {report['gain_over_best_single']:+.3f}")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add `essgraph search`, `essgraph reindex` and `essgraph eval search` to the CLI."""
    app.command("search")(search)
    app.command("reindex")(reindex)
    eval_app.command("search")(eval_search)
