"""Re-extraction follows the steps' versions, not the source text of the code."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

import essgraph.graph.mapping as mapping
import essgraph.ingest.versions as versions
from essgraph.app.pipeline import pipeline_version


def test_a_step_version_bump_changes_the_pipeline_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = pipeline_version("onto")
    assert pipeline_version("onto") == before  # stable across calls and processes (no source hashing)
    monkeypatch.setitem(versions.STEP_VERSIONS, "clause", versions.STEP_VERSIONS["clause"] + ".1")
    assert pipeline_version("onto") != before


def test_the_mapping_and_the_ontology_enter_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = pipeline_version("onto")
    assert pipeline_version("autre-ontologie") != before
    monkeypatch.setattr(mapping, "MAPPING_VERSION", mapping.MAPPING_VERSION + ".1")
    assert pipeline_version("onto") != before


def test_the_lexicon_enters_by_its_content() -> None:
    data = resources.files("essgraph.ingest.extract").joinpath("lexicon.toml").read_bytes()
    assert versions.load_lexicon().version == hashlib.sha256(data).hexdigest()[:12]
