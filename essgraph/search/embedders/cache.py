"""Embedding caches keyed by (model, sha256 of the text): the base class and the SQLite file."""

from __future__ import annotations

import hashlib
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from essgraph.search.embedders.base import Embedder, Vectors, WordStates


def text_hash(text: str) -> str:
    """The sha256 hex digest of `text` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache(ABC):
    """Vectors already computed, per model and content hash: a text is embedded once per model."""

    @abstractmethod
    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, Vectors]:
        """The cached vectors among `hashes` for `model`; returns {hash: vector}."""

    @abstractmethod
    def put_many(self, model: str, items: Sequence[tuple[str, Vectors]]) -> None:
        """Store vectors for `model`."""

    @abstractmethod
    def count(self, model: str | None = None) -> int:
        """How many vectors are cached (for `model`, or in total)."""

    @abstractmethod
    def items(self, model: str) -> Iterator[tuple[str, Vectors]]:
        """Every (hash, vector) cached for `model` (to copy a cache into another)."""

    @abstractmethod
    def close(self) -> None:
        """Release what the cache holds open."""

    def copy_from(self, other: EmbeddingCache, model: str, batch: int) -> int:
        """Write every vector `other` holds for `model` into this cache, `batch` vectors per write (moving
        a home to a shared index without embedding its texts again); returns how many were copied."""
        pending: list[tuple[str, Vectors]] = []
        copied = 0
        for item in other.items(model):
            pending.append(item)
            if len(pending) >= batch:
                self.put_many(model, pending)
                copied += len(pending)
                pending = []
        self.put_many(model, pending)
        return copied + len(pending)


_SQLITE_IN_KEYS = 500
"""Hashes per `IN (...)` lookup: below the 999 host parameters older SQLite builds accept per statement."""


def _connect(path: Path, schema: str, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection to the SQLite file `path` (WAL journal, created with its folder if absent) whose table
    `schema` (a CREATE TABLE IF NOT EXISTS statement) exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=30, check_same_thread=check_same_thread)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(schema)
    db.commit()
    return db


def _rows_by_hash(db: sqlite3.Connection, select: str, model: str, hashes: Sequence[str]) -> Iterator[Any]:
    """The rows of `select` (ending in `hash IN`) for `model` and the distinct `hashes`, asked
    _SQLITE_IN_KEYS hashes per statement."""
    unique = list(dict.fromkeys(hashes))
    for i in range(0, len(unique), _SQLITE_IN_KEYS):
        chunk = unique[i : i + _SQLITE_IN_KEYS]
        yield from db.execute(f"{select} ({','.join('?' * len(chunk))})", [model, *chunk])


class SqliteEmbeddingCache(EmbeddingCache):
    """The embedded default: a SQLite file under the home; each batch is written in one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = _connect(
            path,
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, hash TEXT NOT NULL,"
            " dim INTEGER NOT NULL, vec BLOB NOT NULL, PRIMARY KEY (model, hash))",
        )

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, Vectors]:
        """The cached vectors among `hashes` for `model`; returns {hash: vector}."""
        select = "SELECT hash, vec FROM vectors WHERE model = ? AND hash IN"
        return {
            h: np.frombuffer(blob, dtype=np.float32).copy()
            for h, blob in _rows_by_hash(self._db, select, model, hashes)
        }

    def put_many(self, model: str, items: Sequence[tuple[str, Vectors]]) -> None:
        """Store vectors for `model` (one transaction: all or nothing)."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (model, hash, dim, vec) VALUES (?, ?, ?, ?)",
                [(model, h, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for h, v in items],
            )

    def count(self, model: str | None = None) -> int:
        """How many vectors are cached (for `model`, or in total)."""
        if model is None:
            row = self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()
        else:
            row = self._db.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (model,)).fetchone()
        return int(row[0])

    def models(self) -> list[str]:
        """The models the file holds vectors of."""
        return [m for (m,) in self._db.execute("SELECT DISTINCT model FROM vectors ORDER BY model")]

    def items(self, model: str) -> Iterator[tuple[str, Vectors]]:
        """Every (hash, vector) cached for `model`."""
        rows = self._db.execute("SELECT hash, vec FROM vectors WHERE model = ?", (model,))
        for h, blob in rows:
            yield h, np.frombuffer(blob, dtype=np.float32).copy()

    def close(self) -> None:
        """Close the database."""
        self._db.close()


SQLITE_CACHE_FILE = "embeddings.sqlite"
"""The embedded cache's file name under `settings.cache_dir`."""


class SqliteWordCache:
    """Token states already computed (search.wordmatch), per states name and content hash: a table of their
    own in the home's SQLite cache file, whichever cache holds the vectors (a Milvus cache included: the
    states are read by this process only, at index time)."""

    def __init__(self, path: Path, dim: int) -> None:
        self.dim = dim
        self._db = _connect(
            path,
            "CREATE TABLE IF NOT EXISTS words (model TEXT NOT NULL, hash TEXT NOT NULL, states BLOB NOT NULL,"
            " PRIMARY KEY (model, hash))",
            check_same_thread=False,
        )

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, WordStates]:
        """The cached states among `hashes` for `model` (a blob of another size is skipped: computed
        again)."""
        found: dict[str, WordStates] = {}
        select = "SELECT hash, states FROM words WHERE model = ? AND hash IN"
        for h, blob in _rows_by_hash(self._db, select, model, hashes):
            try:
                found[h] = WordStates.from_bytes(blob, self.dim)
            except ValueError:
                continue
        return found

    def put_many(self, model: str, items: Sequence[tuple[str, WordStates]]) -> None:
        """Store states for `model` (one transaction)."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO words (model, hash, states) VALUES (?, ?, ?)",
                [(model, h, w.to_bytes()) for h, w in items],
            )

    def copy_from(self, source: Path) -> int:
        """Copy every token state of the SQLite cache file `source` (another home's) that this one lacks;
        returns how many rows the source has (0 when it keeps none)."""
        with self._db:
            self._db.execute("ATTACH DATABASE ? AS source", (str(source),))
        try:
            found = self._db.execute(
                "SELECT COUNT(*) FROM source.sqlite_master WHERE type = 'table' AND name = 'words'"
            ).fetchone()[0]
            if not found:
                return 0
            with self._db:
                self._db.execute(
                    "INSERT OR IGNORE INTO main.words SELECT model, hash, states FROM source.words"
                )
            return int(self._db.execute("SELECT COUNT(*) FROM source.words").fetchone()[0])
        finally:
            self._db.execute("DETACH DATABASE source")

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def embed_words_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None,
    words: SqliteWordCache,
    batch_size: int,
    progress: bool = False,
) -> tuple[Vectors, list[WordStates], int]:
    """Vectors and token states of `texts` (an embedder whose `words_name` is set), computing, in one pass
    of the encoder, those of the texts missing from either cache.

    Returns the (n, dim) array, the states of each text and how many texts were actually encoded.
    """
    vectors, states, computed = _embed(embedder, texts, cache, words, batch_size, progress)
    assert states is not None
    return vectors, states, computed


def embed_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None,
    batch_size: int,
    progress: bool = False,
) -> tuple[Vectors, int]:
    """Vectors of `texts`, computing only those missing from `cache`.

    Returns the (n, dim) array and how many texts were actually embedded. A tqdm bar shows when
    `progress` is true and something must be embedded.
    """
    vectors, _, computed = _embed(embedder, texts, cache, None, batch_size, progress)
    return vectors, computed


def _embed(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None,
    words: SqliteWordCache | None,
    batch_size: int,
    progress: bool,
) -> tuple[Vectors, list[WordStates] | None, int]:
    """Vectors (and token states with a `words` cache) of `texts`, encoding once each distinct text missing
    from a cache, `batch_size` texts per call, and storing what was encoded; returns them and how many
    texts were encoded."""
    words_name = embedder.words_name if words is not None else None
    assert words is None or words_name is not None, "an embedder that gives token states"
    hashes = [text_hash(t) for t in texts]
    known = cache.get_many(embedder.name, hashes) if cache is not None else {}
    known_words = words.get_many(words_name, hashes) if words is not None and words_name else {}
    todo: dict[str, int] = {}
    for i, h in enumerate(hashes):
        if h not in known or (words is not None and h not in known_words):
            todo.setdefault(h, i)
    order = list(todo.items())
    bar = tqdm(total=len(order), desc="embeddings", unit="passage", disable=not progress or not order)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        chunk_texts = [texts[i] for _, i in chunk]
        if words is not None and words_name:
            vectors, states = embedder.embed_passages_words(chunk_texts)
            word_items = [(h, states[j]) for j, (h, _) in enumerate(chunk)]
            known_words.update(word_items)
            words.put_many(words_name, word_items)
        else:
            vectors = embedder.embed_passages(chunk_texts)
        items = [(h, vectors[j]) for j, (h, _) in enumerate(chunk)]
        known.update(items)
        if cache is not None:
            cache.put_many(embedder.name, items)
        bar.update(len(chunk))
    bar.close()
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, h in enumerate(hashes):
        out[i] = known[h]
    return out, [known_words[h] for h in hashes] if words is not None else None, len(order)
