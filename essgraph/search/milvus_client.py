"""The Milvus collection shared by the `milvus` vector and lexical backends: one row per passage."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from essgraph.core.errors import IndexUnavailable
from essgraph.core.text import slugify
from essgraph.search.lexical.milvus import SEARCH_LIMIT, bm25_text, raw_text
from essgraph.search.lexical.tokenize import STOPWORDS
from essgraph.search.records import FACET_KEYS

if TYPE_CHECKING:
    from essgraph.core.settings import Settings
    from essgraph.search.records import PassageRecord

log = logging.getLogger(__name__)

Ids = npt.NDArray[np.int64]

TEXT_MAX_CHARS = 65_535  # Milvus VARCHAR limit (bytes); texts are cut below it, in characters / 4
QUERY_BATCH = 4096  # ids per `id in [...]` query or delete
INDEX_SUFFIX = r"_\d{14}_[0-9a-f]{6}"  # `_<time>_<6 hex>`: what `MilvusPassages.create` appends to the prefix
RETRY_AFTER_S = 5.0  # after a failed connection, calls fail at once for this long (no wait per search)

# The French analyzer of the issue, run by a Milvus server (standard tokenizer + lowercase +
# asciifolding + Snowball French stemmer + essgraph's folded stopwords). Elided articles are stripped
# from texts and questions before Milvus sees them (the standard tokenizer keeps "l" and "d").
SERVER_ANALYZER: dict[str, Any] = {
    "tokenizer": "standard",
    "filter": [
        "lowercase",
        "asciifolding",
        {"type": "stop", "stop_words": sorted(STOPWORDS)},
        {"type": "stemmer", "language": "french"},
    ],
}
# Text already analysed by essgraph (folded stems separated by spaces): Milvus only splits on spaces.
PRE_ANALYSED: dict[str, Any] = {"tokenizer": "standard", "filter": ["lowercase"]}


@dataclass(frozen=True)
class MilvusTarget:
    """Where the index lives: `uri` (a `.db` file = milvus-lite, `http(s)://host:port` = a server or
    cluster), the collection name prefix, the analysis mode ("milvus": the server's French analyzer;
    "essgraph": essgraph's own stems handed to Milvus), an optional token and the call timeout."""

    uri: str
    prefix: str
    analysis: str
    token: str = ""
    timeout: float = 10.0

    @property
    def lite(self) -> bool:
        """True for a local milvus-lite file."""
        return not self.uri.startswith(("http://", "https://", "tcp://", "unix:"))


def milvus_target(settings: Settings) -> MilvusTarget | None:
    """The Milvus target of `settings`, None when the index is local. Without `milvus_uri`, a
    milvus-lite file `index/milvus.db` under the home. Analysis "auto" means essgraph's stems on
    milvus-lite (its analyzer has no asciifolding nor stemmer filter) and the server's analyzer on a
    server."""
    if settings.index != "milvus":
        return None
    uri = settings.milvus_uri or str(settings.index_dir / "milvus.db")
    analysis = settings.milvus_analysis
    if analysis == "auto":
        analysis = "essgraph" if MilvusTarget(uri, "", "").lite else "milvus"
    return MilvusTarget(
        uri, settings.milvus_collection, analysis, settings.milvus_token, settings.milvus_timeout
    )


def facet_slugs(record: PassageRecord) -> dict[str, list[str]]:
    """The slugged facet values of `record` per facet key (the document facet includes the doc id), as
    the engine's filters compare them."""
    out: dict[str, list[str]] = {}
    for key in FACET_KEYS:
        values = {slugify(v) for v in record.facets.get(key, [])}
        if key == "document":
            values.add(slugify(record.doc_id))
        out[key] = sorted(v for v in values if v)[:64]
    return out


def filter_expression(filters: Mapping[str, Iterable[str]]) -> str:
    """A Milvus boolean expression keeping rows whose facet arrays meet every filter (values slugged,
    so only [a-z0-9-] reach the expression; milvus-lite has no expression templates)."""
    parts = []
    for key, values in filters.items():
        if key not in FACET_KEYS:
            raise ValueError(f"unknown facet {key!r}")
        slugs = sorted({slugify(str(v)) for v in values} - {""})
        parts.append(f"array_contains_any({key}, {json.dumps(slugs)})")
    return " and ".join(parts)


class MilvusPassages:
    """One Milvus collection of passages: id, dense vector, stemmed text and raw text (each with a BM25
    function to a sparse field), document id, kind and one array field per facet.

    The client connects lazily and again after a failure, so a Milvus that is down when the service
    starts does not stop it: every call raises IndexUnavailable (HTTP 503) until Milvus answers.
    Shared by the vector index and the lexical index of one snapshot (and by their clones).
    """

    _clients: ClassVar[dict[tuple[str, str], Any]] = {}
    _down_until: ClassVar[dict[tuple[str, str], tuple[float, str]]] = {}  # no new attempt before then
    _clients_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, target: MilvusTarget, name: str, dim: int) -> None:
        self.target = target
        self.name = name
        self.dim = dim
        self.last_error: str | None = None
        self._ready = False

    # ------------------------------------------------------------------ connection
    @classmethod
    def create(cls, target: MilvusTarget, dim: int) -> MilvusPassages:
        """A new, empty collection `<prefix>_<unique suffix>` (a rebuild never touches the collection
        searches still read); raises IndexUnavailable when Milvus does not answer."""
        passages = cls(target, f"{target.prefix}_{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}", dim)
        passages._create()
        return passages

    def client(self) -> Any:
        """The process's client for this target (connected on first use, again after a failure)."""
        key = (self.target.uri, self.target.token)
        with self._clients_lock:
            found = self._clients.get(key)
            if found is not None:
                return found
            down = self._down_until.get(key)
            if down is not None and time.monotonic() < down[0]:
                self.last_error = down[1]
                raise self._unavailable()
            try:
                from pymilvus import MilvusClient

                if self.target.lite:  # milvus-lite opens the file, never creates its folder
                    Path(self.target.uri).parent.mkdir(parents=True, exist_ok=True)
                found = MilvusClient(
                    uri=self.target.uri, token=self.target.token, timeout=self.target.timeout
                )
            except Exception as exc:  # pymilvus raises its own and grpc errors
                self.last_error = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
                self._down_until[key] = (time.monotonic() + RETRY_AFTER_S, self.last_error)
                raise self._unavailable() from exc
            self._down_until.pop(key, None)
            self._clients[key] = found
            return found

    @classmethod
    def forget_client(cls, target: MilvusTarget) -> None:
        """Drop the cached client of `target` (closed), so the next call connects again."""
        with cls._clients_lock:
            found = cls._clients.pop((target.uri, target.token), None)
        if found is not None:
            try:
                found.close()
            except Exception:  # closing a broken client may fail; it is dropped anyway
                pass

    @classmethod
    def release_lite(cls, target: MilvusTarget) -> None:
        """Leave a milvus-lite file to another process: drop the cached client and stop the in-process
        server milvus-lite keeps for the file (closing a client does not: the file stays locked until
        this process exits). Nothing for a server target."""
        if not target.lite:
            return
        from milvus_lite.server_manager import server_manager_instance

        cls.forget_client(target)
        server_manager_instance.release_server(target.uri)

    def _unavailable(self) -> IndexUnavailable:
        return IndexUnavailable(
            f"Index Milvus injoignable ({self.target.uri}) : {self.last_error}",
            f"Milvus index unreachable ({self.target.uri}): {self.last_error}",
        )

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """`client.<method>(*args, **kwargs)`, loading the collection first; a connection failure raises
        IndexUnavailable and drops the client (reconnected at the next call)."""
        client = self.client()
        try:
            if not self._ready and method not in ("create_collection", "has_collection", "drop_collection"):
                client.load_collection(self.name)
                self._ready = True
            result = getattr(client, method)(*args, **kwargs)
        except Exception as exc:
            from pymilvus.exceptions import MilvusException

            self.last_error = (str(exc).splitlines() or [type(exc).__name__])[0][:300]
            if isinstance(exc, MilvusException) and "connect" not in self.last_error.lower():
                raise
            self.forget_client(self.target)
            self._ready = False
            raise self._unavailable() from exc
        self.last_error = None
        return result

    def reachable(self) -> str | None:
        """None when Milvus answers and holds the collection, otherwise why not (for /health)."""
        try:
            if not self.call("has_collection", self.name):
                return f"collection {self.name} absente"
        except IndexUnavailable as exc:
            return exc.message_fr
        except Exception as exc:  # a probe reports any failure, never raises it
            return str(exc)[:300]
        return None

    # ------------------------------------------------------------------ schema
    def _create(self) -> None:
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        analyzer = SERVER_ANALYZER if self.target.analysis == "milvus" else PRE_ANALYSED
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=self.dim)
        schema.add_field(
            "text",
            DataType.VARCHAR,
            max_length=TEXT_MAX_CHARS,
            enable_analyzer=True,
            analyzer_params=analyzer,
        )
        schema.add_field("text_sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field(
            "raw",
            DataType.VARCHAR,
            max_length=TEXT_MAX_CHARS,
            enable_analyzer=True,
            analyzer_params=PRE_ANALYSED,
        )
        schema.add_field("raw_sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
        schema.add_field("kind", DataType.VARCHAR, max_length=64)
        for key in FACET_KEYS:
            schema.add_field(
                key, DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=64, max_length=256
            )
        for field in ("text", "raw"):
            schema.add_function(
                Function(
                    name=f"{field}_bm25",
                    function_type=FunctionType.BM25,
                    input_field_names=[field],
                    output_field_names=[f"{field}_sparse"],
                )
            )
        client = self.client()
        params = client.prepare_index_params()
        if self.target.lite:
            params.add_index("dense", index_type="FLAT", metric_type="IP")
        else:
            params.add_index(
                "dense", index_type="HNSW", metric_type="IP", params={"M": 32, "efConstruction": 80}
            )
        for field in ("text_sparse", "raw_sparse"):
            params.add_index(field, index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        self.call(
            "create_collection", self.name, schema=schema, index_params=params, consistency_level="Strong"
        )

    # ------------------------------------------------------------------ rows
    def insert(self, ids: Ids, vectors: npt.NDArray[np.float32], records: Sequence[PassageRecord]) -> None:
        """Insert one row per passage (ids are fresh: never reused)."""
        rows = []
        for pid, vector, rec in zip(ids, vectors, records, strict=True):
            text = rec.index_text()
            row: dict[str, Any] = {
                "id": int(pid),
                "dense": np.asarray(vector, dtype=np.float32).tolist(),
                "text": bm25_text(text, self.target.analysis)[: TEXT_MAX_CHARS // 4] or " ",
                "raw": raw_text(text)[: TEXT_MAX_CHARS // 4] or " ",
                "doc_id": rec.doc_id[:512],
                "kind": rec.kind[:64],
            }
            row.update(facet_slugs(rec))
            rows.append(row)
        for start in range(0, len(rows), 1000):
            self.call("insert", self.name, rows[start : start + 1000])

    def flush(self) -> None:
        """Seal the inserted rows into segments Milvus indexes (searches of growing rows scan them)."""
        self.call("flush", self.name)

    def delete(self, ids: Iterable[int]) -> None:
        """Delete rows by id (absent ids are ignored)."""
        wanted = sorted({int(i) for i in ids})
        for start in range(0, len(wanted), QUERY_BATCH):
            self.call("delete", self.name, ids=wanted[start : start + QUERY_BATCH])

    def ids(self) -> set[int]:
        """Every id the collection holds (empty when the collection does not exist)."""
        if not self.call("has_collection", self.name):
            return set()
        iterator = self.call(
            "query_iterator", self.name, batch_size=QUERY_BATCH, filter="id >= 0", output_fields=["id"]
        )
        found: set[int] = set()
        while True:
            batch = iterator.next()
            if not batch:
                iterator.close()
                return found
            found.update(int(row["id"]) for row in batch)

    def vectors(self, ids: Sequence[int]) -> dict[int, npt.NDArray[np.float32]]:
        """{id: dense vector} of the `ids` present."""
        out: dict[int, npt.NDArray[np.float32]] = {}
        wanted = [int(i) for i in ids]
        for start in range(0, len(wanted), QUERY_BATCH):
            chunk = wanted[start : start + QUERY_BATCH]
            rows = self.call(
                "query", self.name, filter=f"id in {json.dumps(chunk)}", output_fields=["id", "dense"]
            )
            for row in rows:
                out[int(row["id"])] = np.asarray(row["dense"], dtype=np.float32)
        return out

    def drop_others(self) -> list[str]:
        """Drop the index collections of this prefix other than this one (left by earlier rebuilds);
        returns their names. Only names `create` makes (`<prefix>_<time>_<suffix>`) are dropped: neither
        the embedding cache (`cache_…`, even under the prefix `cache`) nor the collections of a longer
        prefix (`<prefix>_x`, another deployment on the same Milvus)."""
        client = self.client()
        dropped = []
        mine = re.compile(re.escape(self.target.prefix) + INDEX_SUFFIX)
        for name in client.list_collections():
            if mine.fullmatch(name) and name != self.name:
                self.call("drop_collection", name)
                dropped.append(name)
        return dropped

    # ------------------------------------------------------------------ searches
    def search_dense(
        self, query: npt.NDArray[np.float32], limit: int, where: str = ""
    ) -> list[tuple[int, float]]:
        """(id, inner product) of the `limit` nearest rows, best first, optionally filtered by `where`."""
        found = self.call(
            "search",
            self.name,
            data=[np.asarray(query, dtype=np.float32).reshape(-1).tolist()],
            anns_field="dense",
            limit=min(limit, SEARCH_LIMIT),
            filter=where,
            search_params={"metric_type": "IP", "params": {"ef": max(128, min(limit, SEARCH_LIMIT))}},
            output_fields=["id"],
        )
        return [(int(hit["id"]), float(hit["distance"])) for hit in found[0]]

    def search_text(
        self, field: str, texts: Sequence[str], limit: int, where: str = ""
    ) -> list[list[tuple[int, float]]]:
        """For each text, (id, BM25 score) of the best rows on `field` ("text" or "raw"). Milvus-lite
        reports a BM25 score negated (a distance): scores are taken as absolute values."""
        asked = [t for t in texts if t.strip()]
        if not asked:
            return [[] for _ in texts]
        found = self.call(
            "search",
            self.name,
            data=asked,
            anns_field=f"{field}_sparse",
            limit=min(limit, SEARCH_LIMIT),
            filter=where,
            search_params={"metric_type": "BM25"},
            output_fields=["id"],
        )
        answers = iter(found)
        return [
            [(int(hit["id"]), abs(float(hit["distance"]))) for hit in next(answers)] if t.strip() else []
            for t in texts
        ]
