"""Cleaning of extracted text that keeps, for every kept character, its offset in the source text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

Piece = int | str  # a group number of the match to keep (with its source offsets), or a literal to insert
Replacement = Callable[[re.Match[str]], list[Piece]]

_SENTENCE_END = ".!?:;…»\"'”)]"
_LOWER_START = "a-zàâäçéèêëîïôöùûüÿœæ"


@dataclass(slots=True)
class CleanLink:
    """A link whose title was kept as text: `start`/`end` are offsets of the title in the source."""

    title: str
    target: str
    start: int
    end: int


@dataclass(slots=True)
class CleanText:
    """A cleaned string with a map back to the source.

    `offsets[i]` is the source offset of `text[i]`; `offsets[len(text)]` is the end of the cleaned
    source range (a sentinel). The map never decreases, so any cleaned span maps to one source span.
    Inserted characters map to the source offset of the character emitted just before them.
    """

    text: str
    offsets: list[int]
    links: list[CleanLink] = field(default_factory=list)

    @classmethod
    def of(cls, source: str, start: int = 0, end: int | None = None) -> CleanText:
        """The identity cleaning of `source[start:end]` (offsets are offsets into `source`)."""
        stop = len(source) if end is None else end
        return cls(source[start:stop], [*range(start, stop), stop])

    def to_source(self, i: int) -> int:
        """Source offset of cleaned position `i` (0 <= i <= len(text))."""
        return self.offsets[i]

    def source_span(self, i: int, j: int) -> tuple[int, int]:
        """Source span `(start, end)` of the cleaned span `text[i:j]` (j > i): from its first kept char
        to just after its last one."""
        return self.offsets[i], self.offsets[j - 1] + 1

    def index_at_or_after(self, source_offset: int) -> int:
        """The first cleaned position whose source offset is >= `source_offset` (len(text) if none)."""
        return bisect_right(self.offsets, source_offset - 1, 0, len(self.text))

    def sub(self, pattern: re.Pattern[str], repl: Replacement) -> CleanText:
        """Replace every match of `pattern` by the pieces `repl(match)` returns, carrying offsets along."""
        out: list[str] = []
        offs: list[int] = []
        pos = 0
        text, offsets = self.text, self.offsets
        for m in pattern.finditer(text):
            out.append(text[pos : m.start()])
            offs.extend(offsets[pos : m.start()])
            last = offsets[m.start()]
            for piece in repl(m):
                if isinstance(piece, int):
                    a, b = m.span(piece)
                    if a < 0:
                        continue
                    out.append(text[a:b])
                    offs.extend(offsets[a:b])
                    if b > a:
                        last = offsets[b - 1]
                else:
                    out.append(piece)
                    offs.extend([last] * len(piece))
            pos = m.end()
        out.append(text[pos:])
        offs.extend(offsets[pos:])
        return CleanText("".join(out), offs, list(self.links))


def _keep(*groups: int) -> Replacement:
    """A replacement keeping only the given groups."""
    return lambda m: list(groups)


# --- OCR damage (rtes-ess-politique-de-la-ville.txt): only unambiguous patterns ----------------------
_OCR_L_ESS = re.compile(r"\b[UT]['’]?(?=ESS\b)")  # UESS, TESS, U'ESS -> l'ESS
_OCR_L_ETAT = re.compile(r"\b[UT]['’]?E(?=tat\b)")  # UEtat -> l'État
_OCR_L_APOS = re.compile(r"\b[IU]['’](?=[AEIOUYÉÈÊaeiouyéèêh])")  # I'ESS, U'expérimentation -> l'
_OCR_BARE_APOS = re.compile(r"(?<=\s)['’](?=(?:ESS|Etat|État)\b)")  # "soutenir 'ESS" -> l'ESS

# --- Markdown extraction damage ------------------------------------------------------------------------
_SUPERSCRIPT = re.compile(r"[ \t]?\^(?:\(([^()\n]{1,40})\)|\{([^{}\n]{1,40})\})")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]*)\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_BULLET = re.compile(r"^([ \t]*)(?:[-•●▪►✓➔➢→*+]|\d{1,2}[.)])[ \t]+(?=\S)", re.MULTILINE)
_EMPHASIS = re.compile(r"\*+(?=\S)|(?<=\S)\*+")
_PAGE_BREAK_JOIN = re.compile(
    rf"^((?![ \t]*#)[^\n]*[^\s{re.escape(_SENTENCE_END)}])[ \t]*\n"
    rf"(?:[ \t\u00a0]*\n)+[ \t\u00a0]*(?=[{_LOWER_START}])",
    re.MULTILINE,
)
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_LINE_EDGE = re.compile(r" ?\n ?")
_BLANK_RUN = re.compile(r"\n{3,}")


def fix_ocr(ct: CleanText) -> CleanText:
    """Repair the safe OCR patterns: "UESS"/"TESS"/"I'ESS" -> "l'ESS", "UEtat" -> "l'État"."""
    ct = ct.sub(_OCR_L_ESS, lambda m: ["l'"])
    ct = ct.sub(_OCR_L_ETAT, lambda m: ["l'É"])
    ct = ct.sub(_OCR_L_APOS, lambda m: ["l'"])
    return ct.sub(_OCR_BARE_APOS, lambda m: ["l'"])


def strip_links(ct: CleanText) -> CleanText:
    """`[title](target)` -> `title` and `<url>` -> `url`; every link title is recorded in `ct.links`."""
    links = list(ct.links)
    for m in _LINK.finditer(ct.text):
        start, end = ct.source_span(m.start(1), m.end(1))
        links.append(CleanLink(title=m.group(1), target=m.group(2), start=start, end=end))
    out = ct.sub(_LINK, _keep(1)).sub(_AUTOLINK, _keep(1))
    out.links = links
    return out


def clean_inline(ct: CleanText) -> CleanText:
    """Markup that lives inside a line: superscript cross-references, links, emphasis, OCR damage."""
    ct = fix_ocr(ct)
    ct = ct.sub(_SUPERSCRIPT, lambda m: [" (", 1 if m.group(1) is not None else 2, ")"])
    ct = strip_links(ct)
    return ct.sub(_EMPHASIS, lambda m: [])


def clean(source: str, start: int = 0, end: int | None = None) -> CleanText:
    """Clean `source[start:end]` into paragraphs separated by one blank line (`\\n\\n`).

    Inline markup is removed (see `clean_inline`), heading and bullet markers dropped, sentences split
    across a blank line at a page break joined (previous line does not end a sentence, next one starts
    lowercase), spaces collapsed and lines inside a paragraph kept as single `\\n`.
    Returns a `CleanText` whose offsets point into `source`.
    """
    ct = clean_inline(CleanText.of(source, start, end))
    ct = ct.sub(_PAGE_BREAK_JOIN, lambda m: [1, " "])
    ct = ct.sub(_HEADING, lambda m: [])
    ct = ct.sub(_BULLET, _keep(1))
    ct = ct.sub(_INLINE_SPACE, lambda m: [" "])
    ct = ct.sub(_LINE_EDGE, lambda m: ["\n"])
    return ct.sub(_BLANK_RUN, lambda m: ["\n\n"])


def clean_line(text: str) -> str:
    """A single line without markup and with collapsed spaces (for headings and titles)."""
    ct = clean_inline(CleanText.of(text)).sub(_HEADING, lambda m: []).sub(_BULLET, _keep(1))
    return " ".join(ct.text.split())


def paragraphs(ct: CleanText) -> list[tuple[int, int]]:
    """Cleaned spans `(i, j)` of the non-empty paragraphs of `ct` (separated by blank lines)."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", ct.text):
        i, j = m.span()
        while i < j and ct.text[i].isspace():
            i += 1
        while j > i and ct.text[j - 1].isspace():
            j -= 1
        if j > i:
            spans.append((i, j))
    return spans
