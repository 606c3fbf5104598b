"""Writes the shipped token-state basis (embedders.word_basis) from the thesaurus's texts.

Usage: python -m essgraph.search.embedders.build_word_basis [PATH]   (default: the package's file)

Run only when the encoder, its layer or the basis's size change: a new file renames the token states, so
every index must be rebuilt (`essgraph reindex`) and every home's cached states are computed again.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from essgraph.search.embedders.e5_onnx import E5OnnxEmbedder
from essgraph.search.embedders.word_basis import BASIS_DIMS, basis_path, basis_texts, fit_basis


def compute_basis(embedder: E5OnnxEmbedder, dims: int = BASIS_DIMS) -> npt.NDArray[np.float32]:
    """The basis fitted on the content tokens' full-size states of `basis_texts()` by `embedder`."""
    return fit_basis(embedder.content_states(basis_texts()), dims)


def main(argv: Sequence[str] | None = None) -> int:
    """Compute the basis and write it (.npy) to the path given or to the package's file; returns 0."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else basis_path()
    basis = compute_basis(E5OnnxEmbedder())
    target.parent.mkdir(parents=True, exist_ok=True)
    np.save(target, basis)
    print(f"{target}: {basis.shape[0]} × {basis.shape[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
