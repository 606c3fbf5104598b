"""app/memory_graph.py: files read, extracted and mapped into an in-memory store, one named graph each."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from essgraph.app.memory_graph import memory_store
from essgraph.core.settings import Settings

pytestmark = pytest.mark.slow  # extraction loads the spaCy model
SAMPLES = Path(__file__).resolve().parents[2] / "essgraph" / "ingest" / "samples"


def test_one_named_graph_per_file_and_unreadable_files_reported(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text(
        "# Une note\n\nLa Ville de Lyon soutient le projet.\n", encoding="utf-8"
    )
    (tmp_path / "image.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / "copie").mkdir()
    (tmp_path / "copie" / "note.md").write_text("# Autre\n\nTexte.\n", encoding="utf-8")  # same doc id
    settings = Settings()
    errors: list[str] = []
    store = memory_store([tmp_path, SAMPLES], settings, errors=errors)
    names = {g.value for g in store.named_graphs()}  # type: ignore[union-attr]
    expected = {f"{settings.base_iri}graph/doc/{p.stem.lower()}" for p in SAMPLES.iterdir()}
    assert expected | {f"{settings.base_iri}graph/doc/note", f"{settings.base_iri}graph/ontology"} == names
    assert (
        len(errors) == 2 and any("image.bin" in e for e in errors) and any("déjà pris" in e for e in errors)
    )
    eg = "https://w3id.org/essgraph/def#"
    graph = f"{settings.base_iri}graph/doc/note"
    note = f"GRAPH <{graph}> {{ ?p a <{eg}Passage> ; <{eg}inDocument>/<{eg}sourceFile> ?f }}"
    assert bool(store.query(f'ASK {{ {note} FILTER(?f = "note.md") }}'))
    assert not bool(store.query(f'ASK {{ {note} FILTER(?f = "autre.md") }}'))


def test_without_ontology_only_document_graphs(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\nTexte.\n", encoding="utf-8")
    store = memory_store([tmp_path], Settings(), ontology=False)
    assert [g.value for g in store.named_graphs()] == [f"{Settings().base_iri}graph/doc/a"]  # type: ignore[union-attr]
    assert isinstance(store, ox.Store)
