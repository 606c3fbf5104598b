"""Hit text helpers: HTML-escaped highlighting of matched words, word shingles for near-duplicates."""

from __future__ import annotations

import html
import re
import zlib

from essgraph.search.lexical.tokenize import fold_word, folded_words, raw_tokens, stem_tokens, stem_word

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
SHINGLE_SIZE = 3
WordSpan = tuple[int, int, str, str]  # start, end, folded word, folded stem


def word_spans(text: str) -> tuple[WordSpan, ...]:
    """The words of `text` that can match a query term (no stopwords, at least two letters), with
    their offsets, folded form and stem: what `highlight` walks; cache it per passage."""
    spans: list[WordSpan] = []
    for match in _WORD.finditer(text):
        stem = stem_word(match.group(0))
        if stem is None:
            continue
        token = fold_word(match.group(0))
        if len(token) >= 2:
            spans.append((match.start(), match.end(), token, stem))
    return tuple(spans)


def query_terms(query: str) -> tuple[frozenset[str], frozenset[str]]:
    """(stems, raw tokens) of `query`: what `highlight` marks; compute once per search."""
    return frozenset(stem_tokens(query)), frozenset(raw_tokens(query, query=True))


def highlight(
    text: str,
    query: str | tuple[frozenset[str], frozenset[str]],
    spans: tuple[WordSpan, ...] | None = None,
) -> str:
    """`text` HTML-escaped, with every word matching a query term (same stem, or same folded
    acronym/name) wrapped in `<mark>`; `query` is the question or its `query_terms`, `spans` the
    text's `word_spans` if already known. Returns HTML."""
    stems, raws = query_terms(query) if isinstance(query, str) else query
    out: list[str] = []
    last = 0
    for start, end, token, stem in word_spans(text) if spans is None else spans:
        if stem in stems or token in raws:
            out.append(html.escape(text[last:start]))
            out.append(f"<mark>{html.escape(text[start:end])}</mark>")
            last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """Hashes of the word `size`-grams of `text` (folded), for Jaccard near-duplicate detection."""
    tokens = folded_words(text)
    if len(tokens) < size:
        return frozenset({zlib.crc32(" ".join(tokens).encode())}) if tokens else frozenset()
    grams = (" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return frozenset(zlib.crc32(g.encode()) for g in grams)
