"""How many directions compact token states need: the word match with states cut to N dimensions, per N.

Usage (ESSGRAPH_HOME holding an index of ../shared/corpus built with the default, full token states):

    OMP_NUM_THREADS=2 python bench/search_word_states.py [--dims 48,64,96,128] [--weights 0.5,0.75,1]

From the full states of the index (and of each question), in this process only: the function pieces are
dropped as `settings.word_states = "compact"` drops them (e5onnx's `function_mask`), then the states
are projected on a basis of N directions fitted as the shipped one is (`word_basis.fit_basis` over the
thesaurus's texts), for each N; "content only" keeps the 384 dimensions. Every question of
bench/search_cv.SETS is asked in hybrid mode at each weight; 5-fold cross-validation picks the weight on 4
folds and scores the 5th. The held-out question sets (set C, unseen documents) are not read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_cv import SETS, PerQuestion, cross_validate, load_sets, make_folds, mean
from bench.search_word_layers import ask_with_states
from essgraph.core.settings import Settings, get_settings
from essgraph.search.embedders.base import WordStates
from essgraph.search.embedders.e5_onnx import E5OnnxEmbedder
from essgraph.search.embedders.word_basis import basis_texts, fit_basis
from essgraph.search.engine import SearchEngine
from essgraph.search.wordmatch import WordIndex


def cut(states: WordStates, embedder: E5OnnxEmbedder, basis: npt.NDArray[np.float32] | None) -> WordStates:
    """`states` without the function pieces, projected on `basis` (None: kept at full size)."""
    mask = embedder._tokenizer.function_mask(states.pieces.tolist())
    keep = [i for i, drop in enumerate(mask) if not drop]
    rows = states.floats()[keep]
    return WordStates.of(states.pieces[keep].tolist(), rows if basis is None else rows @ basis.T)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dims", default="48,64,96,128")
    parser.add_argument("--weights", default="0.5,0.75,1")
    args = parser.parse_args(argv)
    dims = [int(v) for v in args.dims.split(",")]
    weights = [float(v) for v in args.weights.split(",")]

    items = load_sets(SETS)
    base = get_settings()
    if base.word_states != "full":
        raise SystemExit("run on a home indexed with the full token states (the default)")
    base = Settings(**{**base.model_dump(), "query_vector_cache": 4 * len(items)})
    engine = SearchEngine.open(base)
    embedder = engine.embedder
    assert isinstance(embedder, E5OnnxEmbedder), "the e5onnx embedder (the default)"
    full = dict(engine.snapshot.words.states)
    fitted = embedder.content_states(basis_texts())
    real = embedder.embed_query_words
    variants: dict[str, npt.NDArray[np.float32] | None] = {"full": None, "content only": None}
    variants.update({f"content, {n} directions": fit_basis(fitted, n) for n in dims})
    per: dict[tuple[str, float], PerQuestion] = {}
    for name, basis in variants.items():
        index = WordIndex()
        for pid, states in full.items():
            index.add([pid], [states if name == "full" else cut(states, embedder, basis)])

        def query_words(
            text: str, name: str = name, basis: npt.NDArray[np.float32] | None = basis
        ) -> tuple[np.ndarray, WordStates]:
            vector, states = real(text)
            return vector, states if name == "full" else cut(states, embedder, basis)

        tokens = sum(len(s) for s in index.states.values())
        size = sum(s.states.nbytes + s.pieces.nbytes + s.scales.nbytes for s in index.states.values())
        for weight, figures in ask_with_states(engine, items, base, weights, index, query_words):
            per[(name, weight)] = figures
        print(f"{name}: {tokens} token states, {size / 2**20:.1f} MB", file=sys.stderr, flush=True)
    engine.close()

    ids = [i.question.id for i in items]
    folds = make_folds(items, 5, 0)
    print("| states | " + " | ".join(f"w {w:g} (in-sample)" for w in weights) + " | 5-fold CV held-out |")
    print("|---|" + "---:|" * (len(weights) + 1))
    for name in variants:
        combos = [per[(name, w)] for w in weights]
        held, _ = cross_validate(combos, folds)
        cells = " | ".join(f"{mean(c, ids):.4f}" for c in combos)
        print(f"| {name} | {cells} | {mean(held, ids):.4f} |")
    print(f"\n{len(items)} questions (development set and own sets A, B)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
