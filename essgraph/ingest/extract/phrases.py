"""Typed named phrases: "<head noun> [adjectives] <Name | « title »>" names an entity of the head's type.

The type comes from the head noun (lexicon.toml [heads]): "la recyclerie X" is an initiative, "la tribune
« X »" a publication, "l'appel à projets « X »" a call for projects, whatever X is. This is how names the
gazetteer has never seen get a type from their context instead of from a list of names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from essgraph.core.text import FRENCH_MONTHS, fold
from essgraph.ingest.extract.lexicon import Lexicon, load_lexicon
from essgraph.ingest.extract.mentions import (
    ADJ,
    BRIDGE_SEQ,
    CAP,
    INSTITUTION_WORDS,
    LOW,
    UP,
    Mention,
    Recogniser,
    headed_name,
)
from essgraph.ingest.extract.names import FUNCTION_WORDS
from essgraph.ontology.communes import place_names

# A proper name after a head: capitalised tokens joined by short function words, the joined token
# starting with a letter (so "Ville d'Arras les 3" or "X en 2023" never take the number).
_CAPW = rf"(?:[{UP}][\w'&+-]*|[{LOW}]+[{UP}][\w'&-]*)"
_NAME = rf"{CAP}(?:\s+{BRIDGE_SEQ}(?:d'|l'|d’|l’)?{_CAPW}|\s+(?:d'|l'|d’|l’)?{CAP}|(?:d'|l'|d’|l’){_CAPW})*"
_QUOTED = r"(?:«\s*[^»\n]{2,150}?\s*»|“[^”\n]{2,150}?”)"
_NAME_TAIL = re.compile(r"(?:\s+(?:de|du|des|la|le|les|en|sur|sous|et|&|-|à))+$")


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], Lexicon]:
    lex = load_lexicon()
    alternatives = lex.heads_pattern()
    pattern = re.compile(
        # only the head ignores case: the name must really be capitalised
        rf"(?<![\w-])(?P<head>(?i:{alternatives}))(?P<adj>(?:\s+{ADJ}){{0,2}})"
        # a « title » may follow a colon ("Tribune : « … »"), a plain name may not
        rf"(?:\s+|\s*:\s*(?=[«“]))(?P<name>{_QUOTED}|{_NAME})"
    )
    return pattern, lex


# Letters OCR writes without their accent (« Regie », « epicerie »): a kind word is read either way.
_ACCENTS = {
    "e": "eéèê",
    "é": "eéèê",
    "è": "eéèê",
    "ê": "eéèê",
    "a": "aàâ",
    "à": "aàâ",
    "o": "oô",
    "ô": "oô",
    "i": "iîï",
    "î": "iîï",
    "u": "uùû",
    "û": "uùû",
    "ç": "cç",
}


def _accent_free(head: str) -> str:
    """A pattern for `head` matching it with or without accents, its first word singular or plural."""
    words = head.split()
    out = []
    for n, word in enumerate(words):
        chars = "".join(f"[{_ACCENTS[c]}]" if c in _ACCENTS else re.escape(c) for c in word)
        out.append(chars.replace("'", "['’]") + ("[sx]?" if n == 0 else ""))
    return r"\s+".join(out)


@lru_cache(maxsize=1)
def _place_named_pattern() -> re.Pattern[str]:
    """« la régie de quartier de X », « les régies de quartier de Y »: a definite article, a place-named
    initiative kind (lexicon.toml [place_named]), up to two adjectives, « de » and a capitalised name."""
    heads = sorted(load_lexicon().place_named, key=len, reverse=True)
    alternatives = "|".join(_accent_free(h) for h in heads)
    return re.compile(
        rf"(?<![\w'’])(?:[Ll]es|[Ll]a|[Ll]e|[Ll]['’])\s*(?P<head>(?i:{alternatives}))(?![\w-])"
        rf"(?P<adj>(?:\s+{ADJ}){{0,2}})\s+(?P<prep>de\s+la|de\s+l['’]|du|des|de|d['’])\s*(?P<name>{_NAME})"
    )


def _place_named(text: str) -> list[tuple[re.Match[str], str]]:
    """The place-named initiatives of `text` with their labels (« Régies de quartier de Plaine Commune »):
    only where the name after « de » is a région, département, EPCI or commune of the gazetteers or a
    collectivité's name (« Grenoble-Alpes Métropole »), so « la SCOP de Jean » or « la recyclerie du Quartier
    Nord » is left to the other recognisers."""
    lex = load_lexicon()
    out: list[tuple[re.Match[str], str]] = []
    for m in _place_named_pattern().finditer(text):
        name = _NAME_TAIL.sub("", m.group("name"))
        # a kind word written with a capital after its article starts the proper name itself (« la
        # Ressourcerie du Val de Sèvre », « la Conserverie de la Vallée »), whatever place it names
        proper = m.group("head")[:1].isupper() and not m.group("head").isupper()
        if (
            not proper
            and fold(name) not in place_names()
            and not INSTITUTION_WORDS & set(re.split(r"[\s-]+", fold(name)))
        ):
            continue
        written = re.sub(r"\s+", " ", m.group("head"))
        canonical = next(h for h in lex.place_named if re.fullmatch(_accent_free(h), written, re.IGNORECASE))
        first, *rest = canonical.split()
        if fold(written.split()[0]) != fold(first):  # the plural the text wrote (« régies »)
            first += written.split()[0][-1].lower()
        head = " ".join([first, *rest])
        head = _label(head.upper() if written.isupper() else head, m.group("adj"), "").strip()
        prep = re.sub(r"\s+", " ", m.group("prep")).replace("’", "'")
        out.append((m, f"{head} {prep}{name}" if prep.endswith("'") else f"{head} {prep} {name}"))
    return out


@lru_cache(maxsize=1)
def _org_named_pattern() -> re.Pattern[str]:
    """« la Fédération des épiceries solidaires d'Auvergne », « l'Union régionale des SCOP d'Occitanie »: an
    organisation kind word with a capital, a complement of up to five words (« des centres sociaux »), and
    « de » + a place; see `_org_named`."""
    heads = sorted((h for h, k in load_lexicon().heads.items() if k == "Organisation"), key=len, reverse=True)
    alternatives = "|".join(_accent_free(h) for h in heads if " " not in h)
    return re.compile(
        rf"(?<![\w-])(?P<head>(?i:{alternatives}))(?![\w-])"
        rf"(?P<comp>(?:\s+(?:{ADJ}|(?:des|du|de\s+la|de\s+l['’])|[{LOW}][\w-]+|[dl]['’][{LOW}][\w-]*|[{UP}]{{2,}})){{1,5}}?)"
        rf"\s+(?P<prep>de\s+la|de\s+l['’]|du|de|d['’])\s*(?P<name>{_NAME})"
    )


def _org_named(text: str) -> list[tuple[re.Match[str], str]]:
    """Organisations named by a capitalised kind word, a lower-case complement and the place they serve
    (« Fédération des épiceries solidaires d'Auvergne », « Fédération des centres sociaux de la
    Gironde »): only a capitalised kind word (a common noun in the middle of a sentence starts no name)
    and a place of the gazetteers (région, département, commune) at the end; returns (match, label)."""
    out: list[tuple[re.Match[str], str]] = []
    for m in _org_named_pattern().finditer(text):
        head = m.group("head")
        name = _NAME_TAIL.sub("", m.group("name"))
        if (
            not head[:1].isupper()
            or head.isupper()
            or fold(name) not in place_names()
            or name != m.group("name")
        ):
            continue
        out.append((m, re.sub(r"\s+", " ", text[m.start("head") : m.end("name")]).replace("’", "'")))
    return out


_ACRONYM_NAME = re.compile(rf"[{UP}][{UP}0-9]{{3,11}}")


def _acronym_named(head: str, name: str, lex: Lexicon) -> bool:
    """Whether a head that names only with a « title » (« le projet », lexicon [quoted_only]) names here
    with an all-caps acronym instead (« le projet TRESSONS »): a collective project's usual name, where a
    capitalised common word after « projet » (« le projet Alimentation … ») is no name."""
    return fold(head) in lex.acronym_named and _ACRONYM_NAME.fullmatch(name) is not None


# A call for projects' title is written in sentence case (« l'appel à projets Territoires en transition »,
# « … Mobilisation collective pour le développement rural »): after its capitalised first word come
# function words, adjectives and a noun after a function word, up to punctuation, a verb or participle, or
# « de / du » + an actor (the call's owner, « …, de la Fondation X », « du Ministère Y », « de l'ANRU »).
# the function words acronyms skip (names.FUNCTION_WORDS), the elided ones with their apostrophe
_TITLE_FUNCTION = frozenset(f"{w}'" if w in {"d", "l"} else w for w in FUNCTION_WORDS)
_OWNER_WORDS = INSTITUTION_WORDS | frozenset(
    "fondation ministere agence reseau caisse banque institut union federation association secretariat "
    "mouvement france".split()
)
_TITLE_WORD = re.compile(r"[\w’'-]+|[^\w\s]")
_MAX_TITLE_WORDS = 10
_PARTICIPLE = re.compile(rf"[{LOW}]+(?:é|ée|és|ées)")
_VERBAL_COMPLEMENT = re.compile(r"\s+(?:par|avec|en\s+\d|à|au|aux|dans|depuis|pour|sur|le\s+\d|,)\b|\s*,")


# « … en octobre 2025 », « … depuis 2023 », « … le 3 mars »: a function word followed by a date starts a
# time complement of the clause, never a word of the title
_DATE_AFTER = re.compile(
    rf"\s+(?:(?:1er|\d{{1,2}})\s+)?(?:{'|'.join(FRENCH_MONTHS)}|\d{{4}})\b", re.IGNORECASE
)
_OWNER_AFTER = re.compile(r"(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])(?P<owner>[\w-]+)")


def _function_word(word: str) -> bool:
    """True for a function word inside a title (« de », « la », « à »…): compared in lower case with its
    accent kept, since folding would make the verb « a » (« … a été lancé ») the preposition « à »."""
    return word.lower().replace("’", "'") in _TITLE_FUNCTION


# the kinds of thing an actor owns (lexicon [owner]): their name ends where « de » + the owner begins
_OWNED_KINDS = frozenset({"Programme", "CallForProjects", "Event", "Publication"})
# « de la », « de l' », « du », « de », « d' » — not « des »: « Fusion des EPCI » names a kind, not an owner
_OWNER_START = re.compile(r"\s(?=(?:de\s+la\s|de\s+l['’]|du\s|de\s|d['’])\s*\w)")


def _before_owner(name: str, rec: Recogniser) -> str:
    """`name` up to « de (la) » + its owner (« ESS'Cale de la Ville de Saint-Nazaire » → « ESS'Cale »,
    « Acheter Solidaire du Réseau Grand Ouest » → « Acheter Solidaire »): an institution or network word
    with a capital, or an acronym of a known organisation (« du RTES »); after « des » the words name
    a kind (« Fusion des EPCI », « Rencontres des PTCE ») and stay. The owner relation is then read
    from the clause (lexicon [owner])."""
    for start in _OWNER_START.finditer(name):
        owner = _OWNER_AFTER.match(name, start.end())
        if owner is None or start.start() < 2:
            continue
        word = owner.group("owner")
        if word[:1].isupper() and (
            fold(word) in _OWNER_WORDS or (word.isupper() and rec.reg.canonical_org(word) is not None)
        ):
            return name[: start.start()]
    return name


def call_title(text: str, start: int) -> str | None:
    """The sentence-case title of a call for projects starting at `start` (its capitalised first word), or
    None when it is no longer than the capitalised run a proper-name pattern reads."""
    words: list[str] = []
    after_function = False
    for m in _TITLE_WORD.finditer(text, start):
        word = m.group(0)
        if not words:
            words.append(word)
            continue
        if not re.match(r"\w", word) or len(words) >= _MAX_TITLE_WORDS or text[m.start() - 1] != " ":
            break  # punctuation ends the title
        owner = _OWNER_AFTER.match(text, m.start())
        if (
            owner
            and owner.group("owner")[:1].isupper()
            and (owner.group("owner").isupper() or fold(owner.group("owner")) in _OWNER_WORDS)
        ):
            break  # « de la Fondation X », « du Ministère », « de l'ANRU »: the owner, not the title
        if re.match(r"^[dl]['’]\w", word):  # « d'intérêt », « l'économie »: a function word and its noun
            words.append(word)
            after_function = False
            continue
        if _function_word(word):
            if _DATE_AFTER.match(text, m.end()):
                break  # « … solidaires en octobre 2025 »: a time complement, the title ended
            words.append(word)
            after_function = True
            continue
        if _PARTICIPLE.fullmatch(word) and _VERBAL_COMPLEMENT.match(text, m.end()):
            break  # « … lancé par », « … porté avec », « relancé en 2024 »: a clause goes on, the title ended
        if word[:1].isupper() or after_function or re.fullmatch(rf"{ADJ}s?", word):
            words.append(word)
            after_function = False
            continue
        break
    while words and _function_word(words[-1]):
        words.pop()
    title = " ".join(words)
    return title if len(words) > 1 and re.search(rf"\s[{LOW}]", title) else None


def _label(head: str, adj: str, name: str) -> str:
    head = re.sub(r"\s+", " ", head)
    if head.isupper() or (len(head) <= 4 and head.lower() in {"sas", "sarl", "sem", "sci", "scic", "scop"}):
        head = head.upper()
    else:
        head = head[:1].upper() + head[1:].lower()
    return re.sub(r"\s+", " ", f"{head}{adj} {name}").strip()


# a label named by the participle that awards it rather than by the noun « label »
_LABELLED_AS = re.compile(rf"\blabellis[ée]e?s?\s+(?P<name>{_QUOTED})", re.IGNORECASE)


def named_phrases(text: str, passage: int, rec: Recogniser) -> list[tuple[Mention, Callable[[], None]]]:
    """The typed named phrases of `text` (head included) as mentions with no key yet, each with the call
    that registers its entity with `rec` and fills its key and type. Only the mentions that survive the
    merge with the other recognisers are registered, so a phrase that loses to a longer name leaves no
    entity behind."""
    pattern, lex = _pattern()
    found: list[tuple[Mention, Callable[[], None]]] = []
    for m in pattern.finditer(text):
        head = m.group("head")
        name = m.group("name")
        quoted = name.startswith(("«", "“"))
        etype = lex.heads[re.sub(r"\s+", " ", head.lower()).replace("’", "'")]
        if not quoted:
            name = headed_name(text, m.start("name")) or name
            name = _NAME_TAIL.sub("", name)
            if etype in _OWNED_KINDS:
                name = _before_owner(name, rec)
            if etype == "CallForProjects":
                name = call_title(text, m.start("name")) or name
            if (head.lower() in lex.quoted_only and not _acronym_named(head, name, lex)) or len(name) < 2:
                continue
            # a capitalised head right after a capitalised word is inside a longer name ("Maison Réseau X")
            before = text[: m.start()].rstrip()
            if head[:1].isupper() and before and before.split()[-1][:1].isupper() and before[-1].isalpha():
                continue
        end = m.start("name") + len(name)
        mention = Mention("", etype, m.start(), end, text[m.start() : end])
        label = _label(head, m.group("adj"), name)
        found.append((mention, _registrar(mention, rec, etype, label, name, passage, quoted)))
    for m in _LABELLED_AS.finditer(text):
        # « labellisée « Commerce engagé » »: the quoted title after the participle is a label's name
        title = m.group("name")
        mention = Mention("", "Label", m.start("name"), m.end("name"), title)
        label = f"Label {title}"
        found.append((mention, _registrar(mention, rec, "Label", label, title, passage, True)))
    for m, label in _org_named(text):
        mention = Mention(
            "", "Organisation", m.start("head"), m.end("name"), text[m.start("head") : m.end("name")]
        )
        found.append((mention, _registrar(mention, rec, "Organisation", label, label, passage, False)))
    for m, label in _place_named(text):
        start = m.start("head")
        end = m.start("name") + len(_NAME_TAIL.sub("", m.group("name")))
        mention = Mention("", "Initiative", start, end, text[start:end])
        found.append((mention, _registrar(mention, rec, "Initiative", label, label, passage, False)))
    return found


def _registrar(
    mention: Mention, rec: Recogniser, etype: str, label: str, name: str, passage: int, quoted: bool
) -> Callable[[], None]:
    def register() -> None:
        canonical = rec.reg.canonical_org(name) if not quoted else None
        if canonical:
            key = rec.org(canonical, passage, written=name)
        elif etype == "Initiative":
            key = rec.initiative(label, passage, alt=(name,), confidence=0.7)
        else:
            key = rec.reg.add(etype, label, passage, alt=(name,), confidence=0.7)
        mention.key = key
        mention.etype = rec.reg.entities[key].type

    return register
