"""Small text helpers shared by every package: slugs and accent folding."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


# Ligatures and the typographic apostrophe spelled out, for matching labels against texts.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'", "ß": "ss"})


def strip_accents(text: str, expand_ligatures: bool = False) -> str:
    """`text` without its accents (case kept), ligatures spelled out when asked ("Œuvre" -> "OEuvre")."""
    if expand_ligatures:
        text = text.translate(LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lowercase `text` and strip accents ("Écossolies" -> "ecossolies"); returns the folded string."""
    return strip_accents(text).lower()


def fold_label(text: str) -> str:
    """`fold` with ligatures spelled out, for thesaurus labels and the texts matched against them
    ("Économie" -> "economie", "cœur" -> "coeur")."""
    return strip_accents(text, expand_ligatures=True).lower()


def slugify(text: str, max_len: int = 80) -> str:
    """A stable ASCII slug for IRIs and keys; never empty (falls back to "x")."""
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")
    return slug[:max_len].rstrip("-") or "x"
