"""Split a parsed document into small text units (paragraphs, list items) with lines, passage and box."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from essgraph.core.model import ParsedDocument

_LINK = re.compile(r"\[([^\]]*)\]\((?:#|[^)]*)\)")
_BOLD = re.compile(r"\*{1,3}([^*\n]+?)\*{1,3}")
_SUP = re.compile(r"\^[({]\s*(n°\s*\d+)\s*[)}]")
_HTML = re.compile(r"</?u>")
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_BULLET = re.compile(r"^\s*(?:[-•►✓]|\d+\.)\s+")
_DEPT_TAIL = re.compile(r"\(\s*(\d[0-9AB]?)\s*(?:/\s*(\d[0-9AB]?)\s*)?\)\s*$")
_LEAD = re.compile(r"^[^.!?]{2,80}:$")
_INFINITIVE = re.compile(r"^(?:[A-ZÉÀ][a-zéèêîôûç']+(?:er|ir|re|ser))\b")
_TERMINAL = re.compile(r"[.;:!?»)\],]\s*$")
_HEADING_STOP = re.compile(
    r"^(?:ressources pour aller plus loin|pour aller plus loin|plusieurs leviers|chiffres cl[ée]s|sommaire|"
    r"calendrier|objectifs|actions|contexte|partenaires|moyens|livrables|source|sources|r[ée]alisations|"
    r"quelques exemples|point d'attention)",
    re.IGNORECASE,
)


def clean(raw: str) -> str:
    """`raw` without Markdown damage (bold, dead links, superscripts), spaces collapsed; returns the text."""
    text = _HTML.sub("", raw)
    text = _SUP.sub(r" \1", text)
    text = _LINK.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")").replace("’", "'")
    return _SPACES.sub(" ", text).strip()


@dataclass(slots=True)
class Unit:
    """A paragraph or list item: raw and cleaned text, 1-based line span, passage and section indexes."""

    raw: str
    text: str
    start_line: int
    end_line: int
    passage: int
    section: int | None
    is_item: bool = False
    is_heading: bool = False
    box: int | None = None  # index of the heading unit of the example box holding this unit
    in_resources: bool = False
    context: list[str] = field(default_factory=list)  # the nearest preceding short headings
    lead: str | None = None  # the label line the unit's list hangs from ("Réalisations 2021 :")
    parent: str | None = None  # for an indented list item, the item it is nested under
    indented: bool = False


def departement_codes(text: str) -> list[str]:
    """The département codes written at the end of a heading, "(69)" or "(59 / 62)"; returns them."""
    match = _DEPT_TAIL.search(text)
    if not match:
        return []
    return [code for code in match.groups() if code]


def _looks_like_heading(text: str) -> bool:
    if not text or len(text) > 140 or (_TERMINAL.search(text) and not _DEPT_TAIL.search(text)):
        return False
    if text.startswith(("-", "•", "►", "✓")) or text.isupper():
        return False
    return not re.match(r"^[\d\s%,.+€-]+$", text)


def _is_box_heading(text: str) -> bool:
    """A heading that names an example (a place, an initiative), not a lever or a list title."""
    if _HEADING_STOP.match(text) or _INFINITIVE.match(text):
        return False
    if departement_codes(text):
        return True
    tokens = re.findall(r"[\wÀ-ÿ'’-]+", text)
    proper = [t for t in tokens[1:] if t[:1].isupper() and t not in {"ESS", "SCIC", "SIEG", "PTCE", "CAE"}]
    return bool(proper)


def build_units(doc: ParsedDocument) -> list[Unit]:
    """The units of `doc` in reading order, with their passage, section and example box; returns them.

    Paragraphs are runs of non-blank source lines; list items become units of their own; lines that
    are hard-wrapped (no terminal punctuation, next line starting in lower case) are joined.
    """
    lines = doc.source.split("\n")
    line_passage: dict[int, int] = {}
    line_section: dict[int, int | None] = {}
    for passage in doc.passages:
        for line in range(passage.start_line, passage.end_line + 1):
            line_passage.setdefault(line, passage.index)
            line_section.setdefault(line, passage.section)
    for section in doc.sections:
        for line in range(section.start_line, section.end_line + 1):
            if line_section.get(line) is None:
                line_section[line] = section.index

    def passage_of(line: int) -> int:
        if line in line_passage:
            return line_passage[line]
        for delta in range(1, 50):
            for cand in (line - delta, line + delta):
                if cand in line_passage:
                    return line_passage[cand]
        return 0

    units: list[Unit] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and lines[j + 1].strip():
            j += 1
        block = lines[i : j + 1]
        groups: list[tuple[int, int, list[str]]] = []
        for k, text_line in enumerate(block):
            lineno = i + k + 1
            starts_item = bool(_BULLET.match(text_line))
            if groups and not starts_item and not _starts_new_line(groups[-1][2][-1], text_line):
                first, _, parts = groups[-1]
                groups[-1] = (first, lineno, [*parts, text_line])
            else:
                groups.append((lineno, lineno, [text_line]))
        for start, end, parts in groups:
            raw = " ".join(p.strip() for p in parts)
            is_item = bool(_BULLET.match(parts[0]))
            text = clean(_BULLET.sub("", raw) if is_item else raw)
            if not text:
                continue
            units.append(
                Unit(
                    raw=raw,
                    text=text,
                    start_line=start,
                    end_line=end,
                    passage=passage_of(start),
                    section=line_section.get(start),
                    is_item=is_item,
                    indented=is_item and parts[0][:1].isspace(),
                )
            )
        i = j + 1
    _mark_structure(units)
    return units


def _starts_new_line(previous: str, line: str) -> bool:
    """Whether `line` starts a new unit rather than continuing the hard-wrapped `previous` line."""
    prev = previous.rstrip()
    if not prev:
        return True
    if prev.endswith((".", ":", ";", "!", "?", "»")) and line[:1].isupper():
        return True
    return bool(prev.endswith(",") is False and line[:1].isupper() and len(prev) < 60)


def _mark_structure(units: list[Unit]) -> None:
    box: int | None = None
    in_resources = False
    section: int | None = None
    headings: list[str] = []
    lead: str | None = None
    top_item: str | None = None
    for idx, unit in enumerate(units):
        if unit.section != section:
            section, box, in_resources, headings = unit.section, None, False, []
            lead, top_item = None, None
        if not unit.is_item:
            lead = unit.text if _LEAD.match(unit.text) else None
            top_item = None
        elif unit.indented:
            unit.parent = top_item
        else:
            top_item = unit.text
        unit.lead = lead if unit.is_item else None
        single = unit.start_line == unit.end_line and not unit.is_item
        if single and _looks_like_heading(unit.text):
            unit.is_heading = True
            in_resources = bool(re.match(r"^(?:ressources )?pour aller plus loin", unit.text, re.IGNORECASE))
            nxt = units[idx + 1] if idx + 1 < len(units) else None
            if _is_box_heading(unit.text) and nxt is not None and not _looks_like_heading(nxt.text):
                box = idx
            else:
                box = None
            headings = [*headings[-2:], unit.text]
        unit.box = box
        unit.in_resources = in_resources and not unit.is_heading
        unit.context = list(headings)
