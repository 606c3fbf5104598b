"""Bench of the élus' graph views on an ingested home: answer cards (every lever and legal form, and the
development questions), « comme la mienne » for every collectivité, département counts.

Usage: python bench/elus_views.py --home /tmp/sux_home_copy   (opens the store read-only)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from benchlib import development_questions, percentile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from essgraph.core.settings import Settings
from essgraph.graph.answers import answer_card, card_concepts
from essgraph.graph.oxigraph_store import OxigraphStore
from essgraph.graph.territories import collectivites, departement_counts, similar
from essgraph.search.engine import SearchEngine
from essgraph.service.elus import answer_concepts


def _ms(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"


def main() -> None:
    """Print one line per measure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("ESSGRAPH_HOME", "var")))
    args = parser.parse_args()
    settings = Settings(home=args.home)  # type: ignore[call-arg]
    store = OxigraphStore(settings.graph_dir, read_only=True)
    concepts = card_concepts(store)
    times, substantive = [], 0
    for concept in concepts:
        start = time.perf_counter()
        card = answer_card(store, concept)
        times.append(time.perf_counter() - start)
        substantive += bool(card and card.substantive)
    print(f"answer cards: {len(concepts)} concepts, {substantive} with more than a definition; {_ms(times)}")

    engine = SearchEngine.open(settings, store)
    questions = development_questions()
    with_card = 0
    for question in questions:
        understood = engine.search(question).understood
        for concept in answer_concepts(understood)[:3]:
            card = answer_card(store, concept)
            if card is not None and card.substantive:
                with_card += 1
                break
    print(f"development questions with an answer card: {with_card} / {len(questions)}")

    every = collectivites(store)
    times, with_peers = [], 0
    for coll in every:
        start = time.perf_counter()
        _, peers = similar(store, coll)
        times.append(time.perf_counter() - start)
        with_peers += bool(peers)
    print(f"comme la mienne: {len(every)} collectivités, {with_peers} with peers; {_ms(times)}")
    start = time.perf_counter()
    counts = departement_counts(store)
    print(f"département counts: {len(counts)} départements, {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
