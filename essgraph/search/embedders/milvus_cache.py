"""Embedding cache in Milvus: the vectors already computed, shared by every process on the same Milvus."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from essgraph.search.embedders.base import Vectors
from essgraph.search.embedders.cache import EmbeddingCache
from essgraph.search.milvus_client import MilvusPassages, MilvusTarget

CACHE_PREFIX = "cache_"
"""Cache collections are named `cache_<prefix>_<model>`, never `<prefix>_<time>_<suffix>`, the only names
an index rebuild drops (`MilvusPassages.drop_others`), so rebuilding the index keeps every computed vector."""

_HASH_CHARS = 64  # a sha256 hex digest
_HASH = re.compile(r"[0-9a-f]{64}")


def cache_collection(prefix: str, model: str) -> str:
    """The cache collection of `model` under the index prefix `prefix` (Milvus names: letters, digits, _)."""
    return f"{CACHE_PREFIX}{prefix}_{re.sub(r'[^0-9A-Za-z]+', '_', model).strip('_').lower()}"


class MilvusEmbeddingCache(EmbeddingCache):
    """Vectors per model in one Milvus collection each (primary key: the text's sha256; the vector), so
    that two services, or ingest workers on other machines, on the same Milvus embed a text once.

    The collection is created at the first write, with the dimension of the vectors written; reads of a
    model never written return nothing. `batch` keys go in one query and vectors in one upsert (the
    setting `embedding_cache_batch`). Raises IndexUnavailable (HTTP 503) when Milvus does not answer.
    """

    def __init__(self, target: MilvusTarget, batch: int) -> None:
        if batch < 1:
            raise ValueError(f"batch must be at least 1, not {batch}")
        self.target = target
        self.batch = batch
        self._handles: dict[str, MilvusPassages] = {}
        self._existing: set[str] = set()  # collections seen: a cache collection is never dropped

    def _handle(self, model: str) -> MilvusPassages:
        name = cache_collection(self.target.prefix, model)
        found = self._handles.get(name)
        if found is None:
            found = self._handles[name] = MilvusPassages(self.target, name, 0)
        return found

    def _exists(self, handle: MilvusPassages) -> bool:
        """Whether the collection exists (asked until it does, then remembered)."""
        if handle.name not in self._existing and handle.call("has_collection", handle.name):
            self._existing.add(handle.name)
        return handle.name in self._existing

    def _create(self, handle: MilvusPassages, dim: int) -> None:
        """Create the collection of `handle` for vectors of `dim`; another process creating it first
        (both found it absent) is no error. Raises MilvusException for any other refusal."""
        from pymilvus import DataType, MilvusClient
        from pymilvus.exceptions import MilvusException

        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("hash", DataType.VARCHAR, is_primary=True, max_length=_HASH_CHARS)
        schema.add_field("vec", DataType.FLOAT_VECTOR, dim=dim)
        params = handle.client().prepare_index_params()
        # the cache is read by key, never searched: the cheapest index Milvus accepts to load it
        params.add_index("vec", index_type="FLAT", metric_type="IP")
        try:
            handle.call(
                "create_collection",
                handle.name,
                schema=schema,
                index_params=params,
                consistency_level="Strong",
            )
        except MilvusException:
            if not self._exists(handle):
                raise
        handle.dim = dim
        self._existing.add(handle.name)

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, Vectors]:
        """The cached vectors among `hashes` for `model`; returns {hash: vector}."""
        handle = self._handle(model)
        unique = [h for h in dict.fromkeys(hashes) if _HASH.fullmatch(h)]
        if not unique or not self._exists(handle):
            return {}
        found: dict[str, Vectors] = {}
        for start in range(0, len(unique), self.batch):
            chunk = unique[start : start + self.batch]
            # only hex digests reach the expression (checked above): nothing to escape. No expression
            # template (`filter_params`): milvus-lite refuses them (tested with milvus-lite 3.2)
            rows = handle.call(
                "query", handle.name, filter=f"hash in {json.dumps(chunk)}", output_fields=["hash", "vec"]
            )
            for row in rows:
                found[str(row["hash"])] = np.asarray(row["vec"], dtype=np.float32)
        return found

    def put_many(self, model: str, items: Sequence[tuple[str, Vectors]]) -> None:
        """Store vectors for `model` (upserted: writing a known text again changes nothing)."""
        if not items:
            return
        handle = self._handle(model)
        if not self._exists(handle):
            self._create(handle, int(np.asarray(items[0][1]).shape[0]))
        rows: list[dict[str, Any]] = [
            {"hash": h, "vec": np.asarray(v, dtype=np.float32).tolist()} for h, v in items
        ]
        for start in range(0, len(rows), self.batch):
            handle.call("upsert", handle.name, rows[start : start + self.batch])

    def count(self, model: str | None = None) -> int:
        """How many vectors are cached (for `model`, or in every cache collection of this prefix)."""
        if model is not None:
            handles = [self._handle(model)]
        else:
            client = MilvusPassages(self.target, "", 0).client()
            mine = cache_collection(self.target.prefix, "")
            handles = [
                MilvusPassages(self.target, n, 0) for n in client.list_collections() if n.startswith(mine)
            ]
        total = 0
        for handle in handles:
            if self._exists(handle):
                rows = handle.call("query", handle.name, filter="", output_fields=["count(*)"])
                total += int(rows[0]["count(*)"])
        return total

    def items(self, model: str) -> Iterator[tuple[str, Vectors]]:
        """Every (hash, vector) cached for `model`."""
        handle = self._handle(model)
        if not self._exists(handle):
            return
        iterator = handle.call(
            "query_iterator", handle.name, batch_size=self.batch, filter="", output_fields=["hash", "vec"]
        )
        while batch := iterator.next():
            for row in batch:
                yield str(row["hash"]), np.asarray(row["vec"], dtype=np.float32)
        iterator.close()

    def close(self) -> None:
        """Nothing to close: the Milvus client is the process's, shared with the index."""
        self._handles.clear()
