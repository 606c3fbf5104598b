"""Likely duplicate entities for staff, with the evidence: one thing written several ways (article,
word order, acronym, a name inside a longer one, an OCR slip) became several IRIs.

Only the labels the graph holds are compared (preferred and alternative labels, after the staff's
merges); nothing names a particular organisation. Two names whose numbers differ are never proposed
("Solidarauto 38" / "Solidarauto 49" are two things). A suggestion is a pair (the entity to merge, the
one to keep), a score in 0..1 and French reasons; merging is an ordinary `same_as` correction (undo,
history and PROV trail included).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations

from essgraph.core.text import fold
from essgraph.search.lexical.tokenize import STOPWORDS, words

# Scores of the evidence kinds, strongest first: the same words with or without articles and
# punctuation, in another order, an acronym of the other name, a name that is nearly all of a longer
# one, a one- or two-letter slip in a long name (OCR, accents already folded).
SAME_WORDS = 0.95
OTHER_ORDER = 0.9
ACRONYM = 0.85
NEAR_SPELLING = 0.75
CONTAINED = 0.7
OTHER_KIND_FACTOR = 0.8  # a pair of two kinds may be one thing typed wrong: proposed, ranked lower
# A slip changes one letter of a word, two of a long one; a changed short word or name ("PTCE" / "SCIC",
# "Nantes" / "Naples") is another thing.
LONG_WORD = 8
MIN_SLIP_WORD = 5
MIN_CONTAINED_SHARE = 0.8  # the extra word often carries the identity ("… d'Île-de-France", "… Bretagne")
MAX_BLOCK = 50  # a word shared by more entities than this says nothing about identity

_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Candidate:
    """One entity as compared: IRI, displayed label, kind key and all its labels."""

    iri: str
    label: str
    kind: str | None
    labels: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Duplicate:
    """A likely duplicate: `merge` would be declared the same as `keep`; `score` 0..1, `reasons` in French."""

    merge: Candidate
    keep: Candidate
    score: float
    reasons: list[str]


def _content(label: str) -> list[str]:
    """The folded words of a name that identify it: little words go, an upper-case word (an acronym such as
    a région's, which may spell a little word) stays."""
    return [fold(w) for w in words(label) if w and ((w.isupper() and len(w) > 1) or fold(w) not in STOPWORDS)]


def _slip(wa: list[str], wb: list[str]) -> bool:
    """Word by word the same name but for a letter or two in one or two long words."""
    if len(wa) != len(wb):
        return False
    changed = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    return 1 <= len(changed) <= 2 and all(
        min(len(x), len(y)) >= MIN_SLIP_WORD
        and _edits(x, y) <= (2 if min(len(x), len(y)) >= LONG_WORD else 1)
        for x, y in changed
    )


def _edits(a: str, b: str) -> int:
    """Characters changed between two strings (the larger side of each differing block)."""
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in blocks if tag != "equal")


def _acronym_of(short: str, long_words: list[str]) -> bool:
    letters = fold(short).replace(".", "").replace(" ", "")
    return (
        len(long_words) >= 2
        and short.replace(".", "").isupper()
        and 2 <= len(letters) == len(long_words)
        and letters == "".join(w[0] for w in long_words)
    )


def _evidence(a: str, b: str) -> tuple[float, str] | None:
    """The strongest reason two labels name one thing, or None."""
    wa, wb = _content(a), _content(b)
    if not wa or not wb or sorted(_DIGITS.findall(fold(a))) != sorted(_DIGITS.findall(fold(b))):
        return None
    if wa == wb:
        return SAME_WORDS, f"« {a} » et « {b} » : mêmes mots, à l'article et la ponctuation près"
    if sorted(wa) == sorted(wb):
        return OTHER_ORDER, f"« {a} » et « {b} » : mêmes mots dans un autre ordre"
    for short, long_words in ((a, wb), (b, wa)):
        if _acronym_of(short, long_words):
            other = b if short == a else a
            return ACRONYM, f"« {short} » est le sigle de « {other} »"
    if _slip(wa, wb):
        return NEAR_SPELLING, f"« {a} » et « {b} » : orthographes voisines (coquille ou OCR ?)"
    small, big = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(small) >= 2 and set(small) <= set(big) and len(small) / len(big) >= MIN_CONTAINED_SHARE:
        return CONTAINED, f"« {a} » et « {b} » : l'un des noms contient tout l'autre"
    return None


def likely_duplicates(
    candidates: Iterable[Candidate], limit: int, mixable: frozenset[str] = frozenset()
) -> list[Duplicate]:
    """The `limit` likeliest duplicate pairs among `candidates` (already merged entities counted once),
    best first. Two entities of different kinds are compared only when both kinds are in `mixable` (an
    association typed person is one thing typed wrong; a publication and the initiative it presents are
    two things). Pairs are compared only when their labels share a content word or an initial, so the
    cost follows the vocabulary, not the square of the number of entities."""
    entities = list(candidates)
    blocks: dict[str, set[int]] = defaultdict(set)
    for n, entity in enumerate(entities):
        for label in entity.labels:
            content = _content(label)
            for word in content:
                blocks[word].add(n)
            if len(content) >= 2:
                blocks["^" + "".join(w[0] for w in content)].add(n)  # meets its acronym, below
            if label.replace(".", "").isupper():
                blocks["^" + fold(label).replace(".", "").replace(" ", "")].add(n)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 2 <= len(members) <= MAX_BLOCK:
            pairs.update(combinations(sorted(members), 2))
    found: list[Duplicate] = []
    for i, j in pairs:
        a, b = entities[i], entities[j]
        if a.kind != b.kind and not (a.kind in mixable and b.kind in mixable):
            continue
        best: tuple[float, str] | None = None
        for la in a.labels:
            for lb in b.labels:
                evidence = _evidence(la, lb)
                if evidence is not None and (best is None or evidence[0] > best[0]):
                    best = evidence
        if best is None:
            continue
        score, reason = best
        reasons = [reason]
        if a.kind != b.kind:
            score *= OTHER_KIND_FACTOR
            kinds = f"{a.kind or 'inconnu'} / {b.kind or 'inconnu'}"
            reasons.append(f"types différents ({kinds}) : l'un est peut-être mal typé")
        fuller_a = (len(a.label), a.iri) >= (len(b.label), b.iri)
        keep, merge = (a, b) if fuller_a else (b, a)  # the fuller name is kept
        found.append(Duplicate(merge=merge, keep=keep, score=round(score, 3), reasons=reasons))
    found.sort(key=lambda d: (-d.score, d.keep.label, d.merge.label))
    return found[:limit]


__all__ = ["Candidate", "Duplicate", "likely_duplicates"]
