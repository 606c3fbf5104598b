"""Rule family "events": events with title, date, place, organisers, partners; clubs, calendars."""

from __future__ import annotations

import re

from essgraph.core.text import MONTH_PATTERN, slugify
from essgraph.ingest.extract import gazetteer as gz
from essgraph.ingest.extract.assertion import PARTS, unasserted
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.lexicon import load_lexicon
from essgraph.ingest.extract.mentions import CAPW, UP, Mention
from essgraph.ingest.extract.names import plausible_title
from essgraph.ingest.extract.numbers import YEAR as _YEAR
from essgraph.ingest.extract.numbers import num as _num
from essgraph.ingest.extract.rules.common import (
    LOW,
    MONTHS,
    sentence_at,
    sentence_spans,
)
from essgraph.ingest.extract.rules.event_roles import EventRoleRules, own_text
from essgraph.ingest.extract.units import Unit, clean

_PARTICIPANTS = re.compile(
    r"((?:plus de |pr[èe]s de |environ |une |pr[èe]s d'une )?(?:\d[\d\s]*|centaine|soixantaine|cinquantaine|"
    r"trentaine|vingtaine|quarantaine))\s*(?:de )?(?:participant|personnes|repr[ée]sentant|[ée]lu|acteur)",
    re.IGNORECASE,
)

_DATE_NUM = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b")

_DATE_TXT = re.compile(
    rf"\b(?:(\d{{1,2}})(?:er)?\s+)?({MONTH_PATTERN})\s+(\d{{4}})\b",
    re.IGNORECASE,
)

_DATE_RANGE = re.compile(
    rf"\b(\d{{1,2}})(?:er)?\s*(?:et|au|-|&|/)\s*\d{{1,2}}(?:er)?\s+({MONTH_PATTERN})\s+(\d{{4}})\b",
    re.IGNORECASE,
)

_EVENT_WORD = re.compile(
    r"\b(webinaires?|webinars?|s[ée]minaires?|rencontres?|journ[ée]es?(?: d'[ée]changes?)?|forum|"
    r"conf[ée]rences?(?: en ligne)?|colloques?|assises|salons?(?!-)|festivals?|tables?[- ]rondes?|"
    r"universit[ée]s? d'[ée]t[ée]|matinales?|"
    r"flashweb|agora|f[êe]te|assembl[ée]e g[ée]n[ée]rale|module|visio(?:conf[ée]rence)?|formations?|"
    r"lancement(?: d'un)? club|club)\b",
    re.IGNORECASE,
)

_REGION_CANONICAL = {
    fold(alias): name for name, aliases in gz.REGION_NAMES.items() for alias in (name, *aliases)
}

_CLUB_REGION = re.compile(
    r"(?<![\w-])("
    + "|".join(
        re.escape(alias)
        for alias in sorted({a for n, al in gz.REGION_NAMES.items() for a in (n, *al)}, key=len, reverse=True)
    )
    + r")(?![\w-])"
)

# What an organisation named in an event's line is to the event, by the nearest cue before its name.
_EVENT_CUE = re.compile(
    r"(?P<support>avec le soutien|gr[âa]ce au soutien|soutenue?s? par|financ[ée]e?s? par)"
    # "organisées le 12 octobre à Vannes par X": a date or place may come between the participle and "par"
    r"|(?P<organised>(?:co-?)?organis[ée]e?s?\s+(?:(?:le|les|du|en|à)\s[^;:,()]{0,50}?\s)?par"
    r"|co-?organis\w*(?:\s+avec)?)"
    # a host, a venue's owner or a speaker is neither partner nor organiser (extract/rules/event_roles.py)
    r"|(?P<role>accueilli\w*\s+par|l'invitation\s+d|interventions?\s+d|t[ée]moignages?\s+d|interv\w+\s*:"
    r"|locaux\s+d|table\s+ronde)"
    r"|\bavec\b|partenariat|co-?anim\w*",
    re.IGNORECASE,
)

# A common word between an organiser cue and a name: the name sits in an apposition, not in the list.
_APPOSED = re.compile(r"\b(?!(?:de|du|des|la|le|les|et|l|d|au|aux|à)\b)[a-zà-ÿ][a-zà-ÿ-]{2,}")


# a name carrying its year or edition ("Rencontres régionales de l'ESS 2024", "3e rencontre du club")
# names one event even in the plural
_EDITION = re.compile(
    r"\b(?:19|20)\d\d\b|\b\d+\s*(?:e|è|ème|eme|re|ère)\b|\b(?:premi[èe]re|deuxi[èe]me|troisi[èe]me)s?\b"
)

# where an event's title ends: at its partners or supporters, a date or a parenthesis, the sentence's end
_TITLE_TAIL = re.compile(
    r",?\s*(?:en partenariat|(?:co-?)?organis[ée]+s?\s+(?:par|avec)|retour sur|avec le soutien)"
    r"|\s+-\s+\d|\s+\(|[.;]\s|:\s*\d",
    re.IGNORECASE,
)

# the plural event words that, in lower case and without a title, count meetings rather than name one
_COUNTED = re.compile(r"(?:rencontres|webinaires|s[ée]minaires|journ[ée]es|formations)\b")

_QUOTED = re.compile(r"[«\"“]\s*([^»\"”]{4,120})\s*[»\"”]")

# a sentence that gathers people: its count is the attendance of the event told just before
_GATHERED = re.compile(
    r"\b(?:se sont (?:retrouv|r[ée]uni|rassembl|d[ée]plac)|ont (?:particip|assist|pris part|r[ée]pondu)"
    r"|r[ée]unissant|rassemblant|participants?\b)",
    re.IGNORECASE,
)

_SEASON = re.compile(r"\b(?:au |en |à l')?(printemps|[ée]t[ée]|automne|hiver)\s+(\d{4})\b", re.IGNORECASE)

# one way only to read a place name (a token has no hyphen, the joints do), so no backtracking blows up
_PLACE_TOKEN = rf"[{UP}][\w'&+]*"
_PLACE_NAME = rf"{_PLACE_TOKEN}(?:(?:\s|-)(?:(?:sur|de|en|le|la|lès|les)(?:\s|-))?{_PLACE_TOKEN})*"

# where an event is held: "à Rennes (35)"; a place name goes on with words, never with a day
# ("à Rennes le 6 novembre": Rennes)
_PLACE = re.compile(rf"\b(?:à|a) ({CAPW}(?:[\s-](?:sur|de|en|le|la)?[\s-]?{CAPW})*)(?:\s*\(([^)]+)\))?")

_WHEN = (
    rf"(?:(?:le|les|du)\s+\d{{1,2}}(?:er)?(?:\s*(?:et|au|&|-)\s*\d{{1,2}}(?:er)?)?\s+(?:{MONTH_PATTERN})"
    rf"(?:\s+\d{{4}})?|en\s+(?:{MONTH_PATTERN})(?:\s+\d{{4}})?|(?:au\s+|en\s+)?(?:printemps|[ée]t[ée]|automne|hiver)"
    r"(?:\s+\d{4})?)"
)

# one occurrence of an event: its place(s) ("à Dijon/Langres", "à Dijon puis à Langres"), then when, then
# what the parenthesis says (its attendance)
_OCCURRENCE = re.compile(
    rf"\b(?:à|a)\s+(?P<places>{_PLACE_NAME}(?:\s*(?:/|&|,|\bet\b|\bpuis\b)\s*(?:(?:à|a)\s+)?{_PLACE_NAME})*)"
    rf"\s*,?\s+(?P<when>(?i:{_WHEN}))(?:\s*\((?P<paren>[^)]*)\))?",
)

# "Organisation de 2 rencontres autour de l'alimentation : …": several events announced with their
# head noun and its complement
_ANNOUNCED = re.compile(
    r"\b(?:\d+|deux|trois|quatre|cinq|six|plusieurs)\s+"
    r"(rencontre|webinaire|s[ée]minaire|journ[ée]e|atelier|conf[ée]rence|r[ée]union|forum|formation)s?"
    r"\s+([^:]{3,90}?)\s*:",
    re.IGNORECASE,
)

# a date or a place closing a title ("… du RTES le 7 juillet à Nantes"): not part of the event's name
_NAME_DATE_TAIL = re.compile(rf",?\s+(?i:{_WHEN})\s*$")
_NAME_PLACE_TAIL = re.compile(rf",?\s+(?:à|a)\s+({_PLACE_NAME})\s*$")


# an event that « pourrait se tenir », « si … »: considered, not told (a negated, postponed or cancelled
# event is still one, with its status)
_ONLY_CONSIDERED = frozenset(PARTS) - {"modality", "condition"}

# the active verb of (co-)organisation, after its subject (one actor or several, coordinated); "ne … pas",
# "pourrait" never match (the words before the verb must all be the subject's); the parse reads the
# same clauses, but loses the object when a date comes first (« X organise le 3 mai un webinaire … »)
_ACTIVE_ORGANISE = re.compile(
    r"\b(?:(?:co-?)?organis(?:e|ent|era|eront)|(?:a|ont|avaient|avait)\s+(?:co-?)?organis[ée])\b",
    re.IGNORECASE,
)
_SUBJECT_GLUE = frozenset(
    "et , la le les l' l du de des d' ainsi que avec association collectif reseau ville commune metropole "
    "region departement communaute agglomeration federation cooperative scic mairie "
    "conseil structures partenaires".split()
)


def _titles(raw: str) -> list[str]:
    """The link titles of a raw unit ("[Webinaire X](#)"), cleaned."""
    return [clean(t) for t in re.findall(r"\[([^\]]+)\]\(", raw)]


def _event_name(title: str, date: str | None) -> tuple[str, list[str]]:
    """An event's name is its head noun and complement: the date and place closing a title are cut off
    (returned as places); a bare head noun ("Assemblée générale") takes the year to tell one edition
    from the next. Returns (name, places cut off)."""
    places: list[str] = []
    name = title
    while True:
        shorter = _NAME_DATE_TAIL.sub("", name)
        place = _NAME_PLACE_TAIL.search(shorter)
        if (
            place
            and len(shorter[: place.start()].split()) >= 1
            and _EVENT_WORD.search(shorter[: place.start()])
        ):
            places.append(place.group(1))
            shorter = shorter[: place.start()]
        if shorter == name or len(shorter) < 4:
            break
        name = shorter.strip(" ,")
    if date and _EVENT_WORD.fullmatch(name) and not _YEAR.search(name):
        name = f"{name} {date[:4]}"
    return name, places


def _occurrences(
    text: str, date: str, report_year: str | None
) -> list[tuple[list[str], str | None, re.Match[str] | None]]:
    """The occurrences of an event told in `text`: (places, ISO date or None, attendance match) each."""
    found = []
    year = _YEAR.search(date or "") or (_YEAR.search(report_year) if report_year else None)
    for m in _OCCURRENCE.finditer(text):
        places = [
            p.strip() for p in re.split(r"\s*(?:/|&|,|\bet\b|\bpuis\b)\s*(?:(?:à|a)\s+)?", m.group("places"))
        ]
        when = m.group("when")
        iso = _parse_date(when)
        if iso is None and year:
            iso = _parse_date(f"{when} {year.group(1)}") or (
                year.group(1) if _SEASON.search(f"{when} {year.group(1)}") else None
            )
        count = _PARTICIPANTS.search(m.group("paren") or "")
        found.append(([p for p in places if p], iso, count))
    return found


def _count_value(text: str) -> str:
    folded = fold(text)
    words = {
        "centaine": "100",
        "soixantaine": "60",
        "cinquantaine": "50",
        "trentaine": "30",
        "vingtaine": "20",
        "quarantaine": "40",
    }
    for w, v in words.items():
        if w in folded:
            return v
    digits = re.search(r"\d[\d\s]*", text)
    return _num(digits.group(0)) if digits else text


# a day and month with no year; of a span (« 5&6 mai », « du 2 au 6 juin ») the first day
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:er)?(?:\s*(?:&|et|au|-|/)\s*\d{{1,2}}(?:er)?)?\s+({MONTH_PATTERN})\b(?!\s+\d{{4}})",
    re.IGNORECASE,
)
# A date that is not the event's own: a deadline (« inscriptions jusqu'au 15 janvier », « avant le 3 mai »,
# « date limite : … ») or the date a postponed or cancelled event had first (« initialement prévue le … »)
_NOT_THE_EVENT_DATE = re.compile(
    r"(?:jusqu['’]\s*(?:au|à)|avant\s+le|au\s+plus\s+tard\s+le|date\s+limite(?:\s+\w+){0,3}\s*:?(?:\s+le)?|"
    r"initialement\s+pr[ée]vue?s?(?:\s+pour)?\s+le|"
    # the day a figure was counted (« téléchargé 431 fois (au 25 avril 2023) »)
    r"\(\s*au)\s+"
    rf"(?:\d{{1,2}}(?:er)?\s+(?:{MONTH_PATTERN})(?:\s+\d{{4}})?|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})",
    re.IGNORECASE,
)
# the day the event was announced, presented or decided (« Annoncé le 12 janvier lors des vœux, le forum
# … », « …, a annoncé le maire le 12 janvier »): that act's date, not the event's — unless the act took
# place at an event named in the same clause (« présentée le 30.11.21 à l'occasion d'une visio »)
_ANNOUNCED_ON = re.compile(
    r"\b(?:annonc|pr[ée]sent|d[ée]voil|d[ée]cid|vot|adopt|valid|communiqu)(?:é|ée|és|ées)"
    r"(?:\s+(?!le\s+\d)[\w'’-]+){0,3}?\s+le\s+"
    rf"(?:\d{{1,2}}(?:er)?\s+(?:{MONTH_PATTERN})(?:\s+\d{{4}})?|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})"
    rf"(?![^,.;]{{0,60}}?{_EVENT_WORD.pattern})",
    re.IGNORECASE,
)


def _parse_date(text: str) -> str | None:
    """The first date written in `text` as ISO (YYYY-MM-DD or YYYY-MM), or None; a deadline, the first
    date of a postponed event or the day it was announced is not one."""
    written, text = text, _ANNOUNCED_ON.sub(" ", _NOT_THE_EVENT_DATE.sub(" ", text))
    m3 = re.search(r"\b(\d{1,2})\s*(?:&|et)\s*(\d{1,2})\.(\d{1,2})\.(\d{2})\b", text)
    if m3:
        return f"20{m3.group(4)}-{int(m3.group(3)):02d}-{int(m3.group(1)):02d}"
    span = _DATE_RANGE.search(text)
    if span:  # "les 6 et 7 juillet 2023", "du 3 au 5 mai 2024": the event starts on its first day
        return f"{span.group(3)}-{MONTHS[fold(span.group(2))]:02d}-{int(span.group(1)):02d}"
    m = _DATE_NUM.search(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        year = year if len(year) == 4 else f"20{year}"
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}"
    m2 = _DATE_TXT.search(text)
    if m2:
        month = MONTHS[fold(m2.group(2))]
        if m2.group(1):
            return f"{m2.group(3)}-{month:02d}-{int(m2.group(1)):02d}"
        return f"{m2.group(3)}-{month:02d}"
    season = _SEASON.search(text)
    if season:
        return season.group(2)  # "au printemps 2025": the year
    # « inscriptions jusqu'au 15 janvier 2025 ; le séminaire se tiendra le 30 janvier »: a day and month
    # written without a year take the year of another date the same text writes (not any year: « le 12
    # mars, bilan 2019 » says nothing of when the 12 March was)
    alone = _DAY_MONTH.search(text)
    dated = _DATE_TXT.search(written)
    if alone and dated:
        return f"{dated.group(3)}-{MONTHS[fold(alone.group(2))]:02d}-{int(alone.group(1)):02d}"
    return None


VERSION = "9"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


def _listed_after(between: str) -> bool:
    """Whether a name whose cue (« organisé par », « avec le soutien de ») is `between` characters
    before it is one of the names the cue lists: no common word of an apposition (« X, vice-présidente
    de la Métropole Z ») nor an open parenthesis (« la DG Agri (Mme Y) ») stands between."""
    if between.count("(") > between.count(")"):
        return False
    return not any(fold(w.group(0)) not in _SUBJECT_GLUE for w in _APPOSED.finditer(between))


def _quote_names_event(text: str, start: int) -> bool:
    """Whether the quoted title at `start` may name an event: a title names the noun just before it,
    and « le guide « X » », « le programme « Y » » name a publication or a programme (the kinds of the
    lexicon's heads), not the event the sentence also tells."""
    before = fold(text[max(0, start - 40) : start]).rstrip(" ,:")
    kinds = load_lexicon().heads
    nearest = max(
        (
            (m.start(), kind)
            for head, kind in kinds.items()
            for m in re.finditer(rf"\b{re.escape(fold(head))}s?$", before)
        ),
        default=None,
    )
    return nearest is None or nearest[1] == "Event"


# what may stand between a title and the event word it names when the title comes first (« [X](#),
# conférence en ligne », « [Y](#) le 16 mai en visioconférence »): punctuation, dates and small words
_TITLE_TO_WORD = re.compile(
    rf"(?:[\s,:;–()*\[\]#-]|\d+(?:er)?|\b(?:{MONTH_PATTERN}|le|la|les|en|au|aux|du|des|de|un|une)\b|\b[ld]['’])*",
    re.IGNORECASE,
)
_NAMED_YEAR = re.compile(r"\b((?:19|20)\d{2})\s*$")  # an edition's year closing an event's name


def _far_before(start: int, length: int, word: re.Match[str], text: str) -> bool:
    """Whether a title of `length` characters at `start` of `text` (-1: not found there) stands before the
    event `word` of the same text with more than dates and small words between: then it names another thing
    (« le kit, renommé « X », a été présenté au Salon … »), not the event."""
    if word.string is not text or start < 0 or start > word.start():
        return False
    return _TITLE_TO_WORD.fullmatch(text[start + length : word.start()]) is None


def _first_told(text: str) -> re.Match[str] | None:
    """The first event word of `text` that may tell one event: a lowercase plural (« nous avons organisé
    14 rencontres et webinaires ») counts meetings, so a later named one (« … et co-organisé les
    Rencontres régionales de l'ESS le 17 octobre ») is the event told; the first word when all count;
    None when the only event words are inside another thing's quoted title."""
    # an event word inside the quoted title of a guide, a booklet or a programme (« le livret « Journal d'un
    # forum … » ») belongs to that title
    others = [q.span() for q in _QUOTED.finditer(text) if not _quote_names_event(text, q.start())]
    found = [w for w in _EVENT_WORD.finditer(text) if not any(a <= w.start() < b for a, b in others)]
    for word in found:
        if not (_COUNTED.match(fold(word.group(0))) and word.group(0)[:1].islower()):
            return word
    return found[0] if found else None


def _capitalised_inside(text: str, word: re.Match[str] | None) -> bool:
    """Whether the event word is written with a capital inside its sentence (« la Ville organise les
    Rencontres de … »): a name, not a common plural (« les rencontres de l'année »)."""
    if word is None or word.string is not text or not word.group(0)[:1].isupper():
        return False
    before = text[: word.start()].rstrip()
    return bool(before) and not before.endswith((".", "!", "?", ":", "\n"))


def _event_span(
    text: str, word: re.Match[str] | None, title: str, offset: int, mentions: list[Mention]
) -> tuple[int, int] | None:
    """Where the unit names the event told by `text` (which starts at `offset` in the unit): from its
    event word to the end of its title (« journée « ESS et alimentation » »), the title alone, or the
    word alone; None when the text names it nowhere (a title from a heading or a list's lead) or
    only across another entity's name, so that the parse of the clause sees the event where it is
    ("X organise un webinaire …": the webinar is X's object)."""
    own = word if word is not None and word.string is text else None
    found = re.search(re.escape(title), text, flags=re.IGNORECASE) if title else None
    spans: list[tuple[int, int]] = []
    if found is not None:
        start, end = found.span()
        closing = re.match(r"\s?[»\"”]", text[end:])
        end += closing.end() if closing else 0
        if own is not None and own.start() < start and start - own.end() <= 3:  # « journée « T » »
            start = own.start()
        spans.append((start, end))
    if own is not None:
        spans.append((own.start(), own.end()))
    for start, end in spans:
        start, end = start + offset, end + offset
        if not any(m.start < end and start < m.end for m in mentions if m.end > m.start):
            return start, end
    return None


class EventRules(EventRoleRules):
    """Events with their title, date, place, organisers and partners; clubs, calendars, timelines."""

    def _events(self, idx: int, unit: Unit) -> None:
        self._speaker_items(idx, unit)
        if not unit.is_item and len(unit.text) > 400:
            self._paragraph_events(idx, unit)
            return
        self._event_in(idx, unit, unit.text, unit.raw)

    def _paragraph_events(self, idx: int, unit: Unit) -> None:
        """A long paragraph tells an event in one sentence (a titled event word and its date) and often its
        attendance in the next ("Plus de 90 élus se sont retrouvés…"): each such sentence is read as a
        unit of its own, the count taken from the next sentence when that one gathers people and names
        no event of its own."""
        spans = sentence_spans(unit.text)
        for i, (start, sentence) in enumerate(spans):
            titled = (
                [t for t in _titles(unit.raw) if t in sentence]
                or _QUOTED.findall(sentence)
                or _capitalised_inside(sentence, _EVENT_WORD.search(sentence))
            )
            if not titled or not _EVENT_WORD.search(sentence) or not _parse_date(sentence):
                continue
            follow = spans[i + 1][1] if i + 1 < len(spans) else ""
            count = None
            if (
                not _PARTICIPANTS.search(sentence)
                and _GATHERED.search(follow)
                # a next sentence titling an event of its own ("… au webinaire « X »") counts that one
                and not any(t in follow for t in _titles(unit.raw))
                and not _QUOTED.search(follow)
            ):
                count = _PARTICIPANTS.search(follow)
            self._event_in(idx, unit, sentence, unit.raw, offset=start, count=count)

    def _event_in(
        self,
        idx: int,
        unit: Unit,
        text: str,
        raw: str,
        *,
        offset: int = 0,
        count: re.Match[str] | None = None,
    ) -> None:
        """The event(s) told by `text` (the unit, or one sentence of it starting at `offset`)."""
        text = own_text(text, _EVENT_WORD)  # "La prochaine rencontre aura lieu à …" tells another edition
        word = _first_told(text)
        previous: list[str] = []
        for j in range(idx - 1, max(-1, idx - 30), -1):
            if not self.units[j].is_item:
                previous = [self.units[j].text]
                break
        context_word = next(
            (_EVENT_WORD.search(c) for c in reversed([*unit.context, *previous]) if _EVENT_WORD.search(c)),
            None,
        )
        date = _parse_date(text) or self._date_in_report_year(text)
        count = count or _PARTICIPANTS.search(text)
        if not (word or (unit.is_item and context_word and (date or count))):
            return
        if not (date or count):
            return
        if word is not None and unasserted(sentence_at(text, word.start()), _ONLY_CONSIDERED):
            return
        if date is None and count and self._report_year():
            date = self._report_year()  # an activity report tells the events of its year
        title = self._event_title(unit, word or context_word, text, raw)
        named_year = _NAMED_YEAR.search(title) if title else None
        if (
            named_year
            and date
            and not date.startswith(named_year.group(1))
            and word is not None
            and word.string is text
            and _parse_date(sentence_at(text, word.start())) is None
        ):
            # an edition's year closing its name (« le Salon des Maires 2022 ») dates it when its own sentence
            # gives no date: a date of another year elsewhere in the text is another thing's (an update « en
            # octobre 2021 »); a year inside a title (« Municipales 2026 : … ») is no edition's
            date = named_year.group(1)
        if not title or (
            _COUNTED.match(fold(title))
            and not re.search(r"\[[^\]]+\]\(", raw)
            and not any(_quote_names_event(text, q.start()) for q in _QUOTED.finditer(text))
            and not _EDITION.search(title)
            and not _capitalised_inside(text, word)
        ):
            return  # a plural without a title counts several events (a yearly total), not one
        named_at = _event_span(text, word, title, offset, self.mentions[idx])
        trigger = word or context_word
        kind = trigger.group(1) if trigger else "Événement"
        kind = re.sub(r"s\b", "", kind.split()[0]) if kind.split()[0].endswith("s") else kind
        title, title_places = _event_name(title, date)
        label = (
            title
            if re.sub(r"^\d+\s*\w{1,3}\s+", "", fold(title)).startswith(fold(kind)[:5])
            else f"{kind[:1].upper()}{kind[1:]} « {title} »"
        )
        occurrences = _occurrences(text, date or "", self._report_year())
        if len(occurrences) >= 2:
            # several meetings told in one item ("2 rencontres … : « T » à A en mai (…) et à B en juin (…)"):
            # one event per place and date, named by the item's head noun and complement, and its place
            head = _ANNOUNCED.search(text)
            base = f"{head.group(1)[:1].upper()}{head.group(1)[1:]} {clean(head.group(2))}" if head else label
            for places, when, n in occurrences:
                name = f"{base} à {'/'.join(places)}"
                node = self._event_node(idx, unit, name, when or date, n, alt=(title, label), slug_text=name)
                for place_name in places:
                    self._event_place(node, place_name, None, unit.passage)
            key: str | None = None
        else:
            key = self._event_node(idx, unit, label, date, count, alt=(title,), where=named_at)
            place = _PLACE.search(text)
            named = occurrences[0][0] if occurrences else [place.group(1)] if place else title_places[:1]
            for name in named:
                if not self.reg.canonical_org(name) and name not in {"ESS", "RTES"}:
                    dept = place.group(2) if place and place.group(1) == name else None
                    self._event_place(key, name, dept, unit.passage)
        if key is None:
            return
        self._subject_organisers(idx, unit, key, text, offset)
        self._event_roles(idx, unit, key, text, offset)
        for m in self.mentions[idx]:
            # a collectivité named as a bare place is where things happen, not a partner (a clause may make
            # it act); "Ville de X", "la Métropole" are actors
            if (
                m.etype in ("Organisation", "Collectivite", "Initiative")
                and m.key != key
                and not m.bare_place
                and offset <= m.start <= offset + len(text)
            ):
                start = m.start - offset
                # the nearest cue before the name says its part: "organisé par X en partenariat avec Y"
                # makes X the organiser and Y a partner; a supporter ("avec le soutien de") is neither
                cues = list(_EVENT_CUE.finditer(text[:start]))
                if cues and cues[-1].group("support"):
                    self._event_backer(key, m, cues[-1], text, start, unit.passage)
                    continue
                if not cues or cues[-1].group("role"):
                    continue
                kind_rel = "organisedBy" if cues[-1].group("organised") else "partnerOf"
                # the cue governs the names listed right after it, not one reached across an apposition
                # ("organisée par X, Y, vice-présidente de la Métropole Z": Z organises nothing)
                # (the nouns that introduce listed names, "l'association X et la ville Y", do not count)
                # a name in parentheses after the listed ones is who represented them: « organisée par la
                # DG Agri (Mme X) » makes X no organiser
                between = text[cues[-1].end() : start]
                if not _listed_after(between) and (kind_rel == "organisedBy" or "(" in between):
                    continue
                self._rel(kind_rel, key, m.key, unit.passage, 0.7, rule="pattern:event-partner")

    def _event_backer(
        self, key: str, actor: Mention, cue: re.Match[str], text: str, start: int, passage: int
    ) -> None:
        """« avec le soutien de X », « soutenu par X »: X, a collectivité or an organisation named right
        after the cue (listed names only, not one reached across an apposition), supports the event;
        « financé par » is the funding family's."""
        if actor.etype not in ("Collectivite", "Organisation") or fold(cue.group(0)).startswith("financ"):
            return
        if not _listed_after(text[cue.end() : start]):
            return
        self._rel("supports", actor.key, key, passage, 0.7, rule="pattern:event-backer")

    def _subject_organisers(self, idx: int, unit: Unit, key: str, text: str, offset: int) -> None:
        """ "X et Y co-organisent / ont co-organisé / organisent conjointement <the event>": each actor of the
        coordinated subject organises the event; a negated or conditional verb asserts nothing."""
        verb = _ACTIVE_ORGANISE.search(text)
        if verb is None or not _EVENT_WORD.search(text, verb.end()):
            return
        subject = [
            m
            for m in self.mentions[idx]
            if m.etype in ("Organisation", "Collectivite", "Initiative")
            and m.key != key
            and offset <= m.start
            and m.end - offset <= verb.start()
        ]
        if not subject:
            return
        # between the names, only coordination and the nouns/articles that introduce them
        gaps = text[: verb.start()]
        for m in sorted(subject, key=lambda x: x.start, reverse=True):
            gaps = gaps[: m.start - offset] + " " + gaps[m.end - offset :]
        if any(w not in _SUBJECT_GLUE for w in re.findall(r"[\w'-]+", fold(gaps))):
            return
        for m in subject:
            self._rel("organisedBy", key, m.key, unit.passage, 0.7, rule="pattern:event-coorganisers")

    def _event_node(
        self,
        idx: int,
        unit: Unit,
        label: str,
        date: str | None,
        count: re.Match[str] | None,
        *,
        alt: tuple[str, ...] = (),
        slug_text: str | None = None,
        where: tuple[int, int] | None = None,
    ) -> str:
        """The Event node named `label`, dated, counted and given its status; returns its key. Its mention
        in the unit is at `where` (the unit's characters naming it), else a mention of the whole unit."""
        title = alt[0] if alt else label
        slug = slugify(f"{slug_text or title} {date or ''}")
        key = self.reg.add(
            "Event", label, unit.passage, key=f"event/{slug}", alt=tuple(a for a in alt if a != label)
        )
        start, end = where or (0, 0)
        self.mentions[idx].append(Mention(key, "Event", start, end, title))
        if date:
            self.reg.attr(key, "eventDate", date)
        if count:
            self.reg.attr(key, "participantCount", _count_value(count.group(1)))
            self.reg.attr(key, "participantText", count.group(0))
        self.reg.attr(key, "eventStatus", self._status(unit))
        return key

    def _event_place(self, key: str, name: str, dept: str | None, passage: int) -> None:
        """The event `key` takes place in `name` (a Place node, "(dept)" kept as an alternative label)."""
        pkey = self.reg.add(
            "Place",
            name,
            passage,
            key=f"place/{slugify(name)}",
            alt=(f"{name} ({dept})",) if dept else (),
        )
        self._rel("locatedIn", key, pkey, passage, 0.7, rule="pattern:event-place")

    def _report_year(self) -> str | None:
        """The year an activity report ("Rapport d'activité 2023") accounts for, or None otherwise."""
        if not re.search(r"rapport d'activit|bilan", fold(self.doc.title or "")):
            return None
        year = _YEAR.search(self.doc.title or "") or _YEAR.search(self.doc.issued or "")
        return year.group(1) if year else None

    def _date_in_report_year(self, text: str) -> str | None:
        """A day and month without year ("le 26 septembre") dated in the report's year, or None."""
        year = self._report_year()
        m = re.search(
            rf"\b(\d{{1,2}})(?:er)?\s+({MONTH_PATTERN})\b(?!\s+\d{{4}})",
            text,
            re.IGNORECASE,
        )
        if not (year and m):
            return None
        month = MONTHS[fold(m.group(2))]
        return f"{year}-{month:02d}-{int(m.group(1)):02d}"

    def _event_title(self, unit: Unit, word: re.Match[str] | None, text: str, raw: str) -> str | None:
        links = [t for t in _titles(raw) if text is unit.text or t in text]
        if word is not None:
            # a link written before the event word, with no event word of its own and more than a date
            # between, names another thing (« le kit, disponible sur [le site du RTES], a été présenté au
            # Salon des … »)
            links = [
                t for t in links if _EVENT_WORD.search(t) or not _far_before(text.find(t), len(t), word, text)
            ]
        bolds = [b for b in re.findall(r"\*\*([^*]+)\*\*", raw) if text is unit.text or b in text]
        quoted = [
            q.group(1)
            for q in _QUOTED.finditer(text)
            if _quote_names_event(text, q.start())
            and (word is None or not _far_before(q.start(), q.end() - q.start(), word, text))
        ]
        title = None
        if links:
            title = links[0]
        elif quoted:
            title = quoted[0]
        elif bolds and _EVENT_WORD.search(bolds[0]):
            title = bolds[0]
        elif word is not None:
            # the event word may come from a heading above the unit: then the unit itself is the title
            own = word.string is text
            title = text[word.start() :] if own else text
            # an edition's ordinal before the word is part of the name ("la 3e rencontre du club …")
            ordinal = re.search(r"\b\d+\s*(?:e|è|ème|eme|re|ère)\s+$", text[: word.start()]) if own else None
            if ordinal:
                title = text[ordinal.start() :]
            # a title read from running text ends before the clause goes on: at a comma or at the
            # sentence's verb ("L'assemblée générale du 14 mars, réunie à …, a renouvelé …")
            title = re.split(
                rf",\s+(?=qui\b|que\b|qu'|dont\b|o[uù]\b|[{LOW}-]+(?:é|ée|és|ées|i|ie|is|ies)\b)"
                r"|\s(?:a|ont|est|sont|sera|seront|aura|auront|se|s')\s|\ss'(?=[a-zé])",
                title,
            )[0]
            # nor does it run on into its date or its purpose ("… le 19 décembre pour partager …")
            title = re.split(
                rf"\s+(?:le|du|les)\s+\d{{1,2}}(?:er)?\s+(?:{MONTH_PATTERN})\b"
                r"|\s+(?:pour|afin de)\s+(?:les?\s+|la\s+|l')?[a-zà-ÿ]+(?:er|ir|re)\b",
                title,
                flags=re.IGNORECASE,
            )[0]
            title = _TITLE_TAIL.split(title)[0]  # nor into the next sentence or its partners
            candidate = clean(title).strip(' ,:-«»"')
            if not plausible_title(candidate[:1].upper() + candidate[1:]):
                # an untitled item of a list names its event by the list's lead line ("Décryptage de X :"
                # / "- Organisation d'un webinaire avec …"), else it is a piece of a sentence, not a name
                lead = clean(unit.lead or "").rstrip(" :")
                if not (own and unit.is_item and lead and plausible_title(lead) and not _YEAR.search(lead)):
                    return None
                title = lead
        if not title:
            return None
        title = clean(title)
        title = _TITLE_TAIL.split(title)[0]
        title = re.sub(
            r"^(?:Organisation d'un |Organisation de |Participation (?:à|au) |Co-construction d'un |"
            r"un |une |le |la |l')",
            "",
            title,
            flags=re.IGNORECASE,
        )
        title = title.strip(' ,:-«»"')
        if len(title) < 4:
            return None
        return title[:1].upper() + title[1:]

    def _clubs(self, idx: int, unit: Unit) -> None:
        """Regional clubs of collectivités: the club, its co-animating partners, its meeting count and its
        launch (an event, held or planned per the unit's lead line: "Réalisations 2021 :", "Actions 2022 :").

        A unit speaks of clubs when it says "club" before a region, or when it is nested under an item
        about clubs ("Co-animation des clubs … :" / "- en Ile de France, co-animé avec …"). Regions joined
        by "et" ("en Pays de la Loire, co-animé avec la CRESS, et en Bretagne") each get their club; the
        partners and counts of a segment belong to the region opening it.
        """
        text = unit.text
        about_clubs = re.search(r"\bclubs?\b", text, re.IGNORECASE)
        parent_clubs = unit.parent is not None and re.search(r"\bclubs?\b", unit.parent, re.IGNORECASE)
        if not (about_clubs or parent_clubs):
            return
        first = _CLUB_REGION.search(text, about_clubs.end() if about_clubs else 0)
        if first is None or (about_clubs and first.start() - about_clubs.end() > 60 and not parent_clubs):
            return
        if about_clubs is None and not re.match(r"^(?:en|dans|Lancement)\b", text):
            return
        regions = [first]
        for m in _CLUB_REGION.finditer(text, first.end()):
            if re.search(
                r"(?:,\s*|\s)(?:et\s+)?(?:en|\bet)\s*$", text[regions[-1].end() : m.start()][-12:]
            ) or (text[regions[-1].end() : m.start()].strip(" ,") in ("", "et")):
                regions.append(m)
        status, year = self._lead_status(unit)
        calendar = self._calendar_date(idx, unit) or _parse_date(text)
        launch_word = re.search(
            r"\blancement\b|\blanc[ée]\b|\bcr[ée]ation\b", text[: first.start()], re.IGNORECASE
        )
        for i, m in enumerate(regions):
            region = _REGION_CANONICAL[fold(m.group(1))]
            key = self.reg.add(
                "Organisation",
                f"Club ESS {region}",
                unit.passage,
                key=f"organisation/club-ess-{slugify(region)}",
                alt=(f"Club des collectivités ESS {region}", f"club {m.group(1)}", f"Club ESS {m.group(1)}"),
            )
            self.mentions[idx].append(Mention(key, "Organisation", m.start(1), m.end(1), m.group(1)))
            end = regions[i + 1].start() if i + 1 < len(regions) else len(text)
            segment = text[m.end() : end]
            # the bodies that co-animate a club with the network lead it with the network (pilotedBy); a
            # judged sample found "partner of the club" wrong for them, and a bare regional body wrong
            # ("which CRESS?"): in a club line it is the body of the club's région
            self._club_animators(idx, key, region, m.end(), end, unit.passage)
            meetings = re.search(r"\((\d+)\s+(rencontres?|r[ée]unions?|s[ée]ances?)\)", segment)
            if meetings:
                self._keyfigure(
                    key,
                    meetings.group(1),
                    "rencontres",
                    f"{text[: first.start()].strip(' ,')} {m.group(1)}{segment}".strip(" ,"),
                    unit.passage,
                    year=year,
                )
            if launch_word:
                date = calendar or year
                ev = self.reg.add(
                    "Event",
                    f"Lancement du club ESS {region}",
                    unit.passage,
                    key=f"event/lancement-club-ess-{slugify(region)}",
                    alt=(f"Lancement du club des collectivités ESS en {region}",),
                )
                self.reg.attr(ev, "eventStatus", status or self._status(unit))
                if date:
                    self.reg.attr(ev, "eventDate", date)
                self._rel("about", ev, key, unit.passage, 0.8, rule="pattern:club-launch")
                # the document's publisher organised it only where the line names it (a judged sample
                # found the unnamed default unsupported by its passage)
                if self.publisher_key and any(x.key == self.publisher_key for x in self.mentions[idx]):
                    self._rel(
                        "organisedBy", ev, self.publisher_key, unit.passage, 0.6, rule="pattern:club-launch"
                    )

    def _club_animators(self, idx: int, club: str, region: str, start: int, end: int, passage: int) -> None:
        """The organisations named after "avec" / "co-animé avec / par" in text[start:end] (one région's
        segment of a club line) lead the club: `club` pilotedBy each; a body that exists once per région
        (gazetteer.REGIONAL_BODIES) becomes that région's body ("CRESS" → "CRESS Occitanie")."""
        text = self.units[idx].text
        cue = re.search(r"\b(?:co-?anim[ée]e?s?\s+(?:avec|par)|avec)\b", text[start:end], re.IGNORECASE)
        if cue is None:
            return
        for mention in self.mentions[idx]:
            if not (start + cue.end() <= mention.start < end) or mention.etype != "Organisation":
                continue
            label = self.reg.entities[mention.key].label
            target = mention.key
            if label in gz.REGIONAL_BODIES:
                target = self.reg.add(
                    "Organisation",
                    f"{label} {region}",
                    passage,
                    key=f"organisation/{slugify(label)}-{slugify(region)}",
                    alt=(f"{label} de la région {region}",),
                )
            if target != club:
                self._rel("pilotedBy", club, target, passage, 0.7, rule="pattern:club-animator")

    def _lead_status(self, unit: Unit) -> tuple[str | None, str | None]:
        """(status, year) told by the lead line of the unit's list: "Réalisations 2021 :" → held in 2021,
        "Actions 2022 :" / "Calendrier 2022 :" / "Perspectives :" → planned; (None, None) otherwise."""
        lead = fold(unit.lead or "")
        year = _YEAR.search(lead)
        if re.search(r"r[ée]alis|bilan|retour", lead):
            return "tenu", year.group(1) if year else None
        if re.search(r"actions?|calendrier|perspectives?|pr[ée]vu|programm|objectifs?", lead):
            return "prevu", year.group(1) if year else None
        return None, year.group(1) if year else None

    def _calendar_date(self, idx: int, unit: Unit) -> str | None:
        """ "8 Lancement …" under a month heading ("JUIN") of a dated report: the full date, or None."""
        day = re.match(r"^(\d{1,2})\s+\S", unit.text)
        if not day:
            return None
        for j in range(idx - 1, max(-1, idx - 40), -1):
            month = MONTHS.get(fold(self.units[j].text.strip()))
            if month:
                year = _YEAR.search(self.doc.title or "") or _YEAR.search(self.doc.issued or "")
                return f"{year.group(1)}-{month:02d}-{int(day.group(1)):02d}" if year else None
        return None

    def _timeline(self, idx: int, unit: Unit) -> None:
        if not re.fullmatch(r"(1[89]\d\d|20\d\d)", unit.text) or idx + 1 >= len(self.units):
            return
        nxt = self.units[idx + 1]
        m = re.match(r"^Cr[ée]ation (?:du|de la|de l'|des|d')\s*(.+)$", nxt.text)
        if not m:
            return
        for ment in self.mentions[idx + 1]:
            if ment.etype in ("Organisation", "Initiative"):
                self._rel(
                    "foundingDate",
                    ment.key,
                    None,
                    nxt.passage,
                    0.8,
                    literal=unit.text,
                    rule="pattern:timeline",
                )
                ent = self.reg.entities[ment.key]
                full = re.sub(r"\s*\(.*\)$", "", m.group(1)).strip()
                if fold(full) != fold(ent.label):
                    ent.alt_labels.add(full)
                    ent.alt_labels.add(f"{ent.label} ({full})")
                break
