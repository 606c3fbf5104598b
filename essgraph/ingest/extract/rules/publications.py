"""Rule family "publications": resources, named publications and series with their publisher."""

from __future__ import annotations

import re

from essgraph.core.text import MONTH_PATTERN, slugify
from essgraph.ingest.extract import gazetteer as gz
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.mentions import NAME, Mention
from essgraph.ingest.extract.names import plausible_title
from essgraph.ingest.extract.rules.common import (
    PRODUCES,
    is_person_name,
    sentence_spans,
)
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import Unit, clean

_PUB_NAMED = re.compile(
    r"\b(Publication|[ÉE]tude|Guide|Ouvrage|Livret|Catalogue|Tribune|Plaidoyer)\s+[«\"“]\s*([^»\"”]{4,120}?)\s*[»\"”]"
)


VERSION = "1"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class PublicationRules(DocumentContext):
    """Resources, named publications and series with their publisher."""

    def _resources(self, idx: int, unit: Unit) -> None:
        """Items of "Ressources pour aller plus loin" lists and named publications of a series."""
        if not (unit.in_resources and unit.is_item) and not re.search(
            r"(?:Le |Le kit |Point de |Points de |)"
            r"Rep[èe]re?E?SS ",
            unit.text,
        ):
            return
        section_ref = f"@section/{unit.section}" if unit.section is not None else None
        text = unit.text
        series = None
        for label, pattern in gz.SERIES.items():
            if re.search(pattern, fold(text)):
                series = label
                break
        if series == "Pacte pour la transition":
            return
        number = re.search(r"n°\s*(\d+)", text)
        links = [clean(x) for x in re.findall(r"\[([^\]]+)\]\(", unit.raw)]
        title = (
            links[0]
            if links
            else re.split(r",\s|\s:\s(?=[ÉE]dit|[Tt][ée]l[ée]charg|[Cc]onsult|[Pp]aru)", text)[0]
        )
        if links and len(title.split()) < 3:
            title = re.split(
                rf",\s+(?:(?:{MONTH_PATTERN})\s+)?\d{{4}}|\s+-\s+",
                text,
            )[0]
        title = re.sub(r"^(?:mis à jour|réalisé|le|la|les)\s+", "", title, flags=re.IGNORECASE).strip()
        if not title or len(title) < 4 or (re.search(r"n°\d+\]?\s*$", title) and series is None):
            return
        if fold(title).startswith(("fiche n", "fiche [n")):
            return
        if series in ("Points de RepèrESS", "RepèrESS") and fold(title).startswith(("point", "rep")):
            m = re.match(
                r"(?i)points? de rep[èe]re?e?ss\s*(?:du rtes?\s*)?(?:n°\s*\d+\s*)?|rep[èe]re?ss\s*", title
            )
            title = title[m.end() :].strip(' «»"') if m else title
        title = title.strip(" «»\"'")
        if not title or (series and re.fullmatch(gz.SERIES[series], fold(title), re.IGNORECASE)):
            return  # no title, or the series' own name taken for one
        listed = unit.in_resources and unit.is_item
        if series and not listed:
            # in running text the series' name introduces its title ("le RepèrESS X"): a title read
            # before the name is the sentence's subject, not the publication's title
            named = re.search(gz.SERIES[series], fold(text))
            if named and title in text and text.find(title) < named.start():
                return
        max_words = 24 if listed else 14
        if not plausible_title(title, max_words=max_words, quoted=bool(links)):
            return  # a sentence cut into a "title" ("Publié en …", ": des outils", "séminaire …")
        if series:
            singular = "Point de RepèrESS" if series == "Points de RepèrESS" else series
            num = f" n°{number.group(1)}" if number else ""
            label = f"{singular}{num} « {title} »"
            written = re.search(gz.SERIES[series], text, re.IGNORECASE)
            alts: tuple[str, ...] = (
                title,
                f"{series}{num} « {title} »",
                f"{singular} {title}",
                f"{written.group(0)} « {title} »" if written else "",
            )
        else:
            label, alts = title, (title,)
        # an item of a series is keyed with its series: a same-titled item elsewhere ("Dossier ESS &
        # culture" by another publisher beside "Lettre n°26 ESS & Culture") is another publication
        slug = slugify(f"{label if series else title}")
        key = self.reg.add("Publication", label, unit.passage, alt=alts, key=f"publication/{slug}")
        self.mentions[idx].append(Mention(key, "Publication", 0, 0, title))
        if series:
            skey = self.reg.add("PublicationSeries", series, unit.passage, key=f"series/{slugify(series)}")
            self._rel("series", key, skey, unit.passage, 0.9, rule="pattern:series")
            if number:
                self.reg.attr(key, "numberInSeries", number.group(1))
            self._publisher_where_stated(idx, key, unit.passage, 0.7, "structure:series-publisher")
        if section_ref and unit.in_resources:
            self._rel("cites", section_ref, key, unit.passage, 0.9, rule="structure:resources")
        tail = text[text.find(title) + len(title) :] if title in text else text
        for ment in self.mentions[idx]:
            in_tail = ment.start >= len(text) - len(tail)
            if ment.bare_place:  # the town a resource comes from or speaks of does not publish it
                continue
            if ment.etype in ("Organisation", "Collectivite") or (ment.etype == "Initiative" and in_tail):
                self._rel("publishedBy", key, ment.key, unit.passage, 0.6, rule="pattern:resource-publisher")
            if ment.etype == "Person" and in_tail:
                self._rel("authoredBy", key, ment.key, unit.passage, 0.7, rule="pattern:resource-author")
            if ment.etype == "Law":
                self._rel("cites", key, ment.key, unit.passage, 0.7)

    def _named_publications(self, idx: int, unit: Unit) -> None:
        """ "Publication «X»", "Étude «X» de A et B": a publication with its numbers and authors."""
        for m in _PUB_NAMED.finditer(unit.text):
            kind, title = m.group(1), m.group(2).strip()
            label = f"{kind[:1].upper()}{kind[1:]} « {title} »"
            key = self.reg.add(
                "Publication",
                title,
                unit.passage,
                key=f"publication/{slugify(title)}",
                alt=(label, f"{kind} {title}"),
            )
            self.mentions[idx].append(Mention(key, "Publication", m.start(), m.end(), title))
            tail = unit.text[m.end() : m.end() + 160]
            authors = re.match(rf"\s*(?:de|par)\s+((?:{NAME})(?:\s*(?:,|et)\s*{NAME})*)", tail)
            if authors:
                for name in re.split(r"\s*,\s*|\s+et\s+", authors.group(1)):
                    if is_person_name(name):
                        self._rel(
                            "authoredBy",
                            key,
                            self._person(name, unit.passage),
                            unit.passage,
                            0.8,
                            rule="pattern:publication-author",
                        )
            self._publisher_where_stated(idx, key, unit.passage, 0.6, "structure:publisher")

    def _series_publishers(self) -> None:
        """A series' publisher where a sentence says it: "<organisation> publie … <series>" gives the
        series (not each of its items) publishedBy the organisation, cited to that sentence's passage."""
        for label, pattern in gz.SERIES.items():
            skey = f"series/{slugify(label)}"
            if skey not in self.reg.entities:
                continue
            for idx, unit in enumerate(self.units):
                for sentence_start, sentence in sentence_spans(unit.text):
                    folded = fold(sentence)
                    named = re.search(pattern, folded)
                    if not named:
                        continue
                    for m in self.mentions[idx]:
                        if m.etype != "Organisation" or not (
                            sentence_start <= m.start and m.end <= sentence_start + named.start()
                        ):
                            continue
                        between = unit.text[m.end : sentence_start + named.start()]
                        if PRODUCES.match(between) and not re.search(r"[.;]", between):
                            self._rel(
                                "publishedBy", skey, m.key, unit.passage, 0.8, rule="pattern:series-publisher"
                            )

    def _publisher_where_stated(self, idx: int, key: str, passage: int, confidence: float, rule: str) -> None:
        """Make the document's publisher the publisher of `key` only where a passage says it produces:
        the unit itself or the one introducing it ("le réseau produit des outils : …" above the title);
        that passage is cited beside the unit's."""
        stated = self._stated_producer(idx, self.publisher_key) if self.publisher_key else None
        if self.publisher_key and stated is not None:
            self._rel("publishedBy", key, self.publisher_key, passage, confidence, rule=rule, also=(stated,))
