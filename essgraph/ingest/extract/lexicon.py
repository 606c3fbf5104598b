"""The parse-based rule families' lexicon (lexicon.toml), read once: head nouns, triggers, modality words."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Trigger:
    """One relation a clause can state: its trigger lemmas, the relation kind and the argument types.

    `inverse` means the grammatical subject is the relation's object ("X organise E" is E organisedBy X).
    """

    kind: str
    lemmas: frozenset[str]
    subject: frozenset[str]
    object: frozenset[str]
    inverse: bool = False
    object_prep: frozenset[str] = frozenset()
    partner_prep: frozenset[str] = frozenset()
    symmetric_with: frozenset[str] = frozenset()
    requires_obl: str | None = None
    requires_word: frozenset[str] = frozenset()
    nature: str | None = None
    nature_by_lemma: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything lexicon.toml says, typed; `version` is the file's digest (part of the extractor version)."""

    heads: dict[str, str]  # lower-case head phrase -> entity type
    quoted_only: frozenset[str]
    acronym_named: frozenset[str]  # quoted-only heads that also name with an acronym (« le projet TRESSONS »)
    place_named: frozenset[str]  # initiative heads named after their place (« la régie de quartier de X »)
    triggers: tuple[Trigger, ...]
    negation: frozenset[str]
    intent: frozenset[str]
    condition: frozenset[str]
    possession: frozenset[str]
    giving: frozenset[str]  # verbs by which the subject gives an action noun to its « à » complement
    owner: dict[str, str]  # entity type -> relation kind of "<entity> de <actor>"
    relational: frozenset[str]  # nouns of a role towards their "de" complement (membre, filiale…)
    implicit_owner: frozenset[str]  # relational nouns whose owner may stay implicit ("une filiale, Y")
    version: str

    def heads_pattern(self, *kinds: str) -> str:
        """A regex alternation of the head phrases (of entity types `kinds`, all when none), longest first so
        a longer head wins; spaces match any whitespace and apostrophes either form. Case is left to the
        caller (wrap it in `(?i:…)`)."""
        heads = sorted(
            (h for h, kind in self.heads.items() if not kinds or kind in kinds), key=len, reverse=True
        )
        return "|".join(re.escape(h).replace(r"\ ", r"\s+").replace("'", "['’]") for h in heads)

    def triggers_for(self, lemma: str) -> list[Trigger]:
        """The triggers whose lemmas include `lemma` (lower-case)."""
        return [t for t in self.triggers if lemma in t.lemmas]


def _set(raw: dict[str, Any], name: str) -> frozenset[str]:
    return frozenset(str(x).lower() for x in raw.get(name, ()))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged lexicon; raises tomllib.TOMLDecodeError if the file is broken (a packaging fault)."""
    data = resources.files("essgraph.ingest.extract").joinpath("lexicon.toml").read_bytes()
    raw = tomllib.loads(data.decode("utf-8"))
    heads = {str(h).lower(): etype for etype, words in raw["heads"].items() for h in words}
    triggers = tuple(
        Trigger(
            kind=t["kind"],
            lemmas=_set(t, "lemmas"),
            subject=frozenset(t["subject"]),
            object=frozenset(t["object"]),
            inverse=bool(t.get("inverse", False)),
            object_prep=_set(t, "object_prep"),
            partner_prep=_set(t, "partner_prep"),
            symmetric_with=_set(t, "symmetric_with"),
            requires_obl=t.get("requires_obl"),
            requires_word=_set(t, "requires_word"),
            nature=t.get("nature"),
            nature_by_lemma=dict(t.get("nature_by_lemma", {})),
        )
        for t in raw["trigger"]
    )
    modality = raw["modality"]
    return Lexicon(
        heads=heads,
        quoted_only=_set(raw["quoted_only"], "heads"),
        acronym_named=_set(raw["quoted_only"], "acronym_named"),
        place_named=_set(raw["place_named"], "heads"),
        triggers=triggers,
        negation=_set(modality, "negation"),
        intent=_set(modality, "intent"),
        condition=_set(modality, "condition"),
        possession=_set(raw["possession"], "verbs"),
        giving=_set(raw["giving"], "verbs"),
        owner=dict(raw["owner"]),
        relational=_set(raw["nouns"], "relational"),
        implicit_owner=_set(raw["nouns"], "implicit_owner"),
        version=hashlib.sha256(data).hexdigest()[:12],
    )
