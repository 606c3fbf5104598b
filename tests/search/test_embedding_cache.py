"""Embedding caches: the SQLite file of an embedded home and the Milvus collection shared by every process
on one Milvus (real milvus-lite), behind one base class chosen by the index setting."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from essgraph.core.settings import Settings
from essgraph.search.embedders import (
    SQLITE_CACHE_FILE,
    EmbeddingCache,
    SqliteEmbeddingCache,
    make_embedding_cache,
    seed_embedding_cache,
    text_hash,
)
from essgraph.search.milvus_client import MilvusPassages, milvus_target

pytest.importorskip("milvus_lite")

MODEL = "modele-de-test"
TEXTS = ("La SCIC réunit habitants et commune.", "Une régie de quartier à Lille.", "Monnaie locale")


def _vectors(n: int, dim: int = 16, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


def _milvus_settings(tmp_path: Path, name: str = "home", **values: object) -> Settings:
    return Settings(
        home=tmp_path / name,
        index="milvus",
        milvus_uri=str(tmp_path / "milvus" / "shared.db"),
        **values,  # type: ignore[arg-type]
    )


@pytest.fixture(params=["sqlite", "milvus"])
def cache(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmbeddingCache]:
    settings = Settings(home=tmp_path / "home") if request.param == "sqlite" else _milvus_settings(tmp_path)
    made = make_embedding_cache(settings)
    yield made
    made.close()


def test_the_factory_follows_the_index_setting(tmp_path: Path) -> None:
    from essgraph.search.embedders.milvus_cache import MilvusEmbeddingCache

    embedded = Settings(home=tmp_path / "a")
    local = make_embedding_cache(embedded)
    assert isinstance(local, SqliteEmbeddingCache)
    assert local.path == embedded.cache_dir / SQLITE_CACHE_FILE
    local.close()
    assert isinstance(make_embedding_cache(_milvus_settings(tmp_path)), MilvusEmbeddingCache)


def test_vectors_come_back_exactly_and_misses_are_absent(cache: EmbeddingCache) -> None:
    hashes = [text_hash(t) for t in TEXTS]
    vectors = _vectors(len(TEXTS))
    assert cache.get_many(MODEL, hashes) == {}  # nothing written yet (no collection, no row)
    cache.put_many(MODEL, list(zip(hashes[:2], vectors[:2], strict=True)))
    found = cache.get_many(MODEL, hashes)
    assert set(found) == set(hashes[:2])
    for h, v in zip(hashes[:2], vectors[:2], strict=True):
        assert found[h].dtype == np.float32
        np.testing.assert_array_equal(found[h], v)
    assert cache.count(MODEL) == 2
    assert cache.get_many("un-autre-modele", hashes) == {}
    # writing a known text again changes nothing
    cache.put_many(MODEL, [(hashes[0], vectors[0])])
    assert cache.count(MODEL) == 2
    assert sorted(h for h, _ in cache.items(MODEL)) == sorted(hashes[:2])


def test_lookups_and_writes_larger_than_one_batch_are_cut_into_batches(tmp_path: Path) -> None:
    settings = _milvus_settings(tmp_path, embedding_cache_batch=2)
    cache = make_embedding_cache(settings)
    texts = [f"passage {i}" for i in range(7)]
    hashes = [text_hash(t) for t in texts]
    vectors = _vectors(len(texts))
    cache.put_many(MODEL, list(zip(hashes, vectors, strict=True)))  # 4 upserts of at most 2 rows
    found = cache.get_many(MODEL, [*hashes, text_hash("absent"), hashes[0]])  # 5 queries, one key twice
    assert set(found) == set(hashes)
    np.testing.assert_array_equal(np.stack([found[h] for h in hashes]), vectors)
    assert sorted(h for h, _ in cache.items(MODEL)) == sorted(hashes)  # read back 2 rows at a time
    cache.close()


@pytest.mark.parametrize("prefix", ["essgraph", "cache"])
def test_an_index_rebuild_keeps_the_cache_and_other_deployments_collections(
    tmp_path: Path, prefix: str
) -> None:
    settings = _milvus_settings(tmp_path, milvus_collection=prefix)
    target = milvus_target(settings)
    assert target is not None
    hashes = [text_hash(t) for t in TEXTS]
    cache = make_embedding_cache(settings)
    cache.put_many(MODEL, list(zip(hashes, _vectors(len(TEXTS)), strict=True)))
    # another deployment on the same Milvus whose prefix extends this one
    neighbour = milvus_target(_milvus_settings(tmp_path, milvus_collection=f"{prefix}_x"))
    assert neighbour is not None
    other = MilvusPassages.create(neighbour, 16)
    old = MilvusPassages.create(target, 16)
    new = MilvusPassages.create(target, 16)  # a rebuild: a new collection, the older ones dropped after
    assert new.drop_others() == [old.name]
    names = set(new.client().list_collections())
    assert old.name not in names
    assert {new.name, other.name} <= names
    again = make_embedding_cache(settings)  # as a service started after the rebuild would read it
    assert set(again.get_many(MODEL, hashes)) == set(hashes)
    again.close()
    cache.close()


def test_a_cache_collection_another_process_created_first_is_used(tmp_path: Path) -> None:
    from essgraph.search.embedders.milvus_cache import MilvusEmbeddingCache

    settings = _milvus_settings(tmp_path)
    first, second = make_embedding_cache(settings), make_embedding_cache(settings)
    assert isinstance(second, MilvusEmbeddingCache)
    hashes = [text_hash(t) for t in TEXTS]
    assert second.get_many(MODEL, hashes) == {}  # absent for both
    first.put_many(MODEL, [(hashes[0], _vectors(1)[0])])
    # both found the collection absent and both create it: the second creation is no error
    second._create(second._handle(MODEL), 16)
    second.put_many(MODEL, [(hashes[1], _vectors(2)[1])])
    assert set(first.get_many(MODEL, hashes)) == set(hashes[:2])
    first.close()
    second.close()


def _seeded_milvus_home(tmp_path: Path) -> Settings:
    """A Milvus home seeded from an embedded home's SQLite cache holding TEXTS' vectors (all copied)."""
    source = SqliteEmbeddingCache(tmp_path / "embarque" / SQLITE_CACHE_FILE)
    source.put_many(MODEL, [(text_hash(t), v) for t, v in zip(TEXTS, _vectors(len(TEXTS)), strict=True)])
    source.close()
    settings = _milvus_settings(tmp_path)
    assert seed_embedding_cache(settings, tmp_path / "embarque" / SQLITE_CACHE_FILE) == len(TEXTS)
    return settings


def test_a_home_seeded_from_an_embedded_cache_embeds_none_of_its_texts_again(tmp_path: Path) -> None:
    settings = _seeded_milvus_home(tmp_path)
    hashes = [text_hash(t) for t in TEXTS]
    shared = make_embedding_cache(settings)
    assert set(shared.get_many(MODEL, hashes)) == set(hashes)
    shared.close()


WRITER = """
import sys
from pathlib import Path
import numpy as np
from essgraph.core.settings import Settings
from essgraph.search.embedders import make_embedding_cache, text_hash
settings = Settings(home=Path(sys.argv[1]), index="milvus", milvus_uri=sys.argv[2])
texts = sys.argv[4:]
vectors = np.random.default_rng(3).standard_normal((len(texts), 16)).astype(np.float32)
make_embedding_cache(settings).put_many(sys.argv[3], [(text_hash(t), v) for t, v in zip(texts, vectors)])
"""


def _in_another_process(script: str, home: Path, uri: str) -> subprocess.CompletedProcess[str]:
    """Run `script` in a new Python process with its own `home`, the Milvus `uri`, MODEL and TEXTS."""
    return subprocess.run(
        [sys.executable, "-c", script, str(home), uri, MODEL, *TEXTS],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_vectors_written_by_another_process_with_another_home_are_read_here(tmp_path: Path) -> None:
    reader = _milvus_settings(tmp_path, "lecteur")
    target = milvus_target(reader)
    assert target is not None
    done = _in_another_process(WRITER, tmp_path / "ecrivain", target.uri)
    assert done.returncode == 0, done.stderr[-2000:]
    writer_home = Settings(home=tmp_path / "ecrivain")
    assert not (writer_home.cache_dir / SQLITE_CACHE_FILE).exists()  # nothing in the writer's home
    cache = make_embedding_cache(reader)
    found = cache.get_many(MODEL, [text_hash(t) for t in TEXTS])
    cache.close()
    assert len(found) == len(TEXTS)
    np.testing.assert_array_equal(np.stack([found[text_hash(t)] for t in TEXTS]), _vectors(len(TEXTS)))
    assert not reader.cache_dir.joinpath(SQLITE_CACHE_FILE).exists()


READER = """
import sys
from pathlib import Path
from essgraph.core.settings import Settings
from essgraph.search.embedders import make_embedding_cache, text_hash
settings = Settings(home=Path(sys.argv[1]), index="milvus", milvus_uri=sys.argv[2])
print(len(make_embedding_cache(settings).get_many(sys.argv[3], [text_hash(t) for t in sys.argv[4:]])))
"""


def test_a_seeded_milvus_lite_file_is_left_to_the_process_that_ingests(tmp_path: Path) -> None:
    # milvus-lite keeps a server for its file in the process that opened it (closing the client does not
    # stop it): seeding, done before an ingest is started in another process, must hand the file over
    target = milvus_target(_seeded_milvus_home(tmp_path))
    assert target is not None
    done = _in_another_process(READER, tmp_path / "ingest", target.uri)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == str(len(TEXTS))
