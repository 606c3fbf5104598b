"""Rule family "fields": the labelled facts of a page about one initiative (« Création : 2019 »)."""

from __future__ import annotations

import hashlib
import itertools
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from essgraph.ingest.extract.assertion import unasserted
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.clauses import DocumentSubject, subject_mentions
from essgraph.ingest.extract.mentions import INSTITUTION_WORDS, NAME, Mention
from essgraph.ingest.extract.numbers import AMOUNT, YEAR, num
from essgraph.ingest.extract.rules.common import MONTHS, ROLE_WORD, is_person_name
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import Unit, clean
from essgraph.ontology.communes import commune_named

_DATA = resources.files("essgraph.ingest.extract").joinpath("fields.toml").read_bytes()
# bump the number when the code's output changes; the digest follows the field table (fields.toml)
VERSION = "4." + hashlib.sha256(_DATA).hexdigest()[:8]

RULE = "structure:page-field"
RULE_SENTENCE = "pattern:page-field-sentence"
CONFIDENCE = 0.8  # a labelled line states its fact; the doubt left is whose fact it is
_ACTORS = frozenset({"Initiative", "Organisation", "Collectivite"})


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled fact: its labels (folded), the relation kind, the kind of value and its direction."""

    name: str
    kind: str
    value: str
    labels: frozenset[str]
    inverse: bool = False
    complement: bool = False
    label_is_role: bool = False


@dataclass(frozen=True, slots=True)
class FieldTable:
    """The field table of fields.toml: the fields and the headings of a block about the page's subject."""

    fields: tuple[Field, ...]
    block_headings: frozenset[str]
    elected_office: re.Pattern[str] = re.compile(r"(?!)")  # a function that is a collectivité's office


def _norm(label: str) -> str:
    """A label folded, without emphasis, bullets, a trailing year or parenthesis, spaces collapsed."""
    text = fold(re.sub(r"[*_]", "", label))
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\b(?:19|20)\d\d\b", " ", text)
    text = re.sub(r"^[\s\-•►✓#]+", "", text)
    return re.sub(r"\s+", " ", text).strip(" .:")


@lru_cache(maxsize=1)
def load_fields() -> FieldTable:
    """The packaged field table; raises tomllib.TOMLDecodeError if fields.toml is broken (packaging)."""
    raw = tomllib.loads(_DATA.decode("utf-8"))
    fields = tuple(
        Field(
            name=f["name"],
            kind=f["kind"],
            value=f["value"],
            labels=frozenset(_norm(x) for x in f["labels"]),
            inverse=bool(f.get("inverse", False)),
            complement=bool(f.get("complement", False)),
            label_is_role=bool(f.get("label_is_role", False)),
        )
        for f in raw["field"]
    )
    offices = raw.get("elected_offices", {}).get("patterns", [])
    return FieldTable(
        fields,
        frozenset(_norm(x) for x in raw["subject"]["block_headings"]),
        re.compile("|".join(rf"(?:\b{p})" for p in offices) or r"(?!)"),
    )


_LABEL_LINE = re.compile(r"^[\s\-•►✓*>]*([^:]{2,70}?)\s*:\s*(.*)$")
# a bold label inside a line ("**Forme juridique :** SCIC **Création :** 2019"): each starts a field
_BOLD_LABEL = re.compile(r"\*\*[^*\n:]{2,60}?(?:\s*:\s*\*\*|\*\*\s*:)")
_COMPLEMENT = re.compile(r"^(?:a|au|aux|aupres d[eu']|de|du|des|d'|pour|chez)\b")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_VALUE = re.compile(
    rf"^(?:(?:en|depuis|des|le|au)\s+)?(?:\d{{1,2}}(?:er)?\s+)?(?:(?:{_MONTH})\s+)?((?:18|19|20)\d\d)\b"
    rf"|^\d{{1,2}}[/.-]\d{{1,2}}[/.-]((?:18|19|20)\d\d)\b"
)
_MILLIONS = re.compile(r"(\d+(?:,\d+)?)\s*(?:M€|M\s?EUR\b|millions? d'euros|millions? €)", re.IGNORECASE)
_PARTS = re.compile(r"\s*(?:,|;|/|\bet\b|&)\s*")
_POSTAL = re.compile(r"\b\d{5}\b|\(\s*\d[0-9AB]?\s*\)")
# « sans » qualifies a legal form (« association sans but lucratif créée en … »): not an exclusion here
_LEGAL_FORM = frozenset({"exclusion"})
# a founding told by a participle (« créée en 2017 », « cofondée en 2018 », « immatriculée le 2 mai 2011 ») or
# by the idiom « voir le jour » in a past tense (« a vu le jour en 2016 »; « verra le jour » tells nothing)
_SAW_THE_DAY = r"(?:a|ont|avait|avaient)\s+vu\s+le\s+jour"
_PARTICIPLE = re.compile(
    r"\b(?:(?:cr[ée]|co-?fond|fond|constitu|lanc|immatricul|implant|bas|install|situ)[ée]e?s?|n[ée]e?s?|"
    rf"{_SAW_THE_DAY})\b(?=\s+(?:en|d[èe]s|[àa]|au|le)\s)",
    re.IGNORECASE,
)
_BIRTH = re.compile(r"n[ée]e?s?", re.IGNORECASE)
_PERSON_OPENS = re.compile(
    rf"\W*(?:[Ll]e|[Ll]a|[Ll]['’])\s*{ROLE_WORD}\b", re.IGNORECASE
)  # « La présidente de X, … »
_ARG_YEAR = re.compile(
    rf"\s*,?\s*(?:et\s+)?(?:(?:en|d[èe]s)\s+(?:\d{{1,2}}(?:er)?\s+)?(?:(?:{_MONTH})\s+)?"
    rf"|le\s+\d{{1,2}}(?:er)?\s+(?:{_MONTH})\s+|le\s+\d{{1,2}}[/.]\d{{1,2}}[/.])((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_ARG_PLACE = re.compile(rf"\s*,?\s*(?:et\s+)?(?:[àa]|au)\s+({NAME})")
_FRONTED_MAX = 150  # characters a fronted participial phrase runs on before its comma
# what stands between the entity and its participle: a comma (apposition), a copula or passive auxiliary,
# possibly in a relative clause (« X, qui a été créée en 2014 »), or a comma and the entity's kind in
# apposition (« X, association créée en 2016 à Y », « X, une coopérative fondée en 2010 »)
_BEFORE_PREDICATE = re.compile(
    r"(?:,|\s+(?:a\s+été|est|fut|avait\s+été|ont\s+été|sont))\s*$"
    r"|,\s*qui\s+(?:a\s+été|est|fut|avait\s+été|ont\s+été|sont)\s*$"
    r"|,\s*(?:une?\s+)?(?:association|coopérative|soci[ée]t[ée]|structure|entreprise|r[ée]seau|scic|scop|"
    r"sas|[a-zéè-]+erie)\s*$",
    re.IGNORECASE,
)


class FieldRules(DocumentContext):
    """Labelled lines and short participial sentences of a page about one initiative."""

    def _fields(self) -> None:
        """Relations from every line « Label : valeur » whose label is a field of fields.toml, and from
        short sentences « Créée en 2017 à X, la SCIC … », about the page's subject initiative or the one
        the block's heading names. A line whose subject cannot be resolved, or whose value is not of the
        field's kind, asserts nothing."""
        table = load_fields()
        title, subject = self._page_subject()
        for idx, unit in enumerate(self.units):
            if idx == title:
                continue
            lines = self._labelled_lines(unit, table)
            if lines:
                owner = self._field_subject(idx, title, subject, table)
                if owner is not None:
                    for field, label, value in lines:
                        self._field(idx, unit, owner, field, label, value)
                continue
            self._participles(idx, unit, subject)

    # ------------------------------------------------------------------ whose facts
    def _field_subject(
        self, idx: int, title: int | None, subject: DocumentSubject | None, table: FieldTable
    ) -> str | None:
        """The initiative whose facts the block holding unit `idx` gives: the box's initiative, the one the
        nearest heading above names, or the page's subject when only fact-sheet headings ("En bref") stand
        between; None under a heading about something else (a meeting, the network) or naming another
        body."""
        unit = self.units[idx]
        box_head = self.units[unit.box].text if unit.box is not None else ""
        # (a labelled line taken for a box's heading names no initiative)
        if unit.box is not None and unit.box in self.box_initiative and not _LABEL_LINE.match(box_head):
            found = self.box_initiative[unit.box]
            return found if self.reg.entities[found].type == "Initiative" else None
        ceiling: int | None = None  # under a fact-sheet heading: only a heading above its level counts
        for j in range(idx - 1, -1, -1):
            above = self.units[j]
            if j == title:
                break
            if not above.is_heading or _LABEL_LINE.match(above.text):
                continue
            level = _heading_level(above.raw)
            if ceiling is not None and level >= ceiling:
                continue  # a sibling section of the fact-sheet block, not its parent
            actors = [m for m in self.mentions[j] if m.etype in _ACTORS]
            if actors:
                first = actors[0]
                if first.etype == "Initiative":
                    return first.key
                return None
            if _norm(above.text) in table.block_headings and ceiling is None:
                if level == 0:
                    break  # a plain-text heading has no level: the block is the page's own
                ceiling = level
                continue
            return None
        return subject.key if subject is not None else None

    # ------------------------------------------------------------------ labelled lines
    def _labelled_lines(self, unit: Unit, table: FieldTable) -> list[tuple[Field, str, str]]:
        """(field, label as written, value) of every line of `unit` that is a field; an item under a lead
        « Sociétaires : » is a value of the lead's field."""
        out: list[tuple[Field, str, str]] = []
        if unit.is_item and unit.lead:
            lead = _LABEL_LINE.match(unit.lead)
            if lead and not lead.group(2).strip():
                field = _field_of(lead.group(1), table)
                if field is not None:
                    out.append((field, lead.group(1), unit.text))
                    return out
        for raw in unit.raw.splitlines():
            for line in _label_segments(raw):
                m = _LABEL_LINE.match(line)
                if not m or not m.group(2).strip():
                    continue
                field = _field_of(m.group(1), table)
                if field is not None:
                    out.append((field, m.group(1).strip(" *-•>"), m.group(2).strip()))
        return out

    def _value_mentions(self, idx: int, value: str) -> list[Mention]:
        """The unit's mentions inside `value` (found in the unit's text), with offsets in `value`."""
        text = self.units[idx].text
        pos = text.find(value)
        if pos < 0:
            return []
        return [
            Mention(m.key, m.etype, m.start - pos, m.end - pos, m.text)
            for m in self.mentions[idx]
            if pos <= m.start and m.end <= pos + len(value)
        ]

    def _field(self, idx: int, unit: Unit, owner: str, field: Field, label: str, value: str) -> None:
        """The relations one labelled line states about `owner`, when its value is of the field's kind."""
        passage = unit.passage
        mentions = self._value_mentions(idx, value)
        if field.value == "year":
            date = _DATE_VALUE.match(fold(value))
            if date:
                year = date.group(1) or date.group(2)
                self._rel(field.kind, owner, None, passage, CONFIDENCE, literal=year, rule=RULE)
        elif field.value == "places":
            for key in self._places(value, mentions, passage):
                self._rel(field.kind, owner, key, passage, CONFIDENCE, rule=RULE)
        elif field.value == "amount":
            self._amount_field(owner, label, value, unit)
        elif field.value == "bodies":
            for key, amount in self._bodies(value, mentions, owner):
                quals = {"amount": amount} if amount else {}
                subj, obj = (key, owner) if field.inverse else (owner, key)
                self._rel(field.kind, subj, obj, passage, CONFIDENCE, qualifiers=quals, rule=RULE)
        elif field.value == "persons":
            self._persons(owner, field, label, value, mentions, passage, load_fields().elected_office)

    def _places(self, value: str, mentions: list[Mention], passage: int) -> list[str]:
        """Communes (gazetteer) and collectivités the value names; a name the gazetteer does not know is
        no place."""
        keys = [m.key for m in mentions if m.etype == "Collectivite"]
        inside = [(m.start, m.end) for m in mentions]
        for part in _PARTS.split(_POSTAL.sub(" ", value)):
            for m in re.finditer(NAME, part):
                name = m.group(0).strip()
                start = value.find(name)
                if any(a <= start < b for a, b in inside) or commune_named(name) is None:
                    continue
                key = self.rec.commune(name, passage)
                if key not in keys:
                    keys.append(key)
        return keys

    def _amount_field(self, owner: str, label: str, value: str, unit: Unit) -> None:
        """A KeyFigure in euros for an amount written at the start of the value ("350 000 € (2023)")."""
        amount = AMOUNT.search(value)
        millions = _MILLIONS.search(value)
        first = min((m for m in (amount, millions) if m is not None), key=lambda m: m.start(), default=None)
        if first is None or first.start() > 25:
            return
        figure = num(first.group(1))
        if first is millions:
            figure = f"{float(figure) * 1_000_000:.0f}"
        year = YEAR.search(f"{label} {value[first.end() :]}")
        text = f"{label} : {value}"[:300]
        quals = {"value": figure, "unit": "€", "text": text}
        if year:
            quals["year"] = year.group(1)
        self._rel(
            "KeyFigure", owner, None, unit.passage, CONFIDENCE, qualifiers=quals, literal=text, rule=RULE
        )

    def _bodies(self, value: str, mentions: list[Mention], owner: str) -> list[tuple[str, str | None]]:
        """(key, amount of its part or None) of each collectivité, organisation or initiative the value
        names; a bare place name counts only as a whole part ("Lannion, Guingamp"), not inside a phrase or
        another body's name."""
        out: list[tuple[str, str | None]] = []
        bounds = [0]
        bounds += [m.end() for m in re.finditer(r"[,;]|\s+et\s+", value)]
        for m in mentions:
            if m.etype not in _ACTORS or m.key == owner or any(k == m.key for k, _ in out):
                continue
            start = max(b for b in bounds if b <= m.start)
            stop = min((b for b in bounds if b > m.start), default=len(value) + 1)
            part = value[start:stop]
            if m.bare_place and re.sub(r"^\W+|[\W]+$", "", part) != m.text.strip():
                continue
            amount = AMOUNT.search(part)
            out.append((m.key, num(amount.group(1)) if amount else None))
        return out

    def _persons(
        self,
        owner: str,
        field: Field,
        label: str,
        value: str,
        mentions: list[Mention],
        passage: int,
        elected: re.Pattern[str],
    ) -> None:
        """Role of each person the value names (« Prénom Nom, fonction »), in `owner`. A function held in
        another body (named, or « de la communauté de communes », or an elected office of a collectivité
        such as « conseillère communautaire », `elected`) is a role there, which other rules read: a
        contact line then states nothing about `owner`, a referent line gives its label as the title."""
        persons = [m for m in mentions if m.etype == "Person"]
        if not persons:
            head = re.split(r"[,(–—-]", value)[0].strip()
            if not is_person_name(head):
                return
            persons = [Mention(self._person(head, passage), "Person", 0, len(head), head)]
        ordered = sorted(persons, key=lambda m: m.start)
        written = re.sub(r"\s+", " ", label).strip()
        for n, person in enumerate(ordered):
            stop = ordered[n + 1].start if n + 1 < len(ordered) else len(value)
            rest = re.sub(r"\S+@\S+|(?:\+33|0)[\d .]{8,}\d|\([^)]*\)", " ", value[person.end : stop])
            # the function ends at a separator (« — », « | », « ; ») before an address, mail or phone
            title = re.split(r"\s[—–|·>-]\s|[;|>]|\s+et\s+", rest.strip(" ,–—-"))[0].strip(" ,.–—-")
            elsewhere = (
                any(person.end <= m.start < stop and m.etype in _ACTORS and m.key != owner for m in mentions)
                or any(w in INSTITUTION_WORDS for w in fold(title).split())
                or bool(elected.search(fold(title)))
            )
            if elsewhere and not field.label_is_role:
                continue
            if elsewhere or not title or len(title) > 80:
                title = written
            self._rel(
                "Role", person.key, owner, passage, CONFIDENCE, qualifiers={"roleTitle": title}, rule=RULE
            )

    # ------------------------------------------------------------------ short sentences
    def _participles(self, idx: int, unit: Unit, subject: DocumentSubject | None) -> None:
        """foundingDate and locatedIn from « créée en 2017 à X », « basée à X » in a sentence whose subject
        is a named initiative or the page's subject (« Créée en 2017, la SCIC … », « Elle est basée à
        X »); a negated, conditional or planned sentence asserts nothing."""
        text = unit.text
        extra = subject_mentions(text, self.mentions[idx], subject, back_references=False)
        ments = sorted([*self.mentions[idx], *extra], key=lambda m: m.start)
        for start, sentence in _sentences(text):
            if unasserted(sentence, _LEGAL_FORM):
                continue
            for part in _PARTICIPLE.finditer(sentence):
                if _BIRTH.fullmatch(part.group(0)) and _PERSON_OPENS.match(sentence):
                    continue  # « La présidente de X, née le 12 mai 1970 »: a birth, not X's founding
                years, places, end = _arguments(sentence, part.end())
                if not years and not places:
                    continue
                owner = _participle_subject(sentence, start, part.start(), end, ments)
                if owner is None or self.reg.entities.get(owner) is None:
                    continue
                if self.reg.entities[owner].type not in ("Initiative", "Organisation"):
                    continue  # a collectivité « créée en » is an institution's history, a place « située à »
                for year in years[:1]:
                    self._rel(
                        "foundingDate", owner, None, unit.passage, 0.75, literal=year, rule=RULE_SENTENCE
                    )
                for name, offset in places:
                    key = self._sentence_place(name, start + offset, ments, unit.passage)
                    if key is not None:
                        self._rel("locatedIn", owner, key, unit.passage, 0.75, rule=RULE_SENTENCE)

    def _sentence_place(self, name: str, offset: int, ments: list[Mention], passage: int) -> str | None:
        """The commune or collectivité written at `offset`, or None when the gazetteer does not know it."""
        for m in ments:
            if m.start == offset and m.etype == "Collectivite":
                return m.key
            if m.start <= offset < m.end:
                return None  # inside another entity's name
        if commune_named(name) is None:
            return None
        return self.rec.commune(name, passage)


def _heading_level(raw: str) -> int:
    """The Markdown level of a heading line ("## X" is 2), 0 for a heading without "#"."""
    return len(raw) - len(raw.lstrip("#")) if raw.startswith("#") else 0


def _label_segments(raw: str) -> list[str]:
    """The cleaned pieces of a raw line, cut before each bold label after the first (a fiche's header
    line often holds several « **Label :** valeur »)."""
    cuts = [m.start() for m in _BOLD_LABEL.finditer(raw) if m.start() > 0]
    bounds = [0, *cuts, len(raw)]
    return [clean(raw[a:b]).strip(" >") for a, b in itertools.pairwise(bounds) if raw[a:b].strip(" >")]


def _field_of(label: str, table: FieldTable) -> Field | None:
    """The field whose labels include `label` as a whole (or, for person fields, as its start followed by
    a complement: « Référent à la mairie »), or None."""
    norm = _norm(label)
    for field in table.fields:
        if norm in field.labels:
            return field
    for field in table.fields:
        if field.complement:
            for lab in field.labels:
                if norm.startswith(lab + " ") and _COMPLEMENT.match(norm[len(lab) + 1 :]):
                    return field
    return None


def _sentences(text: str) -> list[tuple[int, str]]:
    """(start, sentence) of each sentence of `text`."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in re.finditer(r"[.!?](?:\s+|$)", text):
        out.append((start, text[start : m.start() + 1]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def _arguments(sentence: str, pos: int) -> tuple[list[str], list[tuple[str, int]], int]:
    """The years and places (name, offset in the sentence) right after a participle, and where they end."""
    years: list[str] = []
    places: list[tuple[str, int]] = []
    for _ in range(4):
        year = _ARG_YEAR.match(sentence, pos)
        if year:
            years.append(year.group(1))
            pos = year.end()
            continue
        place = _ARG_PLACE.match(sentence, pos)
        if place:
            places.append((place.group(1), place.start(1)))
            pos = place.end()
            continue
        break
    return years, places, pos


def _participle_subject(sentence: str, start: int, at: int, end: int, ments: list[Mention]) -> str | None:
    """Whose participle it is: the entity right after a fronted participial phrase (« Créée en 2017, la
    SCIC X »), or the one it follows (« X, créée en 2017, », « Elle a été créée en 2017 »)."""
    before = sentence[:at]
    if not before.strip():
        # the phrase may go on with other complements (« à l'initiative de … », « par … ») up to its comma
        after = sentence[end : end + _FRONTED_MAX]
        comma = re.search(r"\s*,\s*", after)
        if comma is None:
            return None
        begin = start + end + comma.end()
        for m in ments:
            if begin <= m.start <= begin + 4 and m.etype in _ACTORS:
                return m.key
        return None
    idiom = re.match(_SAW_THE_DAY, sentence[at:], re.IGNORECASE) is not None
    if not _BEFORE_PREDICATE.search(before) and not idiom:
        return None  # « voir le jour » carries its own auxiliary: the entity stands right before it
    kept = re.sub(r",\s*qui\s*$", "", before) if idiom else _BEFORE_PREDICATE.sub("", before)
    cut = start + len(kept.rstrip())
    for m in ments:
        if m.end == cut and m.etype in _ACTORS:
            # the entity must open the sentence (or stand in apposition right before the comma)
            if (
                m.start - start <= 4
                or before.rstrip().endswith(",")
                or re.search(r",\s*\S", before[cut - start :])
            ):
                return m.key
    return None
