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


def test_each_rule_family_is_versioned_and_its_bump_changes_the_pipeline_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from essgraph.ingest.extract import pipeline

    # every mixin of the Extractor but the shared context is a family listed with its module's version
    families = {cls.__module__.rsplit(".", 1)[-1] for cls in pipeline.Extractor.__mro__[1:-2]}
    assert families == set(versions.RULE_FAMILIES)
    assert all(version for version in versions.RULE_FAMILIES.values())
    before = pipeline_version("onto")
    monkeypatch.setitem(versions.RULE_FAMILIES, "events", versions.RULE_FAMILIES["events"] + ".1")
    assert pipeline_version("onto") != before


def test_the_mapping_and_the_ontology_enter_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = pipeline_version("onto")
    assert pipeline_version("autre-ontologie") != before
    monkeypatch.setattr(mapping, "MAPPING_VERSION", mapping.MAPPING_VERSION + ".1")
    assert pipeline_version("onto") != before


def test_the_lexicon_enters_by_its_content() -> None:
    data = resources.files("essgraph.ingest.extract").joinpath("lexicon.toml").read_bytes()
    assert versions.load_lexicon().version == hashlib.sha256(data).hexdigest()[:12]
