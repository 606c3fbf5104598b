"""Question vectors: embedded on worker threads while the rest of a search runs, recent ones kept."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from cachetools import LRUCache

from essgraph.core.settings import Settings
from essgraph.search.embedders import Embedder, WordStates
from essgraph.search.lexical.tokenize import content_words
from essgraph.search.wordmatch import match_on


def embedding_text(query: str, settings: Settings) -> str:
    """What is embedded for a question: the question itself, or its content words
    (`query_embedding = "content_words"`: shorter, so faster, and no worse; docs/BENCHMARKS.md)."""
    return content_words(query) if settings.query_embedding == "content_words" else query


Embedded = tuple[np.ndarray, WordStates | None]
"""A question's vector and, when the word-by-word match is on, its tokens' states (search.wordmatch)."""


def embed(embedder: Embedder, text: str, with_words: bool) -> Embedded:
    """The vector of `text` and, with `with_words` (an embedder that gives them), its token states, from
    one pass of the encoder."""
    if with_words and embedder.words_name is not None:
        return embedder.embed_query_words(text)
    return embedder.embed_query(text), None


class QueryVectors:
    """The vectors of recent questions (cachetools' LRU, at most `query_vector_cache`: a facet click or
    the next page asks the same question again) and the threads that embed new ones
    (`query_embed_workers`, started on first use). Thread-safe; one per engine (one embedder). The
    settings are read at each call, so a changed setting applies at once: vectors are kept by the text
    embedded (`embedding_text`), so a changed `query_embedding` embeds a question anew, and two questions
    with the same content words share one vector."""

    def __init__(self, settings: Settings) -> None:
        size = max(settings.query_vector_cache, 1)
        self._cache: LRUCache[tuple[str, bool], Embedded] = LRUCache(maxsize=size)
        self._lock = threading.Lock()  # cachetools caches are not thread-safe
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def cached(self, query: str, settings: Settings, words: bool | None = None) -> Embedded | None:
        """The vector (and token states) of a question asked recently (the same text embedded), None if it
        must be embedded. `words`: whether its token states are wanted (default: the match is on); a
        question embedded with them serves one that wants none."""
        key = self._key(query, settings, words)
        with self._lock:
            found = self._cache.get(key)
            if found is None and not key[1]:
                found = self._cache.get((key[0], True))
            return found

    @staticmethod
    def _key(query: str, settings: Settings, words: bool | None) -> tuple[str, bool]:
        """(the text embedded for `query`, with its token states or not: `words`, or whether the match is
        on)."""
        return embedding_text(query, settings), match_on(settings) if words is None else words

    def remember(self, query: str, vector: Embedded, settings: Settings, words: bool | None = None) -> None:
        """Keep the vector of a question (`words`: embedded with its token states, as `start` was told),
        the least recently used dropped beyond `query_vector_cache`; 0 keeps none. A changed size starts a
        cache of the new size."""
        limit = settings.query_vector_cache
        with self._lock:
            if limit <= 0:
                self._cache.clear()
                return
            if self._cache.maxsize != limit:
                self._cache = LRUCache(maxsize=limit)
            self._cache[self._key(query, settings, words)] = vector

    def questions(self) -> set[str]:
        """The texts whose vectors are kept now (what was embedded for each question)."""
        with self._lock:
            return {text for text, _ in self._cache}

    def clear(self) -> None:
        """Forget every kept vector (a bench measuring embeddings empties it before each search)."""
        with self._lock:
            self._cache.clear()

    def start(
        self, embedder: Embedder, query: str, settings: Settings, words: bool | None = None
    ) -> Future[Embedded]:
        """Embed the question on a worker thread (the engine releases the GIL): the caller goes on with
        BM25 and the label analysis meanwhile and reads the vector from the returned future. `words`:
        with its token states (default: the match is on; a dense search needs none)."""
        with self._pool_lock:
            if self._pool is None:  # under the lock: concurrent first searches must not each start a pool
                self._pool = ThreadPoolExecutor(
                    max_workers=settings.query_embed_workers, thread_name_prefix="essgraph-embed"
                )
            pool = self._pool
        text, wanted = self._key(query, settings, words)  # what is embedded, and with states or not
        return pool.submit(embed, embedder, text, wanted)

    def close(self) -> None:
        """Stop the embedding threads (after the running embeddings end); a later `start` starts new ones."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
