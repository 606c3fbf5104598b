"""Hit text helpers: HTML-escaped highlighting of matched words, word shingles for near-duplicates."""

from __future__ import annotations

import html
import re
import zlib

from essgraph.text import fold
from search.lexical.tokenize import _STOPWORDS, _stemmer, folded_words, raw_tokens, stem_tokens

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
SHINGLE_SIZE = 3


def highlight(text: str, query: str) -> str:
    """`text` HTML-escaped, with every word matching a query term (same stem, or same folded
    acronym/name) wrapped in `<mark>`; returns the HTML string."""
    stems = set(stem_tokens(query))
    raws = set(raw_tokens(query, query=True))
    stemmer = _stemmer()
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        token = fold(word)
        if token in _STOPWORDS or len(token) < 2:
            continue
        if fold(stemmer.stemWord(token)) in stems or token in raws:
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
