"""Small text helpers shared by every package: slugs and accent folding."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase `text` and strip accents ("Écossolies" -> "ecossolies"); returns the folded string."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slugify(text: str, max_len: int = 80) -> str:
    """A stable ASCII slug for IRIs and keys; never empty (falls back to "x")."""
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")
    return slug[:max_len].rstrip("-") or "x"
