"""Plausibility of initiative names taken from headings, bold text and lists (no name, no entity)."""

from __future__ import annotations

import re
from typing import Any

from essgraph.ingest.extract.cache import fold

# Heading openers that announce a policy, a document, an event or a generic kind, not a named structure.
_GENERIC_OPENERS = re.compile(
    r"^(?:l'|la |le |les |un |une |des )?(?:loi|lois|dossier|collection|r[eè]glementation|charte|conseil|"
    r"contrat|politique|[ée]valuation|accueil|appel|forum|d[ée]lib[ée]ration|sch[ée]ma|plan|strat[ée]gie|"
    r"agendas?|d[ée]couverte|soci[ée]t[ée]s|r[ée]gies|coop[ée]ratives|associations|structures|acteurs|"
    r"initiatives|projets|exemples?|cr[ée]ation|mise en place|lancement|organisation|participation|"
    r"soutien|implication|partenariat|service|accessibilit[ée]|montrer|un enjeu|favoriser|accompagner|"
    r"d[ée]velopper|permettre|payer|faciliter|cr[ée]er|mettre|agir|"
    # the network's own reporting vocabulary: actions, publications, roles, periods, working groups
    r"actions?|fiches?|publications?|(?:points? de )?rep[eè]r\w*|kit|nationale?s? des?|m[ée]dias?|"
    r"r[ée]f[ée]rent|"
    r"(?:vice-)?pr[ée]sident(?:e)?|gt|commissions?|[ée]tudes?|plaidoyer|participer|inscription|"
    r"sensibilisation|manifestation|fin|d[ée]but|t[1-4])\b",
    re.IGNORECASE,
)
_ONE_GENERIC_WORD = re.compile(r"^(?:r[ée]seau|culturels?|solidaires?|nationale?s?)$", re.IGNORECASE)
_SECTION_REF = re.compile(
    r"\((?:double\s+)?fiche\s+n°\s*\d+\)|\(n°\s*\d+\)\s*$|\bfiche\s+n°\s*\d+", re.IGNORECASE
)
_NUMBERED_STEP = re.compile(r"^(?:\d{1,2}\s+[A-ZÉÈÀ]|\d{4}\b|\()")
_DANGLING = re.compile(
    r"(?:\s+(?:de|du|des|de la|de l'|d'|à|au|aux|en|par|le|la|les|l'|et|pour|sur))+\s*$|\s+d'$|\s+l'$"
)
_CLAUSE = re.compile(r"\s/\s|\b(?:est|sont|ont|permet|permettent|peut|peuvent|doit|doivent|devient)\b")
_APPOSITION = re.compile(r",\s+(?=[a-zà-ÿ])")

FUNCTION_WORDS = frozenset("de d du des la le les l et à au aux pour en sur".split())
"""French function words an acronym skips (« Réseau National Agricole et Ruralités » → RNAR)."""

# A name's continuation up to a bracketed acronym on the same line (« … et Ruralités (RNAR) »): no
# punctuation, no second bracket, at most a few words.
_TO_ACRONYM = re.compile(r"(?P<ext>(?:[ '’-]+[^\W\d_]+){0,6}?)\s*\((?P<acr>[A-Z][A-Z0-9&]{1,9})\)")


def initials(name: str) -> str:
    """The upper-case initials of `name`'s content words (function words skipped, accents folded)."""
    words = re.findall(r"[^\W\d_]+", name)
    return "".join(fold(w[0]).upper() for w in words if w.lower() not in FUNCTION_WORDS)


def spelled_acronym(text: str, end: int, name: str) -> tuple[int, str] | None:
    """When `text` continues `name` (ending at `end`) up to a bracketed acronym spelled by the initials of
    the whole (« Réseau National Agricole » + « et Ruralités (RNAR) »), returns (the continued name's end,
    the acronym); None otherwise. Why: a recogniser of capitalised names stops at « et » or a lower-case
    word, and the acronym the author writes right after says where the name really ends."""
    m = _TO_ACRONYM.match(text, end)
    if m is None:
        return None
    ext = m.group("ext")
    if initials(name + ext) != m.group("acr"):
        return None
    return end + len(ext.rstrip()), m.group("acr")


def tidy_name(name: str) -> str:
    """`name` without a trailing apposition (", monnaie locale soutenue par…") nor a dangling preposition."""
    name = _APPOSITION.split(name, maxsplit=1)[0]
    previous = None
    while previous != name:
        previous = name
        name = _DANGLING.sub("", name).strip(" ,;:-–")
    return name


def plausible_initiative_name(name: str, thesaurus: Any = None) -> bool:
    """Whether `name` (already tidied) can name an initiative; returns False for generic or broken text.

    Rejected: empty or one-letter names, names that do not start with a capital, a digit-led step
    ("2 Échanger") or a year, table-of-contents entries ("… (n°12)"), headings opening on a generic
    word (a law, a charter, a policy, an evaluation, a verb, the reporting words of an activity report:
    "Action 3", "Publication avec…", "Référent CA", "Fin 2022"), one generic word ("Réseau"), clauses
    (a finite verb, "A / B" pairs), unbalanced parentheses, and names that are a thesaurus term.
    """
    if len(name) < 2 or not (name[:1].isupper() or name[:1].isdigit()):
        return False
    if _NUMBERED_STEP.match(name) or _SECTION_REF.search(name):
        return False
    if _GENERIC_OPENERS.match(name) or _CLAUSE.search(name) or _ONE_GENERIC_WORD.match(name):
        return False
    if name.count("(") != name.count(")"):  # a name cut across a parenthesis ("Solidaire)")
        return False
    return not is_thesaurus_term(thesaurus, name)


def is_thesaurus_term(thesaurus: Any, text: str) -> bool:
    """Whether the whole of `text` is a label of a thesaurus concept (a generic term, not a name)."""
    if thesaurus is None or not hasattr(thesaurus, "match"):
        return False
    target = fold(re.sub(r"^(?:l'|la |le |les )", "", text.strip(), flags=re.IGNORECASE))
    for item in thesaurus.match(text) or []:
        matched = getattr(item, "text", None)
        if matched and fold(re.sub(r"^(?:l'|la |le |les )", "", str(matched), flags=re.IGNORECASE)) == target:
            return True
    return False


# What a sentence fragment taken for a title starts with: a count ("6 Points de …"), a publication
# status or date ("Publié en février 2020", "Mis à jour", "août 2022 :"), the verb nouns of a report
# ("Déclinaison …", "Réalisation d'un …"), or punctuation.
_FRAGMENT_OPENER = re.compile(
    r"^(?:\d+\s+[A-Za-zÀ-ÿ]|[:;,.)\-–]|(?:publi|paru|sorti|mis\s+[àa]\s+jour|r[ée]alis|d[ée]clin|"
    r"[ée]dit[ée]|actualis)\w*\b)",
    re.IGNORECASE,
)
# A clause inside the title: a finite verb or an infinitive of purpose ("… visait à développer …",
# "… pour partager le bilan").
_TITLE_CLAUSE = re.compile(
    r"\b(?:est|sont|a|ont|sera|seront|visait|vise|visent|permet|permettent|permettra|contient|"
    r"rassemble|pr[ée]sente|propose)\b|\bpour\s+(?:les?\s+|la\s+|l')?[a-zà-ÿ]+(?:er|ir|re)\b"
    # a publication status inside ("PTCE publié en mars 2022 et …")
    r"|\b(?:publi[ée]e?|paru|parue|sorti|sortie|actualis[ée]e?|mis\s+[àa]\s+jour)\s+(?:en|le|au|d[ée]but|fin)\b",
)
_DANGLING_WORD = re.compile(
    r"\b(?:d[ée]di[ée]e?s?|consacr[ée]e?s?|organis[ée]e?s?|sur|autour|avec|entre|dont)\s*$", re.IGNORECASE
)


def plausible_title(title: str, *, max_words: int = 14, quoted: bool = False) -> bool:
    """Whether `title` (a publication's or an event's, cut from a line) reads as a title, not a fragment.

    Rejected: shorter than 4 characters or longer than `max_words` words, a start in lower case, a
    count, a publication status or punctuation ("6 Points de …", « Publié en février 2020 »,
    « : des outils de référence »), a finite verb or a purpose clause inside, a dangling last word
    ("Webinaire dédié"), unbalanced brackets or quotes. A `quoted` title (a link's text, words in
    quotes) is the author's own: a verb inside it is kept ("Coopérer pour relocaliser"). Returns True
    otherwise.
    """
    title = title.strip()
    if len(title) < 4 or len(title.split()) > max_words:
        return False
    if not (title[:1].isupper() or title[:1].isdigit()) or _FRAGMENT_OPENER.match(title):
        return False
    if not quoted and (_TITLE_CLAUSE.search(title) or _DANGLING_WORD.search(title)):
        return False
    if _DANGLING.search(title):
        return False
    if title.count("(") != title.count(")") or title.count("«") != title.count("»"):
        return False
    return title.count('"') % 2 == 0
