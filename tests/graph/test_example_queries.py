"""Example queries (graph/examples/*.rq): each parses, is documented, returns rows and cites its evidence."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from essgraph.core.settings import Settings
from essgraph.graph.example_queries import (
    EVIDENCE_VARIABLES,
    ExampleQuery,
    load_example_queries,
    parse_header,
    render,
)
from essgraph.graph.sparql_check import analyse

DOC = Path(__file__).resolve().parents[2] / "docs" / "queries.md"
QUERIES = load_example_queries()
DOCUMENTED = [q for q in QUERIES if q.family]  # the family queries; c…/d… are the competency questions

# Every relation family of the ontology that an example query must cover (issue #16).
FAMILIES = {
    "soutien",
    "financement",
    "capital",
    "adhésion",
    "co-organisation",
    "lieu et date des événements",
    "rôles",
    "signataires",
    "programmes et appels à projets",
    "création",
    "filiales",
    "labels",
    "publications",
    "partenariats",
    "leviers",
    "provenance",
    "enregistrements",
}
# Queries whose family the extraction does not yet fill: the query is written, its test waits for the rows.
GAPS: dict[str, str] = {}


def _rows(store: ox.Store, text: str) -> tuple[list[str], list[dict[str, str]]]:
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    rows = [{n: (s[n].value if s[n] is not None else "") for n in names} for s in solutions]
    return names, rows


def _param(q: ExampleQuery) -> object:
    if q.name in GAPS:
        return pytest.param(q, id=q.name, marks=pytest.mark.xfail(reason=GAPS[q.name], strict=True))
    return pytest.param(q, id=q.name)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_example_parses_and_is_a_read_only_select(query: ExampleQuery) -> None:
    settings = Settings()
    request = analyse(query.text, settings.max_sparql_chars, settings.max_sparql_depth)
    assert (request.kind, request.form, request.remote) == ("query", "select", ())
    _rows(ox.Store(), query.text)  # pyoxigraph parses it (a syntax error raises)
    assert query.question, query.name


def test_at_least_thirty_examples_cover_every_family() -> None:
    assert len(QUERIES) >= 30
    covered = {q.family_name for q in DOCUMENTED}
    assert FAMILIES <= covered, FAMILIES - covered
    assert set(GAPS) <= {q.name for q in DOCUMENTED}


@pytest.mark.parametrize("query", DOCUMENTED, ids=[q.name for q in DOCUMENTED])
def test_family_query_is_documented_and_selects_its_evidence(query: ExampleQuery) -> None:
    assert query.text.startswith(f"# {query.name} — ")
    assert query.question.endswith("?"), query.question
    assert query.returns and query.family and query.example, query.name
    names, _ = _rows(ox.Store(), query.text)
    assert set(EVIDENCE_VARIABLES) <= set(names), names
    if query.name not in GAPS:
        assert query.evidence is not None, f"{query.name}: Example must end with '— <document>, lines a-b'"


def test_parse_header_reads_continuations_and_the_example() -> None:
    text = (
        "# z9 — Qui fait quoi ?\n# Returns: one row per\n#   thing.\n# Family: soutien (eg:supports)\n"
        "# Example: A | B — doc.txt, lines 3-5\nSELECT * WHERE { ?s ?p ?o }\n"
    )
    q = parse_header("z9", text)
    assert (q.question, q.returns, q.family_name) == ("Qui fait quoi ?", "one row per thing.", "soutien")
    assert q.evidence == ("doc.txt", 3, 5)
    assert q.body == "SELECT * WHERE { ?s ?p ?o }\n"
    legacy = parse_header("c1", "# c1 — Quoi ?\n# Returns the rows.\nSELECT * {}\n")
    assert (legacy.question, legacy.returns, legacy.family, legacy.evidence) == (
        "Quoi ?",
        "Returns the rows.",
        "",
        None,
    )


def test_docs_queries_md_is_up_to_date() -> None:
    assert DOC.is_file(), "run: python -m essgraph.graph.example_queries > docs/queries.md"
    assert DOC.read_text(encoding="utf-8") == render(), (
        "stale: python -m essgraph.graph.example_queries > docs/queries.md"
    )


@pytest.mark.slow
@pytest.mark.parametrize("query", [_param(q) for q in QUERIES])
def test_example_returns_rows(examples_store: ox.Store, query: ExampleQuery) -> None:
    _, rows = _rows(examples_store, query.text)
    assert rows, f"{query.name}: aucune ligne"


@pytest.mark.slow
@pytest.mark.parametrize("query", [q for q in DOCUMENTED if q.name not in GAPS], ids=lambda q: q.name)
def test_documented_example_row_is_returned_with_its_passage(
    examples_store: ox.Store, query: ExampleQuery
) -> None:
    """The header's example row comes back, cited by the same document and lines, and that passage exists."""
    assert query.evidence is not None
    document, start, end = query.evidence
    values = [v.strip().removesuffix("…") for v in query.example.rsplit("—", 1)[0].split(" | ")]
    _, rows = _rows(examples_store, query.text)
    cited = [r for r in rows if (r["document"], r["debut"], r["fin"]) == (document, str(start), str(end))]
    assert cited, f"{query.name}: no row cites {document}, lines {start}-{end}"
    assert any(all(any(cell.startswith(v) for cell in r.values()) for v in values) for r in cited), (
        f"{query.name}: no row cited there holds {values}"
    )
    passage = ox.NamedNode(cited[0]["passage"])
    texts = list(
        examples_store.quads_for_pattern(passage, ox.NamedNode("https://w3id.org/essgraph/def#text"), None)
    )
    assert texts, f"{query.name}: the evidence passage has no text"
