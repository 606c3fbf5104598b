"""The settings' deployment short names: ESSGRAPH_STORE and ESSGRAPH_INDEX choose the backends."""

from __future__ import annotations

import pytest

from essgraph.core.settings import Settings


def test_essgraph_store_chooses_the_store_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().store_backend == "oxigraph"
    monkeypatch.setenv("ESSGRAPH_STORE", "sparql")
    assert Settings().store_backend == "sparql"
    monkeypatch.setenv("ESSGRAPH_STORE", "graphdb")
    with pytest.raises(ValueError, match="store"):
        Settings()


def test_essgraph_index_milvus_chooses_both_index_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSGRAPH_INDEX", "milvus")
    settings = Settings()
    assert (settings.vector_backend, settings.lexical_backend) == ("milvus", "milvus")
