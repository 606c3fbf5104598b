"""Concurrency: searches and SPARQL queries keep answering, unchanged, while an ingest writes; a second
writer is told the store is busy (its CLI line: test_bad_input.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from reliability_support import QUERIES, essgraph_cmd, essgraph_env

from essgraph.core.errors import StoreBusy
from essgraph.core.settings import Settings
from essgraph.graph.sparql import SparqlExecutor
from essgraph.graph.store_factory import open_store
from essgraph.ontology.namespace import EG
from essgraph.search.engine import SearchEngine

PASSAGES_PER_GRAPH = f"""SELECT ?g (COUNT(?p) AS ?n) WHERE {{ GRAPH ?g {{ ?p a <{EG.Passage}> }} }}
GROUP BY ?g ORDER BY ?g"""


@dataclass
class ReaderLog:
    """What one reader thread saw: answers compared with the baseline, errors, answers that differed."""

    answers: int = 0
    errors: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)


def _search_answers(engine: SearchEngine) -> dict[str, list[tuple[float, str]]]:
    out = {}
    for q in QUERIES:
        hits = engine.search(q, k=10).hits
        out[q] = sorted(((round(h.score, 5), h.record.iri) for h in hits), key=lambda t: (-t[0], t[1]))
    return out


def _sparql_answer(executor: SparqlExecutor) -> dict[str, str]:
    body = json.loads(executor.run(PASSAGES_PER_GRAPH, "json").body)
    return {b["g"]["value"]: b["n"]["value"] for b in body["results"]["bindings"]}


def _reader(ask: Callable[[], object], baseline: object, stop: threading.Event, log: ReaderLog) -> None:
    while not stop.is_set():
        try:
            answer = ask()
        except Exception as exc:  # every failure is recorded and makes the test fail
            log.errors.append(f"{type(exc).__name__}: {exc}")
            continue
        log.answers += 1
        if answer != baseline:
            log.differing.append(repr(answer)[:300])


@pytest.mark.slow
def test_readers_keep_answering_during_ingest_and_second_writer_is_busy(
    small_corpus: Path, reference_home: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(reference_home, home)  # no process has it open: a plain copy is a valid home
    settings = Settings(home=home)
    engine = SearchEngine.open(settings)
    executor = SparqlExecutor(settings, workers=2)
    try:
        search_baseline = _search_answers(engine)
        first_ids = set(engine.records)
        sparql_baseline = _sparql_answer(executor)
        assert all(search_baseline.values()) and sparql_baseline
        journal = home / "journal.json"
        before = journal.stat().st_mtime_ns
        # --force re-ingests the same six documents: every write replaces data by identical data, so a
        # reader that ever sees a half-applied change gets an answer different from the baseline
        writer = subprocess.Popen(
            essgraph_cmd("ingest", "--force", str(small_corpus)),
            env=essgraph_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stop = threading.Event()
        search_log, sparql_log = ReaderLog(), ReaderLog()
        threads = [
            threading.Thread(
                target=_reader, args=(lambda: _search_answers(engine), search_baseline, stop, search_log)
            ),
            threading.Thread(
                target=_reader, args=(lambda: _sparql_answer(executor), sparql_baseline, stop, sparql_log)
            ),
        ]
        for t in threads:
            t.start()
        try:
            while writer.poll() is None and journal.stat().st_mtime_ns == before:
                time.sleep(0.05)  # wait until the writer holds the store and has begun writing
            # a second writer, opened while the first is mid-ingest (it has documents left to do)
            assert writer.poll() is None
            with pytest.raises(StoreBusy) as busy:
                open_store(settings).close()
            assert writer.poll() is None
            _, err = writer.communicate(timeout=900)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=120)
        assert writer.returncode == 0, err
        assert "occupé" in busy.value.message_fr and busy.value.exit_code == 2
        assert search_log.errors == [] and sparql_log.errors == []
        assert search_log.differing == [] and sparql_log.differing == []
        assert search_log.answers > 0 and sparql_log.answers > 0
        # the engine picked up the writer's new index generation (its cheap meta.json check reloads)
        assert _search_answers(engine) == search_baseline
        assert set(engine.records).isdisjoint(first_ids)  # --force gave every passage a new index id
    finally:
        executor.close()
        engine.close()
