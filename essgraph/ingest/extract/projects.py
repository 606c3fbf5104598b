"""Projects and works named by a noun phrase ("financer une étude de …", "porter une filière de …")."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from essgraph.core.text import fold
from essgraph.ingest.extract.clauses import (
    _case,
    _lemmas,
    _mentions_in,
    _negated,
    _passive,
    _pronoun_antecedent,
    _subject_of,
    _suspended,
    walk_mentions,
)
from essgraph.ingest.extract.lexicon import Lexicon, load_lexicon
from essgraph.ingest.extract.mentions import Mention
from essgraph.ingest.extract.numbers import AMOUNT, YEAR, num

_DATA = Path(__file__).with_name("projects.toml")
_ACTORS = frozenset({"Collectivite", "Organisation", "Initiative"})
# Dependents that end the project's phrase: a relative or participle clause, an apposition, another
# coordinated item, punctuation, numbers (a date or an amount goes to the qualifiers).
_CUT = frozenset({"acl", "acl:relcl", "appos", "conj", "cc", "punct", "parataxis", "advcl", "nummod", "dep"})
_MODIFIERS = frozenset({"amod", "nmod", "compound", "flat:name"})
_DATE_WORD = re.compile(
    r"^(?:\d{4}|janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
    r"octobre|novembre|décembre|€|euros?|k€|m€)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ProjectLexicon:
    """Head nouns of projects (folded), and the verbs taking them: lemma -> (kind, preposition or "")."""

    nouns: frozenset[str]
    verbs: dict[str, tuple[str, str]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_projects() -> ProjectLexicon:
    """The project lexicon of projects.toml (nouns, verbs by relation kind, verbs with a preposition)."""
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    verbs = {lemma: (kind, "") for kind, lemmas in data["verbs"].items() for lemma in lemmas}
    verbs |= {lemma: (spec["kind"], spec["prep"]) for lemma, spec in data.get("prep_verbs", {}).items()}
    return ProjectLexicon(frozenset(fold(n) for n in data["nouns"]), verbs)


@dataclass(slots=True)
class ProjectObject:
    """An actor's relation to a project phrase: kind, the actor's mention key, the phrase, qualifiers."""

    kind: str
    actor: str
    label: str
    lemma: str
    qualifiers: dict[str, str] = field(default_factory=dict)
    asserted: bool = True  # False: negated, conditional or intended ("envisage de financer une étude")


def _is_project(token: Any, found: dict[int, Mention], nouns: frozenset[str]) -> bool:
    return (
        token.i not in found
        and token.pos_ == "NOUN"
        and (fold(token.lemma_) in nouns or fold(token.text) in nouns)  # OCR often drops accents
    )


def _phrase_tokens(head: Any, found: dict[int, Mention]) -> list[Any]:
    """The head noun and its modifiers and complements, cut at the dependents of `_CUT`, at numbers and
    dates, and at the first gap (a cut-off part in the middle ends the phrase)."""
    kept: list[Any] = []
    todo = [head]
    while todo:
        t = todo.pop()
        kept.append(t)
        for child in t.children:
            if child.dep_ in _CUT or (t.i == head.i and child.dep_ == "det"):
                continue
            if child.i not in found and (child.pos_ == "NUM" or _DATE_WORD.match(child.text)):
                continue
            todo.append(child)
    kept.sort(key=lambda t: t.i)
    start = next(i for i, t in enumerate(kept) if t.i == head.i)
    out = [head]
    for t in kept[start + 1 :]:
        if t.i != out[-1].i + 1:
            break
        out.append(t)
    for t in reversed(kept[:start]):
        if t.i != out[0].i - 1:
            break
        out.insert(0, t)
    while out and out[-1].pos_ in ("ADP", "DET", "CCONJ", "PUNCT"):
        out.pop()
    return out


def _label(head: Any, found: dict[int, Mention]) -> str | None:
    """The project's label (mentions spelled as written), or None for a bare noun ("une étude")."""
    tokens = _phrase_tokens(head, found)
    if not any(t.head.i == head.i and t.dep_ in _MODIFIERS for t in tokens):
        return None
    text = "".join((found[t.i].text + t.whitespace_) if t.i in found else t.text_with_ws for t in tokens)
    text = re.sub(r"\s+", " ", text).strip()
    return text[0].upper() + text[1:] if text else None


def _agents(token: Any, found: dict[int, Mention], passive: bool) -> list[Mention]:
    if passive:
        return [
            m
            for c in token.children
            if c.dep_ == "obl:agent" or _case(c) == "par"
            for m in _mentions_in(c, found, token)
        ]
    subj = _subject_of(token)
    if subj is None:
        return []
    if subj.lower_ in ("qui", "qu'") and token.dep_.startswith("acl") and token.head.i in found:
        return [found[token.head.i]]  # "l'association X, qui porte …"
    return _actor_mentions(subj, found) or _pronoun_antecedent(subj, found)


def _actor_mentions(subj: Any, found: dict[int, Mention]) -> list[Mention]:
    """The mentions that are the subject itself: its head, a name it carries ("l'association X") and
    coordinated subjects, not a complement introduced by "de" ("les régies de quartier de X" are not X)."""
    return walk_mentions(subj, found, _names_subject)


def _names_subject(child: Any) -> bool:
    """Whether `child` still names the subject: a coordinate, a name, an apposition or an unmarked
    nominal modifier; a complement introduced by a preposition is another entity."""
    return child.dep_ in ("conj", "flat:name", "appos") or (child.dep_ == "nmod" and not _case(child))


def _heads(token: Any, prep: str, passive: bool) -> list[Any]:
    heads: list[Any] = []
    if passive:
        subj = _subject_of(token)
        if subj is not None:
            heads.append(subj)
        if token.dep_.startswith("acl"):
            heads.append(token.head)  # "une étude financée par X"
    else:
        for child in token.children:
            if (not prep and child.dep_ == "obj") or (
                prep and child.dep_ in ("obl", "obl:arg", "obl:mod") and _case(child) == prep
            ):
                heads.append(child)
            elif not prep and heads and child.dep_ == "conj" and child.pos_ == "NOUN":
                heads.append(child)  # "financer une étude et un diagnostic", the second parsed on the verb
    for h in list(heads):  # "une étude et un diagnostic": every coordinated noun
        heads += [c for c in h.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    return heads


def project_objects(
    doc: Any, found: dict[int, Mention], lexicon: Lexicon | None = None
) -> list[ProjectObject]:
    """The projects the clauses of one parsed unit say an actor funds, carries or works on; those under a
    negation, a condition or a verb of intent come with `asserted` False (they state nothing)."""
    lex = lexicon or load_lexicon()
    plex = load_projects()
    out: list[ProjectObject] = []
    for token in doc:
        verbal = token.pos_ in ("VERB", "AUX", "ADJ") or any(c.dep_ == "obj" for c in token.children)
        if token.i in found or not verbal:  # a verb the tagger took for a noun still has a direct object
            continue
        lemma = next((lem for lem in sorted(_lemmas(token)) if lem in plex.verbs), None)
        if lemma is None:
            continue
        kind, prep = plex.verbs[lemma]
        passive = _passive(token)
        heads = [h for h in _heads(token, prep, passive) if _is_project(h, found, plex.nouns)]
        agents = [m for m in _agents(token, found, passive) if m.etype in _ACTORS]
        if not heads or not agents:
            continue
        asserted = not (_negated(token, lex) or _suspended(token, lex))
        clause = "".join(t.text_with_ws for t in token.subtree)
        quals: dict[str, str] = {"rule": f"clause:project:{lemma}"}
        if kind == "Funding" and len(heads) == 1 and (amount := AMOUNT.search(clause)):
            quals["amount"] = num(amount.group(1))
        if year := YEAR.search(clause):
            since = re.search(rf"\bdepuis\s+(?:\w+\s+){{0,2}}{year.group(1)}", clause)
            quals["since" if since else "year"] = year.group(1)
        for head in heads:
            label = _label(head, found)
            if label is None:
                continue
            for a in dict.fromkeys(m.key for m in agents):
                out.append(ProjectObject(kind, a, label, lemma, dict(quals), asserted))
    return out
