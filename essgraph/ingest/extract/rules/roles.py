"""Rule family "roles": people with the role written next to their name, role blocks and role clauses."""

from __future__ import annotations

import re
from functools import lru_cache

from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.lexicon import load_lexicon
from essgraph.ingest.extract.mentions import NAME, Mention
from essgraph.ingest.extract.rules.common import (
    ROLE_WORD,
    is_person_name,
)
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import Unit
from essgraph.ontology.geography import DEPARTEMENTS

# the role written after the name: in apposition (« P, adjointe au maire de X »), or through a copula in
# the present or the perfect, in a relative clause or not (« P, qui est directrice de Y », « P est
# présidente de Z », « P a été élue présidente de W »); a negated or conditional copula (« n'est plus »,
# « devrait être ») does not match, so no role is read there
_COPULA = r"(?:est|était|a\s+été)"  # present, past and perfect; never negated or conditional
# a role still held or one held before (« ancien directeur de X », « ex-présidente de Y »): the title keeps it
_ROLE = rf"(?:(?:ancien(?:ne)?|ex-)\s*)?{ROLE_WORD}"
# a light verb before the title (« P exerce les fonctions de directrice de X », « occupe le poste de … »)
_LIGHT_VERB = (
    r"(?:exerce|exer[çc]ait|a\s+exerc[ée]|occupe|occupait|a\s+occup[ée])\s+"
    r"(?:les\s+fonctions|la\s+fonction|le\s+poste|le\s+mandat|la\s+charge)\s+d(?:e\s+|['’])"
)
_ROLE_AFTER_NAME = re.compile(
    rf"^,?\s*(?:(?:qui\s+)?(?:{_COPULA}\s+|{_LIGHT_VERB}))?({_ROLE}\b[^;.]*)", re.IGNORECASE
)
# an office told by its verb, right after the name (« P dirige X », « P, qui préside depuis 2020 X »): the
# organisation must follow the verb at once (an adverbial « depuis … » between); a negation, a modal or a
# verb of intent stands between name and verb, so « n'a jamais présidé », « pourrait diriger » do not match
_OFFICE_VERBS = {  # folded stem -> the office's title
    "dirig": "direction",
    "presid": "présidence",
    "coordon": "coordination",
    "anim": "animation",
}
_OFFICE_VERB = re.compile(
    r"^,?\s*(?:qui\s+)?(?:a\s+)?(dirig|pr[ée]sid|coordon|anim)(?:e|eait|ait|[ée]|ne|nait|n[ée])\b"
    r"(?:\s+(?:aussi|également|désormais|toujours|encore|actuellement))?"
    r"(?:\s+depuis\s+[^,.;]{1,25}?)?\s+",
    re.IGNORECASE,
)
# taking or holding the office (« P assure la présidence de X », « a pris la direction de Y », « a été nommée
# à la coordination de Z »); the future (« prendra ») and the conditional do not match
_OFFICE_NOUN = r"(?:co-?|vice-)?(?:pr[ée]sidence|direction|coordination|g[ée]rance|animation)"
_OFFICE_TAKEN = re.compile(
    r"^,?\s*(?:qui\s+)?(?:assure|assurait|a\s+assur[ée]|prend|a\s+pris|reprend|a\s+repris|"
    r"a\s+[ée]t[ée]\s+(?:nomm[ée]e?|[ée]lue?|r[ée][ée]lue?|d[ée]sign[ée]e?)\s+[àa])"
    rf"(?:\s+depuis\s+[^,.;]{{1,25}}?)?\s+(?:la\s+|l['’])({_OFFICE_NOUN})\s+(?:de\s+|du\s+|des\s+|d['’])",
    re.IGNORECASE,
)
# the office given to the person (« la direction de X a été confiée (en 2023) à P »)
_OFFICE_OF = re.compile(
    rf"\b(?:[Ll]a\s+|[Ll]['’])({_OFFICE_NOUN})\s+(?:de\s+l['’]|de\s+la\s+|du\s+|des\s+|de\s+|d['’])$"
)
_GIVEN_TO = re.compile(
    r"^\s*(?:a\s+[ée]t[ée]|est|avait\s+[ée]t[ée])\s+confi[ée]e(?:\s+[^,.;]{0,30}?)?\s+[àa]\s+$"
)


@lru_cache(maxsize=1)
def _kind_word() -> re.Pattern[str]:
    """What may stand between the office and the organisation's name: an article and the kind of
    organisation or initiative (lexicon heads: « l'association X », « la SCOP Y »), never another noun
    (« le jury X »)."""
    kinds = load_lexicon().heads_pattern("Initiative", "Organisation")
    return re.compile(rf"(?:l['’]|la\s+|le\s+|les\s+)?(?:(?i:{kinds})\s+)?")


# where a role phrase lists its next role (« présidente de X et conseillère de Y », « …, adjoint de Z »)
_NEXT_ROLE = rf"\s+et\s+(?={_ROLE})|,\s+(?={_ROLE})"
# « P et Q, respectivement R1 de A et R2 de B »: the roles go to the persons in order
_RESPECTIVELY = re.compile(r",?\s*respectivement\s+", re.IGNORECASE)
# the role written before the name, with its organisation, then the name in apposition: « Le président
# de la Fédération X, P, a rappelé … », « la directrice du centre social Y, P, … »
_ROLE_BEFORE_NAME = re.compile(
    rf"(?:^|[\s(])(?:[Ll]e|[Ll]a|[Ll]['’])\s*({_ROLE})\s+(?:de|du|des|d['’])\s*[^,;.()]*,\s*$",
    re.IGNORECASE,
)
# « X est présidé(e) (depuis 2020) par P »: the chair of the organisation the clause is about
_CHAIRED_BY = re.compile(r"\bpr[ée]sid[ée]e?s?(?:\s+depuis\s+(?:\d{4}|\w+\s+\d{4}))?\s+par\s+", re.IGNORECASE)
_COPULA_BEFORE = re.compile(rf"^\s*(?:\([^)]*\)\s*)?{_COPULA}\s*$")
_ORG_TYPES = ("Collectivite", "Organisation", "Initiative")
"""The types a role is held in."""

_REFERENT = re.compile(
    r"(R[ée]f[ée]r[ée]nte?s? CA|Autres? contributeurs?|R[ée]f[ée]r[ée]nte?s? [ée]quipe)\s*:\s*([^.]*)"
)


# an elected office named by its level's adjective: "conseillère départementale de la Seine-Saint-Denis",
# "conseiller régional d'Occitanie" hold their seat in the Département / Région of that name
_LEVEL_SEAT = re.compile(
    rf"\b(d[ée]partement|r[ée]gion)a(?:l|le|ux|les)\s+(de l'|d'|du|de la|des|de)\s*({NAME})", re.IGNORECASE
)
_DEPARTEMENT_NAMES = frozenset(fold(name) for name, _ in DEPARTEMENTS.values())

VERSION = "6"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


# what may follow a comma inside one person's role phrase: another office, coordinated or not (« adjointe
# au maire de X, conseillère métropolitaine », « …, et vice-présidente de Y », « membre du bureau »), its
# remit (« déléguée à l'ESS », « en charge de … », « à l'emploi, à l'IAE ») or its seat (« vice-présidente à
# l'économie, Région Bretagne »)
_ROLE_GOES_ON = re.compile(
    rf"(?i:(?:(?:et|ou)\s+)?(?:{ROLE_WORD}|charg[ée]e?s?\b|en charge\b|membre\b)|(?:d['’]|de\b|du\b|des\b|"
    r"au\b|aux\b))|[A-ZÉÈÀÂÎÔ]"  # the seat's name: a capital, case-sensitive
)
# a short lower-case item followed by another comma continues an enumeration of the remit (« vice-présidente
# économie, emploi, commerce et achat public, Métropole de Lyon ») unless it reads as a clause
_REMIT_ITEM_WORDS = 8
_CLAUSE_WORD = re.compile(
    r"\b(?:qui|que|qu['’]|a|ont|est|sont|était|étaient|avait|sera|lors)\b", re.IGNORECASE
)


def _role_phrase(phrase: str, start: int, persons: list[Mention]) -> str:
    """The part of `phrase` (found at `start` in its unit) that is one person's role: it ends where the next
    person is named (« P, maire de X, et Q, maire de Y ») and at a comma after which neither another office
    nor its remit follows (« P, directrice de Z, explique … »); returns the cut phrase."""
    end = min((m.start - start for m in persons if m.start > start), default=len(phrase))
    phrase = phrase[:end]
    parts = phrase.split(",")
    kept = [parts[0]]
    for n, part in enumerate(parts[1:], 1):
        item = part.strip()
        remit_item = (
            n < len(parts) - 1 and len(item.split()) <= _REMIT_ITEM_WORDS and not _CLAUSE_WORD.search(item)
        )
        if not (_ROLE_GOES_ON.match(item) or remit_item):
            break
        kept.append(part)
    return re.sub(r"\s+(?:et|ou)\s*$", "", ",".join(kept))


class RoleRules(DocumentContext):
    """People with the role written next to their name, role blocks and role clauses."""

    def _role_blocks(self) -> None:
        """Board lists: a role written as a heading in capitals ("TRÉSORIER", "VICE-PRÉSIDENTES") and the
        persons listed under it hold that role in the organisation the document is about."""
        subject = self._document_subject()
        if subject is None:
            return
        role: str | None = None
        for idx, unit in enumerate(self.units):
            text = unit.text.strip(" *:")
            letters = [c for c in text if c.isalpha()]
            if unit.is_heading or (letters and all(c.isupper() for c in letters)):
                role = (
                    text if len(text) <= 40 and re.fullmatch(rf"{ROLE_WORD}s?", text, re.IGNORECASE) else None
                )
                continue
            if role is None:
                continue
            if unit.text.rstrip().endswith("."):
                role = None  # a sentence ends the list (board entries are name and description lines)
                continue
            first = next((m for m in self.mentions[idx] if m.start == 0 and m.etype == "Person"), None)
            if first is not None:
                singular = (
                    re.sub(r"(?i)s$", "", role) if not re.fullmatch(ROLE_WORD, role, re.IGNORECASE) else role
                )
                title = singular[:1].upper() + singular[1:].lower()
                self._rel(
                    "Role",
                    first.key,
                    subject,
                    unit.passage,
                    0.8,
                    qualifiers={"roleTitle": title},
                    rule="structure:role-block",
                )

    def _roles(self, idx: int, unit: Unit) -> None:
        text = unit.text
        persons = [m for m in self.mentions[idx] if m.etype == "Person"]
        done = self._respective_roles(idx, unit, persons)
        for pm in persons:
            if pm in done:
                continue
            after = text[pm.end :]
            role_m = _ROLE_AFTER_NAME.match(after)
            if not role_m and pm.start == 0 and after.strip() == "" and idx + 1 < len(self.units):
                nxt = self.units[idx + 1]
                if re.match(ROLE_WORD, nxt.text, re.IGNORECASE):
                    self._role_clauses(pm.key, nxt.text, idx + 1, nxt.passage)
                continue
            if role_m:
                start = pm.end + role_m.start(1)
                self._role_clauses(
                    pm.key,
                    _role_phrase(text[start : pm.end + role_m.end(1)], start, persons),
                    idx,
                    unit.passage,
                    offset=start,
                )
            else:
                # a role written before the name and an office told by the verb after it are two roles
                # (« La présidente de X, P, dirige Y »)
                self._office_after_name(pm, idx, unit)
                self._role_before_name(pm, idx, unit)
        self._offices_given(idx, unit, persons)
        # "présidé par X" -> the organisation the clause is about, else the committee named before
        for m in _CHAIRED_BY.finditer(text):
            chair = next((p for p in persons if p.start >= m.end()), None)
            subject = next(
                (
                    o
                    for o in reversed(self.mentions[idx])
                    if o.etype in _ORG_TYPES
                    and o.end <= m.start()
                    and _COPULA_BEFORE.match(text[o.end : m.start()])
                ),
                None,
            )
            committee = (
                subject.key if subject else self._last_named(idx, r"^(?:Comit[ée]|Conseil|Commission)")
            )
            if chair and committee:
                self._rel(
                    "Role",
                    chair.key,
                    committee,
                    unit.passage,
                    0.8,
                    qualifiers={"roleTitle": "président(e)"},
                    rule="trigger:preside",
                )
        # "Référent CA : A et B" in fiches action
        section = self.sections.get(unit.section) if unit.section is not None else None
        target = (section.label or section.title) if section else None
        first_ref = _REFERENT.search(text)
        if first_ref and section is not None and section.kind != "fiche-action":
            lead = re.sub(r"\s*page\s*\d+\s*$|page\s*\d+", "", text[: first_ref.start()]).strip(" .:")
            if not lead and idx and len(self.units[idx - 1].text) < 160:
                lead = re.sub(r"\s*page\s*\d+\s*$", "", self.units[idx - 1].text).strip(" .:")
            target = lead or target
        for m in _REFERENT.finditer(text):
            title = (
                "Référent(e) CA"
                if "CA" in m.group(1)
                else ("Contributeur·rice" if "ontribut" in m.group(1) else "Référent(e) équipe")
            )
            for name in re.split(r",\s*|\s+et\s+", m.group(2)):
                detail = re.search(r"\(([^)]*)\)", name)
                name = re.sub(r"\(.*?\)|\(.*$", "", name).strip(" .")
                if not is_person_name(name):
                    continue
                key = self._person(name, unit.passage)
                q = {"roleTitle": title}
                if target:
                    q["action"] = target
                if detail:
                    q["detail"] = detail.group(1)
                if self.publisher_key:
                    self._rel(
                        "Role",
                        key,
                        self.publisher_key,
                        unit.passage,
                        0.8,
                        qualifiers=q,
                        rule="structure:referent",
                    )

    def _office_after_name(self, pm: Mention, idx: int, unit: Unit) -> None:
        """« P dirige X », « P assure la présidence de X »: an office told by a verb right after the name,
        held at the organisation the verb's object names."""
        after = unit.text[pm.end :]
        verb = _OFFICE_VERB.match(after)
        taken = _OFFICE_TAKEN.match(after) if verb is None else None
        found = verb or taken
        if found is None:
            return
        at = pm.end + found.end()
        org = next(
            (
                m
                for m in self.mentions[idx]
                if m.etype in _ORG_TYPES and m.start >= at and _kind_word().fullmatch(unit.text[at : m.start])
            ),
            None,
        )
        if org is None:
            return
        title = _OFFICE_VERBS[fold(found.group(1))] if verb is not None else found.group(1).lower()
        self._office(pm.key, org.key, title, unit.passage)

    def _office(self, person: str, org: str, title: str, passage: int) -> None:
        """The Role of `person` at `org` that a verb of office told, with `title` (« direction »)."""
        self._rel(
            "Role", person, org, passage, 0.8, qualifiers={"roleTitle": title}, rule="pattern:role-verb"
        )

    def _offices_given(self, idx: int, unit: Unit, persons: list[Mention]) -> None:
        """« La direction de X a été confiée (en 2023) à P »: P holds the office at X."""
        text = unit.text
        for org in self.mentions[idx]:
            if org.etype not in _ORG_TYPES:
                continue
            office = _OFFICE_OF.search(text[: org.start])
            if office is None:
                continue
            person = next((p for p in persons if p.start >= org.end), None)
            if person is None or not _GIVEN_TO.match(text[org.end : person.start]):
                continue
            self._office(person.key, org.key, office.group(1).lower(), unit.passage)

    def _role_before_name(self, pm: Mention, idx: int, unit: Unit) -> None:
        """« Le président de la Fédération X, P, … »: the role and its organisation written before the
        name, which stands in apposition; the organisation is the first one named in that role phrase."""
        before = _ROLE_BEFORE_NAME.search(unit.text[: pm.start])
        if before is None:
            return
        org = next(
            (
                m
                for m in self.mentions[idx]
                if m.etype in _ORG_TYPES and before.start(1) <= m.start < pm.start
            ),
            None,
        )
        if org is None:
            return
        title = before.group(1)
        self._rel(
            "Role",
            pm.key,
            org.key,
            unit.passage,
            0.8,
            qualifiers={"roleTitle": title[:1].upper() + title[1:]},
            rule="pattern:role-before-name",
        )

    def _respective_roles(self, idx: int, unit: Unit, persons: list[Mention]) -> list[Mention]:
        """« P et Q, respectivement R1 de A et R2 de B »: the n coordinated persons right before
        « respectivement » hold the n role clauses after it, in order; returns the persons so served
        (none when the counts differ: then no reading is safe)."""
        text = unit.text
        served: list[Mention] = []
        for resp in _RESPECTIVELY.finditer(text):
            group: list[Mention] = []
            cursor = resp.start()
            for pm in sorted((p for p in persons if p.end <= resp.start()), key=lambda p: -p.end):
                if not re.fullmatch(r"[\s,]*(?:et\s+)?", text[pm.end : cursor]):
                    break
                group.insert(0, pm)
                cursor = pm.start
            phrase = re.match(rf"{_ROLE}\b[^;.]*", text[resp.end() :], re.IGNORECASE)
            if len(group) < 2 or phrase is None:
                continue
            whole = _role_phrase(phrase.group(0), resp.end(), persons)  # up to where the clause goes on
            clauses = [
                c
                for c in re.split(_NEXT_ROLE, whole, flags=re.IGNORECASE)
                if re.match(_ROLE, c, re.IGNORECASE)
            ]
            if len(clauses) != len(group):
                continue
            cursor = resp.end()
            for pm, clause in zip(group, clauses, strict=True):
                at = text.find(clause, cursor)
                cursor = at + len(clause)
                self._role_clauses(pm.key, clause, idx, unit.passage, offset=at)
                served.append(pm)
        return served

    def _role_clauses(
        self, person: str, text: str, idx: int, passage: int, offset: int | None = None
    ) -> None:
        """The roles of `person` that the role phrase `text` (at `offset` in unit `idx` when known) lists,
        one per clause (« présidente de X et conseillère de Y »), each held at the organisation or
        collectivité its clause names."""
        clauses = re.split(
            rf"{_NEXT_ROLE}|\s+(?=(?:Vice-)?Pr[ée]sidente? du)",
            text,
            flags=re.IGNORECASE,
        )
        mentions = self.mentions[idx]
        cursor = 0
        for clause in clauses:
            pos = text.find(clause, cursor)
            cursor = pos + len(clause) if pos >= 0 else cursor
            if not re.match(_ROLE, clause, re.IGNORECASE):
                continue
            # where the clause is in the unit: from the role phrase's own offset when the caller knows it
            # (the same words may occur earlier in the unit, for another person)
            start = offset + pos if offset is not None and pos >= 0 else self.units[idx].text.find(clause)
            orgs = (
                [m for m in mentions if m.etype in _ORG_TYPES and start <= m.start < start + len(clause)]
                if start >= 0
                else []
            )
            if not orgs:
                orgs = self._seat_by_level(clause, passage)
            if not orgs:
                maire = re.search(rf"\b(?:maire|municipale?) (?:de |d')({NAME})", clause, re.IGNORECASE)
                if maire:
                    orgs = [
                        Mention(
                            self.rec.commune(maire.group(1), passage, styled="Ville"),
                            "Collectivite",
                            0,
                            0,
                            "",
                        )
                    ]
            title = re.split(r"\s+\(|\s+-\s+", re.sub(r"\s+", " ", clause))[0].strip(" ,.")
            for org in orgs[:1] if orgs else []:
                self._rel(
                    "Role",
                    person,
                    org.key,
                    passage,
                    0.8,
                    qualifiers={"roleTitle": title},
                    rule="pattern:role",
                )

    def _seat_by_level(self, clause: str, passage: int) -> list[Mention]:
        """The Département or Région an office names by its level's adjective ("conseillère
        départementale du Cher"), when the name is one of that level; returns it as a mention or []."""
        seat = _LEVEL_SEAT.search(clause)
        if seat is None:
            return []
        level, prep, name = seat.group(1), seat.group(2), seat.group(3).strip()
        if fold(level).startswith("d"):
            if fold(name) not in _DEPARTEMENT_NAMES:
                return []
            written = f"Département {prep.strip()} {name}".replace("' ", "'")
        else:
            written = f"Région {name}"
        return [m for m in self.rec.collectivites(written, passage) if m.start == 0][:1]
