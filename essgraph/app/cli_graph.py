"""Graph subcommands of the CLI: sparql, export, import, stats, validate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from essgraph.core.errors import BadInput, UnsupportedFormat
from essgraph.core.settings import get_settings
from essgraph.graph.queries import admin
from essgraph.graph.sparql import GRAPH_FORMATS, SELECT_FORMATS, SparqlExecutor, analyse_request
from essgraph.graph.store_factory import open_store

IMPORT_SUFFIXES = {
    ".nq": "nquads",
    ".nquads": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


def sparql(
    query: Annotated[str | None, typer.Argument(help="Requête SPARQL (ou --file).")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Fichier .rq contenant la requête.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="json, xml, csv, tsv (SELECT/ASK ; défaut json) ; turtle, ntriples, nquads, trig, jsonld, "
            "xml (CONSTRUCT/DESCRIBE ; défaut turtle).",
        ),
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="CSV/TSV précédé du BOM UTF-8 (pour Excel en français).")
    ] = False,
) -> None:
    """Exécuter une requête SPARQL en lecture sur le graphe et imprimer le résultat au format standard.

    Un format qui ne convient pas à la forme de la requête (CONSTRUCT en csv, SELECT en turtle) est
    refusé (code de sortie 2) plutôt que remplacé."""
    if (query is None) == (file is None):
        raise BadInput("donnez une requête OU --file FICHIER", "give a query OR --file FILE")
    if file is not None:
        if not file.is_file():
            raise BadInput(f"{file} : fichier introuvable", f"{file}: no such file")
        query = file.read_text(encoding="utf-8")
    assert query is not None
    settings = get_settings()
    fmt = output_format(analyse_request(query, settings).form, fmt)
    open_store(settings, read_only=True).close()  # clear error when there is no graph yet
    executor = SparqlExecutor(settings, workers=1)
    try:
        result = executor.run(query, fmt)
    finally:
        executor.close()
    if bom and fmt in ("csv", "tsv"):
        sys.stdout.buffer.write(b"\xef\xbb\xbf")
    sys.stdout.buffer.write(result.body)
    if not result.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    if result.truncated:
        typer.echo(f"(résultat tronqué à {settings.max_rows} lignes : max_rows)", err=True)


def output_format(form: str, fmt: str | None) -> str:
    """The output format for a query form ('select', 'ask', 'graph', 'update'): `fmt`, or the form's
    default (json; turtle for CONSTRUCT/DESCRIBE). Raises UnsupportedFormat (exit code 2) for a format
    unknown or that does not fit the form, naming the ones that do."""
    graph = form == "graph"
    fitting = list(GRAPH_FORMATS) if graph else list(SELECT_FORMATS)
    if fmt is None:
        return fitting[0]
    if fmt in fitting:
        return fmt
    kind_fr = "un CONSTRUCT/DESCRIBE" if graph else "un SELECT/ASK"
    kind_en = "a CONSTRUCT/DESCRIBE" if graph else "a SELECT/ASK"
    known = fmt in SELECT_FORMATS or fmt in GRAPH_FORMATS
    reason_fr = "ne convient pas à" if known else "est inconnu pour"
    raise UnsupportedFormat(
        f"le format {fmt} {reason_fr} {kind_fr} ; formats possibles : {', '.join(fitting)}",
        f"format {fmt} {'does not fit' if known else 'is unknown for'} {kind_en}; "
        f"possible formats: {', '.join(fitting)}",
        formats=fitting,
    )


def export(
    fmt: Annotated[str, typer.Option("--format", help="nquads, trig ou jsonld.")] = "nquads",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Fichier (sortie standard sinon).")
    ] = None,
) -> None:
    """Exporter tout le graphe (tous les graphes nommés) pour sauvegarde ou réutilisation."""
    with open_store(get_settings(), read_only=True) as store:
        data = store.dump(fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        tmp = output.with_name(output.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(output)
        typer.echo(f"{output} : {len(data)} octets", err=True)


def import_(
    file: Annotated[Path, typer.Argument(help="Sauvegarde produite par « essgraph export ».")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="nquads, trig ou jsonld (déduit de l'extension).")
    ] = None,
) -> None:
    """Restaurer une sauvegarde dans un répertoire de données vide (rien d'écrit si elle est illisible)."""
    if not file.is_file():
        raise BadInput(f"{file} : fichier introuvable", f"{file}: no such file")
    fmt = fmt or IMPORT_SUFFIXES.get(file.suffix.lower())
    if fmt is None:
        raise BadInput(
            f"{file} : format inconnu, précisez --format nquads|trig|jsonld",
            f"{file}: unknown format, pass --format",
        )
    settings = get_settings()
    with open_store(settings) as store:
        if store.quad_count():
            raise BadInput(
                f"le répertoire {settings.home} contient déjà un graphe : importez dans un répertoire vide",
                f"{settings.home} already holds a graph: import into an empty home",
            )
        count = store.load_dataset(file.read_bytes(), fmt, str(file))
    typer.echo(f"{count} quadruplets importés depuis {file}")
    from essgraph.app.pipeline import rebuild_after_import

    rebuild_after_import(settings)


def stats(json_out: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False) -> None:
    """Compter les triplets par graphe nommé et les entités par classe."""
    import json

    with open_store(get_settings(), read_only=True) as store:
        graphs = list(store.iter_graph_counts())
        classes = store.select(admin.CLASS_COUNTS)
        total = store.quad_count()
    if json_out:
        typer.echo(
            json.dumps(
                {
                    "quads": total,
                    "graphs": dict(graphs),
                    "classes": {r["c"]: int(r["n"]) for r in classes},
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    typer.echo(f"{total} quadruplets")
    typer.echo("\nPar graphe nommé :")
    for name, count in graphs:
        typer.echo(f"  {count:>8}  {name}")
    typer.echo("\nPar classe :")
    for row in classes:
        typer.echo(f"  {int(row['n']):>8}  {row['c']}")


def validate() -> None:
    """Valider le graphe contre les formes SHACL (ontology/shapes.ttl) ; code 1 si violations."""
    from essgraph.ontology.validate import validate_graph

    with open_store(get_settings(), read_only=True) as store:
        data = store.to_rdflib()
    report = validate_graph(data)
    typer.echo(report.text)
    if not report.conforms:
        raise typer.Exit(1)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the graph commands (and `eval facts`, `eval precision`, `eval thesaurus`) to the CLI."""
    app.command("sparql")(sparql)
    app.command("export")(export)
    app.command("import")(import_)
    app.command("stats")(stats)
    app.command("validate")(validate)
    from essgraph.app.cli_facts import register_eval_facts

    register_eval_facts(eval_app)
    from essgraph.app.cli_precision import register_eval_precision

    register_eval_precision(eval_app)
    from essgraph.app.cli_thesaurus import register_eval_thesaurus

    register_eval_thesaurus(eval_app)
