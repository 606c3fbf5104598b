"""Memory of each BM25 field (stemmed words, word pairs of the phrase field) on an indexed home.

Usage (ESSGRAPH_HOME holding an index):

    python bench/lexical_memory.py [--json]

Rebuilds each field from the index's stored tokens under tracemalloc and prints, per field, the passages,
the distinct terms, the tokens and the Python memory it holds (vocabulary, per-passage rows, frequencies;
the query-time matrix is not counted). The synthetic texts of search_scale.py draw on a vocabulary of
about a hundred words, so their word pairs are few: this is the figure to scale a real corpus by.
"""

from __future__ import annotations

import argparse
import gc
import json
import tracemalloc
from collections.abc import Callable, Sequence

from essgraph.core.settings import get_settings
from essgraph.search.engine import SearchEngine
from essgraph.search.lexical.field import Bm25Field
from essgraph.search.lexical.tokenize import phrase_tokens


def measure(
    tokens: dict[int, tuple[list[str], list[str]]], terms: Callable[[list[str]], list[str]]
) -> dict[str, int]:
    """Passages, distinct terms, tokens and traced bytes of one field built from `tokens` (stemmed lists)."""
    gc.collect()
    tracemalloc.start()
    field = Bm25Field()
    count = 0
    for pid, (stems, _raw) in tokens.items():
        row = terms(stems)
        count += len(row)
        field.add(pid, row)
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"passages": len(tokens), "terms": len(field.vocab), "tokens": count, "bytes": current}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    engine = SearchEngine.open(get_settings())
    ids = sorted(engine.records)
    tokens = {
        pid: (stems, raw) for pid, (stems, raw) in zip(ids, engine.snapshot.lexical.tokens(ids), strict=True)
    }
    results = {"stemmed": measure(tokens, list), "phrase": measure(tokens, phrase_tokens)}
    if args.json:
        print(json.dumps(results))
        return 0
    for name, r in results.items():
        per = r["bytes"] / max(r["passages"], 1)
        print(
            f"{name:8} {r['passages']} passages, {r['terms']} terms, {r['tokens']} tokens, "
            f"{r['bytes'] / 1e6:.2f} MB ({per / 1e3:.1f} kB a passage)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
