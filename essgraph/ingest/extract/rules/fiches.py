"""Rule family "fiches": Déniché fiches, local currencies, fiche cross-references and numbered mesures."""

from __future__ import annotations

import re
from typing import Any

from essgraph.core.text import slugify
from essgraph.ingest.extract import gazetteer as gz
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.mentions import NAME, Mention
from essgraph.ingest.extract.names import tidy_name
from essgraph.ingest.extract.numbers import AMOUNT as _AMOUNT
from essgraph.ingest.extract.numbers import num as _num
from essgraph.ingest.extract.rules.common import (
    concept_iris,
)
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import Unit, clean
from essgraph.ontology.communes import place_names

_FICHE_REF = re.compile(
    r"(?:\bfiches?\s*(?:\*\*)?\s*(?:\[)?n°\s*(?:\*\*)?(\d{1,2})(?:\*\*)?(?:\]\(#\))?(?:\s*(?:et|&|,)\s*(?:n°\s*)?(\d{1,2}))?"
    r"|\^[({]\s*n°\s*(\d{1,2})\s*[)}])",
    re.IGNORECASE,
)

_OTHER_SERIES_BEFORE = re.compile(
    r"(?:d[ée]nich[ée](?: pour vous)?|rep[èe]re?\s?e?ss|lettres?\s+papiers?|mesures?|lettre|dossier|chapitre|"
    r"engagements?)(?:\W{0,40}|\W+(?:fiches?|du rtes?)\W*)$",
    re.IGNORECASE,
)

_MESURE = re.compile(r"\bmesures?\s*((?:\[?#\d+\]?(?:\(#\))?[\s,&et]*)+)", re.IGNORECASE)

_PRINCIPE = re.compile(r"\bprincipe\s+([A-Z])\b")

_HASH_NUM = re.compile(r"#(\d+)")


def _fiche_subject_name(part: str) -> bool:
    """Whether a part of a fiche's title names its subject rather than describing it: at most three
    words, or a capitalised word after the first ("Lutte contre l'insécurité alimentaire" is a theme)."""
    words = part.split()
    if not words or ":" in part:
        return False
    return len(words) <= 3 or any(w[:1].isupper() for w in words[1:])


def _lever_concept(thesaurus: Any, text: str) -> str:
    """The IRI of the lever concept matching `text` in the thesaurus (or the leviers/<slug> IRI)."""
    if thesaurus is not None and hasattr(thesaurus, "match"):
        for iri in sorted(concept_iris(thesaurus.match(text))):
            if "/concept/leviers/" in iri:
                return iri
    return "leviers/" + slugify(text)


VERSION = "1"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class FicheRules(DocumentContext):
    """Déniché fiches, local currencies, fiche cross-references and numbered mesures."""

    def _deniche(self, idx: int, unit: Unit) -> None:
        section = self.sections.get(unit.section) if unit.section is not None else None
        m = re.match(r"^Fiches? n°\s*(\d+)\s*:\s*(.+?)\.?$", unit.text)
        if not (m and section and section.kind == "deniche"):
            if re.search(r"d[ée]nich[ée] pour vous\s*:", fold(unit.text)) and unit.is_item:
                items = re.split(r",\s*|\s+et\s+", unit.text.split(":", 1)[1])
                for item in items:
                    item = item.strip(" .…")
                    found = (
                        self._heuristic_initiative(item, unit.passage, 0.6) if 2 < len(item) < 60 else None
                    )
                    if found and found[1] == "Initiative":
                        ikey = found[0]
                        pkey = self.reg.add(
                            "Publication",
                            f"Déniché pour vous : {item}",
                            unit.passage,
                            key=f"publication/deniche-{slugify(item)}",
                        )
                        self._rel("about", pkey, ikey, unit.passage, 0.7, rule="pattern:deniche")
            return
        number, title = m.group(1), m.group(2).strip()
        label = f"Déniché pour vous n°{number} : {title}"
        pkey = self.reg.add(
            "Publication",
            label,
            unit.passage,
            key=f"publication/deniche-pour-vous-{number}",
            alt=(f"Fiche Déniché pour vous n°{number}", title),
        )
        skey = self.reg.add(
            "PublicationSeries", "Déniché pour vous", unit.passage, key="series/deniche-pour-vous"
        )
        self.reg.attr(pkey, "numberInSeries", number)
        # the item says "Fiche n°N : X", the list's heading names the series: both passages state it.
        # No publisher per fiche: the list does not name one (the series' publisher is stated, where
        # a passage states it, by _series_publishers)
        heading = self._series_heading(idx, gz.SERIES["Déniché pour vous"])
        also = (heading,) if heading is not None else ()
        self._rel("series", pkey, skey, unit.passage, 0.9, rule="structure:deniche", also=also)
        topic = self.units[idx - 1].text if idx else ""
        # a decentralised cooperation ("Theme - Coopération A / B (Country)") is about its partners,
        # which are collectivités or places abroad, never initiatives
        cooperation = re.search(r"\bcoop[ée]ration\b", title, re.IGNORECASE) is not None
        for part in re.split(r"\s+/\s+|\s+-\s+", title):
            part = re.sub(r"(?i)^.*\bcoop[ée]ration(?:\s+d[ée]centralis[ée]e)?(?:\s+entre)?\s+", "", part)
            part = tidy_name(re.sub(r"\s*\((.*)\)$", "", part).strip(" ."))
            if not part:
                continue
            ments = self.rec.collectivites(part, unit.passage)
            if ments and ments[0].start == 0 and ments[0].end >= len(part) - 2:
                self._rel("about", pkey, ments[0].key, unit.passage, 0.8, rule="structure:deniche")
                continue
            if cooperation or not _fiche_subject_name(part) or fold(part) in place_names():
                continue  # a description ("Lutte contre …") or a bare place names no initiative
            form = "scic" if re.match(r"(?i)(la )?scic\b", part) else None
            name = re.sub(r"(?i)^(?:la )?scic\s+", "", part) if form else part
            ikey = self.rec.initiative(name, unit.passage, form=form, confidence=0.8)
            self.mentions[idx].append(Mention(ikey, "Initiative", 0, 0, name))
            self._rel("about", pkey, ikey, unit.passage, 0.8, rule="structure:deniche")
            if topic.startswith("►"):
                self.reg.attr(ikey, "topic", topic.strip("► :"))

    def _local_currencies(self, idx: int, unit: Unit) -> None:
        """Local currencies: italic names next to "monnaie locale"; collectivités of the unit support them."""
        folded = fold(unit.text)
        if unit.box is not None and unit.box != idx:
            folded += " " + fold(self.units[unit.box].text)
        if "monnaie locale" not in folded and "monnaies locales" not in folded:
            return
        names = [
            clean(m.group(1))
            for m in re.finditer(r"(?<![*\w])\*([^*\n]{2,40})\*(?![*\w])", unit.raw)
            if re.search(r"monnaie|utiliser|accept|paiement", unit.raw[max(0, m.start() - 60) : m.end() + 60])
        ]
        names += [m.group(1) for m in re.finditer(rf"^({NAME}), monnaie locale", unit.text)]
        concept = _lever_concept(self.thesaurus, "monnaie locale")
        for name in names:
            name = re.sub(r"^(?:la|le|l')\s*", "", name.strip(), flags=re.IGNORECASE)
            if not name[:1].isupper() or len(name.split()) > 4:
                continue
            key = self.rec.initiative(name, unit.passage, confidence=0.8)
            self._rel("illustratesLever", key, concept, unit.passage, 0.8, rule="pattern:monnaie-locale")
            self.mentions[idx].append(Mention(key, "Initiative", 0, 0, name))
            colls = [m.key for m in self.mentions[idx] if m.etype == "Collectivite"]
            if not colls and unit.box is not None:
                colls = self.box_collectivites.get(unit.box, [])[:1]
            for coll in colls:
                self._rel("supports", coll, key, unit.passage, 0.7, rule="pattern:monnaie-locale")
            for amount in _AMOUNT.finditer(unit.text):
                for coll in colls[:1]:
                    self._rel(
                        "Funding",
                        coll,
                        key,
                        unit.passage,
                        0.7,
                        qualifiers={"amount": _num(amount.group(1))},
                        rule="pattern:monnaie-locale",
                    )
            if unit.box is not None and unit.box not in self.box_initiative:
                self.box_initiative[unit.box] = key

    def _fiche_refs(self, unit: Unit) -> None:
        section = self.sections.get(unit.section) if unit.section is not None else None
        if section is None or section.number is None or section.kind in ("deniche", "fiche-action", "liste"):
            return
        for m in _FICHE_REF.finditer(unit.raw):
            before = unit.raw[max(0, m.start() - 45) : m.start()]
            if _OTHER_SERIES_BEFORE.search(before):
                continue
            for g in m.groups():
                if g and 1 <= int(g) <= 24 and int(g) != section.number:
                    link = (section.index, "refersToFiche", int(g))
                    if link not in self.out.section_links:
                        self.out.section_links.append(link)

    def _mesures(self, unit: Unit) -> None:
        if "pacte pour la transition" not in fold(unit.text) or unit.section is None:
            return
        section_ref = f"@section/{unit.section}"
        pacte = self.reg.add(
            "PublicationSeries",
            "Pacte pour la transition",
            unit.passage,
            key="series/pacte-pour-la-transition",
        )
        items: list[tuple[str, str]] = []
        for m in _MESURE.finditer(unit.raw):
            for num in _HASH_NUM.findall(m.group(1)):
                items.append(("mesure", num))
        for m in _PRINCIPE.finditer(unit.text):
            items.append(("principe", m.group(1)))
        for kind, num in items:
            sign = f"#{num}" if kind == "mesure" else num
            label = f"Pacte pour la transition — {kind} {sign}"
            key = self.reg.add(
                "Publication",
                label,
                unit.passage,
                key=f"publication/pacte-transition-{kind}-{slugify(num)}",
                alt=(f"{kind} {sign}", f"{kind.capitalize()} {sign} du Pacte pour la transition"),
            )
            self.reg.attr(key, "numberInSeries", num)
            self._rel("series", key, pacte, unit.passage, 0.9, rule="pattern:mesure")
            self._rel("cites", section_ref, key, unit.passage, 0.9, rule="pattern:mesure")
