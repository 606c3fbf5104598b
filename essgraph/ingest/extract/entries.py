"""Member lists: a heading that announces the members of an organisation, and the entries listed under it.

"Les collectivités adhérentes du réseau X", "Membres de X" (the document's title or a section heading)
names the whole; under it, each entry of a list (a list item, or one of the ";"-separated entries of a
paragraph) that starts with an actor names a member, with "depuis 2015" its start, "membre fondateur"
a founder, and the person written at the entry's end the actor's representative (the elected referent).
A parenthesised enumeration after the relational word ("les autres communes adhérentes (A, B et C)")
names members too. A sentence is no entry: "X a quitté le réseau" never makes X a member.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from essgraph.ingest.extract.assertion import unasserted
from essgraph.ingest.extract.mentions import NAME, Mention, Recogniser
from essgraph.ingest.extract.units import Unit

RULE = "structure:member-list"
_ACTORS = ("Collectivite", "Organisation", "Initiative")
# "adhérentes de X", "membres du réseau X", "Les adhérents de X au 1er janvier"
_MEMBERS_OF = re.compile(
    rf"\b(?i:adh[ée]rent(?:e|es|s)?|membres?)\s+(?:de\s+l'|de\s+la\s+|du\s+|des\s+|de\s+|d')"
    rf"(?:(?i:r[ée]seau|association|f[ée]d[ée]ration|collectif|union)\s+)?(?P<name>{NAME})"
)
_SINCE = re.compile(r"\bdepuis\s+(?:le\s+|l'ann[ée]e\s+)?(?:\d{1,2}\w*\s+\w+\s+)?((?:19|20)\d{2})\b")
# in a member list's scope, a noun announcing members before a colon ("Deux nouvelles adhésions en 2024 :
# A et B", "Nouveaux membres : A, B"): the verbless enumeration after the colon joins, in the year given
_JOINED = re.compile(
    r"\b(?:nouvel(?:le)?s?\s+|nouveaux\s+)?(?:adh[ée]sions?|adh[ée]rent(?:e|es|s)|membres)\b[^:.;]{0,60}:",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_FOUNDER = re.compile(r"\b(?:membres?\s+)?fondat(?:eur|eurs|rice|rices)\b", re.IGNORECASE)
_PAREN_LIST = re.compile(r"\b(?:adh[ée]rent(?:e|es|s)?|membres?)\s*\(([^)]{3,400})\)", re.IGNORECASE)
# after an entry's actor come its attributes, after a comma (a code in brackets may come first)
_ATTRIBUTES = re.compile(r"\s*(?:\([^)]{1,12}\)\s*)?(?:,|$)")
_LEAD = re.compile(r"^[\s\-–•*]*(?:(?:le|la|les|l')\s*)?", re.IGNORECASE)

Rel = Callable[..., None]


def _whole(heading: str, mentions: list[Mention], rec: Recogniser, passage: int) -> str | None:
    """The organisation a heading announces the members of, as a mention key (registered when the
    heading names it without any recogniser having found it), or None."""
    found = _MEMBERS_OF.search(heading)
    if found is None:
        return None
    start = found.start("name")
    for m in mentions:
        if m.start <= start < m.end and m.etype in ("Organisation", "Initiative"):
            return m.key
    name = found.group("name").strip()
    if len(name) < 3 or (name.isupper() and len(name) <= 3):
        return None
    key = rec.reg.canonical_org(name)
    if key:
        return rec.org(key, passage, written=name)
    return rec.reg.add("Organisation", name, passage, alt=(name,), confidence=0.7)


def _entries(unit: Unit) -> list[tuple[int, int]]:
    """The spans of the list entries of a unit: the whole of a list item, or each ";"-separated part of a
    paragraph that has two or more; none for a plain sentence."""
    if unit.is_item:
        return [(0, len(unit.text))]
    parts = unit.text.split(";")
    if len(parts) < 2:
        return []
    spans = []
    pos = 0
    for part in parts:
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


def member_lists(
    units: list[Unit], mentions: list[list[Mention]], rec: Recogniser, rel: Rel, confidence: float = 0.75
) -> None:
    """Write memberOf (since), createdBy for founders and represents for the entry's person, through
    `rel` (the extractor's relation writer), for every member list of the document."""
    whole: str | None = None
    whole_level = 0
    for idx, unit in enumerate(units):
        if unit.is_heading:
            level = len(unit.raw) - len(unit.raw.lstrip("#")) or 1
            key = _whole(unit.text, mentions[idx], rec, unit.passage)
            if key is not None:
                whole, whole_level = key, level
            elif whole is not None and level <= whole_level:
                whole = None  # a heading of the same rank ends the list's scope
            continue
        if whole is None:
            continue
        ments = sorted(mentions[idx], key=lambda m: m.start)
        for start, end in _entries(unit):
            entry = unit.text[start:end]
            lead = _LEAD.match(entry)
            offset = start + (lead.end() if lead else 0)
            inside = [m for m in ments if start <= m.start < end]
            first = inside[0] if inside else None
            if first is None or first.etype not in _ACTORS or first.start > offset + 1 or first.key == whole:
                continue
            if not _ATTRIBUTES.match(unit.text, first.end) and first.end < end - 1:
                continue  # "X a quitté le réseau": a sentence, not an entry of the list
            quals = {}
            if since := _SINCE.search(entry):
                quals["since"] = since.group(1)
            rel("memberOf", first.key, whole, unit.passage, confidence, qualifiers=quals, rule=RULE)
            if _FOUNDER.search(entry):
                rel("createdBy", whole, first.key, unit.passage, confidence, rule=RULE)
            person = next((m for m in reversed(inside) if m.etype == "Person"), None)
            if person is not None:
                rel("represents", person.key, first.key, unit.passage, confidence, rule=RULE)
        for found in _PAREN_LIST.finditer(unit.text):
            for m in ments:
                if found.start(1) <= m.start < found.end(1) and m.etype in _ACTORS and m.key != whole:
                    rel("memberOf", m.key, whole, unit.passage, confidence, rule=RULE)
        if not unit.is_item:
            for key, year in _joined(unit.text, ments, whole):
                quals = {"since": year} if year else {}
                rel("memberOf", key, whole, unit.passage, confidence, qualifiers=quals, rule=RULE)


def _joined(text: str, ments: list[Mention], whole: str) -> list[tuple[str, str]]:
    """The (actor key, year) pairs a members announcement of `text` names ("Nouvelles adhésions en 2024 :
    A et B."): the actors of the verbless enumeration between the colon and the sentence's end, none
    when the announcement is hedged or what follows is a sentence ("… : A a quitté le réseau")."""
    out: list[tuple[str, str]] = []
    for found in _JOINED.finditer(text):
        if unasserted(found.group(0)):  # denied, hedged or only expected (« adhésions envisagées »)
            continue
        start = found.end()
        stop = text.find(". ", start)
        end = len(text.rstrip(" .")) if stop < 0 else stop
        inside = [m for m in ments if start <= m.start and m.end <= end]
        if not inside or any(m.etype not in _ACTORS for m in inside):
            continue
        pos = start
        for m in inside:
            parts = _ENUM_SPLIT.split(text[pos : m.start].strip())
            if any(p and not _ENUM_FILLER.match(p) for p in parts):
                break
            pos = m.end
        else:
            if not text[pos:end].strip(" ."):
                year = _YEAR.search(found.group(0))
                out += [(m.key, year.group(1) if year else "") for m in inside if m.key != whole]
    return out


# "Premiers signataires", "Ils ont signé": the entries under such a heading sign the text the document's
# title names; "Elles soutiennent la tribune", "Soutiens", "Ils l'endossent": they support it without
# signing it (a tribune's supporters are listed apart from its signatories)
_SIGNERS_HEADING = re.compile(r"\b(?:co-?)?signataires\b|\bont\s+sign[ée]", re.IGNORECASE)
_SUPPORTERS_HEADING = re.compile(r"\bsoutiennent\b|\bsoutiens\b|\bendossent\b", re.IGNORECASE)
_SIGNED = ("Publication", "Agreement")
_SIGNERS = (*_ACTORS, "Person")
_ENUM_SPLIT = re.compile(r"\s*(?:,|;|\bet\b)\s*")
_ENUM_FILLER = re.compile(
    r"^(?:(?:le|la|les|l'|l’)\s*)?(?:(?:r[ée]seau|association|f[ée]d[ée]ration|collectif|union|ville|"
    r"commune|d[ée]partement|r[ée]gion)\s+)?$",
    re.IGNORECASE,
)


# a part no recogniser named but written as a name ("L'Union des élus pour les communs")
_UNKNOWN_NAME = re.compile(r"^(?:(?:le|la|les|l'|l’)\s*)?[A-ZÀÂÉÈÊÎÔŒ]")
# such a part opening on an organisation's kind word is that organisation, named by the whole part
_KIND_NAMED = re.compile(
    r"^(?:(?:[Ll]e|[Ll]a|[Ll]es|[Ll]['’])\s*)?(?P<name>(?:Union|F[ée]d[ée]ration|R[ée]seau|Collectif|Association|"
    r"Mouvement|Coordination|Conf[ée]d[ée]ration|Alliance)\b.{3,80})$"
)


def _title(units: list[Unit]) -> int | None:
    """Index of the document's title unit (a heading, or a "# " line, among the first two), or None."""
    return next((i for i, u in enumerate(units[:2]) if u.is_heading or u.raw.startswith("# ")), None)


def _level(unit: Unit) -> int:
    return len(unit.raw) - len(unit.raw.lstrip("#")) or 1


def _enumerated(text: str, ments: list[Mention]) -> tuple[list[Mention], list[str]]:
    """The mentions of a verbless enumeration ("L'Union X, le réseau Y et la fédération Z.") and the
    organisation names no recogniser named among its parts (opening on a kind word: « L'Union des élus
    pour les communs »); ([], []) when any part is more than a name with its article and kind word (a
    sentence)."""
    out: list[Mention] = []
    unnamed: list[str] = []
    pos = 0
    body = text.rstrip(" .")
    for m in [*sorted(ments, key=lambda x: x.start), None]:
        if m is not None and (m.start < pos or m.end > len(body)):
            return [], []
        gap = body[pos : m.start if m is not None else len(body)]
        parts = [p for p in _ENUM_SPLIT.split(gap) if p]
        if any(not _ENUM_FILLER.match(p) and not _UNKNOWN_NAME.match(p) for p in parts):
            return [], []
        unnamed += [k.group("name").strip() for p in parts if (k := _KIND_NAMED.match(p.strip()))]
        if m is not None:
            out.append(m)
            pos = m.end
    return (out, unnamed) if out or unnamed else ([], [])


def signatory_lists(
    units: list[Unit],
    mentions: list[list[Mention]],
    rel: Rel,
    organisation: Callable[[str, int], str],
    confidence: float = 0.75,
) -> None:
    """signatoryOf from every entry under a signatories heading, supports from every entry under a
    supporters heading, to the publication or agreement the document's title names (nothing when the
    title names none). `organisation(name, passage)` registers an organisation an enumeration names that
    no recogniser did and returns its key."""
    title = _title(units)
    if title is None:
        return
    text = next((m.key for m in mentions[title] if m.etype in _SIGNED), None)
    if text is None:
        return
    level: int | None = None
    kind, rule = "signatoryOf", RULE_SIGNERS
    for idx, unit in enumerate(units):
        if unit.is_heading:
            if _SIGNERS_HEADING.search(unit.text) or _SUPPORTERS_HEADING.search(unit.text):
                level = _level(unit)
                signers = _SIGNERS_HEADING.search(unit.text) is not None
                kind, rule = ("signatoryOf", RULE_SIGNERS) if signers else ("supports", RULE_SUPPORTERS)
            elif level is not None and _level(unit) <= level:
                level = None
            continue
        if level is None:
            continue
        ments = [m for m in sorted(mentions[idx], key=lambda m: m.start) if m.etype in _SIGNERS]
        if unit.is_item:
            lead = _LEAD.match(unit.text)
            first = ments[0] if ments else None
            if first is not None and first.start <= (lead.end() if lead else 0) + 1:
                rel(kind, first.key, text, unit.passage, confidence, rule=rule)
            continue
        named, unnamed = _enumerated(unit.text, ments)
        keys = [m.key for m in named] + [organisation(name, unit.passage) for name in unnamed]
        for key in keys:
            rel(kind, key, text, unit.passage, confidence, rule=rule)


RULE_SIGNERS = "structure:signatory-list"
RULE_SUPPORTERS = "structure:supporter-list"


# --------------------------------------------------------------------------- roles in the document's subject
# "Manon Weber, déléguée générale, …", "X, co-gérante de la SCIC —": a role written next to a person's name
# without any organisation is a role in the organisation or initiative the document is about.
_ROLE_HEAD = re.compile(
    r"^\s*(?:(?:ancien|ancienne|actuel|actuelle)\s+)?(?:co-?)?(?:vice-pr[ée]sidente?|pr[ée]sidente?|"
    r"d[ée]l[ée]gu[ée]e? g[ée]n[ée]rale?|directeur|directrice|g[ée]rante?|tr[ée]sori[eè]re?|secr[ée]taire|"
    r"charg[ée]e? de mission|coordinat(?:eur|rice)|fondat(?:eur|rice)|animat(?:eur|rice)|"
    r"administrat(?:eur|rice)|responsable)\b",
    re.IGNORECASE,
)
_CHUNK_END = re.compile(r",|;|\.(?:\s|$)|\s[—–]\s|\s\(|\set\s(?![^«]*»)")
_OTHER_BODY = re.compile(r"\b(?:du|de la|de l'|des|au|aux|à la)\s+[a-zéè]")
RULE_SUBJECT_ROLE = "structure:subject-role"


def subject_roles(
    units: list[Unit], mentions: list[list[Mention]], subject: str | None, rel: Rel, confidence: float = 0.7
) -> None:
    """Role (roleTitle) of each person whose name is followed by a role phrase that names no actor, and
    whose next phrase does not start with one ("…, vice-présidente, Ville de X" is a role there), in the
    document's `subject`."""
    if subject is None:
        return
    for idx, unit in enumerate(units):
        ments = sorted(mentions[idx], key=lambda m: m.start)
        for person in (m for m in ments if m.etype == "Person"):
            rest = unit.text[person.end :]
            if not rest.startswith(",") or not _ROLE_HEAD.match(rest[1:]):
                continue
            end = _CHUNK_END.search(rest, 1)
            stop = person.end + (end.start() if end else len(rest))
            if any(person.end < m.start < stop and m.etype in _ACTORS for m in ments):
                continue
            if _OTHER_BODY.search(unit.text, person.end, stop):
                continue  # "vice-président de la communauté de communes": a role in a body named otherwise
            after = unit.text[stop:].lstrip(" ,")
            following = next((m for m in ments if m.start >= stop), None)
            if (
                following is not None
                and following.etype in _ACTORS
                and unit.text.find(following.text, stop) == (len(unit.text) - len(after))
            ):
                continue
            title = unit.text[person.end + 1 : stop].strip()
            rel("Role", person.key, subject, unit.passage, confidence, qualifiers={"roleTitle": title},
                rule=RULE_SUBJECT_ROLE)  # fmt: skip
