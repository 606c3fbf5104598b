"""Hit text helpers: HTML-escaped highlighting of matched words, word shingles for near-duplicates."""

from __future__ import annotations

import html
import re
import zlib
from functools import lru_cache

from essgraph.text import fold
from search.lexical.tokenize import _STOPWORDS, _stemmer, folded_words, raw_tokens, stem_tokens

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
SHINGLE_SIZE = 3
WORD_CACHE_SIZE = 1 << 16  # distinct words whose folded form and stem are remembered


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _forms(word: str) -> tuple[str, str] | None:
    """(folded word, folded stem) of a text word, None for a stopword or a one-letter word; cached
    because the same words recur in every hit (folding and stemming were most of a search's time)."""
    token = fold(word)
    if token in _STOPWORDS or len(token) < 2:
        return None
    return token, fold(_stemmer().stemWord(token))


def query_terms(query: str) -> tuple[frozenset[str], frozenset[str]]:
    """(stems, raw tokens) of `query`: what `highlight` marks; compute once per search."""
    return frozenset(stem_tokens(query)), frozenset(raw_tokens(query, query=True))


def highlight(text: str, query: str | tuple[frozenset[str], frozenset[str]]) -> str:
    """`text` HTML-escaped, with every word matching a query term (same stem, or same folded
    acronym/name) wrapped in `<mark>`; `query` is the question or its `query_terms`. Returns HTML."""
    stems, raws = query_terms(query) if isinstance(query, str) else query
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        forms = _forms(word)
        if forms is None:
            continue
        token, stem = forms
        if stem in stems or token in raws:
            out.append(html.escape(text[last : match.start()]))
            out.append(f"<mark>{html.escape(word)}</mark>")
            last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """Hashes of the word `size`-grams of `text` (folded), for Jaccard near-duplicate detection."""
    tokens = folded_words(text)
    if len(tokens) < size:
        return frozenset({zlib.crc32(" ".join(tokens).encode())}) if tokens else frozenset()
    grams = (" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return frozenset(zlib.crc32(g.encode()) for g in grams)
