"""Other passage-side dense signals, measured alone and inside the hybrid: does a better dense list help?

Usage (ESSGRAPH_HOME holding an index of ../shared/corpus):

    OMP_NUM_THREADS=2 python bench/search_dense_probes.py [--variants ctx,win+ctx,csls,lead]

Each variant replaces the dense list of the engine (in this process only) by another way of scoring a
passage against the question's vector, then every question of the development set and the own sets
(bench/search_cv.SETS) is asked in dense and in hybrid mode; nDCG@10 per set is printed. The variants:

- `ctx`: the stored vectors (context, i.e. document and section titles, then the text): today's list;
- `text`: the passage text alone;
- `win`, `win+ctx`: the best of the passage's windows (sentences grouped to about `--window-words`
  words, each embedded with the context), alone or averaged with `ctx`;
- `lead`: `ctx` plus `--lead-weight` × the cosine with the passage's first line or sentence (its heading
  in the Kit's fiches);
- `csls`: `ctx` minus `--beta` × the passage's hubness, the mean cosine of the passage with its 10 nearest
  thesaurus labels embedded as questions (a question distribution that is no evaluation question):
  passages near everything are pushed down.

Alternative vectors are embedded once per run (a few minutes for the corpus on two cores).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_cv import SETS, load_sets
from essgraph.core.settings import Settings, get_settings
from essgraph.ontology.thesaurus import load_thesaurus
from essgraph.search import engine as engine_module
from essgraph.search import feedback as feedback_module
from essgraph.search.engine import SearchEngine
from essgraph.search.evaluate import score_hits
from essgraph.search.lexical.tokenize import content_words
from essgraph.search.snapshot import IndexSnapshot

HUB_NEIGHBOURS = 10
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\s{2,}")


def windows(text: str, words: int) -> list[str]:
    """`text` cut into runs of whole sentences of about `words` words (at least one window)."""
    out: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        current.append(sentence)
        if sum(len(s.split()) for s in current) >= words:
            out.append(" ".join(current))
            current = []
    if current or not out:
        out.append(" ".join(current) if current else text)
    return out


def lead(text: str) -> str:
    """The first line or sentence of a passage (its heading in the Kit's fiches), at most 25 words."""
    first = re.split(r"\s{2,}|(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return " ".join(first.split()[:25])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="ctx,text,win,win+ctx,lead,csls")
    parser.add_argument("--window-words", type=int, default=50)
    parser.add_argument("--lead-weight", type=float, default=0.3)
    parser.add_argument("--beta", type=float, default=0.5)
    args = parser.parse_args(argv)

    settings: Settings = get_settings()
    engine = SearchEngine.open(settings)
    records = engine.records
    pids = sorted(records)
    embedder = engine.embedder
    contexts = [records[p].context for p in pids]
    print(f"{len(pids)} passages; embedding the alternative vectors…", flush=True)
    ctx = embedder.embed_passages([records[p].index_text() for p in pids])
    text = embedder.embed_passages([records[p].text for p in pids])
    owner: list[int] = []
    pieces: list[str] = []
    for row, pid in enumerate(pids):
        for window in windows(records[pid].text, args.window_words):
            owner.append(row)
            pieces.append(f"{contexts[row]}\n{window}" if contexts[row] else window)
    window_vectors = embedder.embed_passages(pieces)
    owners = np.asarray(owner)
    leads = embedder.embed_passages([lead(records[p].text) for p in pids])
    labels = [
        label
        for concept in load_thesaurus().concepts
        for label in dict.fromkeys([concept.pref_label, *concept.alt_labels, *concept.usage_labels])
    ]
    label_vectors = np.stack([embedder.embed_query(content_words(label)).reshape(-1) for label in labels])
    hubness = np.sort(ctx @ label_vectors.T, axis=1)[:, -HUB_NEIGHBOURS:].mean(axis=1)

    def best_window(vector: np.ndarray) -> np.ndarray:
        best = np.full(len(pids), -1.0, dtype=np.float32)
        np.maximum.at(best, owners, window_vectors @ vector)
        return best

    scorers: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "ctx": lambda v: ctx @ v,
        "text": lambda v: text @ v,
        "win": best_window,
        "win+ctx": lambda v: 0.5 * best_window(v) + 0.5 * (ctx @ v),
        "lead": lambda v: ctx @ v + args.lead_weight * (leads @ v),
        "csls": lambda v: ctx @ v - args.beta * hubness,
    }
    current: dict[str, Callable[[np.ndarray], np.ndarray]] = {}

    def dense_ranking(
        st: Settings, snap: IndexSnapshot, vector: np.ndarray, depth: int, allowed: set[int] | None
    ) -> list[tuple[int, float]]:
        scores = current["score"](np.asarray(vector, dtype=np.float32).reshape(-1))
        ranked = [(pids[i], float(scores[i])) for i in np.argsort(-scores, kind="stable")]
        return [(pid, s) for pid, s in ranked if allowed is None or pid in allowed][:depth]

    engine_module.dense_ranking = dense_ranking  # type: ignore[assignment]
    feedback_module.dense_ranking = dense_ranking  # type: ignore[assignment]
    items = [item for item in load_sets(SETS) if item.question.relevant]
    print("| variant | mode | all | " + " | ".join(SETS) + " |")
    print("|---|---|---:|" + "---:|" * len(SETS))
    for name in args.variants.split(","):
        current["score"] = scorers[name]
        for mode in ("dense", "hybrid"):
            per_set: dict[str, list[float]] = {key: [] for key in SETS}
            for item in items:
                hits = engine.search(item.question.query, k=10, mode=mode).hits
                spans = [(h.record.document, h.record.start_line, h.record.end_line) for h in hits]
                per_set[item.set].append(score_hits(spans, item.question.relevant)["ndcg"])
            every = [x for values in per_set.values() for x in values]
            cells = " | ".join(f"{np.mean(values):.3f}" for values in per_set.values())
            print(f"| {name} | {mode} | {np.mean(every):.3f} | {cells} |", flush=True)
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
