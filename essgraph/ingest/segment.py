"""Segmentation: document -> sections (Kit fiches, fiches action, chapters, lists) -> passages with spans."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace

from essgraph.core.model import ListedItem, Passage, Section
from essgraph.core.text import FRENCH_MONTHS, fold
from essgraph.ingest.clean import CleanText, clean, clean_line, paragraphs

# --- document kinds and titles ---------------------------------------------------------------------------
TITLE_SCAN_LINES = 40  # the fallback title is looked for in this many non-empty lines at the top
KIND_SCAN_LINES = 8  # publication-kind rules look at this many non-empty lines at the top
MAX_HEADING_CHARS = 150  # longer lines are never headings
MIN_FILL = 0.5  # a passage shorter than this share of the target takes the next paragraph up to the cap
KIT_SERIES = "Kit MunicipalESS"
DENICHE_SERIES = "Déniché pour vous"

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-9]\d)\b")


@dataclass(slots=True)
class DocumentInfo:
    """What the title rules found: title, kind of publication, issue date, publisher."""

    title: str
    kind: str  # kit | rapport | compte-rendu | fiches-action | etude | records | generic
    issued: str | None = None
    publisher: str | None = None


def _nonempty_clean_lines(lines: list[str], limit: int) -> list[str]:
    """The first `limit` non-empty lines, cleaned of markup."""
    out: list[str] = []
    for raw in lines:
        text = clean_line(raw)
        if text:
            out.append(text)
            if len(out) >= limit:
                break
    return out


def detect_document(source: str, fallback: str, title_hint: str | None = None) -> DocumentInfo:
    """Title and kind of a document, derived from its text (RTES publication kinds recognised by
    patterns in the first lines; else the first Markdown heading, metadata title or first short line)."""
    lines = source.split("\n")
    head = _nonempty_clean_lines(lines, TITLE_SCAN_LINES)
    joined = " ".join(head[:KIND_SCAN_LINES])
    folded = fold(joined)
    issued = None
    date = re.search(rf"\b({'|'.join(FRENCH_MONTHS)})\s+(\d{{4}})\b", joined, re.IGNORECASE)
    if date:
        issued = f"{date.group(2)}-{FRENCH_MONTHS.index(date.group(1).lower()) + 1:02d}"
    publisher = None
    if re.search(r"\brtes\b|reseau des collectivites territoriales", fold(" ".join(head))):
        publisher = "RTES"
    if re.search(r"\bkit\b.{0,40}\bmunicipal\s*ess\b", folded):
        return DocumentInfo(KIT_SERIES, "kit", issued, publisher)
    m = re.search(r"\brapport\s+d'activite\s+(\d{4})\b", folded)
    if m:
        return DocumentInfo(f"Rapport d'activité {m.group(1)}", "rapport", issued or m.group(1), publisher)
    m = re.search(r"convention pluriannuelle d'objectifs\s*-\s*(\w+)", folded)
    if "compte rendu" in folded and m:
        years = sorted({int(y) for y in _YEAR.findall(" ".join(head[:6]))})
        span = f" {years[0]}-{years[-1]}" if len(years) >= 2 else ""
        org = m.group(1).upper()
        return DocumentInfo(f"Compte rendu CPO {org}{span}", "compte-rendu", issued, publisher)
    fiche_lines = [ln for ln in lines if re.match(r"^\s*fiche[- ]action\s+n°\s*\d+", fold(ln))]
    if len(fiche_lines) >= 3:
        counts = Counter(re.findall(r"\bActions\s+(\d{4})\b", source)) or Counter(_YEAR.findall(source))
        year = f" {counts.most_common(1)[0][0]}" if counts else ""
        return DocumentInfo(f"Fiches action{year}", "fiches-action", issued, publisher)
    first = head[0] if head else ""
    if "politique de la ville" in fold(first) and re.search(r"\bESS\b", first):
        return DocumentInfo("ESS et politique de la ville", "etude", issued, publisher)
    for raw in lines:
        if re.match(r"^\s*#\s+\S", raw):
            return DocumentInfo(clean_line(raw), "generic", issued, publisher)
    if title_hint:
        return DocumentInfo(" ".join(title_hint.split()), "generic", issued, publisher)
    for text in head:
        if len(text) <= MAX_HEADING_CHARS and re.search(r"[^\W\d_]{3}", text):
            return DocumentInfo(text, "generic", issued, publisher)
    return DocumentInfo(fallback, "generic", issued, publisher)


# --- line helpers ----------------------------------------------------------------------------------------
def line_starts(source: str) -> list[int]:
    """Char offset where each line of `source` starts (index 0 is line 1)."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", source))
    return starts


def line_of(starts: list[int], offset: int) -> int:
    """1-based line containing char `offset`."""
    return bisect_right(starts, offset)


_STOP = frozenset(
    "le la les l de des du d et a au aux en pour par sur son sa ses mon ma mes un une s ou dans avec".split()
)


def _tokens(text: str) -> set[str]:
    """Content words of a title (folded; "ESS" expanded), for fuzzy title matching."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    out: set[str] = set()
    for w in words:
        if w == "ess":
            out.update(("economie", "sociale", "solidaire"))
        elif w not in _STOP:
            out.add(w)
    return out


def title_match(title: str, line: str) -> float:
    """How well `line` matches `title`: the smaller of the two recalls of their content words (0..1)."""
    a, b = _tokens(title), _tokens(line)
    if not a or not b:
        return 0.0
    common = len(a & b)
    return min(common / len(a), common / len(b))


# --- section detection -------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Start:
    """A section start found in the source: 0-based line index plus its metadata."""

    line: int
    title: str
    kind: str
    number: int | None = None
    series: str | None = None
    label: str | None = None
    aliases: list[str] = field(default_factory=list)
    page: int | None = None  # the printed page the table of contents gives for this section


_TOC_GROUP = re.compile(r"^fiches?\s+(introductives?|leviers?|thematiques?)$")
_TOC_ENTRY = re.compile(r"^(?P<title>.+?)\s*\.{2,}\s*page\s*(?P<page>\d+)$", re.IGNORECASE)
_TOC_NUMBER = re.compile(r"\s*\([^()]*?n°\s*(\d+)\)\s*$")
_KIND_OF_GROUP = {"introductive": "introductive", "levier": "levier", "thematique": "thematique"}
KIT_MATCH_THRESHOLD = 0.75  # least title_match between a TOC title and a fiche's opening line


@dataclass(slots=True)
class _TocEntry:
    title: str
    kind: str
    page: int
    number: int | None
    line: int


def _read_kit_toc(clean_lines: list[str]) -> list[_TocEntry]:
    """The fiches listed in a Kit table of contents (groups introductives / leviers / thématiques)."""
    entries: list[_TocEntry] = []
    group: str | None = None
    for i, text in enumerate(clean_lines):
        g = _TOC_GROUP.match(fold(text))
        if g:
            group = _KIND_OF_GROUP[g.group(1).rstrip("s")]
            continue
        if group is None or not text:
            continue
        m = _TOC_ENTRY.match(text)
        if not m:
            if entries:
                break
            continue
        title = m.group("title")
        n = _TOC_NUMBER.search(title)
        number = int(n.group(1)) if n else None
        if n:
            title = title[: n.start()].strip()
        entries.append(_TocEntry(title, group, int(m.group("page")), number, i))
    used = {e.number for e in entries if e.number is not None}
    free = (k for k in range(1, len(entries) + 1) if k not in used)
    for e in entries:
        if e.number is None:
            e.number = next(free, None)
    return entries


def _kit_fiches(clean_lines: list[str], raw_lines: list[str], series: str) -> tuple[list[_Start], int]:
    """Fiche starts of a Kit (numbers and kinds from its TOC, bodies found in order); returns
    the starts and the line index after which back matter may begin."""
    toc = _read_kit_toc(clean_lines)
    if len(toc) < 2 or any(e.number is None for e in toc):
        return [], 0
    ordered = sorted(toc, key=lambda e: e.number or 0)
    pages = [e.page for e in ordered]
    if pages != sorted(pages):  # bodies are printed in number order: the TOC pages must agree
        return [], 0
    starts: list[_Start] = []
    cursor = max(e.line for e in toc) + 1
    for entry in ordered:
        for i in range(cursor, len(clean_lines)):
            text = clean_lines[i]
            if not text or len(text) > MAX_HEADING_CHARS or raw_lines[i].lstrip().startswith(("-", "•")):
                continue
            if title_match(entry.title, text) >= KIT_MATCH_THRESHOLD:
                aliases = [text] if fold(text) != fold(entry.title) else []
                label = f"{series} — fiche n°{entry.number} : {entry.title}"
                starts.append(
                    _Start(i, entry.title, entry.kind, entry.number, series, label, aliases, entry.page)
                )
                cursor = i + 1
                break
    if len(starts) != len(toc):
        return [], 0
    return starts, starts[-1].line + 1


_FICHE_ACTION = re.compile(r"^fiche[- ]action\s+n°\s*(\d+)\s*(?::\s*)?(.*)$", re.IGNORECASE)
_TOC_PAGE_TAIL = re.compile(r"\s*page\s*(\d+)\s*$", re.IGNORECASE)
_FIELD_LINE = re.compile(r"^(r[ée]f[ée]r[ée]nt|autres? contributeurs?|contexte|objectifs?)\b", re.IGNORECASE)
_AXIS_TITLE = re.compile(r"^AXE\s+(?:\d+|TRANSVERSAL)\s*:?\s*(\S.*)$")
_KEEP_UPPER = frozenset("ESS RTES ANCT ANRU SCIC SCOP PTCE CRESS QPV EPCI SIEG DSP MLC UE GT CA".split())
_CONTINUATION = frozenset(
    "de du des la le les et au aux en a l d un une pour par sur dans entre avec".split()
)


def sentence_case(text: str) -> str:
    """An ALL-CAPS heading in sentence case, acronyms kept ("LES 20 ANS DU RTES" -> "Les 20 ans du RTES")."""
    if any(c.islower() for c in text):
        return text
    words = []
    for k, word in enumerate(text.split()):
        bare = word.strip(",.:;()'’")
        if bare in _KEEP_UPPER:
            words.append(word)
        else:
            low = word.lower()
            words.append(low[:1].upper() + low[1:] if k == 0 else low)
    return " ".join(words)


def _fiches_action(clean_lines: list[str], series: str) -> tuple[list[_Start], set[int]]:
    """Fiche action starts (title from the summary when it has one); also returns summary lines."""
    toc_titles: dict[int, str] = {}
    toc_pages: dict[int, int] = {}
    toc_lines: set[int] = set()
    starts: list[_Start] = []
    axis_titles: dict[int, str] = {}
    axis: str | None = None
    for i, text in enumerate(clean_lines):
        a = _AXIS_TITLE.match(text)
        if a:
            axis = sentence_case(a.group(1))
            continue
        m = _FICHE_ACTION.match(text)
        if not m:
            continue
        if axis:
            axis_titles.setdefault(int(m.group(1)), axis)
        number, rest = int(m.group(1)), m.group(2).strip()
        tail = _TOC_PAGE_TAIL.search(text)
        if tail:
            toc_pages[number] = int(tail.group(1))
            title = _TOC_PAGE_TAIL.sub("", rest).strip()
            if title:
                toc_titles[number] = title
            toc_lines.add(i)
            continue
        body_title = rest
        if not body_title:
            for j in range(i + 1, min(i + 4, len(clean_lines))):
                if clean_lines[j]:
                    body_title = clean_lines[j] if len(clean_lines[j]) <= MAX_HEADING_CHARS else ""
                    break
        if _FIELD_LINE.match(body_title):
            body_title = ""
        title = toc_titles.get(number) or body_title or axis_titles.get(number) or f"n°{number}"
        aliases = [body_title] if body_title and body_title != title else []
        label = f"Fiche action n°{number} : {title}"
        starts.append(_Start(i, title, "fiche-action", number, series, label, aliases, toc_pages.get(number)))
    return starts, toc_lines


_ACTION_AXE = re.compile(r"^(ACTION|AXE)\b(\s+\d+|\s+TRANSVERSAL)?\b", re.IGNORECASE)
_DENICHE = re.compile(r"^d[ée]nich[ée]s?\s+pour\s+vous$", re.IGNORECASE)
_DENICHE_ITEM = re.compile(r"^\s*[-•]\s*fiches?\s+n°\s*(\d+)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_LIST_GROUP = re.compile(r"^\s*►\s*(.+?)\s*:?\s*$")
_COLLECTION = re.compile(r"^La collection\s+\S+$")


def is_generic_heading(raw: str, text: str) -> bool:
    """True for a line that reads as a heading: `#`, "ACTION n"/"AXE n", "Sommaire", a month name, a
    "La collection X" title, or a short ALL-CAPS line."""
    if not text or raw.lstrip().startswith(("-", "•", "►", "|")):
        return False
    if _ACTION_AXE.match(text) and (text.isupper() or ":" in text) and len(text) <= 2 * MAX_HEADING_CHARS:
        return True
    if len(text) > MAX_HEADING_CHARS:
        return False
    if raw.lstrip().startswith("#"):
        return True
    if fold(text) in ("sommaire", *(fold(m) for m in FRENCH_MONTHS)) or _COLLECTION.match(text):
        return True
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or any(c.islower() for c in letters):
        return False
    return len(letters) >= 0.6 * len(text.replace(" ", "")) and not text.endswith((",", ";"))


JUNK_LINE_CHARS = 2  # OCR leaves stray 1-2 character lines inside broken headings


def _continues(before: str, after: str) -> bool:
    """True when heading text `after` continues `before` (ends or starts with a linking word)."""
    last = fold(before.split()[-1]) if before.split() else ""
    first = fold(after.split()[0]) if after.split() else ""
    return last.strip("'’") in _CONTINUATION or first in _CONTINUATION


def _generic_starts(
    clean_lines: list[str], raw_lines: list[str], lo: int, hi: int, kind: str, skip: set[int]
) -> list[_Start]:
    """Generic headings between line indexes lo and hi; adjacent heading lines merge into one."""
    starts: list[_Start] = []
    i = lo
    while i < hi:
        if i in skip or not is_generic_heading(raw_lines[i], clean_lines[i]):
            i += 1
            continue
        j = i + 1
        parts = [clean_lines[i]]
        while j < hi:
            k = j  # a heading broken over lines, possibly across blank or 1-2 character junk lines
            while k < hi and len(clean_lines[k]) <= JUNK_LINE_CHARS and k - j <= 2:
                k += 1
            if k >= hi or k in skip or not is_generic_heading(raw_lines[k], clean_lines[k]):
                break
            if k > j and not _continues(parts[-1], clean_lines[k]):
                break
            if _ACTION_AXE.match(clean_lines[k]) or raw_lines[k].lstrip().startswith("#"):
                break
            parts.append(clean_lines[k])
            j = k + 1
        title = " ".join(parts)
        starts.append(_Start(i, title, kind))
        i = j
    return starts


def _deniche(
    clean_lines: list[str], raw_lines: list[str], lo: int, doc_title: str
) -> tuple[list[_Start], list[ListedItem]]:
    """The "Déniché pour vous" list after line `lo`: its section, the section after it, and its items."""
    starts: list[_Start] = []
    items: list[ListedItem] = []
    for i in range(lo, len(clean_lines)):
        if _DENICHE.match(clean_lines[i]):
            starts.append(
                _Start(
                    i,
                    DENICHE_SERIES,
                    "deniche",
                    series=DENICHE_SERIES,
                    label=f"{doc_title} — {DENICHE_SERIES}",
                )
            )
            group: str | None = None
            last = i
            for j in range(i + 1, len(raw_lines)):
                g = _LIST_GROUP.match(raw_lines[j])
                m = _DENICHE_ITEM.match(raw_lines[j])
                if g:
                    group = clean_line(g.group(1)).rstrip(" :")
                elif m:
                    title = clean_line(m.group(2)).rstrip(" .")
                    number = int(m.group(1))
                    items.append(
                        ListedItem(
                            DENICHE_SERIES,
                            number,
                            title,
                            f"{DENICHE_SERIES} n°{number} : {title}",
                            j + 1,
                            None,
                            group,
                        )
                    )
                    last = j
                elif clean_lines[j] and items:
                    break
            nxt = next((k for k in range(last + 1, len(clean_lines)) if clean_lines[k]), None)
            if nxt is not None:
                title = _short_title(clean_lines[nxt])
                starts.append(_Start(nxt, title, "partie"))
            break
    return starts, items


def _short_title(text: str, limit: int = 80) -> str:
    """`text` cut at a word boundary to about `limit` characters (with "…" when cut)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


@dataclass(slots=True)
class Segmentation:
    """Sections and listed items of a document (passages are made by `make_passages`)."""

    sections: list[Section]
    listed_items: list[ListedItem]


def _page_ranges(sections: list[Section], pages: list[int | None]) -> None:
    """Give each section the printed pages its table-of-contents entry implies: from its page to the page
    before the next listed section (the same page when both start on it); the last listed section's end
    is unknown (None). Sections the table does not list get no page: a guess would be a wrong citation."""
    listed = [(k, p) for k, p in enumerate(pages) if p is not None]
    for n, (k, first) in enumerate(listed):
        sections[k].first_page = first
        sections[k].last_page = max(first, listed[n + 1][1] - 1) if n + 1 < len(listed) else None


def find_sections(source: str, info: DocumentInfo) -> Segmentation:
    """Sections of `source`: Kit fiches from its TOC, fiches action, Déniché list, generic headings.

    Every line belongs to exactly one section; text before the first heading forms a first section
    titled after the document. Sections' start/end lines are 1-based and inclusive.
    """
    raw_lines = source.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    clean_lines = [clean_line(r) for r in raw_lines]
    generic_kind = "chapitre" if info.kind in ("rapport", "compte-rendu") else "partie"
    starts: list[_Start] = []
    items: list[ListedItem] = []
    fiches: list[_Start] = []
    back = 0
    if info.kind in ("kit", "generic"):
        fiches, back = _kit_fiches(clean_lines, raw_lines, info.title)
    if fiches:
        toc_line = next((i for i, t in enumerate(clean_lines) if fold(t) == "sommaire"), None)
        if toc_line is not None and toc_line < fiches[0].line:
            starts.append(_Start(toc_line, "Sommaire", "partie"))
        deniche, items = _deniche(clean_lines, raw_lines, back, info.title)
        end_generic = deniche[0].line if deniche else len(raw_lines)
        back_starts = [
            s
            for s in _generic_starts(clean_lines, raw_lines, back, end_generic, "partie", set())
            if not _ACTION_AXE.match(s.title)
        ]
        starts += fiches + back_starts + deniche
    elif info.kind == "fiches-action":
        fiches, toc_lines = _fiches_action(clean_lines, info.title)
        skip = set(toc_lines)
        if toc_lines:
            skip.update(range(0, max(toc_lines) + 1))
        generic = _generic_starts(clean_lines, raw_lines, 0, len(raw_lines), generic_kind, skip)
        fiche_lines = {f.line for f in fiches}
        merged: list[_Start] = []
        for g in generic:
            nxt = next((k for k in range(g.line + 1, len(clean_lines)) if clean_lines[k]), None)
            if nxt in fiche_lines:
                fiche = next(f for f in fiches if f.line == nxt)
                fiche.line = g.line  # the axis heading printed right above opens the fiche
            else:
                merged.append(g)
        if toc_lines:
            first = min(toc_lines)
            while first > 0 and (
                not clean_lines[first - 1] or is_generic_heading(raw_lines[first - 1], clean_lines[first - 1])
            ):
                first -= 1
            merged = [g for g in merged if g.line >= first]
            merged.append(_Start(first, "Sommaire", "partie"))
        starts = merged + fiches
    else:
        starts = _generic_starts(clean_lines, raw_lines, 0, len(raw_lines), generic_kind, set())
    starts.sort(key=lambda s: s.line)
    dedup: list[_Start] = []
    for s in starts:
        if dedup and dedup[-1].line == s.line:
            continue
        dedup.append(s)
    first_content = next((i for i, t in enumerate(raw_lines) if t.strip()), 0)
    if not dedup or dedup[0].line > first_content:
        dedup.insert(0, _Start(0, info.title, "partie"))
    else:
        dedup[0] = replace(dedup[0], line=0)
    sections: list[Section] = []
    last_line = max(1, len(raw_lines))
    for k, s in enumerate(dedup):
        end = dedup[k + 1].line if k + 1 < len(dedup) else last_line
        label = s.label or (s.title if s.title == info.title else f"{info.title} — {s.title}")
        sections.append(
            Section(
                index=k,
                title=s.title,
                kind=s.kind,
                start_line=s.line + 1,
                end_line=max(s.line + 1, end),
                number=s.number,
                series=s.series,
                label=label,
                aliases=list(s.aliases),
            )
        )
    _page_ranges(sections, [s.page for s in dedup])
    for item in items:
        item.section = next(
            (sec.index for sec in sections if sec.start_line <= item.line <= sec.end_line), None
        )
    return Segmentation(sections, items)


# --- passages ---------------------------------------------------------------------------------------------
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Ý«\"(])")


def _split_long(ct: CleanText, i: int, j: int, cap: int, target: int) -> list[tuple[int, int]]:
    """Cut the cleaned span [i, j) at sentence ends (else at spaces) into pieces of at most `cap`."""
    if j - i <= cap:
        return [(i, j)]
    cuts = [i] + [i + m.end() for m in _SENTENCE_SPLIT.finditer(ct.text[i:j])] + [j]
    pieces: list[tuple[int, int]] = []
    a = i
    for k in range(1, len(cuts)):
        b = cuts[k]
        if b - a > target and cuts[k - 1] > a:
            pieces.append((a, cuts[k - 1]))
            a = cuts[k - 1]
    pieces.append((a, j))
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        while b - a > cap:
            cut = ct.text.rfind(" ", a, a + cap)
            cut = cut if cut > a else a + cap
            out.append((a, cut))
            a = cut
            while a < b and ct.text[a].isspace():
                a += 1
        if b > a:
            out.append((a, b))
    return [(a, b) for a, b in ((_strip(ct, a, b)) for a, b in out) if b > a]


def _strip(ct: CleanText, a: int, b: int) -> tuple[int, int]:
    """[a, b) without surrounding whitespace."""
    while a < b and ct.text[a].isspace():
        a += 1
    while b > a and ct.text[b - 1].isspace():
        b -= 1
    return a, b


def source_span(source: str, ct: CleanText, i: int, j: int) -> tuple[int, int]:
    """Source span of the cleaned span [i, j), widened over markup deleted at its edges (same line)."""
    start, end = ct.source_span(i, j)
    prev_kept = ct.offsets[i - 1] if i > 0 else -1
    while start - 1 > prev_kept and not source[start - 1].isspace():
        start -= 1
    next_kept = ct.offsets[j] if j < len(ct.text) else len(source)
    while end < next_kept and not source[end].isspace():
        end += 1
    return start, end


def make_passages(
    source: str,
    sections: list[Section],
    target: int,
    cap: int,
    page_starts: list[int] | None = None,
    ct: CleanText | None = None,
) -> list[Passage]:
    """Passages of `source`: cleaned paragraphs packed up to about `target` chars (never over `cap`,
    never across a section), each with exact source lines, char offsets and page."""
    ct = ct if ct is not None else clean(source)
    starts = line_starts(source)
    sec_offsets = [
        starts[s.start_line - 1] if s.start_line - 1 < len(starts) else len(source) for s in sections
    ]
    boundaries = sorted({ct.index_at_or_after(o) for o in sec_offsets[1:]})
    pieces: list[tuple[int, int, int]] = []  # (i, j, section index)
    for i, j in paragraphs(ct):
        cuts = [i] + [b for b in boundaries if i < b < j] + [j]
        for a, b in itertools.pairwise(cuts):
            a, b = _strip(ct, a, b)
            if b <= a:
                continue
            sec = max(0, bisect_right(sec_offsets, ct.offsets[a]) - 1) if sections else 0
            for x, y in _split_long(ct, a, b, cap, target):
                pieces.append((x, y, sec))
    groups: list[list[tuple[int, int, int]]] = []
    for piece in pieces:
        if groups:
            cur = groups[-1]
            length = cur[-1][1] - cur[0][0]
            combined = piece[1] - cur[0][0]
            if cur[-1][2] == piece[2] and (
                combined <= target or (length < MIN_FILL * target and combined <= cap)
            ):
                cur.append(piece)
                continue
        groups.append([piece])
    passages: list[Passage] = []
    for group in groups:
        i, j, sec = group[0][0], group[-1][1], group[0][2]
        text = " ".join(" ".join(ct.text[a:b].split()) for a, b, _ in group)
        char_start, char_end = source_span(source, ct, i, j)
        page = None
        if page_starts:
            page = bisect_right(page_starts, char_start)
        passages.append(
            Passage(
                index=len(passages),
                text=text,
                start_line=line_of(starts, char_start),
                end_line=line_of(starts, char_end - 1),
                char_start=char_start,
                char_end=char_end,
                section=sections[sec].index if sections else None,
                page=page,
            )
        )
    return passages
