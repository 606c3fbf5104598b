"""The fixed basis compact token states (settings.word_states "compact") are projected on.

Why: at the encoder's 384 dimensions a passage's token states weigh ~59 KB (int8, on the corpus), 4.2 GB
at 100 000 passages; the word-by-word match ranks nearly the same on the main directions of the encoder's
word space (docs/BENCHMARKS.md, "Compact token states"). The basis is the first `BASIS_DIMS` right
singular vectors of the content tokens' states of the thesaurus's own texts (labels, definitions,
everyday wordings): the domain's language, the same for every home and machine. It ships with the
package (`data/e5_word_basis.npy`), so states are comparable wherever they were computed; its name
(dimensions and a digest of its rows) is part of the states' name, so states of another basis are never
mixed with these. `python -m essgraph.search.embedders.build_word_basis` writes it again;
tests/search/test_word_basis.py checks that the shipped file keeps as much of the thesaurus's states as
a new fit (an edit of the thesaurus need not rebuild it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import numpy.typing as npt

from essgraph.ontology.thesaurus import load_thesaurus

BASIS_DIMS = 128
"""Directions kept, of 384: on the 455 cross-validation questions (bench/search_word_states.py) 96 and 128
rank as the full states within noise, 48 and 64 a little lower; 128, the in-sample best at the default
weight, keeps the most of each word for a third of the size."""


def basis_path() -> Path:
    """Where the shipped basis is (a file of the installed package)."""
    return Path(str(files("essgraph.search.embedders") / "data" / "e5_word_basis.npy"))


def basis_texts() -> list[str]:
    """The texts whose token states the basis is fitted on: each thesaurus concept's preferred label,
    definition, other and everyday labels, one text per concept (in the thesaurus's order)."""
    texts = []
    for concept in load_thesaurus().concepts:
        parts = [concept.pref_label, concept.definition or "", *concept.alt_labels, *concept.usage_labels]
        texts.append(" ; ".join(part for part in parts if part))
    return texts


def fit_basis(states: Sequence[npt.NDArray[np.float32]], dims: int = BASIS_DIMS) -> npt.NDArray[np.float32]:
    """The first `dims` right singular vectors (rows, unit length) of the token-state rows `states`, not
    centred (a cosine is read in the projection); each row's sign set so that its largest component is
    positive, so that the same states give the same file. Raises ValueError for fewer rows than `dims`."""
    rows = np.concatenate([np.asarray(s, dtype=np.float64) for s in states])
    if rows.shape[0] < dims:
        raise ValueError(f"{rows.shape[0]} token states cannot give {dims} directions")
    _, _, vt = np.linalg.svd(rows, full_matrices=False)
    basis = vt[:dims]
    peaks = np.abs(basis).argmax(axis=1)
    basis *= np.sign(basis[np.arange(dims), peaks])[:, np.newaxis]
    return basis.astype(np.float32)


DIGEST_CHARS = 8
"""Hex digits of a digest kept in a states' name: enough to tell two bases (or filters) apart."""


@cache
def load_basis(path: Path | None = None) -> npt.NDArray[np.float32]:
    """The (dims, 384) float32 rows of the shipped basis (or of `path`), read-only. Raises OSError when the
    file cannot be read, ValueError when it holds no array."""
    basis = np.load(path or basis_path()).astype(np.float32)
    basis.flags.writeable = False  # shared by every embedder of the process
    return basis


def basis_name(basis: npt.NDArray[np.float32]) -> str:
    """The name that tells a basis apart: "pca128-" and the first hex digits of its rows' SHA-256."""
    digest = hashlib.sha256(np.ascontiguousarray(basis, dtype="<f4").tobytes()).hexdigest()
    return f"pca{basis.shape[0]}-{digest[:DIGEST_CHARS]}"
