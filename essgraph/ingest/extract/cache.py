"""Memoised text folding: extraction folds the same short strings many times."""

from __future__ import annotations

from functools import lru_cache

from essgraph.core.text import fold as _fold


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """`essgraph.core.text.fold(text)`, memoised; returns the folded string."""
    return _fold(text)
