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


def _graph_contents(settings: Settings) -> dict[str, list[str]]:
    """{document graph: its sorted N-Quads lines, blank nodes renamed by order of appearance}."""
    from essgraph.graph.store_factory import open_store

    with open_store(settings, read_only=True) as store:
        lines = store.dump("nquads").decode().splitlines()
    by_graph: dict[str, list[str]] = {}
    for line in lines:
        graph = line.rsplit(" ", 2)[-2]
        by_graph.setdefault(graph, []).append(
            " ".join(w if not w.startswith("_:") else "_:b" for w in line.split(" "))
        )
    return {g: sorted(quads) for g, quads in by_graph.items()}


def test_worker_processes_write_what_one_process_writes(tmp_path: Path) -> None:
    """`--workers 2`: documents read and extracted in two processes, written by one, in file order:
    the same named graphs, journal and hits as a single-process ingest; a file that fails in a worker
    fails alone with its French and English messages; a second run finds every file unchanged."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    (corpus / "profond.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (corpus / "sous-dossier").mkdir()
    # same file stem as a sample: the second must get its own document id, as in one process
    (corpus / "sous-dossier" / "guide-leviers-ess.txt").write_text(
        "La commune de Tulle soutient une recyclerie portée par une association.\n", "utf-8"
    )
    one = Settings(home=tmp_path / "one")
    single = ingest_paths([corpus], one, progress=False, workers=1)
    two = Settings(home=tmp_path / "two")
    two.cache_dir.mkdir(parents=True)  # the passages are not encoded twice (content-hash keyed cache)
    shutil.copy(one.cache_dir / "embeddings.sqlite", two.cache_dir / "embeddings.sqlite")
    parallel = ingest_paths([corpus], two, progress=False, workers=2)

    assert parallel.documents == single.documents >= 5
    assert parallel.doc_ids == single.doc_ids
    assert (parallel.passages, parallel.entities, parallel.statements) == (
        single.passages,
        single.entities,
        single.statements,
    )
    assert len(parallel.errors) == 1 and "profond.json" in parallel.errors[0]
    assert parallel.errors == single.errors
    assert _graph_contents(two) == _graph_contents(one)
    assert {e["doc_id"] for e in Journal(two.journal_path).entries().values()} == set(single.doc_ids)

    from essgraph.search.engine import SearchEngine

    engines = [SearchEngine.open(s) for s in (one, two)]
    try:
        hits = [
            [h.record.iri for h in e.search("recyclerie soutenue par la commune", 5).hits] for e in engines
        ]
        assert hits[0] and hits[0] == hits[1]
    finally:
        for engine in engines:
            engine.close()

    again = ingest_paths([corpus], two, progress=False, workers=2)
    assert again.documents == 0 and again.unchanged == single.documents


def test_an_ingest_error_keeps_both_messages_across_processes() -> None:
    """A worker's error reaches the writer whole: class, French and English texts, details."""
    import pickle

    from essgraph.core.errors import IngestFailed

    error = IngestFailed("Lecture impossible de « a.json ».", "Cannot read 'a.json'.", file="a.json")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is IngestFailed
    assert (copy.message_fr, copy.message_en, copy.details) == (
        error.message_fr,
        error.message_en,
        error.details,
    )
    assert copy.to_dict() == error.to_dict()
