"""The ingest pipeline's journal: unchanged files are skipped, an upgraded extractor re-ingests them."""

from __future__ import annotations

import shutil
from pathlib import Path

from essgraph.pipeline import Pipeline, ingest_paths
from essgraph.settings import Settings
from ingest.journal import Journal

SAMPLES = Path(__file__).resolve().parents[2] / "ingest" / "samples"


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
