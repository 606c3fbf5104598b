"""The shared context of one document's extraction: units, mentions, registry, output, shared helpers."""

from __future__ import annotations

import re
from typing import Any

from essgraph.core.model import Extraction, ParsedDocument, Relation, Section
from essgraph.core.settings import Settings
from essgraph.core.text import slugify
from essgraph.ingest.extract.assertion import unasserted
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.clauses import DocumentSubject, document_subject
from essgraph.ingest.extract.frameworks import with_agreement
from essgraph.ingest.extract.mentions import Mention, Recogniser
from essgraph.ingest.extract.names import (
    plausible_initiative_name,
    tidy_name,
)
from essgraph.ingest.extract.numbers import num as _num
from essgraph.ingest.extract.registry import Registry
from essgraph.ingest.extract.rules.common import (
    PRODUCES,
    SUPPORT_CUE,
    sentence_spans,
    thesaurus_org_aliases,
)
from essgraph.ingest.extract.units import Unit


class DocumentContext:
    """The state of one document's extraction and the helpers the rule families share."""

    def __init__(self, doc: ParsedDocument, thesaurus: Any, settings: Settings) -> None:
        self.doc = doc
        self.thesaurus = thesaurus
        self.settings = settings
        org_aliases, org_keys = thesaurus_org_aliases(thesaurus)
        self.reg = Registry(org_aliases)
        self.reg.org_keys.update(org_keys)
        self.rec = Recogniser(self.reg)
        self.out = Extraction()
        self.units: list[Unit] = []
        self.mentions: list[list[Mention]] = []
        self.sections: dict[int, Section] = {s.index: s for s in doc.sections}
        self.box_initiative: dict[int, str] = {}
        self.box_collectivites: dict[int, list[str]] = {}
        self.box_places: dict[int, list[str]] = {}
        self._seen: set[tuple[str, str, str | None, str]] = set()
        self.publisher_key: str | None = None
        self._pending_funders: list[str] = []
        self._pending_beneficiary: tuple[str | None, int] = (None, 0)
        self.section_concepts: dict[int, str] = {}  # fiche section index -> lever/theme concept IRI
        # (passage, entity key) where the entity is only referred back to (« la coopérative », « lui »)
        self.anaphoric: set[tuple[int, str]] = set()
        self._anaphor_ids: set[int] = set()  # ids of the Mention objects the anaphora family added

    def _rel(
        self,
        kind: str,
        subject: str,
        obj: str | None,
        passage: int,
        confidence: float,
        *,
        qualifiers: dict[str, str] | None = None,
        literal: str | None = None,
        rule: str = "",
        also: tuple[int, ...] = (),
    ) -> None:
        if obj is not None and subject == obj:
            return
        if (passage, subject) in self.anaphoric or (passage, obj or "") in self.anaphoric:
            # a side read from a back-reference, not a name: less sure than a named mention
            confidence = round(confidence * self.settings.anaphora_confidence_factor, 3)
        sig = (kind, subject, obj, repr(sorted((qualifiers or {}).items())) + (literal or ""))
        if sig in self._seen:
            return
        self._seen.add(sig)
        quals = dict(qualifiers or {})
        if kind[:1].isupper() and kind != "KeyFigure":
            new_items = {k: v for k, v in quals.items() if k != "rule"}.items()
            for existing in self.out.relations:
                if (existing.kind, existing.subject, existing.object) != (kind, subject, obj):
                    continue
                old_items = {k: v for k, v in existing.qualifiers.items() if k != "rule"}.items()
                if old_items <= new_items or new_items <= old_items:
                    existing.qualifiers = {**existing.qualifiers, **quals}
                    existing.confidence = max(existing.confidence, confidence)
                    return
        if rule:
            quals.setdefault("rule", rule)
        self.out.relations.append(
            Relation(
                kind=kind,
                subject=subject,
                object=obj,
                passage=passage,
                confidence=confidence,
                qualifiers=quals,
                object_literal=literal,
                also=also,
            )
        )

    def _person(self, name: str, passage: int) -> str:
        name = " ".join(t.capitalize() if t.isupper() and len(t) > 2 else t for t in name.split())
        name = "-".join(part[:1].upper() + part[1:] for part in name.split("-"))
        return self.reg.add("Person", name, passage, key=f"person/{slugify(name)}")

    def _heuristic_initiative(self, name: str, passage: int, confidence: float) -> tuple[str, str] | None:
        """Register a name found by layout (heading, bold, list) as an initiative, or as the collectivité or
        person it really names; returns (key, type), or None when the name is not plausible."""
        name = tidy_name(name)
        if not name:
            return None
        whole = [m for m in self.rec.collectivites(name, passage) if m.start == 0 and m.end >= len(name) - 1]
        if whole:
            return whole[0].key, "Collectivite"
        if f"person/{slugify(name)}" in self.reg.entities:
            return f"person/{slugify(name)}", "Person"
        if not plausible_initiative_name(name, self.thesaurus):
            return None
        key = self.rec.initiative(name, passage, confidence=confidence)
        return key, self.reg.entities[key].type

    def _status(self, unit: Unit) -> str:
        ctx = fold(" ".join(unit.context[-2:]))
        if "realisation" in ctx:
            return "tenu"
        if (
            "actions 20" in ctx
            or "calendrier" in ctx
            or "prevu" in fold(unit.text)
            or "report" in fold(unit.text)
        ):
            return "reporte" if "report" in fold(unit.text) else "prevu"
        return "tenu"

    def _keyfigure(
        self, about: str, value: str, unit_word: str, text: str, passage: int, year: str | None = None
    ) -> None:
        quals = {"value": _num(value), "unit": unit_word or "", "text": text[:300]}
        if year:
            quals["year"] = year
        self._rel(
            "KeyFigure",
            about,
            None,
            passage,
            0.7,
            qualifiers=quals,
            literal=text[:300],
            rule="pattern:key-figure",
        )

    def _series_heading(self, idx: int, pattern: str) -> int | None:
        """The passage of the heading above unit `idx`, in its section, that names the series `pattern`
        (folded regex): the passage that says the items under it belong to that series; or None."""
        section = self.units[idx].section
        for j in range(idx - 1, -1, -1):
            unit = self.units[j]
            if unit.section != section:
                return None
            if (unit.is_heading or len(unit.text) <= 80) and re.search(pattern, fold(unit.text)):
                return unit.passage
        return None

    def _section_heading_passage(self, unit: Unit) -> int | None:
        """The passage of the first unit of `unit`'s section (its heading), or None without a section."""
        if unit.section is None:
            return None
        return next((u.passage for u in self.units if u.section == unit.section), None)

    def _page_subject(self) -> tuple[int | None, DocumentSubject | None]:
        """The title unit's index and the initiative it names (None when it names none)."""
        title = next(
            (i for i, u in enumerate(self.units[:2]) if u.is_heading or u.raw.startswith("# ")), None
        )
        if title is None:
            return None, None
        labels = {k: e.label for k, e in self.reg.entities.items()}
        subject = document_subject(self.units[title].text, self.mentions[title], labels)
        return title, subject if subject is not None and subject.etype == "Initiative" else None

    def _document_subject(self) -> str | None:
        """The organisation the document is about: the first one its title names, or None."""
        for idx, unit in enumerate(self.units[:2]):
            if unit.is_heading:
                for m in self.mentions[idx]:
                    if m.etype in ("Organisation", "Initiative"):
                        return m.key
        return None

    def _last_named(self, idx: int, pattern: str) -> str | None:
        for j in range(idx, max(-1, idx - 3), -1):
            m = re.search(
                r"\b((?:Comit[ée]|Conseil|Commission) [\w' ]{3,60}?)(?=[.,(]|$)", self.units[j].text
            )
            if m and re.match(pattern, m.group(1)):
                return self.reg.add("Organisation", m.group(1).strip(), self.units[j].passage)
        return None

    def _recent_collectivite(self, idx: int) -> str | None:
        """The last collectivité named in this unit or the two before it (same section)."""
        for j in range(idx, max(-1, idx - 3), -1):
            if self.units[j].section != self.units[idx].section:
                break
            for m in reversed(self.mentions[j]):
                if m.etype == "Collectivite":
                    return m.key
        return None

    def _last_programme(self, idx: int) -> str | None:
        for j in range(idx, max(-1, idx - 8), -1):
            for m in reversed(self.mentions[j]):
                if m.etype in ("Programme", "Initiative"):
                    return m.key
        return None

    def _box_initiative_of(self, unit: Unit) -> str | None:
        return self.box_initiative.get(unit.box) if unit.box is not None else None

    def _box_collectivite_of(self, unit: Unit) -> str | None:
        if unit.box is None:
            return None
        colls = self.box_collectivites.get(unit.box) or []
        if colls:
            return colls[0]
        places = self.box_places.get(unit.box) or []
        return places[0] if places else None

    def _box_support_passage(self, idx: int, coll: str) -> int | None:
        """The first passage of the example box headed by unit `idx` with a sentence that names the
        collectivité `coll` and says it acts for the initiative (supports, funds, commissions, hosts,
        lends premises); or None when the box never says so."""
        for j in range(idx, len(self.units)):
            unit = self.units[j]
            if unit.box != idx:
                return None
            for start, sentence in sentence_spans(unit.text):
                cue = SUPPORT_CUE.search(sentence)
                if cue is None:
                    continue
                for m in self.mentions[j]:
                    if m.key != coll or not start <= m.start < start + len(sentence):
                        continue
                    if re.search(r"\b(?:à|au|en)\s*$", unit.text[: m.start]):
                        continue  # "… à Nantes": a place, not the actor
                    # a modal around the actor and the cue makes it a possibility ("offre la
                    # possibilité à la communauté de soutenir …"), not a fact
                    lo = min(m.start - start, cue.start())
                    hi = max(m.end - start, cue.start())
                    if not unasserted(sentence[max(0, lo - 60) : hi]):
                        return unit.passage
        return None

    def _framework_of(self, idx: int, funder: str, quals: dict[str, str]) -> dict[str, str]:
        """`quals` of a funding by `funder` in unit `idx` with the agreement it is paid under, read in the
        original sentence naming `funder` (the parsers read a masked text); extract/frameworks.py."""
        unit = self.units[idx]
        for start, sentence in sentence_spans(unit.text):
            if any(m.key == funder and start <= m.start < start + len(sentence) for m in self.mentions[idx]):
                return with_agreement(quals, sentence)
        return quals

    def _stated_producer(self, idx: int, org: str) -> int | None:
        """The passage, of unit `idx` or of the two units before it in its section, in which `org` is
        the subject of a production verb ("le réseau produit des outils…", "X publie…"): the passage
        that says `org` made what unit `idx` names; or None when no passage says so."""
        section = self.units[idx].section
        for j in range(idx, max(-1, idx - 3), -1):
            unit = self.units[j]
            if unit.section != section:
                return None
            for m in self.mentions[j]:
                if m.key == org and PRODUCES.match(unit.text[m.end :]):
                    return unit.passage
        return None
