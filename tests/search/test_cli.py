"""The search CLI: `essgraph search --json/--filter`, errors, and `essgraph reindex` from the store."""

from __future__ import annotations

import json

import pytest
from test_records import _doc_graph
from typer.testing import CliRunner

from essgraph.app.cli import _register_all, app
from essgraph.app.cli_search import parse_filters
from essgraph.core.settings import Settings
from essgraph.graph.store_factory import open_store
from essgraph.search.engine import SearchEngine

_register_all()
runner = CliRunner()


def test_search_json_output(engine: SearchEngine) -> None:
    result = runner.invoke(
        app, ["search", "garage solidaire", "--top", "2", "--json", "--filter", "document=guide"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"hits", "facets"} and len(data["hits"]) <= 2
    assert data["hits"][0]["document"] == "guide.txt"
    text = runner.invoke(app, ["search", "garage solidaire", "--mode", "bm25"])
    assert text.exit_code == 0 and "guide.txt:4-5" in text.output


def test_filter_parsing_errors() -> None:
    assert parse_filters(["lever=commande-publique", "lever=capital", "year=2023"]) == {
        "lever": ["commande-publique", "capital"],
        "year": ["2023"],
    }
    from essgraph.core.errors import BadInput

    with pytest.raises(BadInput):
        parse_filters(["sans-egal"])


def test_reindex_rebuilds_from_the_store(settings: Settings) -> None:
    with open_store(settings) as store:
        store.replace_graph(f"{settings.base_iri}graph/doc/guide", _doc_graph(settings.base_iri))
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0, result.output
    engine = SearchEngine.open(settings)
    assert engine.doc_ids() == ["guide"]
    hit = engine.search("capital de la SCIC", 1).hits[0]
    assert hit.record.start_line == 10 and hit.record.entities and hit.record.section.number == 9
