"""The ingest pipeline's journal: unchanged files are skipped, an upgraded extractor re-ingests them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from essgraph.app.pipeline import Pipeline, ingest_paths
from essgraph.core.errors import ConfigError
from essgraph.core.settings import Settings
from essgraph.ingest.journal import Journal

SAMPLES = Path(__file__).resolve().parents[2] / "essgraph" / "ingest" / "samples"


def test_unchanged_skipped_and_pipeline_upgrade_reingests(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    settings = Settings(home=tmp_path / "home")
    first = ingest_paths([corpus], settings, progress=False)
    assert first.documents >= 3 and not first.errors
    again = ingest_paths([corpus], settings, progress=False)
    assert again.documents == 0 and again.unchanged == first.documents

    journal = Journal(settings.journal_path)
    for key, entry in journal.entries().items():
        journal.record(key, entry["sha256"], entry["doc_id"], entry["passages"], pipeline="ancienne-version")
    upgraded = ingest_paths([corpus], settings, progress=False)
    assert upgraded.documents == first.documents and upgraded.unchanged == 0

    pipeline = Pipeline(settings)
    try:
        versions = {e["pipeline"] for e in Journal(settings.journal_path).entries().values()}
        assert versions == {pipeline.version}
    finally:
        pipeline.close()


def _doc_graphs(settings: Settings) -> set[str]:
    from essgraph.graph.store_factory import open_store

    prefix = f"{settings.base_iri}graph/doc/"
    with open_store(settings, read_only=True) as store:
        return {g.removeprefix(prefix) for g in store.graph_names() if g.startswith(prefix)}


def test_same_file_stem_in_two_folders_gives_two_documents(tmp_path: Path) -> None:
    for folder, town in (("a", "Nantes"), ("b", "Lille")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rapport.md").write_text(
            f"# Rapport\n\nLa ville de {town} soutient une épicerie solidaire.\n", encoding="utf-8"
        )
    settings = Settings(home=tmp_path / "home")
    summary = ingest_paths([tmp_path / "a", tmp_path / "b"], settings, progress=False)
    assert summary.documents == 2 and not summary.errors
    ids = _doc_graphs(settings)
    assert "rapport" in ids and len(ids) == 2
    again = ingest_paths([tmp_path / "a", tmp_path / "b"], settings, progress=False)
    assert again.unchanged == 2 and _doc_graphs(settings) == ids


def test_prune_with_a_missing_folder_removes_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    settings = Settings(home=tmp_path / "home")
    first = ingest_paths([corpus], settings, progress=False)
    corpus.rename(tmp_path / "ailleurs")
    pruned = ingest_paths([corpus], settings, prune=True, progress=False)
    assert pruned.removed == 0
    assert any("élagage" in e for e in pruned.errors)
    assert len(_doc_graphs(settings)) == first.documents


def test_index_of_an_older_format_is_rebuilt_from_the_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An index written by an older essgraph (other BM25 tokens) is stale: searching says to reindex,
    and the next ingest (or service start) rebuilds it from the graph without re-reading any file."""
    from essgraph.search.engine import FORMAT_VERSION, SearchEngine

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    settings = Settings(home=tmp_path / "home")
    first = ingest_paths([corpus], settings, progress=False)
    meta_path = settings.index_dir / "search" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "version": FORMAT_VERSION - 1}), encoding="utf-8")
    old = SearchEngine.open(settings)
    with pytest.raises(ConfigError, match="reindex"):
        old.search("coopérative", 3)
    old.close()
    capsys.readouterr()
    again = ingest_paths([corpus], settings, progress=False)
    assert again.documents == 0 and again.unchanged == first.documents
    assert "reconstruit" in capsys.readouterr().err
    assert json.loads(meta_path.read_text(encoding="utf-8"))["version"] == FORMAT_VERSION
    engine = SearchEngine.open(settings)
    try:
        assert engine.search("coopérative", 3).hits
    finally:
        engine.close()


def test_a_deeply_nested_json_fails_alone_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a-note.md").write_text("# Une note\n\nLa commune soutient une épicerie solidaire.\n", "utf-8")
    (folder / "b-profond.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    nested_object = '{"a": ' * 50_000 + "1" + "}" * 50_000
    (folder / "c-objets.json").write_text('{"records": [' + nested_object + "]}", "utf-8")
    (folder / "d-note.txt").write_text("Une régie de quartier emploie des habitants.\n", "utf-8")
    summary = ingest_paths([folder], Settings(home=tmp_path / "home"), progress=False)
    assert summary.documents == 2
    assert len(summary.errors) == 2
    assert all("imbriqué" in error for error in summary.errors), summary.errors
