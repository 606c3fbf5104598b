"""Small text helpers shared by every package: accent folding (the one fold) and slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# Ligatures and the typographic apostrophe spelled out, so that "cœur" meets "coeur" and "l’œil" "l'oeil".
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'", "ß": "ss"})


def strip_accents(text: str) -> str:
    """`text` without its accents, ligatures spelled out, case kept ("Œuvre é" -> "OEuvre e")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """The one folding of the project: lowercase, accents stripped, ligatures and ’ spelled out
    ("Écossolies" -> "ecossolies", "Cœur" -> "coeur"); for slugs, matching, tokens and keys.

    The folded text may be longer than `text` ("œ" -> "oe", "ﬁ" -> "fi"): to find spans of `text` by
    matching its folded form, use `fold_with_offsets`."""
    return strip_accents(text).lower()


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


class FoldedText:
    """`fold(text)` (character by character) with the way back: `span` turns a match in the folded text
    into the span of the original `text` it was folded from."""

    __slots__ = ("_origin", "original", "text")

    def __init__(self, text: str) -> None:
        pieces = [_fold_char(c) for c in text]
        self.original = text
        self.text = "".join(pieces)
        # for each folded character, the offset of the character of `text` it comes from
        self._origin = [i for i, piece in enumerate(pieces) for _ in piece]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The (start, end) in the original text of the folded text's [start, end); a character
        folded into several ("œ" -> "oe") is taken whole, and so are the accents that follow the last
        character (combining marks of a decomposed text)."""
        if start >= end:
            at = self._origin[start] if start < len(self._origin) else len(self.original)
            return at, at
        first = self._origin[start]
        last = self._origin[end - 1] + 1
        if end < len(self._origin):
            last = max(last, self._origin[end])
        else:
            last = len(self.original)
        return first, last


def fold_with_offsets(text: str) -> FoldedText:
    """`text` folded as `fold` does, with the offsets back into `text` (see `FoldedText.span`)."""
    return FoldedText(text)


FRENCH_MONTHS: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""The month names, January first."""

MONTH_PATTERN = "|".join(m.replace("é", "[ée]").replace("û", "[ûu]") for m in FRENCH_MONTHS)
"""A regular-expression alternation of the month names, accents optional ("f[ée]vrier")."""


def slugify(text: str, max_len: int = 80) -> str:
    """A stable ASCII slug for IRIs and keys; never empty (falls back to "x")."""
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")
    return slug[:max_len].rstrip("-") or "x"


def int_or_none(value: str | None) -> int | None:
    """The integer written in `value`, the text of a SPARQL literal ("12", "12.0"); None when it is
    absent, empty or not a number."""
    if not value:
        return None
    try:
        return int(float(value))
    except (ValueError, OverflowError):  # "abc", "NaN", "INF"
        return None
