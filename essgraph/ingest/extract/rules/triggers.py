"""Rule family "triggers": support, funding, capital, partnership, contract, membership by cue words."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from essgraph.ingest.extract.assertion import PARTS, unasserted
from essgraph.ingest.extract.frameworks import names_scheme, with_agreement
from essgraph.ingest.extract.lexicon import load_lexicon
from essgraph.ingest.extract.mentions import NAME, Mention
from essgraph.ingest.extract.numbers import AMOUNT as _AMOUNT
from essgraph.ingest.extract.numbers import PERCENT as _PERCENT
from essgraph.ingest.extract.numbers import YEAR as _YEAR
from essgraph.ingest.extract.numbers import num as _num
from essgraph.ingest.extract.rules.common import same_clause
from essgraph.ingest.extract.rules.context import DocumentContext
from essgraph.ingest.extract.units import Unit

_DURATION = re.compile(r"(?:dur[ée]e d[e']\s*|pour |sur )(\d+)\s*ans\b")

_T_CAPITAL = re.compile(
    r"au capital|soci[ée]taires?|entr[ée]e? au capital|son entr[ée]e au capital|"
    r"participant [àa] leur capital|"
    r"en int[ée]grant la SCIC|prendre des parts",
    re.IGNORECASE,
)

# A creation verb right before a year ("créée en 2024", "fondée en", "née en"): the year dates the company.
_CREATION_BEFORE = re.compile(
    r"\b(?:cr[ée]{2}e?s?|fond[ée]e?s?|n[ée]e?s?|constitu[ée]e?s?)\s*$", re.IGNORECASE
)

_T_FUNDING = re.compile(
    r"financ(?:ent|e|é|ée|és|ement|ements|ant)\b|subvention|a apport[ée] un financement|cofinanc"
    # a grant verb whose object is an amount or an aid (« a accordé 8 000 € », « a versé une aide »)
    r"|\b(?:accord|vers|attribu|octroy|allou)(?:e|é|ée|és|ées|ent)\s+(?:\d|une\s+(?:aide|enveloppe|dotation))",
    re.IGNORECASE,
)

# a money word that only names what is planned, sought or asked for (« son plan de financement », « sa
# recherche de financements », « une demande de subvention »): the noun before it, not a grant
_FUNDING_NOT_TOLD = re.compile(
    r"\b(?:plan|recherche|demande|dossier|besoin|montage|qu[êe]te|mod[èe]le|tour de table|appel)s?\s+"
    r"(?:de|d['’])\s*(?:la\s+|son\s+|ses\s+|leur\s+|leurs\s+|nouveaux\s+|nouvelles\s+)?$",
    re.IGNORECASE,
)


def _funding_told(sentence: str, money: re.Match[str]) -> bool:
    """Whether the money word `money` tells a grant rather than the plan, search or request for one."""
    return _FUNDING_NOT_TOLD.search(sentence[: money.start()]) is None


# a passive grant and where its agent phrase ends: a full stop, a semicolon, or a comma that starts
# neither another named funder (« par X, Y et Z ») nor a coordination
_FUNDED_BY = re.compile(r"\b(?:co-?)?financ[ée]e?s?\s+(?:\w+\s+)?par\b", re.IGNORECASE)
_AGENT_END = re.compile(r"[;.]|,\s+(?![A-ZÉÈÀ]|(?:la|le|les|l['’])\s*[A-ZÉÈÀ]|et\b)")

_T_SUPPORT_PASSIVE = re.compile(
    r"\b(?:soutenue?s?|accompagn[ée]e?s?|missionn[ée]e?s?|financ[ée]e?s?|port[ée]e?s?|appuy[ée]e?s?)\s+(?:activement\s+)?"
    r"(?:notamment\s+)?par\b",
    re.IGNORECASE,
)

_T_SUPPORT_ACTIVE = re.compile(
    r"\b(?:soutien(?:t|nent)|ont soutenu|a soutenu|accompagne(?:nt)?|financent|finance|a financ[ée]|"
    r"soutien d[eu']|avec le soutien d[eu']|le soutien d[eu']|s'engage pour|a mobilis[ée])\b",
    re.IGNORECASE,
)

_AFTER_PREPOSITION = re.compile(r"(?:\b(?:de|du|des|à|au|aux|pour|avec)\s+|\bd['’])(?:la\s+|l['’])?$")
_T_PARTNER = re.compile(
    r"\ben partenariat avec\b|\bpartenariat (?:de [\w-]+ )?avec\b|\ben lien avec\b|\bavec l'appui d[eu']|"
    r"\baux c[ôo]t[ée]s d[eu']|\ba achet[ée]\b|\bco-?construit avec\b|\bco-?anim[ée]e? (?:avec|par)\b",
    re.IGNORECASE,
)

_T_PILOTED = re.compile(r"\bpilot[ée]e?s?\s+par\b|\bport[ée]e?\s+par\b", re.IGNORECASE)

# What joins a call for projects to the actor that launched it, read between the two mentions: an optional
# bracketed expansion, then « , de la / du / de l' » (« l'appel à projets X, du Ministère Y ») or a launch
# participle (« lancé / porté / piloté / initié par »). The actor owns the call: pilotedBy.
_CALL_OWNER_GAP = re.compile(
    r"^\s*(?:\([^()]{0,120}\)\s*)?(?:\(\d{4}(?:\s*[-–]\s*\d{4})?\)\s*)?,?\s*"
    r"(?:(?:lanc|port|pilot|initi|organis)[ée]e?s?\s+par\s+(?:la\s+|le\s+|les\s+|l['’])?"
    r"|de\s+la\s+|de\s+l['’]|du\s+|des\s+)$",
    re.IGNORECASE,
)

_T_CREATED = re.compile(
    r"[àa] l'initiative d[eu']|\bimpuls[ée]\b.*\bcr[ée]ation\b|n[ée]e? sous l'impulsion d[eu']|"
    r"\bcr[ée][ée]e? (?:en \d{4} )?par\b",
    re.IGNORECASE,
)

_T_MEMBER = re.compile(
    r"\bmembres? (?:du|de la|de l'|des)\b|\badh[ée]rente? (?:du|de la|au)\b", re.IGNORECASE
)

_CONTRACT_KINDS: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"d[ée]l[ée]gation de service public|\bDSP\b", re.IGNORECASE),
        "dsp",
        "délégation de service public",
    ),
    (re.compile(r"march[ée]s? r[ée]serv[ée]", re.IGNORECASE), "marches-reserves", "marché réservé"),
    (
        re.compile(
            r"convention SIEG|qualifi[ée] de SIEG|\bSIEG\b.*convention|convention.*\bSIEG\b", re.IGNORECASE
        ),
        "convention-sieg",
        "service d'intérêt économique général",
    ),
    (
        re.compile(r"march[ée] [àa] proc[ée]dure adapt[ée]e", re.IGNORECASE),
        "marche-public",
        "marché à procédure adaptée",
    ),
    (
        re.compile(r"partenariat d'innovation", re.IGNORECASE),
        "partenariat-d-innovation",
        "partenariat d'innovation",
    ),
    (re.compile(r"\bconfi[ée]e? [àa]\b", re.IGNORECASE), "marche-public", "prestation confiée"),
    (re.compile(r"fait (?:ainsi )?appel [àa]|s'approvisionne", re.IGNORECASE), "marche-public", "achat"),
]

_ANAPHOR_COLL = re.compile(
    r"\b(?:la|La) (?:commune|[Vv]ille|collectivit[ée]|[Mm][ée]tropole|communaut[ée] urbaine|mairie|"
    r"agglom[ée]ration|"
    r"MEL|CCAVM)\b"
)

_ANAPHOR_INIT = re.compile(
    r"\b(?:[Cc]ette SCIC|de la SCIC|la SCIC\b(?! [A-Z])|[Cc]e p[ôo]le|[Cc]ette structure|"
    r"[Cc]e projet|le projet\b(?! [A-Z]))"
)

_PARTNER_TYPES = ("Organisation", "Collectivite", "Initiative", "Programme")

# An actor named as someone's backer (« avec le soutien de X, en partenariat avec Y, le réseau … ») is the
# complement of a noun, not the one who works with Y: the clause's subject is (OCR writes « l' » as « I' »).
_BACKER_BEFORE = re.compile(
    r"\b(?:soutien|appui|concours|aide|financement)\s+(?:de\s+la\s+|de\s+[lI]['’]|du\s+|des\s+|de\s+|d['’])$"
)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÉÀ«])", text)
    return [p for p in parts if p.strip()]


@lru_cache(maxsize=1)
def _event_heads() -> re.Pattern[str]:
    """The head nouns of events (lexicon.toml, [heads] Event) as one case-insensitive word pattern."""
    heads = sorted((h for h, kind in load_lexicon().heads.items() if kind == "Event"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(h) for h in heads) + r")s?\b", re.IGNORECASE)


def _leading_group(mentions: list[Mention], text: str, pos: int) -> list[Mention]:
    """The mentions listed right after `pos` ("X, Y et Z"), stopping at the first non-list gap."""
    out: list[Mention] = []
    cursor = pos
    for m in sorted(mentions, key=lambda x: x.start):
        gap = text[cursor : m.start]
        if out and not re.fullmatch(
            r"[\s,]*(?:et|ou|&)?\s*(?:l'|le |la |les |du |de la |de l'|des |d')?"
            r"(?:association |réseau |fondation )?",
            gap,
        ):
            break
        if not out and len(gap) > 60:
            break
        out.append(m)
        cursor = m.end
    return out


def _trailing_group(mentions: list[Mention], text: str, pos: int, gap: int = 80) -> list[Mention]:
    """The mentions listed right before `pos` (the nearest within `gap` characters), in text order."""
    out: list[Mention] = []
    cursor = pos
    for m in sorted(mentions, key=lambda x: -x.start):
        between = text[m.end : cursor]
        if out and not re.fullmatch(r"[\s,()]*(?:et|ou|&|via)?\s*(?:l'|le |la |les )?[\s(]*", between):
            break
        if not out and len(between) > gap:
            break
        out.insert(0, m)
        cursor = m.start
    return out


VERSION = "12"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


# A receiver written after « à / au / aux » (« a accordé 2 M€ aux PTCE », « versé à trois associations »),
# even one no recogniser names: the grant is not the page's initiative's. Complements of amount, scheme or
# time (« à hauteur de », « au titre de », « au cours de », « à partir de ») name no receiver.
_RECEIVER = re.compile(
    r"\b(?:à|au|aux)\s+(?!hauteur\b|titre\b|cours\b|partir\b|raison\b|compter\b|travers\b|terme\b|total\b)"
    r"(?:l['’]|la\s+|le\s+|les\s+|des\s+|ses\s+|leurs?\s+|\d+\s+|une?\s+|trois\s+|deux\s+)?[a-zà-ÿA-ZÀ-Ý]",
)


_ONLY_NEGATION = frozenset(PARTS) - {"negation"}
"""Opt-outs leaving the negation part alone (assertion.py)."""

# The document's own work named by a demonstrative or possessive (« pour la mise en œuvre de ces actions »,
# « nos missions », « ce programme d'actions »): an announced funding list for it is the author's (or, on
# an initiative's page, the initiative's) — the author is not written out because it is the one speaking.
_OWN_ACTIONS = re.compile(
    r"\b(?:ces|nos)\s+(?:actions|missions|activit[ée]s|travaux|chantiers)\b"
    r"|\b(?:ce|notre)\s+(?:programme|plan)\s+d['’]actions?\b",
    re.IGNORECASE,
)


def _written_from(m: Mention, ments: list[Mention], text: str) -> int:
    """Where the naming of `m` starts: a bracketed acronym (« … des Territoires (ANCT) ») is written from its
    expansion's start; any other mention from its own."""
    if re.search(r"\(\s*$", text[: m.start]):
        for other in ments:
            if other.end <= m.start and re.fullmatch(r"\s*\(\s*", text[other.end : m.start]):
                return other.start
    return m.start


def _appositive_stakes(
    sentence: str, s_off: int, s_ments: list[Mention], start: int
) -> list[tuple[str, int, int]]:
    """Holders named in apposition to a capital word after `start` (« …, la Ville de X, sociétaire pour
    2 000 € »): (holder key, where its phrase starts in `sentence`, where the capital word ends), in order.
    Only a comma (with « elle-même », « également »…) may stand between the holder's name and the word."""
    out: list[tuple[str, int, int]] = []
    for extra in _T_CAPITAL.finditer(sentence, start):
        lead = re.search(
            r",\s*(?:elle-même\s+|lui-même\s+|également\s+|aussi\s+)?$", sentence[: extra.start()]
        )
        if lead is None:
            continue
        holder = next(
            (
                m
                for m in s_ments
                if m.end == s_off + lead.start() and m.etype in ("Collectivite", "Organisation", "Initiative")
            ),
            None,
        )
        if holder is not None:
            out.append((holder.key, holder.start - s_off, extra.end()))
    return out


class TriggerRules(DocumentContext):
    """Support, funding, capital, partnership, contract and membership relations cued by trigger words."""

    def _relations(self, idx: int, unit: Unit) -> None:
        text = unit.text
        mentions = self.mentions[idx]
        colls = [m for m in mentions if m.etype == "Collectivite"]
        box_init = self._box_initiative_of(unit)
        box_coll = self._box_collectivite_of(unit)
        box_conf = self.settings.box_relation_confidence
        anaphor_coll = box_coll if box_coll and _ANAPHOR_COLL.search(text) else None
        if anaphor_coll is None and _ANAPHOR_COLL.search(text) and colls:
            anaphor_coll = colls[0].key
        # ---- capital participations
        for sentence in _sentences(text):
            s_off = text.find(sentence)
            s_ments = [m for m in mentions if s_off <= m.start < s_off + len(sentence)]
            if cap := _T_CAPITAL.search(sentence):
                before_trigger = [
                    m for m in s_ments if m.etype == "Collectivite" and m.end <= s_off + cap.start()
                ]
                holders = [m.key for m in _trailing_group(before_trigger, text, s_off + cap.start(), gap=120)]
                last_end = max((m.end for m in before_trigger), default=s_off)
                if _ANAPHOR_COLL.search(text[last_end : s_off + cap.start()]) and (box_coll or anaphor_coll):
                    holders = [box_coll or anaphor_coll or ""]
                if not holders and re.match(r"^(?:Elle|Il)\b", sentence) and colls:
                    holders = [colls[0].key]
                if not holders and _ANAPHOR_COLL.search(sentence) and (box_coll or anaphor_coll):
                    holders = [box_coll or anaphor_coll or ""]
                companies = [m.key for m in s_ments if m.etype == "Initiative"]
                companies += self._listed_initiatives(sentence, unit.passage)
                if not companies and box_init and (_ANAPHOR_INIT.search(sentence) or "capital" in sentence):
                    companies = [box_init]
                quals: dict[str, str] = {}
                # a further holder in apposition with its own stake (« …, aux côtés de la Ville de X,
                # sociétaire pour 2 000 € ») ends the first holder's phrase: its amount is its own
                appositives = _appositive_stakes(sentence, s_off, s_ments, cap.end())
                after_trigger = sentence[cap.start() : appositives[0][1] if appositives else None]
                # the stake's amount follows the trigger ("au capital … pour 5 000 €") or just precedes it
                # in the same phrase ("une participation de 20 000 € au capital")
                just_before = re.search(r"(?:\bde|:)\s*([^,;]{0,30})$", sentence[: cap.start()])
                a = _AMOUNT.search(after_trigger) or (
                    _AMOUNT.search(just_before.group(1)) if just_before else None
                )
                if a:
                    quals["amount"] = _num(a.group(1))
                if pc := _PERCENT.search(after_trigger):
                    quals["sharePercent"] = pc.group(1).replace(",", ".")
                # a year after a creation verb dates the company, not the stake ("la SCIC, créée en 2024")
                for dated in re.finditer(r"(?i:depuis) (\d{4})|(?i:en) \w* ?(\d{4})", sentence):
                    if not _CREATION_BEFORE.search(sentence[: dated.start()]):
                        quals["year"] = dated.group(1) or dated.group(2)
                        break
                for h in holders:
                    for c in dict.fromkeys(companies):
                        if h and h != c:
                            self._rel(
                                "CapitalParticipation",
                                h,
                                c,
                                unit.passage,
                                0.8,
                                qualifiers=quals,
                                rule="trigger:capital",
                            )
                for n, (holder, _, trig_end) in enumerate(appositives):
                    end = appositives[n + 1][1] if n + 1 < len(appositives) else len(sentence)
                    # its own amount right after the word (« sociétaire pour 2 000 € », « à hauteur de … »)
                    own = re.match(
                        rf"\s*(?:pour|à hauteur de|à raison de|de)\s*{_AMOUNT.pattern}",
                        sentence[trig_end:end],
                    )
                    q = {"amount": _num(own.group(1))} if own else {}
                    for c in dict.fromkeys(companies):
                        if holder != c and holder not in holders:
                            self._rel(
                                "CapitalParticipation",
                                holder,
                                c,
                                unit.passage,
                                0.8,
                                qualifiers=q,
                                rule="trigger:capital-apposition",
                            )
            # ---- contracts
            for regex, kind, kind_label in _CONTRACT_KINDS:
                if not regex.search(sentence):
                    continue
                authority = [m.key for m in s_ments if m.etype == "Collectivite"]
                if (
                    not authority
                    and (box_coll or anaphor_coll)
                    and (_ANAPHOR_COLL.search(sentence) or re.match(r"^(?:Elle|Il)\b", sentence))
                ):
                    authority = [box_coll or anaphor_coll or ""]
                if not authority and re.match(r"^(?:Elle|Il)\b", sentence) and colls:
                    authority = [colls[0].key]
                if not authority and box_coll:
                    authority = [box_coll]
                trig = regex.search(sentence)
                t_pos = s_off + (trig.start() if trig else 0)
                contractors = [
                    m.key
                    for m in s_ments
                    if m.etype in ("Initiative", "Organisation") and m.key != self.publisher_key
                ]
                if kind == "marche-public":
                    contractors = [
                        m.key
                        for m in s_ments
                        if m.etype in ("Initiative", "Organisation") and m.start > t_pos
                    ]
                if not contractors and box_init:
                    contractors = [box_init]
                quals = {"contractKind": kind, "kindLabel": kind_label}
                if d := _DURATION.search(sentence):
                    quals["duration"] = d.group(1)
                if y := _YEAR.search(sentence):
                    quals["year"] = y.group(1)
                # the contract's amount when the sentence gives exactly one (« d'un montant de 80 000 € »);
                # two amounts may belong to something else (a subsidy, the capital): none is taken
                if len(amounts := _AMOUNT.findall(sentence)) == 1 and len(contractors[:3]) == 1:
                    quals["amount"] = _num(amounts[0])
                for a_key in authority:
                    for c_key in contractors[:3]:
                        self._rel(
                            "Contract",
                            a_key,
                            c_key,
                            unit.passage,
                            0.75,
                            qualifiers=quals,
                            rule=f"trigger:{kind}",
                        )
                break
            # ---- fundings (a "X a apporté un financement de :" line announces the funder of the next items)
            if self._pending_funders and unit.is_item and _AMOUNT.search(sentence):
                year = _YEAR.search(sentence)
                first = _AMOUNT.search(sentence)
                beneficiary, announced = self._pending_beneficiary
                for funder in self._pending_funders:
                    if beneficiary and first:
                        q = {"amount": _num(first.group(1)), **({"year": year.group(1)} if year else {})}
                        self._rel(
                            "Funding",
                            funder,
                            beneficiary,
                            unit.passage,
                            0.8,
                            qualifiers=q,
                            rule="structure:funding-list",
                            also=(announced,),
                        )
                continue
            if not unit.is_item:
                self._pending_funders = []
            if any(_funding_told(sentence, m) for m in _T_FUNDING.finditer(sentence)):
                self._fundings(unit, sentence, s_off, s_ments, box_init, anaphor_coll)
            # ---- supports (passive: X soutenu par Y; active: Y soutient X)
            for trig in _T_SUPPORT_PASSIVE.finditer(sentence):
                t0 = s_off + trig.start()
                t1 = s_off + trig.end()
                after = [m for m in s_ments if m.start >= t1 and m.etype in ("Collectivite", "Organisation")]
                after = _leading_group(after, text, t1)
                if not after and _ANAPHOR_COLL.search(text[t1 : t1 + 25]) and box_coll:
                    after_keys = [box_coll]
                else:
                    after_keys = [m.key for m in after]
                before = [
                    m
                    for m in s_ments
                    if m.end <= t0
                    and m.etype in ("Initiative", "Programme", "Organisation", "CallForProjects")
                ]
                if before and before[-1].etype == "CallForProjects":
                    continue  # « l'appel à projets X (…) porté par Y » is Y's call (pilotedBy), no support
                obj = before[-1].key if before else box_init
                if obj:
                    for sup in after_keys:
                        self._rel("supports", sup, obj, unit.passage, 0.75, rule="trigger:passive-support")
            for trig in _T_SUPPORT_ACTIVE.finditer(sentence):
                t0 = s_off + trig.start()
                t1 = s_off + trig.end()
                subj = [m for m in s_ments if m.end <= t0 and m.etype in ("Collectivite", "Organisation")]
                if trig.group(0).lower().startswith(("soutien d", "le soutien", "avec le soutien")):
                    subj = _leading_group([m for m in s_ments if m.start >= t1], text, t1)
                    before_objs = [
                        m for m in s_ments if m.end <= t0 and m.etype in ("Initiative", "Programme")
                    ]
                    last = before_objs[-1].end if before_objs else s_off
                    if _event_heads().search(text, last, t0):
                        # « X organise avec Y les Rencontres Z, avec le soutien de W »: W backs the event
                        # told between (events family), not the actor named before it
                        continue
                    objs = [m.key for m in before_objs]
                    after_obj = [
                        m.key for m in s_ments if m.start >= t1 and m.etype in ("Initiative", "Programme")
                    ]
                    objs = objs or after_obj or ([box_init] if box_init else [])
                    subj = [m for m in subj if m.etype in ("Collectivite", "Organisation")]
                else:
                    if not subj and anaphor_coll and _ANAPHOR_COLL.search(sentence[: trig.start() + 1]):
                        subj = [Mention(anaphor_coll, "Collectivite", 0, 0, "")]
                    # an actor named inside an incidental phrase before the verb (« X, située à 400 km de
                    # Y, soutient … ») is not its subject
                    subj = [m for m in subj if same_clause(sentence, trig.start(), max(0, m.start - s_off))]
                    subj = _trailing_group(subj, text, t0)
                    objs = [
                        m.key
                        for m in s_ments
                        if m.start >= t1
                        and m.etype in ("Initiative", "Programme", "Organisation")
                        and not names_scheme(text, m.start)  # the scheme money comes through is no one
                    ][:3]
                    if not objs and box_init:
                        objs = [box_init]
                for s in subj:
                    for o in objs:
                        self._rel("supports", s.key, o, unit.passage, 0.7, rule="trigger:active-support")
            # ---- partnerships
            for trig in _T_PARTNER.finditer(sentence):
                t0, t1 = s_off + trig.start(), s_off + trig.end()
                # partners are actors: a publication, a person or an event named beside the cue is none
                # a back-reference in a complement (« au capital de la coopérative, aux côtés de X ») is
                # not the one who stands beside X: the clause's actor is
                left = [
                    m
                    for m in s_ments
                    if m.end <= t0
                    and m.etype in _PARTNER_TYPES
                    and not (id(m) in self._anaphor_ids and _AFTER_PREPOSITION.search(text[: m.start]))
                    and not _BACKER_BEFORE.search(text[: _written_from(m, s_ments, text)])
                ]
                left = _trailing_group(left, text, t0) if left else []
                if not left:
                    # the example box's initiative, never the document's author by default (a judged
                    # sample found "<action> en partenariat avec X" lines of a report unsupported)
                    left = [Mention(box_init, "Initiative", 0, 0, "")] if box_init else []
                right = _leading_group(
                    [m for m in s_ments if m.start >= t1 and m.etype in _PARTNER_TYPES], text, t1
                )
                if trig.group(0).lower().startswith("a achet"):
                    recent = box_coll or self._recent_collectivite(idx)
                    right = [Mention(recent, "Collectivite", 0, 0, "")] if recent else []
                for a_m in left:
                    for b_m in right:
                        self._rel("partnerOf", a_m.key, b_m.key, unit.passage, 0.7, rule="trigger:partner")
            # ---- piloted / organised / created / member
            for trig in _T_PILOTED.finditer(sentence):
                t0, t1 = s_off + trig.start(), s_off + trig.end()
                pilots = _leading_group([m for m in s_ments if m.start >= t1], text, t1)
                subj_m = [
                    m
                    for m in s_ments
                    if m.end <= t0 and m.etype in ("Programme", "Initiative", "Event", "CallForProjects")
                ]
                subject = (
                    subj_m[-1].key
                    if subj_m
                    else (self._last_programme(idx) if re.match(r"^(?:Il|Elle)\b", sentence) else None)
                )
                for pm in pilots:
                    if subject:
                        self._rel("pilotedBy", subject, pm.key, unit.passage, 0.8, rule="trigger:pilote")
            self._call_owners(unit, s_ments)
            for trig in _T_CREATED.finditer(sentence):
                t0, t1 = s_off + trig.start(), s_off + trig.end()
                creators = [m for m in s_ments if m.etype == "Collectivite"]
                created = [m.key for m in s_ments if m.etype == "Initiative" and m.start >= t0] or (
                    [box_init] if box_init else []
                )
                if "initiative" in trig.group(0) or "impulsion" in trig.group(0):
                    creators = _leading_group([m for m in s_ments if m.start >= t1], text, t1)
                quals = {"year": y.group(1)} if (y := _YEAR.search(sentence)) else {}
                for cm in creators:
                    for c in created[:2]:
                        self._rel(
                            "createdBy",
                            c,
                            cm.key,
                            unit.passage,
                            0.75,
                            qualifiers=quals,
                            rule="trigger:creation",
                        )
            for trig in _T_MEMBER.finditer(sentence):
                t0, t1 = s_off + trig.start(), s_off + trig.end()
                members = [m for m in s_ments if m.end <= t0]
                groups = _leading_group([m for m in s_ments if m.start >= t1], text, t1)
                if members and groups:
                    for g in groups[:1]:
                        self._rel(
                            "memberOf", members[-1].key, g.key, unit.passage, 0.7, rule="trigger:membre"
                        )
        # ---- a numbered part (a fiche) cites the laws it names
        section = self.sections.get(unit.section) if unit.section is not None else None
        if section is not None and section.number is not None:
            for m in mentions:
                if m.etype == "Law":
                    self._rel(
                        "cites", f"@section/{section.index}", m.key, unit.passage, 0.85, rule="pattern:law"
                    )
        # ---- structural: the box's collectivité is the actor of its initiative
        if unit.box == idx and box_init:
            # the heading pairs them; a passage of the box must say the collectivité acts for it
            for coll in self.box_collectivites.get(idx, []):
                body = self._box_support_passage(idx, coll)
                if body is None:
                    continue
                self._rel(
                    "supports",
                    coll,
                    box_init,
                    unit.passage,
                    box_conf,
                    rule="structure:box-heading",
                    also=(body,),
                )

    def _call_owners(self, unit: Unit, ments: list[Mention]) -> None:
        """A call for projects followed by the actor that launched it (« l'appel à projets X (…), de la
        Fondation Y », « … porté par le Réseau Z »): pilotedBy from the call to the actor."""
        for call, nxt in pairwise(ments):
            if call.etype != "CallForProjects" or nxt.etype not in ("Organisation", "Collectivite"):
                continue
            if _CALL_OWNER_GAP.match(unit.text[call.end : nxt.start]):
                self._rel("pilotedBy", call.key, nxt.key, unit.passage, 0.75, rule="trigger:call-owner")

    def _listed_initiatives(self, sentence: str, passage: int) -> list[str]:
        """Initiatives enumerated after a colon and separated by ';' ("… : MassiflX (…) ; SoTicket (…)")."""
        if ":" not in sentence or ";" not in sentence:
            return []
        keys: list[str] = []
        for item in sentence.split(":", 1)[1].split(";"):
            item = re.sub(
                r"^\s*(?:et\s+)?(?:le|la|les|l')?\s*(?:tiers-lieu|SCIC|projet)?\s*", "", item.strip()
            )
            m = re.match(rf"({NAME})", item)
            if m and len(m.group(1)) > 2:
                found = self._heuristic_initiative(m.group(1), passage, 0.7)
                if found and found[1] == "Initiative":
                    keys.append(found[0])
        return keys

    def _fundings(
        self,
        unit: Unit,
        sentence: str,
        s_off: int,
        ments: list[Mention],
        box_init: str | None,
        anaphor_coll: str | None,
    ) -> None:
        if unasserted(sentence, _ONLY_NEGATION):
            return  # « X n'a pas financé … »: nothing, and nothing to lend an earlier funding of the pair
        funders = [
            m.key
            for m in ments
            if m.etype in ("Collectivite", "Organisation") and m.key != self.publisher_key
        ]
        if re.match(r"^\s*Financement\s*:", sentence):
            funders = [m.key for m in ments if m.etype in ("Organisation", "Collectivite")]
        elif by := _FUNDED_BY.search(sentence):
            # a passive grant names its funders after « par »: an actor named elsewhere in the sentence
            # (a speaker's seat, the organiser of the event where it was presented) funds nothing
            end = _AGENT_END.search(sentence, by.end())
            stop = end.start() if end else len(sentence)
            agents = [m.key for m in ments if m.key in funders and by.end() <= m.start - s_off < stop]
            funders = agents or funders
        if not funders and anaphor_coll:
            funders = [anaphor_coll]
        # a programme named as the scheme the money comes through (« au titre de son dispositif X ») is how
        # it is granted, not who receives it
        schemes = [m for m in ments if m.etype == "Programme" and names_scheme(unit.text, m.start)]
        beneficiaries = [m.key for m in ments if m.etype in ("Initiative", "Programme") and m not in schemes]
        amounts = list(_AMOUNT.finditer(sentence))
        section = self.sections.get(unit.section) if unit.section is not None else None
        own_programme = (section is not None and section.kind == "fiche-action") or re.match(
            r"^\s*(?:Financement|Partenariat|Moyens)", sentence
        )
        if sentence.rstrip().endswith(":") and funders:
            # the list below gives the amounts; the announcing line must name who receives them (an
            # initiative, or the document's author written out): no beneficiary by default
            named = beneficiaries or [
                m.key for m in ments if m.key == self.publisher_key and m.key not in funders
            ]
            if not named and _OWN_ACTIONS.search(sentence):
                page = self._page_subject()[1]
                owner = page.key if page is not None else self.publisher_key
                named = [owner] if owner and owner not in funders else []
            self._pending_funders = funders if named else []
            self._pending_beneficiary = (named[0] if named else None, unit.passage)
            return
        also: tuple[int, ...] = ()
        rule = "trigger:financement"
        if not beneficiaries:
            page = self._page_subject()[1]
            if box_init:
                beneficiaries = [box_init]
            elif (
                page is not None
                and amounts
                and funders
                and not own_programme
                and not _RECEIVER.search(sentence)
            ):
                # on a page about one initiative, a grant that names no other receiver is the initiative's
                # (« le Département a financé l'équipement de la légumerie à hauteur de 35 000 € »)
                beneficiaries = [page.key]
            elif self.publisher_key and own_programme:
                # a line of the publisher's own action plan ("Financement : X, 10 000 €"): the
                # beneficiary is the document's author, a layout fact; the action's heading is cited
                # beside the line and the rule says it is structural
                beneficiaries = [self.publisher_key]
                heading = self._section_heading_passage(unit)
                also, rule = ((heading,) if heading is not None else ()), "structure:own-funding"
            else:
                return  # an amount with no beneficiary named is no funding of the document's author
        # a funder hedged ("ANCT ?") or only linked with the beneficiary ("en lien avec X") funds nothing
        funders = [
            f
            for f in funders
            if not any(
                m.key == f
                and (
                    re.match(r"\s*\?", unit.text[m.end :])
                    or re.search(
                        r"(?:en lien avec|li[ée]e?s? [àa]|aux c[ôo]t[ée]s de)(?:\s+\S+){0,4}\s*$",
                        unit.text[: m.start],
                    )
                )
                for m in ments
            )
        ]
        action = (section.label or section.title) if section and section.kind == "fiche-action" else None
        scheme_of: dict[str, str] = {}  # funder -> the scheme named in its clause
        for sch in schemes:
            before = [m for m in ments if m.key in funders and m.start < sch.start]
            if before:
                scheme_of.setdefault(before[-1].key, self.reg.entities[sch.key].label)
        # several funders and several amounts: each amount is its own clause's funder's (« X a financé … à
        # hauteur de 35 000 €, et Y a accordé 25 000 € »), the last funder named before it
        giver: dict[int, str] = {}
        if len(funders) > 1 and len(amounts) > 1:
            for a in amounts:
                before = [m for m in ments if m.key in funders and m.start < s_off + a.start()]
                if before:
                    giver[a.start()] = before[-1].key
        pairs: list[dict[str, str]] = []
        for a in amounts:
            tail = sentence[a.end() : a.end() + 40]
            if re.match(r"\s*(?:ont été |ont |)(?:r[ée]colt|collect|lev[ée])", tail):
                continue  # money raised from the public (a crowdfunding total), not a grant of the funder
            y_after = _YEAR.search(tail)
            y_before = _YEAR.search(sentence[max(0, a.start() - 25) : a.start()])
            years = [
                (y_after.group(1), a.end() + y_after.start()) if y_after else None,
                (y_before.group(1), max(0, a.start() - 25) + y_before.start()) if y_before else None,
            ]
            if len(amounts) == 1 and len(_YEAR.findall(sentence)) == 1:
                y_any = _YEAR.search(sentence)  # one amount, one year: « En 2023, X a accordé 8 000 € … »
                years.append((y_any.group(1), y_any.start()) if y_any else None)
            # the year of the grant's own clause (« X, financée par Y à hauteur de 60 000 €, ouvrira en
            # 2026 »: 2026 dates the opening)
            year = next((y for y, at in filter(None, years) if same_clause(sentence, a.start(), at)), None)
            q = {"amount": _num(a.group(1))}
            if year:
                q["year"] = year
            if a.start() in giver:
                q["_funder"] = giver[a.start()]
            pairs.append(q)
        if not pairs:
            pairs = [{"year": y.group(1)}] if (y := _YEAR.search(sentence)) else [{}]
        pairs = [with_agreement(q, sentence) for q in pairs]
        for f in funders:
            for b in beneficiaries[:2]:
                if f == b:
                    continue
                for q in pairs:
                    if q.get("_funder", f) != f:
                        continue
                    q = {k: v for k, v in q.items() if k != "_funder"}
                    if action or f in scheme_of:
                        q = {**q, "action": action or scheme_of[f]}
                    self._rel("Funding", f, b, unit.passage, 0.75, qualifiers=q, rule=rule, also=also)
