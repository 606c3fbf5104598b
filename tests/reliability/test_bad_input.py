"""Bad input, ingest side: one line per bad file, exit 2, the good files ingested, nothing half-written."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from reliability_support import GENERATED_DOCS, REPO, read_state, run_essgraph

from essgraph.app.pipeline import iter_files
from essgraph.core.errors import StoreBusy
from essgraph.core.settings import Settings
from essgraph.core.text import slugify
from essgraph.search.engine import SearchEngine

ERROR_MARK = "  ✗ "
# entries the hostile generator makes that are not files to report when a whole folder is ingested
NOT_FILES = {"dossier.txt"}  # a directory named like a file: walked as an (empty) folder
Hostile = tuple[Path, list[Any]]  # folder, manifest of make_hostile.Hostile items
Run = tuple[Path, subprocess.CompletedProcess[str]]  # home, finished `essgraph ingest`


def _make_hostile() -> ModuleType:
    """tests/data/make_hostile.py imported as a module (tests/data is not a package)."""
    spec = importlib.util.spec_from_file_location("make_hostile", REPO / "tests" / "data" / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """The ≥ 40 hostile files plus the two good generated documents, with the hostile manifest."""
    folder = tmp_path_factory.mktemp("hostile-corpus")
    manifest = _make_hostile().generate(folder)
    for name, text in GENERATED_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder, manifest


@pytest.fixture(scope="module")
def hostile_run(hostile_folder: Hostile, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """`essgraph ingest` on the hostile folder in a fresh home: (home, finished process)."""
    folder, _ = hostile_folder
    home = tmp_path_factory.mktemp("hostile-home") / "home"
    return home, run_essgraph(home, "ingest", str(folder))


@pytest.mark.slow
def test_each_bad_file_one_line_exit_2(hostile_folder: Hostile, hostile_run: Run) -> None:
    _, manifest = hostile_folder
    _, proc = hostile_run
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.startswith(ERROR_MARK)]
    bad = [h for h in manifest if h.expect == "fail" and h.name not in NOT_FILES] + [
        type(manifest[0])("loop-b.txt", "fail", "the other end of the link loop", reason="boucle")
    ]
    assert len(bad) >= 30
    for item in bad:
        mine = [line for line in lines if item.name in line]
        assert len(mine) == 1, (item.name, mine)
        if item.reason:
            assert item.reason.lower() in mine[0].lower() or "boucle" in mine[0], (item.name, mine[0])
    # nothing else failed, and each line is a single line naming one file
    assert len(lines) == len(bad), lines
    assert not [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith(ERROR_MARK)]


@pytest.mark.slow
def test_size_limit_refuses_50mb_before_reading(hostile_run: Run) -> None:
    _, proc = hostile_run
    (line,) = [line for line in proc.stderr.splitlines() if "huge-50mb.txt" in line]
    assert str(Settings().max_file_bytes) in line and "octets" in line


@pytest.mark.slow
def test_good_documents_ingested_bad_ones_left_no_trace(hostile_folder: Hostile, hostile_run: Run) -> None:
    _, manifest = hostile_folder
    home, _ = hostile_run
    good = {slugify(Path(h.name).stem) for h in manifest if h.expect == "ok"} | {
        slugify(Path(n).stem) for n in GENERATED_DOCS
    }
    failed = {slugify(Path(h.name).stem) for h in manifest if h.expect == "fail"} - good
    state = read_state(home)
    assert set(state.graphs) == good
    assert set(state.index_passages) <= good
    assert set(state.graph_passages) == set(state.index_passages) | {
        d for d, p in state.graph_passages.items() if not p
    }
    assert not set(state.graphs) & failed
    journalled = {Path(k).name for k in state.journal}
    assert journalled == {h.name for h in manifest if h.expect == "ok"} | set(GENERATED_DOCS)
    assert {e["status"] for e in state.journal.values()} == {"ok"}
    engine = SearchEngine.open(Settings(home=home))
    try:
        docs = {h.record.doc_id for h in engine.search("garage solidaire voitures insertion", k=5).hits}
        assert "garage-mobilite" in docs
        docs = {h.record.doc_id for h in engine.search("ressourcerie encombrants", k=5).hits}
        assert "atelier-reemploi" in docs
    finally:
        engine.close()


@pytest.mark.slow
def test_rerun_on_hostile_folder_changes_nothing(hostile_folder: Hostile, hostile_run: Run) -> None:
    folder, _ = hostile_folder
    home, first = hostile_run
    before = read_state(home)
    again = run_essgraph(home, "ingest", str(folder))
    assert again.returncode == 2
    assert again.stderr == first.stderr
    after = read_state(home)
    assert after.index_texts == before.index_texts
    assert set(after.graphs) == set(before.graphs)


def test_folder_walk_reports_links_and_special_files(tmp_path: Path) -> None:
    """Loops, dangling links and FIFOs are reported (French, path + reason), never opened or followed."""
    (tmp_path / "bon.txt").write_text("du texte\n", encoding="utf-8")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("absent.txt", tmp_path / "casse.txt")
    os.mkfifo(tmp_path / "tube.txt")
    os.symlink(".", tmp_path / "moi-meme")  # a link to its own folder: not walked (no infinite walk)
    os.link(tmp_path / "bon.txt", tmp_path / "bon-lien-dur.txt")
    errors: list[str] = []
    files = list(iter_files([tmp_path], errors))
    assert [p.name for p in files] == ["bon-lien-dur.txt"] or [p.name for p in files] == ["bon.txt"]
    by_name = {Path(line.split(" : ")[0]).name: line for line in errors}
    assert "boucle" in by_name["a.txt"] and "boucle" in by_name["b.txt"]
    assert "introuvable" in by_name["casse.txt"]
    assert "ordinaire" in by_name["tube.txt"]
    assert len(errors) == 4


def test_second_writer_on_same_home_is_refused(tmp_path: Path) -> None:
    """While one process holds the store for writing, another writer gets StoreBusy (not corruption)."""
    from essgraph.graph.store_factory import open_store

    home = tmp_path / "busy"
    settings = Settings(home=home)
    with open_store(settings):
        with pytest.raises(StoreBusy):
            open_store(settings)
        proc = run_essgraph(home, "ingest", str(REPO / "essgraph" / "ingest" / "samples"))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "occupé" in proc.stderr
