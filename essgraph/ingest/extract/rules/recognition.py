"""Rule family "recognition": the entity mentions of each unit and the propagation of names."""

from __future__ import annotations

import re

from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.mentions import CAP, Mention, merge_mentions
from essgraph.ingest.extract.names import is_thesaurus_term
from essgraph.ingest.extract.phrases import named_phrases
from essgraph.ingest.extract.places import place_mentions
from essgraph.ingest.extract.rules.common import (
    LOW,
    ROLE_WORD,
    is_person_name,
)
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import Unit, clean
from essgraph.ontology.communes import place_names

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ"


VERSION = "3"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class RecognitionRules(DocumentContext):
    """Entity mentions of each unit (gazetteer, NER persons, bold names, communes) and name propagation."""

    def _fix_ocr(self, unit: Unit) -> None:
        """Undo OCR gluing of an elided article to a known name ("UANCT" -> "l'ANCT", "LANRU" -> "l'ANRU")."""

        def repl(m: re.Match[str]) -> str:
            whole, rest = m.group(0), m.group(2)
            if self.reg.canonical_org(whole) or not (
                self.reg.canonical_org(rest) or rest in ("ESS", "Université")
            ):
                return whole
            return "l'" + rest

        unit.text = re.sub(r"(?<![\w'])([UL])'?([A-Z][\w]{2,})\b", repl, unit.text)

    def _recognise(self, unit: Unit, persons: list[tuple[int, int, str]]) -> list[Mention]:
        text, p = unit.text, unit.passage
        colls = self.rec.collectivites(text, p)
        orgs = self.rec.organisations(text, p)
        inits = self.rec.initiatives(text, p)
        laws = self.rec.laws(text, p)
        pubs = self.rec.publications(text, p)
        people: list[Mention] = []
        for start, _end, name in persons:
            name = name.strip(" ,.")
            if not is_person_name(name) or self.reg.canonical_org(name) or fold(name) in place_names():
                continue
            people.append(Mention(self._person(name, p), "Person", start, start + len(name), name))
        people += self._rule_persons(text, p)
        for m in colls:
            code = re.match(r"\s*\((\d[0-9AB])\)", text[m.end :])
            if code:
                self.reg.attr(m.key, "departement", code.group(1))
        for found in re.finditer(rf"\b(?:à|de) ({CAP}(?:-{CAP})*)\s*\((\d[0-9AB])\)", text):
            place = found.group(1)
            inside = any(m.start < found.end(1) and found.start(1) < m.end for m in [*colls, *orgs, *inits])
            if not inside and not self.reg.canonical_org(place) and place not in ("ESS", "SCIC"):
                key = self.rec.commune(place, p, code=found.group(2))
                colls.append(Mention(key, "Collectivite", found.start(1), found.end(1), place))
        colls += place_mentions(self.rec, text, p, [*colls, *orgs, *inits, *laws, *pubs, *people])
        bold = self._bold_names(unit)
        appos = self.rec.appositive_initiatives(text, p)
        coord = self._coordinated_communes(text, p, colls)
        phrases = named_phrases(text, p, self.rec)
        merged = merge_mentions(
            colls, orgs, inits, laws, pubs, people, bold, appos, coord, [m for m, _ in phrases]
        )
        registrars = {id(m): register for m, register in phrases}
        for m in merged:
            if id(m) in registrars:
                registrars[id(m)]()
        return merged

    def _propagate_names(self) -> None:
        """A name the document introduced once with its kind ("le réseau X", "l'association X") names the
        same entity wherever it recurs without it ("X", the title, a signature): each bare occurrence
        becomes a mention where no other mention overlaps it, or where the mentions it overlaps lie
        inside it (a commune inside an initiative's name is part of that name, not a mention of its own)."""
        names: dict[str, str] = {}
        for ments in self.mentions:
            for m in ments:
                entity = self.reg.entities.get(m.key)
                if entity is None or entity.type not in ("Organisation", "Initiative"):
                    continue
                for name in (entity.label, *entity.alt_labels):
                    if len(name) >= 6 and len(name.split()) >= 2 and name[:1].isupper():
                        names.setdefault(name, m.key)
        if not names:
            return
        pattern = re.compile(
            "|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in sorted(names, key=len, reverse=True))
        )
        replaced: set[str] = set()
        for idx, unit in enumerate(self.units):
            ments = self.mentions[idx]
            for found in pattern.finditer(unit.text):
                key = names[found.group(0)]
                overlapping = [m for m in ments if m.start < found.end() and found.start() < m.end]
                if any(m.start < found.start() or m.end > found.end() or m.key == key for m in overlapping):
                    continue
                for m in overlapping:
                    ments.remove(m)
                    replaced.add(m.key)
                self.reg.entities[key].passages.add(unit.passage)
                ments.append(
                    Mention(key, self.reg.entities[key].type, found.start(), found.end(), found.group(0))
                )
            ments.sort(key=lambda m: m.start)
        # an entity read only where the document's own name now stands (a bare "X" taken for a person,
        # a commune inside an initiative's name) was a misreading: it goes
        still = {m.key for ments in self.mentions for m in ments}
        for key in replaced - still - set(names.values()):
            self.reg.entities.pop(key, None)

    def _coordinated_communes(self, text: str, passage: int, colls: list[Mention]) -> list[Mention]:
        """A bare place name coordinated with a collectivité ("X et Plaine Commune ont …") is a commune."""
        found: list[Mention] = []
        for c in colls:
            m = re.search(rf"(?:^|[\s,(])({CAP})\s+et\s*$", text[: c.start])
            if (
                m
                and not self.reg.canonical_org(m.group(1))
                and m.group(1) not in ("ESS", "Ville", "La", "Le", "Les")
            ):
                key = self.rec.commune(m.group(1), passage)
                found.append(Mention(key, "Collectivite", m.start(1), m.end(1), m.group(1)))
        return found

    def _rule_persons(self, text: str, passage: int) -> list[Mention]:
        found: list[Mention] = []
        pattern = (
            rf"\b([{_UP}][{LOW}]+(?:-[{_UP}][{LOW}]+)?\s+"
            rf"(?:[{_UP}][{LOW}]+|[{_UP}]{{2,}})(?:-[{_UP}][\w]+)?)"
        )
        for m in re.finditer(pattern + rf"(?=\s*,?\s*{ROLE_WORD}\b)", text, re.IGNORECASE):
            name = m.group(1)
            if is_person_name(name) and not self.reg.canonical_org(name) and fold(name) not in place_names():
                found.append(Mention(self._person(name, passage), "Person", m.start(1), m.end(1), name))
        return found

    def _bold_names(self, unit: Unit) -> list[Mention]:
        found: list[Mention] = []
        for m in re.finditer(r"(?<!\*)\*\*([^*\n]{2,80}?)\*\*(?!\*)", unit.raw):
            name = clean(m.group(1)).strip(" ,.:")
            if (
                not name
                or not name[:1].isupper()
                or (name.isupper() and len(name) <= 6)
                or re.search(r"\([A-Z]+\)", name)
            ):
                continue
            before = clean(unit.raw[: m.start()])[-30:]
            tokens = name.split()
            if len(tokens) > 7 or name in unit.text[:1] or re.search(r"[:;!?]", name):
                continue
            capitals = sum(1 for t in tokens if t[:1].isupper() or any(c.isdigit() for c in t))
            article_before = bool(
                re.search(
                    r"(?:\b(?:le|la|les|l'|du|de la|des|réseau|programme|"
                    r"plateforme|association|SCIC|Scic|coopérative)\s*)$",
                    before,
                    re.IGNORECASE,
                )
            )
            if capitals < 2 and not (article_before and (unit.box is not None or len(tokens) <= 3)):
                continue
            if is_thesaurus_term(self.thesaurus, name) or fold(name) in {"ess", "scic"}:
                continue
            start = unit.text.find(name)
            if start < 0:
                continue
            if self.reg.canonical_org(name):
                key = self.rec.org(self.reg.canonical_org(name) or name, unit.passage, written=name)
                etype = self.reg.entities[key].type
            elif re.match(
                r"(?:programme|projet)\b", before.split()[-1] if before.split() else "", re.IGNORECASE
            ):
                key = self.reg.add("Programme", name, unit.passage)
                etype = "Programme"
            else:
                found_key = self._heuristic_initiative(name, unit.passage, 0.7)
                if found_key is None:
                    continue
                key, etype = found_key
            found.append(Mention(key, etype, start, start + len(name), name))
        return found
