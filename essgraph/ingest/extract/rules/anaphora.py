"""Rule family "anaphora": definite descriptions and pronouns that point back to a named entity."""

from __future__ import annotations

import re

from essgraph.ingest.extract import gazetteer as gz
from essgraph.ingest.extract.clauses import DocumentSubject, document_subject
from essgraph.ingest.extract.mentions import Mention
from essgraph.ingest.extract.rules.context import DocumentContext

VERSION = "3"  # bump when what this family extracts changes (essgraph/ingest/versions.py)

# A definite (or demonstrative) singular article right before the kind word: « la », « le », « l' »,
# « cette », « ce », « cet »; an indefinite (« une commune ») or a plural (« les communes ») never refers.
_DEFINITE = r"(?<![\w'’])(?:[Ll]a|[Ll]e|[Ll]['’]|[Cc]ette|[Cc]et|[Cc]e)\s*"
# After the kind word, a name or a complement that names it (« la commune de Y », « la SCIC X ») makes it a
# named mention, not an anaphor (the recognisers read those).
_NAMED_AFTER = re.compile(r"\s*(?:[A-ZÀÂÉÈÎÔ«“(-]|(?:de|d['’]|du|des)\s*[A-ZÀÂÉÈÎÔ])")
# The levels of an intercommunality (EPCI à fiscalité propre, établissement public territorial).
_EPCI_LEVELS = frozenset({gz.LEVEL_CC, gz.LEVEL_CA, gz.LEVEL_CU, gz.LEVEL_METROPOLE, gz.LEVEL_EPT})
# Collectivité kind words (longest first) and the level each names.
_COLLECTIVITE_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("communauté de communes", frozenset({gz.LEVEL_CC})),
    ("communauté d'agglomération", frozenset({gz.LEVEL_CA})),
    ("communauté urbaine", frozenset({gz.LEVEL_CU})),
    ("agglomération", frozenset({gz.LEVEL_CA})),
    ("métropole", frozenset({gz.LEVEL_METROPOLE})),
    ("département", frozenset({gz.LEVEL_DEPARTEMENT})),
    ("région", frozenset({gz.LEVEL_REGION})),
    ("commune", frozenset({gz.LEVEL_COMMUNE})),
    ("ville", frozenset({gz.LEVEL_COMMUNE})),
    ("mairie", frozenset({gz.LEVEL_COMMUNE})),
    # the generic words name no level: any collectivité (or any intercommunality) may be meant, so they are
    # only resolved inside their own paragraph (see _NEAR_ONLY)
    ("collectivité", frozenset({gz.LEVEL_COMMUNE, *_EPCI_LEVELS, gz.LEVEL_DEPARTEMENT, gz.LEVEL_REGION})),
    ("intercommunalité", _EPCI_LEVELS),
)
# Kind words naming no level: the referent must be named earlier in the same paragraph, where it is the only
# collectivité, since a section often names several of different levels (« La collectivité a financé … »).
_NEAR_ONLY = frozenset({"collectivité", "intercommunalité"})
_COLL_PATTERN = re.compile(
    _DEFINITE
    + r"(?i:("
    + "|".join(re.escape(k).replace("'", "['’]") for k, _ in _COLLECTIVITE_KINDS)
    + r"))\b"
)
# A level word followed by a modal verb speaks of any collectivité of that level (the kit's « la commune
# peut … »), not of the one named before.
_GENERIC_AFTER = re.compile(
    r"\s+(?:(?:ne\s+|n['’])?(?:peut|peuvent|pourra|pourrait|doit|doivent|devra|devrait)\b|a\s+(?:tout\s+)?intérêt)"
)
# A level word that completes the name of a public policy (« la politique de la ville », « les centres de
# ressources Politique de la Ville ») names the policy's domain, not the collectivité named before.
_POLICY_BEFORE = re.compile(r"(?i:\bpolitiques?\s+(?:de|d['’])\s*)$")
# After a preposition « lui » is the stressed pronoun (« avec lui », « pour lui »), which may stand for
# anyone named before; only the clitic before its verb is resolved.
_PREPOSITIONS = frozenset("à avec pour de chez par sans sur sous entre vers contre selon envers".split())
# « elle » / « il » as the subject of a sentence (after a fronted adverbial at most) and the dative clitic
# « lui » before its verb (« X lui met à disposition … », « X lui a accordé … »).
_SUBJECT_PRONOUN = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:En|Depuis|Dès|Fin|Début) [^,.]{1,30}, )?([Ee]lle|[Ii]l)(?=\s)"
)
_DATIVE = re.compile(
    r"(?<![\w'’])(lui)(?=\s+(?:(?:a|ont|avait|avaient|aussi|également|ne|n['’])\s+)?[a-zéèêàâîôûç]{3,})"
)


class AnaphoraRules(DocumentContext):
    """Definite kind words and pronouns resolved to the entity they point back to, as mentions every later
    family reads; a relation resting on such a mention gets a lower confidence (see `_rel`)."""

    def _resolve_anaphora(self) -> None:
        """Add a mention for each back-reference that exactly one entity agrees with: « la coopérative »,
        « la SCIC », « l'association », « elle », « lui » for the initiative the page (or the section,
        or the example box) is about when its kind words agree; « la Communauté de communes », « la
        commune », « le Département »… for the one collectivité of that level named earlier in the same
        section. Nothing is added for an indefinite or plural kind word, for two candidates, or for a
        pronoun when another actor stands between. Records (passage, key) pairs in `self.anaphoric`."""
        title = next(
            (i for i, u in enumerate(self.units[:2]) if u.is_heading or u.raw.startswith("# ")), None
        )
        labels = {k: e.label for k, e in self.reg.entities.items()}
        page = (
            document_subject(self.units[title].text, self.mentions[title], labels)
            if title is not None
            else None
        )
        stack: list[tuple[int, DocumentSubject | None]] = []
        for idx, unit in enumerate(self.units):
            if idx == title:
                continue
            if unit.is_heading:
                level = len(unit.raw) - len(unit.raw.lstrip("#")) if unit.raw.startswith("#") else 9
                while stack and stack[-1][0] >= level:
                    stack.pop()
                actors = [m for m in self.mentions[idx] if m.etype in ("Organisation", "Initiative")]
                if actors and (page is None or actors[0].key != page.key):
                    stack.append((level, document_subject(unit.text, self.mentions[idx], labels)))
                continue
            subject = stack[-1][1] if stack else page
            box = self._box_initiative_of(unit)
            if box is not None and (subject is None or subject.key != box):
                box_unit = self.units[unit.box] if unit.box is not None else unit
                subject = document_subject(box_unit.text, self.mentions[unit.box or idx], labels)
                if subject is None or subject.key != box:
                    subject = None
            added = [*self._subject_anaphors(idx, subject), *self._collectivite_anaphors(idx)]
            for m in added:
                self.mentions[idx].append(m)
                self._anaphor_ids.add(id(m))
            if added:
                self.mentions[idx].sort(key=lambda m: m.start)
        # a pair is anaphoric only where the passage never names the entity itself
        pairs = {
            (self.units[i].passage, m.key): id(m) in self._anaphor_ids
            for i, ments in enumerate(self.mentions)
            for m in sorted(ments, key=lambda x: id(x) not in self._anaphor_ids)
        }
        self.anaphoric = {pair for pair, only in pairs.items() if only}

    def _free(self, idx: int, start: int, end: int, extra: list[Mention]) -> bool:
        return not any(m.start < end and start < m.end for m in [*self.mentions[idx], *extra])

    def _subject_anaphors(self, idx: int, subject: DocumentSubject | None) -> list[Mention]:
        """Mentions of `subject` (the page's, section's or box's initiative or organisation) under its kind
        words and the pronouns « elle », « il », « lui » of unit `idx`."""
        if subject is None:
            return []
        text = self.unit_text(idx)
        heads = set(subject.heads)
        spans: list[tuple[int, int]] = []
        if heads:
            alternatives = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
            for m in re.finditer(rf"{_DEFINITE}(?i:{alternatives})\b", text):
                if not _NAMED_AFTER.match(text[m.end() :]):
                    spans.append((m.start(), m.end()))
        others = self._other_actors(idx, subject.key)
        for m in _SUBJECT_PRONOUN.finditer(text):
            before = [x for x in self.mentions[idx] if x.start < m.start(1) and x.etype in _ACTORS]
            if not before and not others:
                spans.append((m.start(1), m.end(1)))
        for m in _DATIVE.finditer(text):
            words_before = re.findall(r"[\w'’]+", text[: m.start(1)])
            if words_before and words_before[-1].lower() in _PREPOSITIONS:
                continue  # « avec lui », « pour lui »: a stressed pronoun, not the dative clitic
            # the clitic never stands for its own clause's subject: another actor before it is the subject
            before = [
                x
                for x in self.mentions[idx]
                if x.start < m.start(1) and x.etype in ("Organisation", "Initiative", "Person")
            ]
            if not others and all(x.key == subject.key for x in before):
                spans.append((m.start(1), m.end(1)))
        out: list[Mention] = []
        for start, end in sorted(spans):
            if self._free(idx, start, end, out):
                out.append(Mention(subject.key, subject.etype, start, end, text[start:end]))
        return out

    def _other_actors(self, idx: int, key: str) -> bool:
        """Whether the unit before `idx` in its section names an organisation, initiative or person other
        than `key`: a pronoun could then stand for it too, so it is not resolved."""
        if (
            idx == 0
            or self.units[idx - 1].section != self.units[idx].section
            or self.units[idx - 1].is_heading
        ):
            return False
        return any(
            m.etype in ("Organisation", "Initiative", "Person")
            and m.key != key
            and m.key != self.publisher_key
            for m in self.mentions[idx - 1]
        )

    def _collectivite_anaphors(self, idx: int) -> list[Mention]:
        """Mentions of a collectivité under a definite kind word with no name (« la Communauté de
        communes ») in unit `idx`: the one collectivité of that level named earlier in the section (or
        earlier in the unit); nothing when none or several are."""
        text = self.unit_text(idx)
        out: list[Mention] = []
        for m in _COLL_PATTERN.finditer(text):
            if _NAMED_AFTER.match(text[m.end() :]) or not self._free(idx, m.start(), m.end(), out):
                continue
            if _GENERIC_AFTER.match(text[m.end() :]):
                continue  # « la commune peut … », « la collectivité doit … »: the kind in general
            if _POLICY_BEFORE.search(text[: m.start()]):
                continue  # « la politique de la ville »: a policy's name
            word = m.group(1).lower().replace("’", "'")
            levels = next(lv for k, lv in _COLLECTIVITE_KINDS if k == word)
            candidates = self._named_collectivites(idx, m.start(), levels, near=word in _NEAR_ONLY)
            if len(candidates) == 1:
                out.append(
                    Mention(candidates[0], "Collectivite", m.start(), m.end(), text[m.start() : m.end()])
                )
        return out

    def _named_collectivites(
        self, idx: int, pos: int, levels: frozenset[str], *, near: bool = False
    ) -> list[str]:
        """The distinct collectivités of one of `levels`, named (not by an anaphor) in the section of unit
        `idx` before position `pos` of that unit, inside the same example box (or outside every box); in
        unit `idx` alone when `near`. A bare place name (« à Lyon ») is a place, not an actor referred to."""
        section, box = self.units[idx].section, self.units[idx].box
        found: list[str] = []
        for j in range(idx, idx - 1 if near else -1, -1):
            unit = self.units[j]
            if unit.section != section:
                break
            if unit.box != box:
                continue  # an example box is a story of its own, apart from the text around it
            for m in self.mentions[j]:
                if m.etype != "Collectivite" or (j == idx and m.start >= pos):
                    continue
                if id(m) in self._anaphor_ids or (near and m.bare_place):
                    continue
                entity = self.reg.entities.get(m.key)
                if entity is None or not levels & set(entity.attributes.get("level", [])):
                    continue
                if m.key not in found:
                    found.append(m.key)
        return found

    def unit_text(self, idx: int) -> str:
        """The cleaned text of unit `idx`."""
        return self.units[idx].text


_ACTORS = frozenset({"Organisation", "Initiative", "Collectivite", "Person"})
