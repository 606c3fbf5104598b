"""Who does what at an event (part of the "events" family): its host, its precise venue and its speakers."""

from __future__ import annotations

import re

from essgraph.core.text import slugify
from essgraph.ingest.extract.assertion import unasserted
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.mentions import Mention
from essgraph.ingest.extract.rules.common import sentence_spans
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import Unit

_ACTORS = ("Organisation", "Collectivite", "Initiative")

# "accueillie par X", "à l'invitation de X", "reçue par X": X hosts the event told in the sentence
_HOST_CUE = re.compile(
    r"\baccueilli(?:e|s|es)?\s+(?:cette\s+ann[ée]e\s+)?par\b"
    r"|\b(?:à|a|sur)\s+l'invitation\s+(?=d)",
    re.IGNORECASE,
)

# "X accueille / accueillera / a accueilli <the event>": the subject hosts it when the object is the event
# ("la CRESS accueille 80 participants" hosts no event)
_HOST_VERB = re.compile(
    r"\b(?:accueill(?:e|ent|era|eront|ait|aient)|(?:a|ont|avait|avaient)\s+accueilli)\s+"
    r"(?=(?:(?:la|le|les|l'|cette|ce|cet|son|sa|ses|leur|leurs|une|un)\s*)?(?:\d+\s*\w{1,3}\s+)?(?:[\w-]+\s+)?"
    r"(?:rencontres?|forums?|journ[ée]es?|s[ée]minaires?|webinaires?|conf[ée]rences?|assembl[ée]es?|ateliers?|"
    r"f[êe]tes?|salons?|festivals?|colloques?|assises|[ée]ditions?|tables?[- ]rondes?|universit[ée]s?|"
    r"matinales?|petits?-d[ée]jeuners?|visites?|r[ée]unions?|sessions?|«))",
    re.IGNORECASE,
)

# "dans les locaux de X", "dans les murs de X": X's premises are the venue
_PREMISES = re.compile(r"\b(?:dans|au sein)\s+(?:les|des)\s+(?:locaux|murs)\s+(?=d)", re.IGNORECASE)

# the head nouns of a venue: "au tiers-lieu X", "à la salle des fêtes de Y", "à la Maison de l'ESS"
_VENUE_HEADS = (
    "tiers-lieu|salle|maison|m[ée]diath[èe]que|biblioth[èe]que|halle|mairie|auditorium|amphith[ée][âa]tre|"
    "h[ôo]tel de (?:ville|r[ée]gion|d[ée]partement|m[ée]tropole)|centre (?:social|culturel|des congr[èe]s)|"
    "palais|cit[ée]|friche|manufacture|caf[ée]|th[ée][âa]tre|gymnase|ch[âa]teau|abbaye|chapiteau|"
    "p[ée]pini[èe]re|recyclerie|ressourcerie|fablab|coworking|h[ée]micycle|grange|ferme"
)
_NAME = r"[A-ZÀ-Ý][\w'’-]*(?:\s+(?:d[eu]s?|de la|de l'|d'|l'|la|le|les|et|en|sur)?\s*[A-ZÀ-Ý0-9][\w'’-]*)*"
_VENUE = re.compile(
    rf"\b(?:au|à l'|à la|a la|dans l'|dans la|dans le|en la)\s*(?P<head>(?i:{_VENUE_HEADS}))\b"
    r"(?P<rest>(?:\s+(?!(?:de|du|des|d'|le|la|les|à|au|et|pour|avec|sur|en)\b)[a-zà-ÿ][a-zà-ÿ'-]+){0,2}"
    r"(?:\s+(?:des|du|de la|de l'|de|d')\s*[a-zà-ÿ]{3,}\b(?!['’]))?"
    rf"(?:\s*(?:«\s*[^»]{{2,60}}\s*»|{_NAME}))?"
    rf"(?:\s+(?:de la|de l'|de|du|d')\s*{_NAME}){{0,2}})"
)

# speakers: "avec l'intervention de X", "témoignages de X et Y", "Interviendront : X, Y", "Intervenants : …"
_SPEAKER_CUE = re.compile(
    r"\bavec\s+(?:l'|les\s+)interventions?\s+(?=d)|\b(?:les\s+|des\s+)?t[ée]moignages?\s+(?=d)"
    r"|\binterviendr(?:a|ont)\s*:|\bintervenant(?:e)?s?\s*:|\b(?:sont|est)\s+intervenu(?:e|s|es)?\s*:"
    r"|\btable[s]?[- ]rondes?\s+avec\b|^\s*ont\s+pris\s+la\s+parole\b\s*:?",
    re.IGNORECASE,
)
# "X est intervenu(e) / interviendra / a témoigné": the subject speaks
_SPEAKER_VERB = re.compile(
    r"\b(?:(?:est|sont|[ée]tait|[ée]taient)\s+intervenu(?:e|s|es)?|interviendr(?:a|ont)|intervien(?:t|nent)"
    r"|(?:a|ont)\s+t[ée]moign[ée]|t[ée]moigner(?:a|ont)|(?:a|ont)\s+pris\s+la\s+parole)\b(?!\s*:)",
    re.IGNORECASE,
)
# the lead line of a list of speakers
SPEAKER_LEAD = re.compile(
    r"^\s*(?:les\s+)?(?:intervenant(?:e)?s|t[ée]moins|t[ée]moignages|interviendront)\b", re.IGNORECASE
)

# the heading of an event page's programme ("Programme", "Au programme", "Déroulé de la journée")
_PROGRAMME_HEADING = re.compile(r"^[\s#]*(?:au\s+|le\s+)?(?:programme|d[ée]roul[ée])\b", re.IGNORECASE)
# in a programme item, who opens, closes or answers: "Ouverture par X", "Clôture par X", "échanges avec X"
_PROGRAMME_CUE = re.compile(
    r"\b(?:ouverture|cl[ôo]ture|introduction|conclusion|allocution|mot\s+d'accueil|accueil)\b"
    r"[^,.;:]{0,30}?\s+par\s+(?=[A-ZÀ-Ý])|\b[ée]changes?\s+avec\s+",
    re.IGNORECASE,
)

# an event is announced in the future tense or as scheduled (« la journée sera ouverte par X », « le forum
# est prévu à … »): that part still asserts
_ANNOUNCED = frozenset({"future"})

# a sentence about another edition ("la prochaine rencontre aura lieu à …") speaks of that one
NEXT_EDITION = re.compile(
    r"\b(?:prochaine?s?|suivante?s?|pr[ée]c[ée]dente?s?|derni[èe]re\s+[ée]dition)\b", re.IGNORECASE
)

_GLUE = frozenset("de du des d' d la le les l' l et , ainsi que".split())


def own_text(text: str, event_word: re.Pattern[str]) -> str:
    """`text` up to the first sentence, after one telling an event, that tells another edition ("La
    prochaine rencontre aura lieu à …"): what follows belongs to that edition. Returns the kept text
    (all of it when the first event-telling sentence is itself the other edition's)."""
    spans = sentence_spans(text)
    for i, (start, sentence) in enumerate(spans):
        if i and NEXT_EDITION.search(sentence) and event_word.search(text[:start]):
            return text[:start].rstrip()
    return text


VERSION = "3"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class EventRoleRules(DocumentContext):
    """The host (eg:hostedBy), venue (eg:venue) and speakers (eg:speaker) of an event, read from the
    sentences that tell it; negated or conditional sentences and sentences about another edition add
    nothing."""

    _last_event: tuple[int | None, int, str] | None = None
    _page_event: str | None = None  # the event the page's opening tells (an event announcement)

    def _event_roles(self, idx: int, unit: Unit, key: str, text: str, offset: int) -> None:
        """The roles told in `text` (the event's own text, starting at `offset` in the unit's text)."""
        self._last_event = (unit.section, idx, key)
        if self._page_event is None and not unit.is_item and not any(u.is_item for u in self.units[:idx]):
            self._page_event = key
        mentions = [m for m in self.mentions[idx] if offset <= m.start and m.end <= offset + len(text)]
        for start, sentence in sentence_spans(text):
            if NEXT_EDITION.search(sentence) and start:
                break
            if unasserted(sentence, _ANNOUNCED):
                continue
            here = [
                Mention(m.key, m.etype, m.start - offset - start, m.end - offset - start, m.text)
                for m in mentions
                if start <= m.start - offset < start + len(sentence) and m.key != key
            ]
            self._hosts(key, sentence, here, unit.passage)
            self._venues(key, sentence, here, unit.passage)
            self._speakers(key, sentence, here, unit.passage)

    def _follows(self, sentence: str, at: int, here: list[Mention], etypes: tuple[str, ...]) -> list[Mention]:
        """The mentions of `etypes` listed right after position `at`: the first with only articles before
        it, then each joined to the previous by "et" / a comma ("accueillie par X et Y")."""
        found: list[Mention] = []
        for m in sorted(here, key=lambda x: x.start):
            if m.start < at or m.etype not in etypes:
                continue
            gap = fold(sentence[at : m.start]).replace("'", "' ").replace(",", " , ").split()
            if not all(w in _GLUE for w in gap) or (found and not gap):
                break
            found.append(m)
            at = m.end
        return found

    def _hosts(self, key: str, sentence: str, here: list[Mention], passage: int) -> None:
        for cue in _HOST_CUE.finditer(sentence):
            for host in self._follows(sentence, cue.end(), here, _ACTORS):
                self._rel("hostedBy", key, host.key, passage, 0.7, rule="pattern:event-host")
        verb = _HOST_VERB.search(sentence)
        if verb is None:
            return
        subject = [m for m in here if m.etype in _ACTORS and m.end <= verb.start()]
        if subject:
            last = max(subject, key=lambda m: m.end)
            # the actor is the verb's subject only when nothing but an apposition separates them
            if not re.fullmatch(r"\s*(?:,\s*[^,]{0,60},\s*)?", sentence[last.end : verb.start()]):
                return
            if last.bare_place:
                # "Vannes a accueilli les Rencontres": a bare commune name says where, not who hosts
                pkey = self.reg.add("Place", last.text, passage, key=f"place/{slugify(last.text)}")
                self._rel("locatedIn", key, pkey, passage, 0.7, rule="pattern:event-place")
            else:
                self._rel("hostedBy", key, last.key, passage, 0.7, rule="pattern:event-host")

    def _venues(self, key: str, sentence: str, here: list[Mention], passage: int) -> None:
        for cue in _PREMISES.finditer(sentence):
            for owner in self._follows(sentence, cue.end(), here, _ACTORS)[:1]:
                self._rel("venue", key, owner.key, passage, 0.7, rule="pattern:event-venue")
        for m in _VENUE.finditer(sentence):
            inside = [x for x in here if x.etype in _ACTORS and m.start("head") <= x.start < m.end()]
            head_end = m.start("head") + len(m.group("head"))
            inside = [x for x in inside if x.start >= head_end]
            if inside and inside[0].start <= head_end + 2:
                # "au tiers-lieu La Fabrique": the named phrase is an actor of its own
                self._rel("venue", key, inside[0].key, passage, 0.7, rule="pattern:event-venue")
                continue
            label = (m.group("head") + m.group("rest")).strip(" ,")
            if not re.search(r"[A-ZÀ-Ý«]", m.group("rest")):
                continue  # "à la salle" with no name: no particular venue
            label = label[:1].upper() + label[1:]
            pkey = self.reg.add("Place", label, passage, key=f"place/{slugify(label)}")
            self._rel("venue", key, pkey, passage, 0.7, rule="pattern:event-venue")

    def _speakers(self, key: str, sentence: str, here: list[Mention], passage: int) -> None:
        for cue in _SPEAKER_CUE.finditer(sentence):
            self._speaker_list(key, sentence, cue.end(), _list_end(sentence, cue.end()), here, passage)
        verb = _SPEAKER_VERB.search(sentence)
        if verb is not None:
            subject = [m for m in here if m.etype == "Person" and m.end <= verb.start()]
            if subject:
                last = max(subject, key=lambda m: m.end)
                if re.fullmatch(r"\s*(?:\([^)]*\)|,\s*[^,]{0,80},)?\s*", sentence[last.end : verb.start()]):
                    self._rel("speaker", key, last.key, passage, 0.7, rule="pattern:event-speaker")

    def _speaker_list(
        self, key: str, text: str, start: int, stop: int, here: list[Mention], passage: int
    ) -> None:
        """The speakers named in text[start:stop]: its persons; organisations only when no person is named
        (a person's organisation, in parentheses or apposition, does not speak)."""
        inside = [m for m in here if start <= m.start < stop]
        persons = [m for m in inside if m.etype == "Person"]
        before = [text[start : m.start] for m in inside]
        outside = [b.count("(") <= b.count(")") for b in before]  # not inside a person's parenthesis
        chosen = persons or [m for m, out in zip(inside, outside, strict=True) if m.etype in _ACTORS and out]
        for m in chosen:
            self._rel("speaker", key, m.key, passage, 0.7, rule="pattern:event-speaker")

    def _speaker_items(self, idx: int, unit: Unit) -> None:
        """An item of a list led by "Intervenants :" (or a line "Intervenants : A, B") names speakers of the
        last event told in the same section a few units before; an item of an event page's programme
        names speakers of the page's event after its cues ("Ouverture par X", "témoignages de Y")."""
        self._programme_speakers(idx, unit)
        led = unit.is_item and SPEAKER_LEAD.search(unit.lead or "")
        inline = SPEAKER_LEAD.search(unit.text) and ":" in unit.text[:30]
        last = self._last_event
        if not (led or inline) or last is None or last[0] != unit.section or idx - last[1] > 15:
            return
        if unasserted(unit.text, _ANNOUNCED):
            return
        start = unit.text.index(":") + 1 if inline and not led else 0
        self._speaker_list(last[2], unit.text, start, len(unit.text), self.mentions[idx], unit.passage)

    def _programme_speakers(self, idx: int, unit: Unit) -> None:
        """The persons an item under a "Programme" heading of an event page names after a speaker cue speak
        at the page's event; a negated or conditional item names none."""
        event = self._page_event
        if event is None or not unit.is_item:
            return
        if not any(_PROGRAMME_HEADING.match(h) for h in (*unit.context, *self._heading_path(idx))):
            return
        if unasserted(unit.text, _ANNOUNCED):
            return
        ments = [m for m in self.mentions[idx] if m.key != event]
        for cue in (*_SPEAKER_CUE.finditer(unit.text), *_PROGRAMME_CUE.finditer(unit.text)):
            stop = _list_end(unit.text, cue.end())
            persons = [m for m in ments if cue.end() <= m.start < stop and m.etype == "Person"]
            for m in persons:
                self._rel("speaker", event, m.key, unit.passage, 0.7, rule="pattern:programme-speaker")

    def _heading_path(self, idx: int) -> list[str]:
        """The headings over unit `idx`, nearest first, each of a higher rank than the one before
        ("Jour 1" under "Programme" under the page's title)."""
        path: list[str] = []
        rank: int | None = None
        for u in reversed(self.units[:idx]):
            if not u.is_heading:
                continue
            level = len(u.raw) - len(u.raw.lstrip("#")) or 1
            if rank is None or level < rank:
                path.append(u.text)
                rank = level
            if level <= 1:
                break
        return path


def _list_end(text: str, start: int) -> int:
    """Where a list of speakers starting at `start` ends: the sentence's end, a semicolon or where the
    clause goes on ("… recueillis par X", "… pour …")."""
    end = re.search(
        r"[;]|\s(?:par|pour|sur|qui|que|dont|afin|lors|avant|apr[èe]s|autour)\b"
        r"|\s[a-zà-ÿ]+(?:é|ée|és|ées|is|ies)\s+(?:par|en|à|au|le|la)\b|$",
        text[start:],
    )
    return start + (end.start() if end else 0)
