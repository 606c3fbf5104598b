"""French tokenisation for lexical search: elision removal, accent folding, stemming, raw tokens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import Stemmer
from bm25s.stopwords import STOPWORDS_FRENCH

from essgraph.core.text import fold

# l', d', qu', j', n', s', c', m', t' (and lorsqu', jusqu', puisqu'), with ' or ’
_ELISION = re.compile(r"\b(?:[ldjnsmtc]|qu|lorsqu|jusqu|puisqu)['’‘`]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(fold(w) for w in STOPWORDS_FRENCH) | frozenset(
    {"comment", "quel", "quelle", "quels", "quelles", "ou", "dont", "plus", "tres", "faire", "cela", "ca"}
)
STOPWORDS: frozenset[str] = _STOPWORDS
"""Folded French stopwords: dropped from BM25 tokens, and not counted as a question's content words."""


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


def strip_elisions(text: str) -> str:
    """`text` with French elided articles and pronouns removed ("l'économie" -> "économie")."""
    return _ELISION.sub(" ", text)


def words(text: str) -> list[str]:
    """The word tokens of `text` after elision removal, in their original case and accents."""
    return _WORD.findall(strip_elisions(text))


WORD_CACHE_SIZE = 1 << 17  # distinct words whose stem is remembered (a corpus has a few tens of thousands)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def fold_word(word: str) -> str:
    """`fold(word)` for one word, cached: hits, shingles and query tokens fold the same few tens of
    thousands of words again and again (folding was a large part of a search's own time)."""
    return fold(word)


def content_words(text: str) -> str:
    """`text` reduced to its words that are not stopwords, in their original form and order ("quel
    organe de suivi a orienté le programme ?" -> "organe suivi orienté programme"); `text` itself when
    nothing would be left."""
    kept = [w for w in words(text) if fold_word(w) not in _STOPWORDS]
    return " ".join(kept) if kept else text


def folded_words(text: str) -> list[str]:
    """Lowercased, accent-folded word tokens of `text` (stopwords kept), for label matching."""
    return [fold_word(w) for w in words(text)]


PLURAL_MIN_CHARS = 4  # a final s/x is dropped from folded words at least this long ("élus", "bios")


def singular(token: str) -> str:
    """`token` (folded) without a plural s/x the French Snowball stemmer keeps after a vowel: "emplois",
    "élus", "tiers-lieux", "vélos", "bios" must meet "emploi", "élu", "tiers-lieu", "vélo", "bio".
    Words ending in "ss" and words with digits are left alone."""
    if len(token) >= PLURAL_MIN_CHARS and token[-1] in "sx" and token[-2] != "s" and token.isalpha():
        return token[:-1]
    return token


@lru_cache(maxsize=WORD_CACHE_SIZE)
def stem_word(word: str) -> str | None:
    """The folded stem of one word (plural s/x dropped first, see `singular`), None for a stopword or a
    one-letter non-digit; cached, because folding and stemming the same words over and over was most
    of a search's own time."""
    token = fold_word(word)
    if token in _STOPWORDS or (len(token) < 2 and not token.isdigit()):
        return None
    return fold(_stemmer().stemWord(singular(token)))


def stem_tokens(text: str) -> list[str]:
    """Stemmed, folded, stopword-free tokens of `text`: the main BM25 field."""
    return [stem for stem in map(stem_word, words(text)) if stem is not None]


def phrase_tokens(stems: Sequence[str]) -> list[str]:
    """Each two stems that follow each other in `stems` (stopwords already dropped), joined by a space:
    the terms of the phrase field. Words a question keeps together ("commande publique", "économie
    sociale et solidaire" → "econom social", "social solidair") score where a passage keeps them together
    too, not where it only holds both somewhere."""
    return [f"{a} {b}" for a, b in pairwise(stems)]


@lru_cache(maxsize=WORD_CACHE_SIZE)
def is_raw_token(word: str) -> bool:
    """True for the tokens kept unstemmed: acronyms and names in capitals, tokens with digits; cached,
    because the label field tokenises the same concept labels for every passage tagged with them."""
    if any(c.isdigit() for c in word):
        return True
    upper = sum(1 for c in word if c.isupper())
    return len(word) >= 2 and (upper >= 2 or (word.isupper() and len(word) >= 2))


def raw_tokens(text: str, *, query: bool = False) -> list[str]:
    """Unstemmed field: acronyms, capitalised multi-capital names and numbers, folded to lowercase.

    For a query (`query=True`) every non-stopword word is kept so that "scic" typed in lowercase still
    meets "SCIC" in a passage; returns the folded tokens.
    """
    out: list[str] = []
    for word in words(text):
        token = fold_word(word)
        if query:
            if token not in _STOPWORDS and len(token) >= 2:
                out.append(token)
        elif is_raw_token(word):
            out.append(token)
    return out
