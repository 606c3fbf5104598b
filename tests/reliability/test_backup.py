"""Backup and restore: export then import into an empty home gives the same graph and the same search."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from reliability_support import GENERATED_DOCS, read_state, run_essgraph, search_signature

EVAL_QUERIES = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "queries.jsonl"


def _named_graphs(dump: Path) -> dict[str, rdflib.Graph]:
    """{graph IRI: its triples} of an N-Quads file (default-graph triples under "")."""
    dataset = rdflib.Dataset()
    dataset.parse(dump, format="nquads")
    out: dict[str, rdflib.Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        out.setdefault(str(g) if g is not None else "", rdflib.Graph()).add((s, p, o))
    return out


def _dev_questions() -> tuple[str, ...]:
    """The development questions of ../shared/eval/queries.jsonl (skips when absent)."""
    if not EVAL_QUERIES.is_file():
        pytest.skip("../shared/eval/queries.jsonl absent")
    lines = EVAL_QUERIES.read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line)["query"] for line in lines if line.strip())


@pytest.mark.slow
def test_export_import_round_trip(
    reference_home: Path, fresh_home: Callable[[str], Path], small_corpus: Path, tmp_path: Path
) -> None:
    questions = _dev_questions()
    dump = tmp_path / "sauvegarde.nq"
    exported = run_essgraph(reference_home, "export", "--format", "nquads", "-o", str(dump))
    assert exported.returncode == 0, exported.stderr
    restored = fresh_home("restored")
    imported = run_essgraph(restored, "import", str(dump))
    assert imported.returncode == 0, imported.stderr

    again = tmp_path / "sauvegarde-2.nq"
    assert run_essgraph(restored, "export", "-o", str(again)).returncode == 0
    before, after = _named_graphs(dump), _named_graphs(again)
    assert set(before) == set(after) and len(before) > len(GENERATED_DOCS)
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name
    assert search_signature(restored, questions) == search_signature(reference_home, questions)

    # the restored documents survive the next ingest (its start-up reconcile must not drop them)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "nouvelle-fiche.md").write_text(
        "# Une fiche ajoutée après la restauration\n\nLa ville soutient une épicerie solidaire.\n",
        encoding="utf-8",
    )
    added = run_essgraph(restored, "ingest", str(extra))
    assert added.returncode == 0, added.stderr
    state = read_state(restored)
    reference = read_state(reference_home)
    assert set(state.graphs) == set(reference.graphs) | {"nouvelle-fiche"}
    for doc_id, graph in reference.graphs.items():
        assert isomorphic(graph, state.graphs[doc_id]), doc_id
    assert {d: t for d, t in state.index_texts.items() if d != "nouvelle-fiche"} == reference.index_texts


def test_import_refuses_unreadable_dump_and_non_empty_home(tmp_path: Path) -> None:
    bad = tmp_path / "casse.nq"
    bad.write_text('<http://a> <http://b> "pas fini .\n', encoding="utf-8")
    home = tmp_path / "home"
    proc = run_essgraph(home, "import", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "rien n'a été écrit" in proc.stderr
    good = tmp_path / "bon.nq"
    good.write_text(
        "<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> <http://ex.org/g> .\n", encoding="utf-8"
    )
    assert run_essgraph(home, "import", str(good)).returncode == 0
    twice = run_essgraph(home, "import", str(good))
    assert twice.returncode == 2 and "vide" in twice.stderr
