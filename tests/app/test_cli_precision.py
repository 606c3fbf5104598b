"""`essgraph eval precision` on a real store: draw, write for judging, re-run with the judged file."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from typer.testing import CliRunner

from essgraph.app.cli import _register_all, app
from essgraph.core.settings import Settings
from essgraph.graph.store_factory import open_store

_register_all()
runner = CliRunner()


def _fill(settings: Settings, graphs: dict[str, rdflib.Graph]) -> None:
    with open_store(settings) as store:
        for iri, graph in graphs.items():
            store.replace_graph(iri, graph)


def test_draw_judge_and_score(
    settings: Settings, unseen_doc_graphs: dict[str, rdflib.Graph], tmp_path: Path
) -> None:
    _fill(settings, unseen_doc_graphs)
    first = tmp_path / "a-juger.jsonl"
    result = runner.invoke(app, ["eval", "precision", "--sample", "5", "--seed", "7", "--out", str(first)])
    assert result.exit_code == 0, result.output
    assert "5 énoncés tirés" in result.stdout and "5 à juger" in result.stdout
    items = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert len(items) == 5 and all(item["verdict"] == "" and item["evidence"] for item in items)

    # the same seed draws the same statements, on stdout when there is no --out
    again = runner.invoke(app, ["eval", "precision", "--sample", "5", "--seed", "7"])
    assert again.exit_code == 0
    assert [json.loads(line)["key"] for line in again.stdout.splitlines()] == [i["key"] for i in items]
    assert "5 à juger" in again.stderr

    for number, item in enumerate(items):
        item["verdict"] = "wrong" if number == 0 else "correct"
        item["reason"] = "sens inversé" if number == 0 else ""
    judged = tmp_path / "juges.jsonl"
    judged.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    rest = tmp_path / "reste.jsonl"
    scored = runner.invoke(
        app,
        ["eval", "precision", "--sample", "8", "--seed", "7", "--judged", str(judged), "--out", str(rest)],
    )
    assert scored.exit_code == 0, scored.output
    assert "Précision : 4/5 (80.0%)" in scored.stdout
    assert "Par prédicat :" in scored.stdout and "1  sens inversé" in scored.stdout
    new = [json.loads(line)["key"] for line in rest.read_text(encoding="utf-8").splitlines()]
    assert len(new) == 3 and not set(new) & {i["key"] for i in items}


def test_unknown_verdict_is_a_usage_error(
    settings: Settings, unseen_doc_graphs: dict[str, rdflib.Graph], tmp_path: Path
) -> None:
    _fill(settings, unseen_doc_graphs)
    judged = tmp_path / "juges.jsonl"
    line = {"subject": {"label": "A"}, "predicate": "eg:supports", "object": {"label": "B"}, "document": "d"}
    judged.write_text(json.dumps(line | {"verdict": "bof"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "precision", "--judged", str(judged)])
    assert result.exit_code != 0
    assert "verdict « bof » inconnu" in str(result.exception)
