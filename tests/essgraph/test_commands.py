"""The CLI shell: generated reference up to date, one-line French errors with exit codes, settings limits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from essgraph.app.clidoc import render
from essgraph.core.errors import BadInput, EssgraphError, NotFound, StoreBusy
from essgraph.core.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "essgraph", "--home", str(home), *args], capture_output=True, text=True
    )


def test_cli_reference_is_current() -> None:
    committed = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/cli.md is stale: run `python -m essgraph.app.clidoc > docs/cli.md`"


def test_every_subcommand_is_documented() -> None:
    text = render()
    for command in (
        "ingest",
        "sparql",
        "export",
        "import",
        "stats",
        "validate",
        "search",
        "reindex",
        "serve",
    ):
        assert f"## `essgraph {command}`" in text
    assert "## `essgraph eval facts`" in text and "## `essgraph eval search`" in text


def test_sparql_without_graph_is_one_clear_line(tmp_path: Path) -> None:
    run = _run("sparql", "SELECT * WHERE { ?s ?p ?o }", home=tmp_path / "empty")
    assert run.returncode == 2
    assert run.stderr.strip().startswith("erreur :") and len(run.stderr.strip().splitlines()) == 1


def test_sparql_syntax_error_names_the_position(samples_home: Settings) -> None:
    run = _run("sparql", "SELECT ?s WHERE { ?s ?p }", home=samples_home.home)
    assert run.returncode == 2
    assert "SPARQL invalide" in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_sparql_formats_from_the_cli(samples_home: Settings) -> None:
    query = "SELECT ?d WHERE { ?d a <https://w3id.org/essgraph/def#Document> }"
    csv_run = _run("sparql", query, "--format", "csv", home=samples_home.home)
    assert csv_run.returncode == 0 and csv_run.stdout.splitlines()[0] == "d"
    assert len(csv_run.stdout.splitlines()) > 1
    ttl = _run(
        "sparql",
        "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <https://w3id.org/essgraph/def#Document> ; ?p ?o }",
        "--format",
        "turtle",
        home=samples_home.home,
    )
    assert ttl.returncode == 0 and "essgraph" in ttl.stdout


@pytest.mark.parametrize(
    ("query", "fmt", "fitting"),
    [
        ("CONSTRUCT { ?d a ?t } WHERE { ?d a ?t } LIMIT 1", "csv", "turtle"),
        ("DESCRIBE <https://w3id.org/essgraph/id/doc/x>", "tsv", "turtle"),
        ("SELECT ?d WHERE { ?d a ?t } LIMIT 1", "turtle", "json"),
        ("ASK { ?s ?p ?o }", "nquads", "json"),
        ("SELECT ?d WHERE { ?d a ?t } LIMIT 1", "yaml", "json"),
    ],
)
def test_sparql_refuses_a_format_that_does_not_fit_the_query(
    samples_home: Settings, query: str, fmt: str, fitting: str
) -> None:
    run = _run("sparql", query, "--format", fmt, home=samples_home.home)
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("erreur :")
    assert f"format {fmt}" in lines[0] and fitting in lines[0]


def test_sparql_default_format_follows_the_query_form(samples_home: Settings) -> None:
    graph = _run("sparql", "CONSTRUCT { ?d a ?t } WHERE { ?d a ?t } LIMIT 2", home=samples_home.home)
    assert graph.returncode == 0 and graph.stdout.startswith("<")  # Turtle, not JSON
    rows = _run("sparql", "SELECT ?d WHERE { ?d a ?t } LIMIT 2", home=samples_home.home)
    assert rows.returncode == 0 and rows.stdout.startswith("{")


def test_sparql_csv_with_a_byte_order_mark_for_excel(samples_home: Settings) -> None:
    query = "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t }"
    plain = _run("sparql", query, "--format", "csv", home=samples_home.home)
    excel = _run("sparql", query, "--format", "csv", "--bom", home=samples_home.home)
    assert excel.returncode == 0 and excel.stdout == "\ufeff" + plain.stdout
    json_run = _run("sparql", query, "--bom", home=samples_home.home)
    assert not json_run.stdout.startswith("\ufeff")  # only CSV/TSV get one


def test_import_of_broken_dump_writes_nothing(tmp_path: Path) -> None:
    dump = tmp_path / "broken.nq"
    dump.write_text(
        '<https://e.org/a> <https://e.org/p> "x" <https://e.org/g> .\n<https://e.org/b> <oops', "utf-8"
    )
    run = _run("import", str(dump), home=tmp_path / "home")
    assert run.returncode == 2 and "broken.nq" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_error_hierarchy_carries_status_code_and_both_languages() -> None:
    for cls, status in ((BadInput, 400), (NotFound, 404), (StoreBusy, 503)):
        err = cls("message français", "english message", extra=1)
        assert isinstance(err, EssgraphError)
        assert err.to_dict() == {
            "status": status,
            "code": cls.code,
            "message": "message français",
            "message_en": "english message",
            "details": {"extra": 1},
        }


def test_settings_are_validated_at_start() -> None:
    with pytest.raises(ValidationError):
        Settings(query_timeout_s=0)
    with pytest.raises(ValidationError):
        Settings(base_iri="ftp://x/")
    assert Settings(base_iri="https://example.org/id").base_iri == "https://example.org/id/"
