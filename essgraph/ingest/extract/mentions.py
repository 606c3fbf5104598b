"""Rule and gazetteer recognisers: collectivités, organisations, initiatives, laws, persons in a unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from essgraph.core.text import fold_with_offsets
from essgraph.ingest.extract import gazetteer as gz
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.lexicon import load_lexicon
from essgraph.ingest.extract.names import plausible_initiative_name, spelled_acronym
from essgraph.ingest.extract.registry import Registry
from essgraph.ontology.communes import commune_named

UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŒ"
LOW = "a-zàâäçéèêëîïôöùûüœ"
# A capitalised (or digit/camel-case) token of a proper name.
CAP = rf"(?:[{UP}0-9][\w'&+-]*|[{LOW}]+[{UP}][\w'&-]*|ô[\w-]+)"
BRIDGE = r"(?:de|du|des|d'|la|le|les|l'|en|sur|sous|&|et|-|à)"
_ORG_BRIDGE = r"(?:de|du|des|d'|la|le|les|l'|en|sur|sous|-|à)"
# A token joined to a name by a lower-case word starts with a letter: "Ville de Caen en 2023" and "Ville
# d'Arras les 3 et 4 octobre" end before the number; a number right after a name stays ("Solidarauto 38").
CAPW = rf"(?:[{UP}][\w'&+-]*|[{LOW}]+[{UP}][\w'&-]*|ô[\w-]+)"
# Lower-case words inside a name: a preposition, optionally with its article ("Pays de la Loire", "Val
# de Loire", "Bois sur les Monts"); a bare article never joins, it starts the next noun phrase
# ("la CRESS Grand Est les Rencontres …" ends at "Est").
BRIDGE_SEQ = r"(?:(?:de|sur|sous|à|en)\s+(?:la|le|les)\s+|(?:de|du|des|en|sur|sous|&|-|à)\s+)"
NAME = rf"{CAP}(?:\s+{BRIDGE_SEQ}(?:d'|l')?{CAPW}|\s+(?:d'|l')?{CAP})*"
# After a legal-form word a name may also hold one lower-case word between capitalised tokens.
_LOWER_JOIN = rf"(?:et|(?!(?:à|la|le|les|si)\b)[{LOW}]{{2,12}})"
LOOSE = rf"{CAP}(?:\s+{BRIDGE_SEQ}(?:d'|l')?{CAPW}|\s+{_LOWER_JOIN}\s+(?:d'|l')?{CAPW}|\s+(?:d'|l')?{CAP})*"

# Adjectives between a kind word and a name, recognised by their French endings ("solidaire",
# "associatif", "régionale", "partagés"): a verb ("soutient", "organise") never matches.
ADJ = (
    rf"[{LOW}][{LOW}-]*(?:aire|aires|al|ale|aux|ales|ique|iques|if|ive|ifs|ives|ien|ienne|ais|aise|el|elle|"
    rf"é|ée|és|ées|ant|ante|eur|euse|iste|ois|oise|able|ible|ier|ière|in|ine|ard|arde|ain|aine)"
)


@lru_cache(maxsize=1)
def _headed_name_pattern() -> re.Pattern[str]:
    alternatives = load_lexicon().heads_pattern()
    return re.compile(
        # only « de », « du », « des » join the kind word to the proper part: « créée à Lyon » is no name
        rf"(?=[{UP}])(?i:{alternatives})(?:\s+{ADJ}){{0,2}}\s+(?:(?:de|du|des)\s+(?:la\s+|le\s+|les\s+|l'|d')?)?{CAP}"
        rf"(?:\s+{BRIDGE_SEQ}(?:d'|l')?{CAPW}|\s+(?:d'|l')?{CAP})*"
    )


def headed_name(text: str, start: int) -> str | None:
    """The name at `start` of `text` when it opens with a capitalised kind word and its lower-case
    complement before the proper part (« Régie de quartier Les Hauts », « Garage solidaire du Pays
    Vert »), which a run of capitalised words alone would cut after the kind word; None otherwise."""
    m = _headed_name_pattern().match(text, start)
    if m is None or not re.search(rf"\s[{LOW}]", m.group(0)):
        return None
    return _trim(m.group(0))


_NAME_STOP_TAIL = re.compile(r"(?:\s+(?:et|de|du|des|la|le|les|à|en|sur|&|-))+$|\s+(?:d'|l')$")


@dataclass(slots=True)
class Mention:
    """An entity mentioned in a unit: key, type and character span in the unit's cleaned text."""

    key: str
    etype: str
    start: int
    end: int
    text: str

    @property
    def bare_place(self) -> bool:
        """A commune written as a bare place name ("à Grenoble", "Lyon et Nantes"), no word saying it
        acts as an institution ("Ville de", "Métropole", "Conseil départemental"…): a place unless a verb
        makes it act."""
        if self.etype != "Collectivite" or any(w in INSTITUTION_WORDS for w in fold(self.text).split()):
            return False
        return commune_named(self.text.strip()) is not None  # an EPCI's bare name ("Grand X") is the EPCI


INSTITUTION_WORDS = frozenset(
    "ville commune mairie metropole communaute agglomeration departement departemental region regional "
    "conseil collectivite syndicat parc pays pnr epci intercommunalite eurometropole prefecture etat".split()
)
"""Folded French words naming a public institution rather than a place (general vocabulary)."""


def _trim(name: str) -> str:
    name = _NAME_STOP_TAIL.sub("", name.strip())
    return name.strip(" ,;:.'-")


def _level_label(word: str) -> str:
    return word[:1].upper() + word[1:]


_COMMUNE = re.compile(rf"\b([Vv]ille|[Cc]ommune|[Mm]airie)\s+(de|d'|du)\s*({NAME})")
_METRO_OF = re.compile(rf"\b[Mm][ée]tropole\s+(?:de|d'|du)\s*({NAME})")
_X_METRO = re.compile(rf"\b((?:{CAP}[\s-]){{1,3}})[Mm][ée]tropole\b")
_CC = re.compile(rf"\b[Cc]ommunaut[ée] de [Cc]ommunes\s+(?:(du|de la|de l'|des|de|d')\s*)?({LOOSE})")
_CC_SHORT = re.compile(rf"\bCC\s+({NAME})")
_CA = re.compile(rf"\b[Cc]ommunaut[ée] d'[Aa]gglom[ée]ration\s+(?:(du|de la|de l'|des|de|d')\s*)?({NAME})")
_CA_SHORT = re.compile(rf"\bCA\s+(du|de la|de l'|des|de|d')\s*({NAME})")
_CU = re.compile(rf"\b[Cc]ommunaut[ée] urbaine\s+(?:(du|de la|de l'|des|de|d')\s*)?({NAME})")
_DEPT = re.compile(
    rf"\b(?:[Dd][ée]partement|[Cc]onseil d[ée]partemental)\s+(de l'|d'|du|de la|des|de)\s*({NAME})"
)
_REGION = re.compile(
    rf"\b(?:[Rr][ée]gion|[Cc]onseil r[ée]gional)\s+(?:(de l'|d'|du|de la|des|de)\s*)?({NAME})"
)
# a name that starts with a région, under any of its spellings (as a whole word: "NA" is no "Nantes")
_STARTS_WITH_REGION = re.compile(
    "(?:" + "|".join(re.escape(fold(r)) for r in sorted(gz.REGIONS, key=len, reverse=True)) + r")(?![a-z0-9])"
)
_PNR = re.compile(rf"\b(?:Parc Naturel R[ée]gional|PNR)\s+(?:(de la|de l'|du|des|de|d')\s*)?({NAME})")
_PLACE_CODE = re.compile(rf"\b({CAP}(?:[\s-](?:{BRIDGE}[\s-])*{CAP})*)\s*\((\d[0-9AB])\)")
_COMMUNE_APPOS = re.compile(rf"^({CAP}(?:-{CAP})*)(?:\s*\((\d[0-9AB])\))?,\s+commune\b")
_ORG_PATTERN = re.compile(
    rf"\b((?:CRESS|URSCOP|Fondation|F[ée]d[ée]ration|Universit[ée]|Chaire|Union|Institut|Agence|Minist[èe]re|"
    rf"Observatoire|Comit[ée]|Conseil|Maison|Mouvement|R[ée]seau|Chambre)\s+(?:{_ORG_BRIDGE}\s+)*"
    rf"(?:[ld]['’])?{NAME})"
)
# A network's name written in lower case after its kind word and scope (« Réseau national des ressourceries »,
# « Comité national de liaison des régies de quartier (CNLRQ) »): the name runs over lower-case nouns joined
# by « de », « des »… and ends at punctuation, a verb or a conjunction; a bracketed acronym is its short name.
_SCOPE = (
    r"(?:national|nationale|régional|régionale|départemental|départementale|français|française|européen|"
    r"européenne|territorial|territoriale|interrégional|interrégionale|métropolitain|métropolitaine)"
)
_LOWER_STOP = (
    r"(?:et|ou|qui|que|dont|où|pour|depuis|en|à|au|aux|avec|dans|sur|sous|par|chez|vers|est|sont|a|ont|"
    r"se|sa|son|ses|leur|leurs|ce|cet|cette|ces|un|une|mais|puis|ainsi|aussi|également)"
)
_LOWER_WORD = rf"(?!{_LOWER_STOP}\b)[{LOW}][{LOW}-]+(?![\w'’])"
_LOWER_JOINER = r"(?:de|du|des|d')\s*(?:la\s+|le\s+|les\s+|l')?"
# Lower-case adjectives that may follow a noun inside such a name (« coopératives », « solidaires »,
# « locales »); participles (« créé ») and verbs never do, so the name stops before them.
_NAME_ADJ = (
    rf"[{LOW}][{LOW}-]*(?:aire|aires|al|ale|aux|ales|ique|iques|if|ifs|ive|ives|ien|iens|ienne|iennes|el|els|"
    rf"elle|elles|ois|oise|oises|able|ables|ible|ibles)(?![\w'’])"
)
_ORG_LOWER = re.compile(
    rf"\b((?:F[ée]d[ée]ration|Union|R[ée]seau|Mouvement|Comit[ée]|Collectif|Coordination|Institut|"
    rf"Observatoire|Agence|Association)\s+{_SCOPE}(?:\s+{_NAME_ADJ})?"
    rf"(?:\s+{_LOWER_JOINER}{_LOWER_WORD}(?:\s+{_NAME_ADJ})?){{1,4}})"
    rf"(?:\s*\(([{UP}][{UP}0-9&-]{{1,10}})\))?"
)
_FORM_NAME = re.compile(
    rf"\b(SCIC|Scic|SCOP|Scop|CAE|GIE|SAS|PTCE|[Ll]'association|[Aa]ssociation|[Ll]es associations|"
    rf"[Ff]onci[èe]re solidaire|[Cc]r[èe]che coop[ée]rative|"
    rf"[Cc]oop[ée]rative(?: d'[Aa]ctivit[ée]s et d'[Ee]mplois)?|"
    rf"microcr[èe]che|tiers-lieu|[Ee]ntreprise d'insertion|plateforme(?: de mobilit[ée])?)"
    rf"\s+(?:st[ée]phanoise\s+|nationale\s+)?(«\s*[^»]+»|{LOOSE})"
)
# What opens a sentence before its comma without being a name: an article or pronoun, or a preposition
# starting a fronted place or time phrase (« Depuis Lyon, un réseau… », « Chez nos voisins, une
# coopérative… »): the apposition after the comma is not about that phrase. « À », « Au », « Aux » also
# start names (« Au Fil du Lien, association… »): only before a commune's name is such a phrase a place
# (« À Vénissieux, une SCIC… »; gazetteer.place_after_preposition).
_NOT_A_NAME_START = re.compile(
    r"^(?:Le|La|Les|Un|Une|Elle|Il|Ce|Cette|En|Dans|Depuis|Dès|Chez|Sur|Sous|Pour|Par|Avec|"
    r"Entre|Après|Avant|Selon|Vers|Près|Lors|Pendant|Hors|Outre|Parmi)$"
)
_APPOS = re.compile(
    rf"(?:\bappel [àa] |^)({NAME}),\s+(?:une? |l')?"
    rf"(?:entreprise|association|structure|coop[ée]rative|r[ée]seau|plateforme|"
    rf"SCIC|Scop|SCOP|monnaie locale|centre|lieu|p[ôo]le|fab-?lab|collectif|mouvement)\b"
)
_FORM_SLUG = {
    "scic": "scic",
    "scop": "scop",
    "cae": "cae",
    "gie": "gie",
    "sas": "",
    "ptce": "ptce",
    "association": "association",
    "associations": "association",
    "fonciere": "fonciere-solidaire",
    "creche": "scic",
    "cooperative": "cooperative",
    "microcreche": "association",
    "tiers-lieu": "tiers-lieu",
    "entreprise": "ei",
    "plateforme": "",
}
_GENERIC_NAMES = {
    "ESS",
    "SCIC",
    "SCOP",
    "CAE",
    "PTCE",
    "SIEG",
    "DSP",
    "QPV",
    "MLC",
    "CPO",
    "EPCI",
    "SPASER",
    "IAE",
    "OFS",
    "France",
    "Europe",
    "Etat",
    "État",
    "CA",
    "RTES",
    "Il",
    "Elle",
    "Les",
    "Le",
    "La",
    "Des",
    "Ces",
    "Cette",
}


class Recogniser:
    """Finds the entities of one document's units and registers them in a Registry."""

    def __init__(self, registry: Registry) -> None:
        self.reg = registry
        aliases = sorted(registry.org_alias.items(), key=lambda kv: -len(kv[0]))
        self._org_re = [
            (
                re.compile(
                    rf"(?<![\w-]){re.escape(alias)}(?![\w-])", 0 if _case_sensitive(alias) else re.IGNORECASE
                ),
                canonical,
            )
            for alias, canonical in _original_aliases(registry)
        ]
        del aliases
        named = []
        for label, (level, code, alts) in gz.NAMED_COLLECTIVITES.items():
            for variant in (label, *alts):
                named.append((variant, label, level, code))
        named.sort(key=lambda item: -len(item[0]))
        spellings = [(fold(a), c) for c, aliases in gz.PUBLICATIONS.items() for a in (c, *aliases)]
        self._pub_re = [
            (re.compile(rf"(?<![\w-]){re.escape(a)}(?![\w-])"), c)
            for a, c in sorted(set(spellings), key=lambda x: -len(x[0]))
        ]
        self._named_re = [
            (
                re.compile(rf"(?<![\w-]){re.escape(v)}(?![\w-])", re.IGNORECASE if len(v) > 4 else 0),
                lab,
                lev,
                code,
            )
            for v, lab, lev, code in named
        ]

    # ------------------------------------------------------------------ collectivités
    def collectivites(self, text: str, passage: int) -> list[Mention]:
        """Collectivités named in `text` with their level (and département code when written)."""
        found: list[Mention] = []
        for regex, label, level, code in self._named_re:
            for m in regex.finditer(text):
                key = self._coll(label, level, passage, alt=(m.group(0),), code=code or None)
                found.append(Mention(key, "Collectivite", m.start(), m.end(), m.group(0)))
        for m in _CC.finditer(text):
            prep, name = m.group(1) or "", _trim(m.group(2))
            label = f"Communauté de communes {_join(prep, name)}"
            found.append(self._mk(label, gz.LEVEL_CC, m, passage, m.start(), m.start(2) + len(name)))
        for m in _CC_SHORT.finditer(text):
            name = _trim(m.group(1))
            label = f"Communauté de communes {name}"
            found.append(self._mk(label, gz.LEVEL_CC, m, passage, m.start(), m.start(1) + len(name)))
        for regex in (_CA, _CA_SHORT):
            for m in regex.finditer(text):
                prep, name = m.group(1) or "", _trim(m.group(2))
                label = f"Communauté d'agglomération {_join(prep, name)}"
                found.append(self._mk(label, gz.LEVEL_CA, m, passage, m.start(), m.start(2) + len(name)))
        for m in _CU.finditer(text):
            prep, name = m.group(1) or "", _trim(m.group(2))
            label = f"Communauté urbaine {_join(prep, name)}"
            found.append(self._mk(label, gz.LEVEL_CU, m, passage, m.start(), m.start(2) + len(name)))
        for m in _METRO_OF.finditer(text):
            name = _trim(m.group(1))
            if fold(name).startswith("europeenne"):
                continue
            label = f"Métropole de {name}" if name[:1] not in "AEIOUÉÈÎ" else f"Métropole d'{name}"
            key = _metropole_key(name)
            found.append(
                self._mk(label, gz.LEVEL_METROPOLE, m, passage, m.start(), m.start(1) + len(name), key=key)
            )
        for m in _X_METRO.finditer(text):
            head = m.group(1).strip(" -")
            if head.split()[0] in {"La", "Le", "Les", "Une", "De", "Et", "Des", "En", "À"} or fold(head) in {
                "ville"
            }:
                head = " ".join(head.split()[1:])
            if not head or head in _GENERIC_NAMES:
                continue
            label = f"{head} Métropole"
            start = m.start(1) + m.group(1).find(head)
            found.append(
                self._mk(label, gz.LEVEL_METROPOLE, m, passage, start, m.end(), key=_metropole_key(head))
            )
        for m in _DEPT.finditer(text):
            prep, name = m.group(1), _trim(m.group(2))
            prep = "d'" if prep in ("de l'", "d'") else prep
            label = f"Département {_join(prep, name)}"
            found.append(self._mk(label, gz.LEVEL_DEPARTEMENT, m, passage, m.start(), m.start(2) + len(name)))
        for m in _REGION.finditer(text):
            name = _trim(m.group(2))
            if not _STARTS_WITH_REGION.match(fold(name)):
                continue
            label = f"Région {name}"
            found.append(self._mk(label, gz.LEVEL_REGION, m, passage, m.start(), m.start(2) + len(name)))
        for m in _PNR.finditer(text):
            prep, name = m.group(1) or "", _trim(m.group(2))
            label = f"Parc naturel régional {_join(prep, name)}"
            key = self.reg.add(
                "Collectivite",
                label,
                passage,
                key=f"collectivite/pnr-{_slug(name)}",
                alt=(m.group(0), f"PNR {name}"),
                prefer_label=bool(prep),
            )
            self.reg.attr(key, "level", gz.LEVEL_PNR)
            found.append(Mention(key, "Collectivite", m.start(), m.start(2) + len(name), m.group(0)))
        for m in _COMMUNE.finditer(text):
            word, name = m.group(1), _trim(m.group(3))
            if text[max(0, m.start() - 7) : m.start()].endswith(("centre-", "cœur de ", "Centre-")):
                continue
            if not name or name in _GENERIC_NAMES or fold(name).startswith(("l'", "la ", "le ")):
                continue
            styled = "Commune" if fold(word) == "commune" else "Ville"
            key = self.commune(name, passage, styled=styled)
            found.append(Mention(key, "Collectivite", m.start(), m.start(3) + len(name), m.group(0)))
        m2 = _COMMUNE_APPOS.match(text)
        if m2:
            key = self.commune(m2.group(1), passage, code=m2.group(2))
            found.append(Mention(key, "Collectivite", 0, m2.end(1), m2.group(1)))
        return _non_overlapping(found)

    def commune(self, name: str, passage: int, *, styled: str | None = None, code: str | None = None) -> str:
        """Register the commune `name` ("Ville de X" when so styled); returns its key."""
        name = name.strip()
        article = "d'" if name[:1] in "AEIOUÉÈÎY" else "de "
        alts = (name, f"Ville {article}{name}", f"Commune {article}{name}")
        label = f"{styled} {article}{name}" if styled else name
        key = self.reg.add(
            "Collectivite",
            label,
            passage,
            key=f"collectivite/{_slug(name)}",
            alt=alts,
            prefer_label=styled == "Ville",
        )
        self.reg.attr(key, "level", gz.LEVEL_COMMUNE)
        if code:
            self.reg.attr(key, "departement", code)
        return key

    def _coll(
        self,
        label: str,
        level: str,
        passage: int,
        *,
        alt: tuple[str, ...] = (),
        code: str | None = None,
        key: str | None = None,
    ) -> str:
        key = self.reg.add(
            "Collectivite",
            label,
            passage,
            key=key or f"collectivite/{_slug(label)}",
            alt=alt,
            prefer_label=True,
        )
        self.reg.attr(key, "level", level)
        if code:
            self.reg.attr(key, "departement", code)
        return key

    def _mk(
        self,
        label: str,
        level: str,
        m: re.Match[str],
        passage: int,
        start: int,
        end: int,
        *,
        key: str | None = None,
    ) -> Mention:
        written = m.string[start:end]
        key = self._coll(label, level, passage, alt=(written,), key=key)
        return Mention(key, "Collectivite", start, end, written)

    # ------------------------------------------------------------------ organisations
    def organisations(self, text: str, passage: int) -> list[Mention]:
        """Organisations of the gazetteer (any spelling) and of organisation-name patterns in `text`."""
        found: list[Mention] = []
        for regex, canonical in self._org_re:
            for m in regex.finditer(text):
                key = self.org(canonical, passage, written=m.group(0))
                found.append(Mention(key, self.reg.entities[key].type, m.start(), m.end(), m.group(0)))
        for m in _ORG_LOWER.finditer(text):
            name = _trim(m.group(1))
            known = self.reg.canonical_org(name) or (m.group(2) and self.reg.canonical_org(m.group(2)))
            key = self.org(known or name, passage, written=name)
            if m.group(2) and not known:
                self.reg.entities[key].alt_labels.add(m.group(2))
            found.append(Mention(key, self.reg.entities[key].type, m.start(), m.end(), m.group(0)))
        for m in _ORG_PATTERN.finditer(text):
            name = _trim(m.group(1))
            if len(name.split()) < 2:
                continue
            end, acr = m.start() + len(name), None
            if spelled := spelled_acronym(text, end, name):
                # the bracketed acronym says where the name ends (« … Agricole et Ruralités (RNAR) »)
                end, acr = spelled
                name = text[m.start() : end]
            known = self.reg.canonical_org(name) or (acr and self.reg.canonical_org(acr))
            key = self.org(known or name, passage, written=name)
            if acr and not known:
                self.reg.entities[key].alt_labels.add(acr)
            found.append(Mention(key, self.reg.entities[key].type, m.start(), end, name))
        return _non_overlapping(found)

    def org(self, canonical: str, passage: int, *, written: str = "") -> str:
        """Register the organisation `canonical` (an Initiative when it has a known legal form)."""
        forms = gz.ORGANISATION_FORMS.get(canonical, ())
        etype = "Initiative" if forms else "Organisation"
        key = self.reg.org_keys.get(canonical)
        key = self.reg.add(etype, canonical, passage, key=key, alt=(written,) if written else ())
        for form in forms:
            self.reg.attr(key, "legalForm", form)
        return key

    # ------------------------------------------------------------------ initiatives
    def initiatives(self, text: str, passage: int) -> list[Mention]:
        """Initiatives introduced by a legal-form word ("SCIC Iloe", "l'association Dromolib")."""
        found: list[Mention] = []
        known = self.organisations(text, passage)
        for m in _FORM_NAME.finditer(text):
            form_word, name = m.group(1), _trim(m.group(2))
            name = headed_name(text, m.start(2)) or name
            if any(k.start <= m.start(2) < k.end for k in known):
                continue
            name = name.strip("« »")
            if not name or name in _GENERIC_NAMES or len(name) < 2:
                continue
            if self.reg.canonical_org(name):
                key = self.org(self.reg.canonical_org(name) or name, passage, written=name)
                found.append(
                    Mention(key, self.reg.entities[key].type, m.start(2), m.start(2) + len(name), name)
                )
                continue
            slug = _FORM_SLUG.get(fold(form_word).replace("l'", "").replace("les ", "").split()[0], "")
            prefix = form_word.replace("l'", "").replace("L'", "")
            prefix = {"associations": "association", "Les associations": "Associations"}.get(prefix, prefix)
            label = (
                f"{prefix[:1].upper()}{prefix[1:]} {name}"
                if slug in ("scic", "scop", "cae", "gie", "ptce") or prefix.startswith(("Crèche", "crèche"))
                else name
            )
            if prefix in ("Scic",):
                label = f"SCIC {name}"
            key = self.initiative(label, passage, form=slug or None, alt=(name, f"{prefix} {name}"))
            found.append(Mention(key, "Initiative", m.start(), m.start(2) + len(name), m.group(0)))
        return found

    def appositive_initiatives(self, text: str, passage: int) -> list[Mention]:
        """Names followed by a type apposition ("Lobodis, entreprise solidaire …") or after "fait appel à"."""
        found: list[Mention] = []
        for m in _APPOS.finditer(text):
            name = _trim(m.group(1))
            if not name or name in _GENERIC_NAMES or self.reg.canonical_org(name):
                continue
            if _NOT_A_NAME_START.match(name.split()[0]) or gz.place_after_preposition(name):
                continue
            if not plausible_initiative_name(name):
                continue
            key = self.initiative(name, passage, confidence=0.7)
            found.append(Mention(key, "Initiative", m.start(1), m.start(1) + len(name), name))
        return found

    def initiative(
        self,
        label: str,
        passage: int,
        *,
        form: str | None = None,
        alt: tuple[str, ...] = (),
        prefer: bool = False,
        confidence: float = 0.8,
    ) -> str:
        """Register an initiative (legal form kept in the label, not in the key); returns its key."""
        canonical = self.reg.canonical_org(label)
        if canonical:
            return self.org(canonical, passage, written=label)
        key = self.reg.add("Initiative", label, passage, alt=alt, prefer_label=prefer, confidence=confidence)
        if form:
            self.reg.attr(key, "legalForm", form)
            ent = self.reg.entities[key]
            if fold(label).startswith(form[:4]) and not fold(ent.label).startswith(form[:4]):
                ent.alt_labels.add(ent.label)
                ent.label = label
        return key

    # ------------------------------------------------------------------ publications
    def publications(self, text: str, passage: int) -> list[Mention]:
        """Named publications of the gazetteer (kits under any of their names) in `text`."""
        found: list[Mention] = []
        folded = fold_with_offsets(text)
        for regex, canonical in self._pub_re:
            for m in regex.finditer(folded.text):
                start, end = folded.span(m.start(), m.end())
                key = self.reg.add(
                    "Publication",
                    canonical,
                    passage,
                    key=f"publication/{_slug(canonical)}",
                    alt=tuple(a for a in gz.PUBLICATIONS[canonical] if not a.lower().startswith("kits ")),
                )
                found.append(Mention(key, "Publication", start, end, text[start:end]))
        return _non_overlapping(found)

    # ------------------------------------------------------------------ laws
    def laws(self, text: str, passage: int) -> list[Mention]:
        """Laws cited in `text` (loi NOTRe, loi ESS 2014, …)."""
        folded = fold_with_offsets(text)
        found: list[Mention] = []
        for pattern, label in gz.LAWS:
            for m in re.finditer(pattern, folded.text):
                start, end = folded.span(m.start(), m.end())
                key = self.reg.add("Law", label, passage, alt=(text[start:end],))
                found.append(Mention(key, "Law", start, end, text[start:end]))
        return _non_overlapping(found)


def _original_aliases(registry: Registry) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for canonical, aliases in gz.ORGANISATIONS.items():
        for alias in {canonical, *aliases}:
            pairs.append((alias, canonical))
    known = {fold(a) for a, _ in pairs}
    for folded_alias, canonical in registry.org_alias.items():
        if folded_alias not in known:
            pairs.append((folded_alias, canonical))
    pairs.sort(key=lambda p: -len(p[0]))
    return pairs


def _case_sensitive(alias: str) -> bool:
    return len(alias) <= 5 or alias.isupper()


def _join(prep: str, name: str) -> str:
    if not prep:
        return name
    return f"{prep}{name}" if prep.endswith("'") else f"{prep} {name}"


def _metropole_key(name: str) -> str:
    """One key for a métropole whatever the word order: "Métropole de Rennes" and "Rennes Métropole" are
    the same collectivité (collectivite/metropole-de-rennes)."""
    return f"collectivite/metropole-de-{_slug(name)}"


def _slug(label: str) -> str:
    from essgraph.core.text import slugify

    return slugify(label.replace("'", " "))


def _non_overlapping(mentions: list[Mention]) -> list[Mention]:
    """Longest mentions first, dropping those that overlap an already kept one; sorted by position."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda x: (-(x.end - x.start), x.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda x: x.start)


def merge_mentions(*groups: list[Mention]) -> list[Mention]:
    """All mentions of several recognisers, overlaps resolved longest-first; returns them by position."""
    return _non_overlapping([m for group in groups for m in group])
