"""Passage kinds (answer, example, contact, resources, contents, index, names) from layout cues."""

from __future__ import annotations

import re
from typing import Literal

from essgraph.core.text import MONTH_PATTERN, fold

PassageKind = Literal["answer", "example", "contact", "resources", "toc", "index", "names"]
KINDS: tuple[str, ...] = ("answer", "example", "contact", "resources", "toc", "index", "names")
REFERENCE_KINDS: frozenset[str] = frozenset({"contact", "resources", "toc", "index", "names"})
"""Kinds that point elsewhere (a person, a document, a page) rather than answer a question."""

KIND_LABELS_FR: dict[str, str] = {
    "answer": "texte",
    "example": "exemple",
    "contact": "contact",
    "resources": "ressources",
    "toc": "sommaire",
    "index": "index",
    "names": "liste de noms",
}

# --- layout and lexical cues (general French typography, no document's wording) ----------------------
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W_]+)*", re.UNICODE)
# a dotted (or ellipsis) leader followed by a page number: "Titre .......... page 12", "Titre … 12"
_LEADER = re.compile(r"(?:\.{2,}|…+)\s*(?:pages?|p\.)?\s*\d{1,4}\b", re.IGNORECASE)
# an index entry: a term then two or more page numbers, "coopérative, 12, 45-47"
_INDEX_ENTRY = re.compile(r"[^\W\d_][\w'’ -]{1,40},\s*\d{1,4}(?:\s*[,;–-]\s*\d{1,4})+", re.UNICODE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
# French phone numbers: 03 20 97 17 97, 03.20.97.17.97, +33 3 20 97 17 97, 0320971797
_PHONE = re.compile(r"(?<!\d)(?:\+33\s?[1-9]|0[1-9])(?:[\s.-]?\d{2}){4}(?!\d)")
_CONTACT_WORD = re.compile(
    r"\b(?:contacts?|t[ée]l(?:[ée]phone)?|courriel|e-?mail|adresse)\s*:", re.IGNORECASE
)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# an agenda entry, "juillet 2022 : …": a calendar, not a reference
_DATED_ENTRY = re.compile(r"\b(?:19|20)\d{2}\s*:(?!//)")
# a full date ("17 février 2022", "1er mars 2023"): a calendar or a report, not a reference's year
_FULL_DATE = re.compile(rf"\b\d{{1,2}}(?:er)?\s+(?:{MONTH_PATTERN})\s+(?:19|20)\d{{2}}\b", re.IGNORECASE)
_NUMBERED = re.compile(r"\bn°\s*\d+", re.IGNORECASE)
# a heading that opens a list of resources
_RESOURCES_HEADING = re.compile(
    r"\b(?:(?:ressources\s+)?pour\s+aller\s+plus\s+loin|pour\s+en\s+savoir\s+plus|bibliographie|sitographie"
    r"|webographie|r[ée]f[ée]rences\s+bibliographiques|ressources\s+utiles|[àa]\s+lire\s+aussi)\b",
    re.IGNORECASE,
)
_TOC_HEADING = re.compile(r"^\W*(?:sommaire|table\s+des\s+mati[èe]res)\b", re.IGNORECASE)
_INDEX_HEADING = re.compile(r"^\W*index\b", re.IGNORECASE)
# an example box: a short heading ending in a département code, "(69)", "(59 / 62)", "(2A)"
_DEPT = r"(?:\d{2,3}|2[AB])"
_EXAMPLE_HEADING = re.compile(rf"^[^.!?]{{3,120}}?\(\s*{_DEPT}(?:\s*[/,-]\s*{_DEPT})*\s*\)", re.UNICODE)
_EXAMPLE_OPENING = re.compile(
    r"^\W*(?:exemples?|zoom\s+sur|focus|t[ée]moignage|retour\s+d['’]exp[ée]rience|[ée]tude\s+de\s+cas"
    r"|initiative\s+inspirante|bonne\s+pratique)\b",
    re.IGNORECASE,
)
_LOWER_FUNCTION = frozenset(
    fold(w)
    for w in (
        "le la les un une des du de d l et ou à au aux en dans pour par sur avec est sont a ont qui que "
        "ce cette ces se sa son ses leur leurs il elle ils elles on nous vous ne pas plus comme être avoir"
    ).split()
)

# how much of the passage a cue must cover (measured on the shipped samples and tests, see docs)
TOC_MIN_LEADERS = 2
INDEX_MIN_ENTRIES = 3
RESOURCES_MIN_SHARE = 0.5  # a resources heading followed by at least this share of the text…
RESOURCES_MAX_PREFIX = 100  # …and preceded by at most this many characters (else the text answers first)
REFERENCE_MARKS_PER_WORD = 0.08  # URLs, years and "n°" per word in a list of references
REFERENCE_MIN_MARKS = 3
CONTACT_WORDS_PER_MARK = 40  # at least one e-mail / phone per this many words
NAMES_MIN_WORDS = 8
NAMES_CAPITAL_SHARE = 0.6  # share of capitalised words in a list of names
NAMES_MAX_FUNCTION_SHARE = 0.12  # prose has many function words, a list of names few


def classify_passage(text: str) -> str:
    """The kind of a passage (one of KINDS) from its layout and lexical cues.

    Works on the cleaned, flattened text (line breaks are gone): dotted leaders with page numbers make a
    table of contents, term + page-number entries an index, e-mails and phone numbers a contact, a
    "pour aller plus loin" heading covering most of the text or a dense run of URLs / years / "n°" a
    list of resources, capitalised words without function words a list of names, a heading ending in a
    département code or an "exemple" opening an example. Everything else is "answer".
    """
    stripped = text.strip()
    if not stripped:
        return "answer"
    tokens = _WORD.findall(stripped)
    n_words = max(len(tokens), 1)
    leaders = len(_LEADER.findall(stripped))
    if leaders >= TOC_MIN_LEADERS or (leaders and _TOC_HEADING.search(stripped)):
        return "toc"
    entries = len(_INDEX_ENTRY.findall(stripped))
    if entries >= INDEX_MIN_ENTRIES and (entries * 6 >= n_words or _INDEX_HEADING.search(stripped)):
        return "index"
    contacts = len(_EMAIL.findall(stripped)) + len(_PHONE.findall(stripped))
    contacts += len(_CONTACT_WORD.findall(stripped)) if contacts else 0
    if contacts and contacts * CONTACT_WORDS_PER_MARK >= n_words:
        return "contact"
    heading = _RESOURCES_HEADING.search(stripped)
    if (
        heading
        and heading.start() <= RESOURCES_MAX_PREFIX
        and (len(stripped) - heading.start()) >= RESOURCES_MIN_SHARE * len(stripped)
    ):
        return "resources"
    years = (
        len(_YEAR.findall(stripped)) - len(_FULL_DATE.findall(stripped)) - len(_DATED_ENTRY.findall(stripped))
    )
    marks = len(_URL.findall(stripped)) + years + len(_NUMBERED.findall(stripped))
    if marks >= REFERENCE_MIN_MARKS and marks >= REFERENCE_MARKS_PER_WORD * n_words and _few_verbs(tokens):
        return "resources"
    if _is_name_list(tokens, stripped):
        return "names"
    if _EXAMPLE_HEADING.match(stripped) or _EXAMPLE_OPENING.match(stripped):
        return "example"
    return "answer"


def _function_share(tokens: list[str]) -> float:
    """Share of `tokens` that are French function words (articles, prepositions, auxiliaries)."""
    return sum(1 for t in tokens if fold(t) in _LOWER_FUNCTION) / max(len(tokens), 1)


def _few_verbs(tokens: list[str]) -> bool:
    """True for telegraphic text (titles, references) rather than prose: few function words."""
    return _function_share(tokens) < 0.25


def _is_name_list(tokens: list[str], text: str) -> bool:
    """True when most words are capitalised, function words are rare and sentences do not end in
    periods: a list of people or organisations rather than prose."""
    if len(tokens) < NAMES_MIN_WORDS:
        return False
    capitals = sum(1 for t in tokens if t[0].isupper())
    sentences = len(re.findall(r"[a-zà-ÿ]{2}[.!?](?:\s|$)", text))
    return (
        capitals >= NAMES_CAPITAL_SHARE * len(tokens)
        and _function_share(tokens) <= NAMES_MAX_FUNCTION_SHARE
        and sentences <= max(1, len(tokens) // 40)
    )


# --- what a question asks for -----------------------------------------------------------------------
_ASKS: dict[str, tuple[str, ...]] = {
    "contact": (
        "contact",
        "contacts",
        "contacter",
        "joindre",
        "coordonnees",
        "courriel",
        "mail",
        "email",
        "telephone",
        "adresse",
        "interlocuteur",
        "interlocutrice",
        "equipe",
    ),
    "resources": (
        "bibliographie",
        "ressources",
        "ressource",
        "references",
        "lectures",
        "lire",
        "documentation",
        "sitographie",
        "publications",
        "aller plus loin",
        "en savoir plus",
    ),
    "toc": ("sommaire", "table des matieres", "plan du"),
    "index": ("index",),
    "names": ("membres", "adherents", "participants", "qui sont", "noms"),
    "example": ("exemple", "exemples", "cas", "illustration", "temoignage", "retour d experience"),
}


# "la liste des…" asks for a list, whatever it lists (references, fiches, names, pages)
_LIST_CUES = ("liste", "listes", "lister", "recensement", "inventaire")
_LIST_KINDS = frozenset({"resources", "toc", "index", "names"})


def asked_kinds(question: str) -> frozenset[str]:
    """The passage kinds a question asks for ("qui contacter ?" → contact; "quelle bibliographie ?" →
    resources); empty for an ordinary question, whose answer is running text."""
    folded = " " + " ".join(re.findall(r"\w+", fold(question).replace("'", " ").replace("’", " "))) + " "
    found = {kind for kind, cues in _ASKS.items() if any(f" {cue} " in folded for cue in cues)}
    if any(f" {cue} " in folded for cue in _LIST_CUES):
        found |= _LIST_KINDS
    return frozenset(found)
