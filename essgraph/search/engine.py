"""The search engine: hybrid BM25 + dense + graph retrieval over passages, with filters and facets."""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from essgraph.core.errors import BadInput, ConfigError
from essgraph.core.faults import checkpoint
from essgraph.core.files import atomic_path
from essgraph.core.settings import Settings, WordStatesKind
from essgraph.core.text import slugify
from essgraph.search.embedders import (
    SQLITE_CACHE_FILE,
    Embedder,
    EmbeddingCache,
    SqliteWordCache,
    WordStates,
    embed_with_cache,
    embed_words_with_cache,
    make_embedder,
    make_embedding_cache,
    words_name_for,
)
from essgraph.search.feedback import fuse_with_graph, with_dense_feedback
from essgraph.search.kinds import classify_passage
from essgraph.search.lexical.base import LexicalIndex, TokenPair
from essgraph.search.lexical.factory import make_lexical_index
from essgraph.search.lexical.tokenize import words
from essgraph.search.milvus_client import milvus_target
from essgraph.search.query_vectors import Embedded, QueryVectors
from essgraph.search.ranking import (
    add_section_scores,
    dense_ranking,
    lexical_ranking,
    weigh_kinds,
    with_neighbours,
)
from essgraph.search.records import FACET_KEYS, PassageRecord, SparqlSelect
from essgraph.search.relevance import evidence, floor_reason, suggest_concepts
from essgraph.search.results import Hit, SearchResult, build_hits, facet_output, group_by_section
from essgraph.search.snapshot import IndexSnapshot
from essgraph.search.tagging import LabelField, PassageTagger
from essgraph.search.understand import ConceptInfo, QueryAnalysis, Understander, concepts_of
from essgraph.search.vector.base import VectorIndex
from essgraph.search.vector.factory import make_vector_index, vector_index_from_parts
from essgraph.search.wordmatch import match_on, reorder_by_words

Mode = Literal["hybrid", "bm25", "dense"]
LABEL_FIELD_BACKEND = "bm25s"  # search.tagging's field of concept and entity labels, kept in memory
MODES: tuple[str, ...] = ("hybrid", "bm25", "dense")
# 7: token states of the passages in the segments (search.wordmatch); 6: concept tags in the records
# 5: passage kinds in the records; 4: ligatures folded (œuvre -> oeuvre); 3: plural s/x dropped
FORMAT_VERSION = 7
# thesaurus schemes whose concepts the query understanding looks for
UNDERSTOOD_SCHEMES = ("leviers", "thematiques", "formes-juridiques", "niveaux-collectivite", "organisations")


def _atomic_write_json(path: Path, data: Any, compress: bool = False) -> None:
    with atomic_path(path) as tmp:
        if compress:
            with gzip.open(tmp, "wt", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        else:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


class SearchEngine:
    """Passages indexed three ways (BM25, dense vectors, graph links), persisted under `index_dir`.

    Searches read an immutable `IndexSnapshot` and take no lock; an upsert, delete or rebuild builds the
    next snapshot beside it (embedding, tokenising, copying, saving) and publishes it by one reference
    assignment, so searches answer throughout an ingest. Writers take turns on `_write_lock`.

    The index files record the embedder they were built with; opening them with another embedder
    configured marks the engine stale: searching raises ConfigError until `rebuild` (``essgraph
    reindex``) runs, and an upsert with a store at hand rebuilds everything from the store first.
    """

    def __init__(self, settings: Settings, store: SparqlSelect | None = None) -> None:
        self.settings = settings
        self.store = store
        self.dir = settings.index_dir / "search"
        self._embedder: Embedder | None = None
        self._cache: EmbeddingCache | None = None
        self._word_cache: SqliteWordCache | None = None
        self._tagger: PassageTagger | None = None
        self._snapshot = self._empty_snapshot()  # what searches read; replaced whole, never changed
        # held by whoever builds the next snapshot (ingest, delete, rebuild, reload), never by a search
        self._write_lock = threading.Lock()
        self._next_id = 0
        self.stale_reason: str | None = None
        self.embedder_name: str | None = None
        self.embedder_words: str | None = None  # the token states the index's embedder gives (wordmatch)
        self.dim = 0
        self._concepts: dict[str, ConceptInfo] | None = None
        self._understander: Understander | None = None
        self.query_vectors = QueryVectors(settings)  # recent questions' vectors, embedding threads
        self._concept_slug_labels: dict[str, str] | None = None  # built once by concept_labels
        self._concept_vectors_ready = False
        self._loaded_mtime: int | None = None
        self._loaded_stamp: tuple[int, int] | None = None
        self._generation = 0  # generation g: manifest records.g.json naming per-document segment files
        self._segments: dict[str, str] = {}  # doc id -> segment file stem (segments/<stem>.json.gz, .npz)
        self._vector_base: str | None = None  # saved HNSW base file, if any

    # ------------------------------------------------------------------ paths and loading
    @property
    def _meta_path(self) -> Path:
        return self.dir / "meta.json"

    @property
    def _segments_dir(self) -> Path:
        return self.dir / "segments"

    def _manifest_path(self, generation: int | None = None) -> Path:
        """`records.<generation>.json`: the per-document segment files of one generation."""
        return self.dir / f"records.{self._generation if generation is None else generation}.json"

    def _meta_stamp(self) -> tuple[int, int] | None:
        """(inode, mtime) of meta.json: changes at every save, since meta.json is replaced by rename."""
        try:
            st = self._meta_path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def _disk_generation(self) -> int:
        """The generation meta.json currently names (0 when absent or unreadable)."""
        try:
            return int(json.loads(self._meta_path.read_text(encoding="utf-8")).get("generation", 0))
        except (OSError, ValueError, AttributeError):
            return 0

    @classmethod
    def open(cls, settings: Settings, store: SparqlSelect | None = None) -> SearchEngine:
        """The engine with its saved indexes (empty if none yet); `store` enables rebuilds from the graph.

        Raises ConfigError when the saved indexes are unreadable or were built with other backends.
        """
        engine = cls(settings, store)
        engine._load()
        return engine

    @property
    def snapshot(self) -> IndexSnapshot:
        """The indexes as searches see them now (a later change publishes a new snapshot)."""
        return self._snapshot

    @property
    def records(self) -> dict[int, PassageRecord]:
        """{passage id: record} of the current snapshot (read it, never change it)."""
        return self._snapshot.records

    def _empty_snapshot(self, vectors: VectorIndex | None = None) -> IndexSnapshot:
        lexical = make_lexical_index(
            self.settings.lexical_backend,
            self.settings.lexical_raw_weight,
            milvus_depth=self.settings.milvus_text_depth,
        )
        # the label field is rebuilt from the records' tags at load, in this process, whatever backend holds
        # the passages' text (a remote one such as Milvus included): always the local BM25
        field_index = make_lexical_index(LABEL_FIELD_BACKEND, self.settings.lexical_raw_weight)
        labels = LabelField(field_index, self.tagger)
        return IndexSnapshot(lexical, vectors, self.settings.lexical_raw_weight, labels=labels)

    def _load(self) -> None:
        """Load the generation meta.json names; retried while a writer switches generations under us."""
        while True:
            stamp = self._meta_stamp()
            try:
                self._load_once()
            except FileNotFoundError:
                if self._meta_stamp() == stamp:  # no concurrent save explains the missing file
                    raise
                continue
            if self._meta_stamp() == stamp:  # no save happened while the files were read
                return

    def _load_once(self) -> None:
        stamp = self._meta_stamp()
        if stamp is None:
            self._reset()
            self._generation = 0
            self._loaded_stamp = None
            self._snapshot = self._finished(self._empty_snapshot())
            return
        try:
            meta = json.loads(self._meta_path.read_text(encoding="utf-8"))
            self._generation = int(meta.get("generation", 0))
            if int(meta.get("version", 1)) != FORMAT_VERSION:
                self._reset()
                self._generation = int(meta.get("generation", 0))
                self.stale_reason = "l'index a été écrit dans un format plus ancien"
                self._loaded_stamp = stamp
                self._snapshot = self._empty_snapshot()
                return
            manifest = json.loads(self._manifest_path().read_text(encoding="utf-8"))
            parts = [self._read_segment(doc_id, name) for doc_id, name in manifest["segments"].items()]
        except FileNotFoundError:
            raise
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(
                f"Index de recherche illisible dans {self.dir} ({exc}) : lancez « essgraph reindex ».",
                f"Unreadable search index in {self.dir} ({exc}): run `essgraph reindex`.",
            ) from exc
        self._reset()
        self._segments = dict(manifest["segments"])
        self._vector_base = manifest.get("vector_base")
        self._next_id = int(meta.get("next_id", 0))
        self.embedder_name = meta.get("embedder")
        self.dim = int(meta.get("dim", 0))
        if meta.get("embedder_spec") != self.settings.embedder and self._segments:
            self.stale_reason = (
                f"l'index a été construit avec l'embedder « {meta.get('embedder_spec')} » mais le réglage"
                f" est « {self.settings.embedder} »"
            )
        if meta.get("lexical_backend") != self.settings.lexical_backend and self._segments:
            self.stale_reason = f"l'index lexical a été construit avec « {meta.get('lexical_backend')} »"
        if meta.get("vector_backend") != self.settings.vector_backend and self._segments:
            self.stale_reason = f"l'index vectoriel a été construit avec « {meta.get('vector_backend')} »"
        self.embedder_words = meta.get("embedder_words")
        wants_words = match_on(self.settings)
        if (
            wants_words
            and self.embedder_words
            and meta.get("words") != self.embedder_words
            and self._segments
        ):
            # built with the match off: no passage has token states, an upsert would give some of them
            self.stale_reason = "l'index a été construit sans les états des mots (recherche mot à mot)"
        built = meta.get("words")  # the states every passage has: another kind, basis or filter is stale
        spec = self.settings.embedder
        expected = words_name_for(spec, self.settings.word_states) if wants_words and built else None
        if expected and built != expected and self._segments:
            kind = next((k for k in get_args(WordStatesKind) if words_name_for(spec, k) == built), None)
            self.stale_reason = self.stale_reason or (
                f"l'index a été construit avec les états de mots « {kind} »"
                if kind
                else "les états des mots de l'index ne sont plus ceux de l'embedder"
            )
        snapshot = self._empty_snapshot()
        if self.stale_reason is None:
            all_ids: list[npt.NDArray[np.int64]] = []
            all_vectors: list[np.ndarray] = []
            for records, tokens, ids, vectors, states in parts:
                snapshot.records.update(records)
                snapshot.lexical.add_tokens(list(records), tokens)
                if states is not None and wants_words:  # the match off: states left on disk
                    snapshot.words.add([int(i) for i in ids], states)
                all_ids.append(ids)
                all_vectors.append(vectors)
            if snapshot.records:
                base = self.dir / self._vector_base if self._vector_base else None
                snapshot.vectors = vector_index_from_parts(
                    self.settings.vector_backend,
                    self.dim,
                    self.settings.hnsw_threshold,
                    np.concatenate(all_ids),
                    np.concatenate(all_vectors).reshape(-1, self.dim),
                    base,
                    self.settings.hnsw_compact_fraction,
                    milvus=milvus_target(self.settings),
                )
                n = len(snapshot.records)
                if len(snapshot.vectors) != n or len(snapshot.lexical) != n:
                    self.stale_reason = "les index vectoriel et lexical ne correspondent pas aux passages"
        snapshot.index_maps()
        self._snapshot = self._finished(snapshot)
        self._loaded_stamp = stamp
        self._loaded_mtime = stamp[1]

    def _read_segment(
        self, doc_id: str, name: str
    ) -> tuple[
        dict[int, PassageRecord], list[Any], npt.NDArray[np.int64], np.ndarray, list[WordStates] | None
    ]:
        """(records, token lists, ids, vectors, token states or None) of one document's segment files."""
        with gzip.open(self._segments_dir / f"{name}.json.gz", "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        records = {int(k): PassageRecord.from_dict(v) for k, v in data["records"].items()}
        states: list[WordStates] | None = None
        with np.load(self._segments_dir / f"{name}.npz") as arrays:
            ids = np.asarray(arrays["ids"], dtype=np.int64)
            vectors = np.asarray(arrays["vectors"], dtype=np.float32)
            if "word_counts" in arrays.files:
                ends = np.cumsum(arrays["word_counts"])
                pieces, scales = arrays["word_pieces"], arrays["word_scales"]
                rows = np.load(self._segments_dir / f"{name}.words.npy", mmap_mode="r")
                total = int(ends[-1]) if len(ends) else 0
                if len(ends) != len(ids) or not total == len(pieces) == len(scales) == len(rows):
                    raise ValueError(f"token states of segment {name} do not match its passages")
                states = [
                    WordStates(pieces[a:b], rows[a:b], scales[a:b])
                    for a, b in zip(np.concatenate([[0], ends[:-1]]), ends, strict=True)
                ]
        return records, data["tokens"], ids, vectors, states

    def _reset(self) -> None:
        """Forget the writer's bookkeeping (segments, ids, embedder, staleness) before a load or rebuild;
        the published snapshot stays until the next one replaces it."""
        self._segments = {}
        self._vector_base = None
        self._next_id = 0
        self.embedder_name = None
        self.embedder_words = None
        self.dim = 0
        self.stale_reason = None

    def _finished(self, snapshot: IndexSnapshot) -> IndexSnapshot:
        """`snapshot` with its query-time structures built (see IndexSnapshot.finish)."""
        sections = self.settings.weight_section > 0
        snapshot.finish(self.concept_labels_by_iri() if sections and snapshot.records else None)
        return snapshot

    def refresh(self) -> bool:
        """Reload the saved indexes if another process changed them; returns True when reloaded.

        Costs one stat of meta.json: every save replaces it by rename, so its (inode, mtime) changes.
        Never waits: while a writer of this engine is building the next snapshot, the change on disk
        is its own and it publishes it, so the search goes on with the current snapshot.
        """
        if self._meta_stamp() == self._loaded_stamp:
            return False
        if not self._write_lock.acquire(blocking=False):
            return False
        try:
            if self._meta_stamp() == self._loaded_stamp:
                return False
            self._load()
            return True
        finally:
            self._write_lock.release()

    # ------------------------------------------------------------------ components
    @property
    def embedder(self) -> Embedder:
        """The configured embedder (loaded on first use)."""
        if self._embedder is None:
            st = self.settings
            self._embedder = make_embedder(
                st.embedder, st.query_threads, st.ingest_threads, st.model_cache_dir, st.word_states
            )
        return self._embedder

    @property
    def cache(self) -> EmbeddingCache:
        """The embedding cache the settings choose (a SQLite file of the home, or Milvus beside a Milvus
        index, shared by every process on it)."""
        if self._cache is None:
            self._cache = make_embedding_cache(self.settings)
        return self._cache

    @property
    def keeps_words(self) -> bool:
        """Whether passages' token states are kept (search.wordmatch): the match is on and the embedder
        gives them."""
        return match_on(self.settings) and self.embedder.words_name is not None

    @property
    def word_cache(self) -> SqliteWordCache:
        """The token states already computed: a table of the home's SQLite cache file."""
        if self._word_cache is None:
            self._word_cache = SqliteWordCache(
                self.settings.cache_dir / SQLITE_CACHE_FILE, self.embedder.word_dim
            )
        return self._word_cache

    @property
    def understander(self) -> Understander:
        """Concept and entity detection (thesaurus loaded on first use)."""
        if self._understander is None:
            from essgraph.ontology.thesaurus import load_thesaurus

            # the entities known to the index are in each snapshot's table (IndexSnapshot.entities)
            self._understander = Understander(load_thesaurus(), UNDERSTOOD_SCHEMES)
        return self._understander

    @property
    def tagger(self) -> PassageTagger:
        """Tags passages with the concepts they are about (search.tagging), for their label field."""
        if self._tagger is None:
            from essgraph.ontology.thesaurus import load_thesaurus

            self._tagger = PassageTagger(load_thesaurus(), UNDERSTOOD_SCHEMES)
        return self._tagger

    def concept_labels_by_iri(self) -> dict[str, str]:
        """{concept IRI: French label} of the thesaurus."""
        if self._concepts is None:
            from essgraph.ontology.thesaurus import load_thesaurus

            self._concepts = concepts_of(load_thesaurus())
        return {iri: c.pref_label for iri, c in self._concepts.items()}

    def concept_labels(self) -> dict[str, str]:
        """{concept slug: French label} of the thesaurus (facet labels)."""
        if self._concept_slug_labels is None:
            self._concept_slug_labels = {
                iri.rstrip("/").rsplit("/", 1)[-1]: label
                for iri, label in self.concept_labels_by_iri().items()
            }
        return self._concept_slug_labels

    # ------------------------------------------------------------------ writing
    def doc_ids(self) -> list[str]:
        """The documents the indexes hold (to compare with the graph's named graphs)."""
        return self._snapshot.doc_ids()

    def passage_keys(self, doc_id: str) -> set[str]:
        """IRIs of the passages of `doc_id` the indexes hold (empty set for an unknown document)."""
        return self._snapshot.passage_keys(doc_id)

    def _check_not_stale(self) -> None:
        if self.stale_reason:
            raise ConfigError(
                f"Index de recherche à reconstruire : {self.stale_reason}. Lancez « essgraph reindex ».",
                f"Search index must be rebuilt ({self.stale_reason}); run `essgraph reindex`.",
            )

    def _vector_index(self, snapshot: IndexSnapshot) -> VectorIndex:
        """The vector index of `snapshot` being built, created empty (with the embedder's size) if none."""
        if snapshot.vectors is None:
            self.embedder_name = self.embedder.name
            self.dim = self.embedder.dim
            snapshot.vectors = make_vector_index(
                self.settings.vector_backend,
                self.dim,
                self.settings.hnsw_threshold,
                compact_fraction=self.settings.hnsw_compact_fraction,
                milvus=milvus_target(self.settings),
            )
        return snapshot.vectors

    def _encode(self, records: Sequence[PassageRecord], progress: bool) -> _Encoded:
        """The vectors, BM25 tokens, token states (None when not kept) and number of texts embedded of
        `records`: the slow part of an ingest, computed before any snapshot is touched (vectors and
        states through the embedding cache)."""
        texts = [r.index_text() for r in records]
        if not texts:
            return _Encoded(np.zeros((0, 0), dtype=np.float32), [], None, 0)
        batch = self.settings.embed_batch_size
        if self.keeps_words:
            vectors, states, computed = embed_words_with_cache(
                self.embedder, texts, self.cache, self.word_cache, batch, progress=progress
            )
            return _Encoded(vectors, LexicalIndex.tokenize(texts), states, computed)
        vectors, computed = embed_with_cache(self.embedder, texts, self.cache, batch, progress=progress)
        return _Encoded(vectors, LexicalIndex.tokenize(texts), None, computed)

    def _add(self, snapshot: IndexSnapshot, records: Sequence[PassageRecord], encoded: _Encoded) -> None:
        """Add encoded `records` to `snapshot` (being built) under fresh ids."""
        if not records:
            return
        vector_index = self._vector_index(snapshot)
        ids = np.arange(self._next_id, self._next_id + len(records), dtype=np.int64)
        self._next_id += len(records)
        snapshot.vectors = vector_index
        snapshot.add(ids, records, encoded.tokens, encoded.vectors, encoded.words)

    def upsert_document(self, doc_id: str, records: Sequence[PassageRecord], progress: bool = False) -> int:
        """Replace the passages of `doc_id` by `records` in every index and save; returns texts embedded.

        Searches go on during the whole call, on the snapshot published before it: the passages are
        embedded and tokenised, the next snapshot is built from a copy of the current one and saved,
        and only then is it published (one reference assignment). Writers take turns on the engine's
        write lock, which searches never take. On a stale index (other embedder) with a store at hand,
        rebuilds everything from the store; without one, raises ConfigError.
        """
        with self._write_lock:
            if self.stale_reason:
                if self.store is None:
                    self._check_not_stale()
                else:
                    return self._rebuild_locked(self._graph_records(self.store), progress)
            mine = self.tagger.tagged(_classified(r for r in records if r.doc_id == doc_id))
            encoded = self._encode(mine, progress)
            snapshot = self._snapshot.copy()
            snapshot.remove_document(doc_id)
            self._add(snapshot, mine, encoded)
            self._publish(snapshot, {doc_id})
            return encoded.computed

    def delete_document(self, doc_id: str) -> None:
        """Remove the passages of `doc_id` from every index and save (unknown ids: nothing happens)."""
        with self._write_lock:
            if doc_id not in self._snapshot.by_doc:
                return
            snapshot = self._snapshot.copy()
            snapshot.remove_document(doc_id)
            self._publish(snapshot, {doc_id})

    def rebuild(self, records: Sequence[PassageRecord], progress: bool = False) -> int:
        """Drop everything and index `records` with the configured backends; returns texts embedded."""
        with self._write_lock:
            return self._rebuild_locked(records, progress)

    def rebuild_from_store(self, store: SparqlSelect | None = None, progress: bool = False) -> int:
        """Drop everything and index every passage of the graph in `store` (default: the engine's), with
        the configured backends: the one rebuild from the graph (`essgraph reindex`, after an import, a
        stale index met by an upsert). Returns texts embedded; raises ConfigError without a store."""
        store = store if store is not None else self.store
        if store is None:
            raise ConfigError(
                "Aucun graphe pour reconstruire l'index de recherche.",
                "No graph store to rebuild the search index from.",
            )
        records = self._graph_records(store)
        with self._write_lock:
            return self._rebuild_locked(records, progress)

    def _graph_records(self, store: SparqlSelect) -> list[PassageRecord]:
        """Every passage record of the graph (under the configured base IRI)."""
        from essgraph.search.records import records_from_store

        return records_from_store(store, base_iri=self.settings.base_iri)

    def _rebuild_locked(self, records: Sequence[PassageRecord], progress: bool) -> int:
        rows = self.tagger.tagged(_classified(records))
        encoded = self._encode(rows, progress)
        self._reset()
        snapshot = self._empty_snapshot()
        self._add(snapshot, rows, encoded)
        self._publish(snapshot, set(snapshot.doc_ids()))
        return encoded.computed

    def _publish(self, snapshot: IndexSnapshot, changed: set[str]) -> None:
        """Finish `snapshot`, save it (the documents in `changed` get new segment files), then make it
        the one searches read. Saved first: a failed save publishes nothing, and what searches see
        is always on disk."""
        self._finished(snapshot)
        st = self.settings
        if snapshot.records and st.concept_similarity < 1.0 and st.max_semantic_concepts:
            # here, on the writer's thread (the embedding cache's), before any search can need them
            self._ensure_concept_vectors()
        self._save(snapshot, changed)
        self._snapshot = snapshot

    def _save(self, snapshot: IndexSnapshot, changed: set[str]) -> None:
        """Write the segment files of the documents in `changed`, then a new generation's manifest, then
        switch meta.json to it.

        Each document has its own files (`segments/<generation>-<key>.json.gz`: records and tokens;
        `.npz`: ids and vectors), so an upsert writes only that document. An HNSW base (too slow to
        rebuild at load) is written as `vectors.<generation>.faiss` only when it was rebuilt. Every
        file is written to a temporary name and renamed; meta.json (renamed last) names the manifest of
        the generation, so a reader or a crash sees the old generation or the new one, never a mix.
        Files of the previous generation are kept for readers still loading it; older ones are deleted.
        """
        self.dir.mkdir(parents=True, exist_ok=True)
        self._segments_dir.mkdir(parents=True, exist_ok=True)
        self._generation = max(self._generation, self._disk_generation()) + 1
        for doc_id in sorted(changed):
            ids = snapshot.by_doc.get(doc_id, [])
            if not ids:
                self._segments.pop(doc_id, None)
                continue
            name = f"{self._generation}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:16]}"
            self._write_segment(snapshot, name, ids)
            self._segments[doc_id] = name
        checkpoint("index-save")
        vectors = snapshot.vectors
        if vectors is not None and vectors.wants_base_file():
            if vectors.base_changed or self._vector_base is None:
                self._vector_base = f"vectors.{self._generation}.faiss"
                vectors.save(self.dir / self._vector_base)
        else:
            self._vector_base = None
        checkpoint("index-save")
        manifest = {"segments": dict(sorted(self._segments.items())), "vector_base": self._vector_base}
        _atomic_write_json(self._manifest_path(), manifest)
        checkpoint("index-save")
        if self._embedder is not None:
            self.embedder_words = self._embedder.words_name
        meta = {
            "version": FORMAT_VERSION,
            "generation": self._generation,
            "embedder_spec": self.settings.embedder,
            "embedder": self.embedder_name,
            "dim": self.dim,
            "vector_backend": self.settings.vector_backend,
            "lexical_backend": self.settings.lexical_backend,
            # the token states the embedder gives, and those every passage has (None: not all)
            "embedder_words": self.embedder_words,
            "words": self.embedder_words
            if snapshot.records and len(snapshot.words) == len(snapshot.records)
            else None,
            "next_id": self._next_id,
            "passages": len(snapshot.records),
            "documents": snapshot.doc_ids(),
        }
        _atomic_write_json(self._meta_path, meta)
        self._loaded_stamp = self._meta_stamp()
        self._loaded_mtime = self._loaded_stamp[1] if self._loaded_stamp else None
        self._delete_old_generations()

    def _write_segment(self, snapshot: IndexSnapshot, name: str, ids: Sequence[int]) -> None:
        """Write one document's records, tokens (gzip JSON), ids + vectors (npz) and, when kept, its
        passages' token states (`<name>.words.npy`, read back memory-mapped: only the states of the
        candidates a search reorders are ever paged in), each atomically."""
        data = {
            "records": {str(pid): snapshot.records[pid].to_dict() for pid in ids},
            "tokens": snapshot.lexical.tokens(ids),
        }
        _atomic_write_json(self._segments_dir / f"{name}.json.gz", data, compress=True)
        id_array = np.asarray(ids, dtype=np.int64)
        vectors = (
            snapshot.vectors.vectors(id_array)
            if snapshot.vectors is not None
            else np.zeros((0, self.dim), dtype=np.float32)
        )
        found = [snapshot.words.states.get(int(pid)) for pid in ids]
        states = [w for w in found if w is not None]
        kept = bool(states) and len(states) == len(found)  # token states kept (search.wordmatch)
        if kept:
            with atomic_path(self._segments_dir / f"{name}.words.npy") as tmp, tmp.open("wb") as fh:
                np.save(fh, np.concatenate([w.states for w in states]))
        with atomic_path(self._segments_dir / f"{name}.npz") as tmp, tmp.open("wb") as fh:
            if kept:
                np.savez(
                    fh,
                    ids=id_array,
                    vectors=vectors,
                    word_counts=np.array([len(w) for w in states], dtype=np.int64),
                    word_pieces=np.concatenate([w.pieces for w in states]),
                    word_scales=np.concatenate([w.scales for w in states]),
                )
            else:
                np.savez(fh, ids=id_array, vectors=vectors)

    def _delete_old_generations(self) -> None:
        """Remove manifests older than the previous generation, the segment and base files that
        neither the current nor the previous manifest names, files of the version-1 layout, and
        leftover temporary files."""
        keep_names: set[str] = set(self._segments.values())
        keep_files: set[str] = {self._vector_base} if self._vector_base else set()
        previous = self._manifest_path(self._generation - 1)
        try:
            old = json.loads(previous.read_text(encoding="utf-8"))
            keep_names |= set(old.get("segments", {}).values())
            if old.get("vector_base"):
                keep_files.add(old["vector_base"])
        except (OSError, ValueError):
            pass
        for path in self.dir.iterdir():
            name = path.name
            if name.endswith(".tmp"):
                path.unlink(missing_ok=True)
                continue
            parts = name.split(".")
            if parts[0] == "records" and len(parts) > 1 and parts[1].isdigit():
                if int(parts[1]) not in (self._generation, self._generation - 1):
                    path.unlink(missing_ok=True)
            elif parts[0] in ("records", "vectors", "lexical") and name not in keep_files:
                path.unlink(missing_ok=True)
        for path in self._segments_dir.iterdir():
            stem = path.name.split(".", 1)[0]
            if path.name.endswith(".tmp") or stem not in keep_names:
                path.unlink(missing_ok=True)

    # ------------------------------------------------------------------ reading
    def _validate(
        self, query: str, k: int | None, filters: Mapping[str, Any] | None, mode: str, offset: int = 0
    ) -> int:
        """The number of hits asked for; raises BadInput whose details name the bad `parameter`."""
        st = self.settings
        if not isinstance(query, str) or not query.strip():
            raise BadInput("La question est vide.", "The query is empty.", parameter="q")
        if len(query) > st.max_query_chars:
            raise BadInput(
                f"La question (paramètre q) dépasse {st.max_query_chars} caractères ({len(query)}).",
                f"The query (parameter q) is longer than {st.max_query_chars} characters ({len(query)}).",
                parameter="q",
                limit=st.max_query_chars,
            )
        if mode not in MODES:
            raise BadInput(
                f"Mode de recherche inconnu « {mode} » (valeurs : {', '.join(MODES)}).",
                f"Unknown search mode {mode!r} (expected one of {', '.join(MODES)}).",
                parameter="mode",
                valid=list(MODES),
            )
        top = st.default_top_k if k is None else k
        if not 1 <= top <= st.max_top_k:
            raise BadInput(
                f"Le nombre de résultats (paramètre k) doit être entre 1 et {st.max_top_k}.",
                f"The number of results (parameter k) must be between 1 and {st.max_top_k}.",
                parameter="k",
                limit=st.max_top_k,
            )
        if not 0 <= offset <= st.max_search_offset:
            raise BadInput(
                f"Le décalage (paramètre offset) doit être entre 0 et {st.max_search_offset}.",
                f"The offset (parameter offset) must be between 0 and {st.max_search_offset}.",
                parameter="offset",
                limit=st.max_search_offset,
            )
        for key in filters or {}:
            if key not in FACET_KEYS:
                raise BadInput(
                    f"Filtre inconnu « {key} » ; filtres possibles : {', '.join(FACET_KEYS)}.",
                    f"Unknown filter {key!r}; valid filters: {', '.join(FACET_KEYS)}.",
                    parameter=key,
                    valid=list(FACET_KEYS),
                )
        return top

    def _allowed(self, snap: IndexSnapshot, filters: Mapping[str, Any] | None) -> set[int] | None:
        """Ids passing every filter (None when there is no filter)."""
        if not filters:
            return None
        wanted: dict[str, set[str]] = {}
        for key, value in filters.items():
            values = value if isinstance(value, list | tuple | set) else [value]
            wanted[key] = {slugify(str(v)) for v in values}
        allowed: set[int] = set()
        seen: dict[str, set[str]] = {key: set() for key in wanted}
        for pid, rec in snap.records.items():
            ok = True
            for key, slugs in wanted.items():
                have = {slugify(v) for v in rec.facets.get(key, [])}
                if key == "document":
                    have.add(slugify(rec.doc_id))
                seen[key] |= have
                if not have & slugs:
                    ok = False
            if ok:
                allowed.add(pid)
        for key, slugs in wanted.items():
            unknown = sorted(slugs - seen[key])
            if unknown:
                raise BadInput(
                    f"Valeur inconnue pour le filtre « {key} » : {', '.join(unknown)}.",
                    f"Unknown value for filter {key!r}: {', '.join(unknown)}.",
                    parameter=key,
                    value=unknown,
                    valid=sorted(seen[key])[:50],
                )
        return allowed

    @property
    def _concepts_path(self) -> Path:
        return self.dir / "concepts.npz"

    def _ensure_concept_vectors(self) -> None:
        """Give the understood concepts their vectors (for matching by meaning), once per engine.

        Read from `index/search/concepts.npz` when it was written for the same embedder and the same
        concept texts; otherwise embedded (through the embedding cache) and written there. Without
        that file, a start whose embedding cache lacks the concepts (cache deleted or restored
        without it, another model, an edited thesaurus) embeds all of them before the first answer:
        about two minutes on two busy cores, where reading the file takes milliseconds.
        """
        if self._concept_vectors_ready:
            return
        understander = self.understander
        iris = sorted(understander.concepts)
        texts = [understander.concepts[i].embedding_text() for i in iris]
        digest = hashlib.sha256(
            "\n".join([self.embedder.name, *(f"{i}\t{t}" for i, t in zip(iris, texts, strict=True))]).encode()
        ).hexdigest()
        vectors = self._saved_concept_vectors(digest)
        if vectors is None:
            vectors, _ = embed_with_cache(self.embedder, texts, self.cache, self.settings.embed_batch_size)
            self.dir.mkdir(parents=True, exist_ok=True)
            with atomic_path(self._concepts_path) as tmp, tmp.open("wb") as fh:
                np.savez(fh, digest=np.array(digest), vectors=vectors)
        understander.set_concept_vectors(iris, vectors)
        self._concept_vectors_ready = True

    def _saved_concept_vectors(self, digest: str) -> np.ndarray | None:
        """The concept vectors saved for `digest` (embedder + concept texts), None if absent or other."""
        try:
            with np.load(self._concepts_path) as saved:
                if str(saved["digest"]) != digest:
                    return None
                return np.asarray(saved["vectors"], dtype=np.float32)
        except (OSError, ValueError, KeyError):
            return None

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: Mapping[str, Any] | None = None,
        mode: str = "hybrid",
        offset: int = 0,
    ) -> SearchResult:
        """The best passages for `query`: `k` hits (default settings.default_top_k) from rank `offset`,
        the number of passages that matched (`total`) and facet counts.

        `filters` maps facet keys (see FACET_KEYS) to a value or list of values. `mode` is "hybrid",
        "bm25" or "dense". A question under the score floor (only stopwords, English, or too few of its
        words in the index: settings.min_query_coverage) gets no hit, a `reason` and thesaurus
        `suggestions`. Passages that point elsewhere (search.kinds) are ranked down by
        settings.kind_weight unless the question asks for their kind.
        Raises BadInput (its details name the `parameter`) for an empty or too long query, a bad `k`,
        `offset` or `mode`, an unknown filter key or value; ConfigError if the index must be rebuilt.
        """
        top = self._validate(query, k, filters, mode, offset)
        self.refresh()
        self._check_not_stale()
        snap = self._snapshot  # read from here to the end: an ingest publishing meanwhile changes nothing
        query = query.strip()
        if not snap.records or not words(query):
            return SearchResult(offset=offset)
        allowed = self._allowed(snap, filters)
        if allowed is not None and not allowed:
            return SearchResult(offset=offset)
        # a word of the labels of the concepts passages are about is known too (the asker's own words)
        known = snap.lexical.matched_terms(query) | snap.labels.matched_terms(query)
        reason = floor_reason(evidence(query, known), self.settings.min_query_coverage)
        if reason is not None:
            suggestions = suggest_concepts(
                query, self.understander.concepts.values(), self.settings.search_suggestions
            )
            return SearchResult(offset=offset, reason=reason, suggestions=suggestions)
        depth = self.settings.candidates
        st = self.settings
        # the question is embedded on a worker thread (the C engine releases the GIL) while the label
        # analysis and BM25 run here: a search costs about its embedding, not embedding + the rest
        wants_words = mode == "hybrid" and match_on(st)  # only hybrid hits are reordered word by word
        cached = self.query_vectors.cached(query, st, wants_words) if mode != "bm25" else None
        pending = None
        if mode != "bm25" and cached is None:
            pending = self.query_vectors.start(self.embedder, query, st, wants_words)
        analysis: QueryAnalysis | None = None
        by_meaning = st.max_semantic_concepts if st.concept_similarity < 1.0 else 0
        if mode == "hybrid":
            if by_meaning:
                self._ensure_concept_vectors()
            analysis = self.understander.analyse_labels(query, snap.entities)
        lexical: list[tuple[int, float]] = []
        if mode in ("hybrid", "bm25"):
            lexical = lexical_ranking(st, snap, query, analysis, depth, allowed)
        embedded = cached
        if pending is not None:
            self._prefetch_hits(snap, lexical, offset + top, pending)
            embedded = pending.result()
            self.query_vectors.remember(query, embedded, st, wants_words)
        vector, question_words = embedded if embedded is not None else (None, None)
        if analysis is not None and by_meaning:
            refined = self.understander.refine(query, analysis, vector, st.concept_similarity, by_meaning)
            if refined is not analysis:  # concepts found by meaning expand the BM25 query too
                analysis = refined
                lexical = lexical_ranking(st, snap, query, analysis, depth, allowed)
        rankings: list[tuple[list[tuple[int, float]], float]] = []
        if mode in ("hybrid", "bm25"):
            rankings.append((lexical, st.weight_lexical))
        dense_at = len(rankings)
        if vector is not None:
            rankings.append((dense_ranking(st, snap, vector, depth, allowed), st.weight_dense))
        if mode == "hybrid":  # the passages whose concepts' labels carry the question's words
            rankings.append((snap.labels.ranking(query, depth, allowed), st.weight_labels))
        fused = fuse_with_graph(st, snap, rankings, analysis, allowed)
        if mode == "hybrid" and vector is not None:  # pseudo-relevance feedback (search.feedback)
            fused = with_dense_feedback(st, snap, rankings, dense_at, vector, fused, analysis, allowed)
        if mode == "hybrid" and st.weight_section > 0:
            add_section_scores(
                st, snap, self.concept_labels_by_iri(), query, analysis, vector, fused, allowed
            )
        if mode == "hybrid" and st.neighbour_weight > 0:
            fused = with_neighbours(st, snap, fused, allowed)
        weigh_kinds(st, snap, query, fused)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        if mode == "hybrid":
            ranked = reorder_by_words(st, snap.words, ranked, question_words)
        hits = self._hits(snap, query, analysis, ranked, offset + top)[offset:]
        group_by_section(hits)
        facets = self._facets(snap, [pid for pid, _ in ranked])
        understood: dict[str, str] = {}
        if analysis is not None:
            understood = analysis.labels(self.understander.concepts, snap.entities.labels)
        return SearchResult(hits=hits, facets=facets, understood=understood, total=len(ranked), offset=offset)

    @staticmethod
    def _prefetch_hits(
        snap: IndexSnapshot, lexical: Sequence[tuple[int, float]], top: int, pending: Future[Embedded]
    ) -> None:
        """While the question is being embedded (on the other core), compute the per-passage data the
        hits will need (shingles, highlightable words, facet columns) for the best lexical candidates,
        most of which end up among the hits; stops as soon as the vector is there. Only fills the
        snapshot's per-passage memos: the answer is the same, it just waits less after the embedding."""
        for pid, _score in lexical[: 2 * top]:
            if pending.done():
                return
            snap.shingles_of(pid)
            snap.spans_of(pid)
            snap.facet_columns_of(pid)

    def _hits(
        self,
        snap: IndexSnapshot,
        query: str,
        analysis: QueryAnalysis | None,
        ranked: list[tuple[int, float]],
        top: int,
    ) -> list[Hit]:
        """The first `top` hits of `ranked` (see results.build_hits)."""
        return build_hits(snap, query, analysis, ranked, top, self.settings.dedup_jaccard)

    def _facets(self, snap: IndexSnapshot, candidates: list[int]) -> dict[str, list[dict[str, Any]]]:
        return facet_output(snap.facet_counts(candidates), self.concept_labels())

    def close(self) -> None:
        """Release the embedding cache and the question-embedding threads."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        if self._word_cache is not None:
            self._word_cache.close()
            self._word_cache = None
        self.query_vectors.close()


@dataclass(frozen=True, slots=True)
class _Encoded:
    """What an ingest computes for its passages before touching a snapshot (SearchEngine._encode)."""

    vectors: np.ndarray
    tokens: list[TokenPair]
    words: list[WordStates] | None  # token states, None when not kept
    computed: int  # texts actually embedded (the others came from the cache)


def _classified(records: Iterable[PassageRecord]) -> list[PassageRecord]:
    """`records` with their passage kind (search.kinds) decided at index time from the text; a record that
    already has one keeps it (the caller's record is never changed: a copy carries the kind)."""
    return [rec if rec.kind else replace(rec, kind=classify_passage(rec.text)) for rec in records]


def log(message: str) -> None:
    """One progress line on stderr."""
    print(message, file=sys.stderr)
