"""Word-by-word match: the best fused candidates reordered by how closely each question word meets a word of
the passage, by the encoder's token states (late interaction).

Why: one vector per passage blurs a question worded in other terms than the passage (« habitants sans
voiture » for a passage on « mobilité solidaire »); BM25 needs the same words. Matching each question
token with its closest passage token (cosine of the encoder's states of a middle layer), rarer tokens
counting more, sees a paraphrase word by word. It is too costly over a whole corpus and too weak alone,
so it only reorders the first `word_match_depth` candidates of the fused list, both scores standardised
over them (`word_match_weight`; docs/BENCHMARKS.md "Word-by-word match").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from essgraph.core.settings import Settings
from essgraph.search.embedders.base import WordStates

Ranked = list[tuple[int, float]]


class WordIndex:
    """The token states of a snapshot's passages and, per token id, how many passages hold it (the
    question tokens' weights). Built by the writer like the rest of a snapshot; states are never
    changed in place, so a clone shares them."""

    def __init__(self) -> None:
        self.states: dict[int, WordStates] = {}
        self.document_frequency: Counter[int] = Counter()

    def __len__(self) -> int:
        return len(self.states)

    def clone(self) -> WordIndex:
        """A copy to change while this one keeps answering (the states themselves shared)."""
        other = WordIndex()
        other.states = dict(self.states)
        other.document_frequency = Counter(self.document_frequency)
        return other

    def add(self, ids: Iterable[int], words: Sequence[WordStates]) -> None:
        """Keep the token states of passages `ids` (in the same order)."""
        for pid, states in zip(ids, words, strict=True):
            self.remove([pid])
            self.states[int(pid)] = states
            self.document_frequency.update(set(states.pieces.tolist()))

    def remove(self, ids: Iterable[int]) -> None:
        """Forget passages `ids` (unknown ids: nothing happens); a token no passage holds any more is
        dropped from the counts (a clone copies only live ones)."""
        counts = self.document_frequency
        for pid in ids:
            states = self.states.pop(int(pid), None)
            if states is None:
                continue
            for piece in set(states.pieces.tolist()):
                left = counts[piece] - 1
                if left > 0:
                    counts[piece] = left
                else:
                    del counts[piece]

    def weights(self, pieces: npt.NDArray[np.int32]) -> npt.NDArray[np.float32]:
        """The inverse document frequency of each token id (a token in every passage weighs near 0)."""
        n = len(self.states)
        df = np.array([self.document_frequency.get(int(p), 0) for p in pieces], dtype=np.float32)
        return np.log((n + 1) / (df + 0.5)).clip(min=0.0).astype(np.float32)

    def scores(self, question: WordStates, pids: Sequence[int]) -> npt.NDArray[np.float32]:
        """For each of `pids`: the mean over the question's tokens, weighted by `weights`, of the cosine
        with the passage's closest token; NaN for a passage without states or a question of no weight."""
        out = np.full(len(pids), np.nan, dtype=np.float32)
        weights = self.weights(question.pieces)
        total = float(weights.sum())
        if not len(question) or total <= 0:
            return out
        rows = question.floats()
        for i, pid in enumerate(pids):
            states = self.states.get(pid)
            if states is None or not len(states):
                continue
            best = ((rows @ states.states.T.astype(np.float32)) * states.scales).max(axis=1)
            out[i] = float(best @ weights) / total
        return out


def match_on(settings: Settings) -> bool:
    """Whether the word-by-word match is on (`word_match_weight` > 0): the one test deciding whether token
    states are computed, loaded and written, and whether a question's are needed."""
    return settings.word_match_weight > 0


def _standardised(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """`values` minus their mean over their standard deviation (all 0 when they do not vary)."""
    spread = float(values.std())
    if not math.isfinite(spread) or spread <= 0:
        return np.zeros_like(values)
    return ((values - values.mean()) / spread).astype(np.float32)


def reorder_by_words(
    settings: Settings, words: WordIndex, ranked: Ranked, question: WordStates | None
) -> Ranked:
    """`ranked` (best first) with its first `word_match_depth` passages reordered by standardised fused
    score + `word_match_weight` × standardised word match; a passage without states counts as the mean.
    The scores shown stay the fused ones, handed out again in the new order, so they still decrease.
    Returns `ranked` itself when the match is off, the question has no states or fewer than two
    candidates."""
    head = ranked[: settings.word_match_depth]
    if not match_on(settings) or question is None or len(head) < 2:
        return ranked
    match = words.scores(question, [pid for pid, _ in head])
    if np.isnan(match).all():
        return ranked
    match = np.where(np.isnan(match), np.nanmean(match), match).astype(np.float32)
    fused = np.array([score for _, score in head], dtype=np.float32)
    combined = _standardised(fused) + settings.word_match_weight * _standardised(match)
    order = sorted(range(len(head)), key=lambda i: (-combined[i], i))
    return [(head[i][0], head[rank][1]) for rank, i in enumerate(order)] + ranked[len(head) :]
