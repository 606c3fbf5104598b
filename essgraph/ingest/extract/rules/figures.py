"""Rule family "figures": key figures of a unit and the figures of a publication (copies, downloads)."""

from __future__ import annotations

import re

from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.rules.common import MONTHS
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import Unit

_KEYFIG_LINE = re.compile(
    r"^(?:plus de |pr[èe]s de |environ |entre \d{4} et \d{4},? )?[+-]?\s?\d[\d\s,.]*\s?(?:%|millions?|\w)",
    re.IGNORECASE,
)

# Words after a number that are no counted noun ("2023 en quelques chiffres", "20 à 30 …").
_NOT_COUNTED = frozenset(
    {"en", "de", "du", "des", "et", "au", "aux", "le", "la", "les", "à", "a", "ou", "sur"}
)

_PUB_FIGURE = re.compile(
    r"(?:[ée]dit[ée]e?s?|imprim[ée]e?s?|tir[ée]e?s?)\s+(?:[àa]|en)\s+(\d[\d\s\u202f]*\d|\d)\s*exemplaires"
    r"|(\d[\d\s\u202f]*\d|\d)\s*exemplaires\s+(?:imprim|[ée]dit|distribu)"
    r"|(?:t[ée]l[ée]charg[ée]e?s?|consult[ée]e?s?)\b[^.;\d]{0,60}?(\d[\d\s\u202f]*\d|\d)\s*fois"
    r"|(\d[\d\s\u202f]*\d|\d)\s*t[ée]l[ée]chargements",
    re.IGNORECASE,
)

_AS_OF = re.compile(
    r"\(?\s*au\s+(?:\d{1,2}[./]\d{1,2}[./](20\d\d)|\d{1,2}(?:er)?\s+[a-zéû]+\s+(20\d\d))", re.IGNORECASE
)


VERSION = "2"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class FigureRules(DocumentContext):
    """Key figures of a unit and the figures of a publication (copies, downloads)."""

    def _key_figures(self, idx: int, unit: Unit) -> None:
        section = self.sections.get(unit.section) if unit.section is not None else None
        if section is None or len(unit.text) > 260 or (unit.is_heading and not _KEYFIG_LINE.match(unit.text)):
            return
        if not _KEYFIG_LINE.match(unit.text) or re.fullmatch(r"\d{4}", unit.text):
            return
        if not re.search(r"[a-zé]{3,}", unit.text):
            return
        # a figure counts something: the number is followed by a per cent sign or a lower-case counted noun
        # ("18 fiches", "3 %"); a number before a capitalised name, a symbol or a month is a calendar day
        # or a date ("14 Journée …", "07/07/2022 - …", "11&12 Rencontre …", "26 novembre"), not a figure
        value = re.search(r"(\d[\d\s,.]*)\s*(%|millions?|[a-zé]+)?", unit.text)
        if (
            not value
            or not value.group(2)
            or fold(value.group(2)) in MONTHS
            or value.group(2) in _NOT_COUNTED
        ):
            return
        about = (
            next((m.key for m in self.mentions[idx] if m.etype != "Law"), None) or f"@section/{section.index}"
        )
        self._keyfigure(about, value.group(1).strip(), value.group(2) or "", unit.text, unit.passage)

    def _publication_figures(self, idx: int, unit: Unit) -> None:
        """Print runs, downloads and consultations ("édité à 750 exemplaires", "téléchargé 168 fois") as key
        figures of the publication named nearest before them (in this unit or the two before it)."""
        text = unit.text
        for m in _PUB_FIGURE.finditer(text):
            pubs = [x for x in self.mentions[idx] if x.etype == "Publication" and x.start <= m.start()]
            target = max(pubs, key=lambda x: x.start).key if pubs else self._recent_publication(idx)
            if target is None:
                continue
            value = next(g for g in m.groups() if g)
            word = fold(m.group(0))
            kind = (
                "exemplaires"
                if "exemplaire" in word
                else ("consultations" if "consult" in word else "téléchargements")
            )
            starts = [text.rfind(sep, 0, m.start()) for sep in (". ", "; ")]
            begin = max(starts) + 2 if max(starts) >= 0 else 0
            ends = [i for i in (text.find(". ", m.end()), text.find("; ", m.end())) if i >= 0]
            clause = text[begin : min(ends) if ends else len(text)].strip(" .;")
            when = _AS_OF.search(text[m.end() : m.end() + 60])
            self._keyfigure(
                target,
                value,
                kind,
                clause,
                unit.passage,
                year=(when.group(1) or when.group(2)) if when else None,
            )

    def _recent_publication(self, idx: int) -> str | None:
        """The last publication named in the two units before `idx` (same section), or None."""
        for j in range(idx - 1, max(-1, idx - 3), -1):
            if self.units[j].section != self.units[idx].section:
                break
            pubs = [m for m in self.mentions[j] if m.etype == "Publication"]
            if pubs:
                return max(pubs, key=lambda x: x.start).key
        return None
