"""Rule family "boxes": a fiche's example boxes, their initiative, collectivités and heading places."""

from __future__ import annotations

import re

from essgraph.core.text import slugify
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.mentions import CAP, Mention
from essgraph.ingest.extract.names import tidy_name
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import departement_codes

VERSION = "2"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class BoxRules(DocumentContext):
    """Example boxes of a fiche, their initiative, collectivités and places from the heading."""

    def _boxes(self) -> None:
        for idx, unit in enumerate(self.units):
            if unit.box != idx:
                continue
            heading = unit.text
            codes = departement_codes(heading)
            body = re.sub(r"\s*\([\d\sAB/]+\)\s*$", "", heading)
            mentions = self.mentions[idx]
            colls = [m.key for m in mentions if m.etype == "Collectivite"]
            inits = [m.key for m in mentions if m.etype in ("Initiative", "Programme")]
            places = self._heading_places(body, unit.passage, codes, mentions)
            if not inits:
                main = self._heading_initiative(body, mentions, unit.passage)
                if main and main[1] == "Collectivite":
                    colls.append(main[0])
                    self.mentions[idx].append(Mention(main[0], "Collectivite", 0, 0, body))
                elif main:
                    inits = [main[0]]
                    self.mentions[idx].append(Mention(main[0], main[1], 0, 0, body))
            if inits:
                self.box_initiative[idx] = inits[0]
            self.box_collectivites[idx] = colls
            self.box_places[idx] = places
            for key in [*colls, *inits]:
                for code in codes:
                    self.reg.attr(key, "departement", code)
            for init in inits:
                for place in places:
                    self._rel("locatedIn", init, place, unit.passage, 0.7, rule="box-heading-place")
        # body collectivités (and places "à X") join the box
        for idx, unit in enumerate(self.units):
            if unit.box is None or unit.box == idx:
                continue
            for m in re.finditer(
                rf"\b(?:à|a) ({CAP}(?:-{CAP})*)(?=[.,;]|\s+(?:et|dans|depuis)\b|$)", unit.text
            ):
                name = m.group(1)
                if self.reg.canonical_org(name) or name in ("ESS", "SCIC") or not self._placelike(name):
                    continue
                places = self.box_places.setdefault(unit.box, [])
                key = self.rec.commune(name, unit.passage)
                if key not in places:
                    places.append(key)
            for ment in self.mentions[idx]:
                if ment.etype == "Collectivite" and ment.key not in self.box_collectivites.setdefault(
                    unit.box, []
                ):
                    self.box_collectivites[unit.box].append(ment.key)

    def _heading_places(
        self, heading: str, passage: int, codes: list[str], mentions: list[Mention]
    ) -> list[str]:
        """The communes a box heading ends on ("… à Brest", "… de Morlaix (29)"); a place word inside an
        organisation's name ("Fondation de France") is no place of the box."""
        places: list[str] = []
        for m in re.finditer(
            rf"\b(?:à|dans la|dans le|de) ({CAP}(?:[\s-](?:de|du|la|le|sur|en|-)?[\s-]?{CAP})*)$", heading
        ):
            name = m.group(1)
            if self.reg.canonical_org(name) or name in {"ESS", "SCIC"} or not self._placelike(name):
                continue
            # (an initiative's mention may run on through "à <commune>": only an organisation's counts)
            if any(x.start <= m.start(1) < x.end and x.etype == "Organisation" for x in mentions):
                continue
            if fold(m.group(0)).startswith(("dans la", "dans le")):
                continue
            key = self.rec.commune(name, passage, code=codes[0] if len(codes) == 1 else None)
            places.append(key)
        return places

    def _placelike(self, name: str) -> bool:
        """Whether `name` can be a commune: capitalised, no digits, no capital inside a word (a brand's
        spelling, "PoleS"), not an already known initiative."""
        return (
            name[:1].isupper()
            and not any(c.isdigit() for c in name)
            and not re.search(r"[a-zà-ÿ][A-ZÀ-Ý]", name)
            and f"initiative/{slugify(name)}" not in self.reg.entities
        )

    def _heading_initiative(
        self, heading: str, mentions: list[Mention], passage: int
    ) -> tuple[str, str] | None:
        """(key, type) of what a box heading names once its collectivités and places are removed: an
        initiative, or a commune introduced by an apposition ("Bayonne, la première commune …"); or None."""
        appos = re.match(
            rf"^({CAP}(?:[\s-]{CAP})*),\s+(?:la |une |l')(?:\w+\s+)?(?:commune|ville|village|m[ée]tropole)\b",
            heading,
        )
        if appos and not self.reg.canonical_org(appos.group(1)):
            return self.rec.commune(appos.group(1), passage), "Collectivite"
        text = heading
        for m in sorted(mentions, key=lambda x: -x.start):
            if m.etype == "Collectivite":
                text = text[: m.start] + text[m.end :]
        text = re.split(r"\s+:\s+|\s+à\s+(?=[A-ZÉ])|\s+dans (?:la|le) |\s+/\s+", text)[0]
        text = re.sub(r"^(?:Le |La |Les |L'|Un |Une |Des )", "", text).strip(" ,-")
        text = tidy_name(text)
        if not text or len(text.split()) > 8 or not re.search(r"[A-ZÉ]", text[1:] + text[:1]):
            return None
        label = text[:1].upper() + text[1:]
        found = self._heuristic_initiative(label, passage, 0.7)
        return found if found and found[1] in ("Initiative", "Programme", "Collectivite") else None
