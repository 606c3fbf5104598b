"""The one definition of an unasserted text (negated, conditional, modal, planned, pending) for extraction.

A sentence that denies, conditions, only plans or only makes possible what it says asserts no fact. The
pattern-based families ask here instead of keeping a word list each; the structural families (clauses.py,
projects.py) read negation and intent from the parse and lexicon.toml instead. The words are grouped in
named parts; a use takes the union of all of them but may opt out of a part its text legitimately carries
(an event announcement is told in the future tense, « sans » qualifies many legal forms).
"""

from __future__ import annotations

import re
from functools import lru_cache

# The named parts: each a regular-expression alternation, matched case-insensitively.
PARTS: dict[str, str] = {
    # « ne … pas / jamais / plus / aucun », « n'a pas », « ni », a bare « pas » or « aucun(e) »
    "negation": (
        r"(?<![\w])(?:ne|n')\s|\b(?:ne|n')\s*[\w'’-]+(?:\s+[\w'’-]+)?\s+(?:pas|jamais|plus|aucune?)\b"
        r"|\bn'(?:a|ont|est|sont)\s+pas\b|\b(?:ni|pas|aucune?)\b"
    ),
    # « sans » before the fact: « sans le soutien de X »
    "exclusion": r"\bsans\b",
    # « si … »
    "condition": r"\bsi\b",
    # a modal or conditional verb: « pourrait », « devrait », « serait »
    "modality": r"\b(?:pourr(?:ait|aient|a|ont)|devr(?:ait|aient)|serai(?:t|ent))\b",
    # the future tense or a schedule: « sera », « bientôt », « prévu », « attendu », « futur »
    "future": r"\b(?:sera|seront|bient[ôo]t|pr[ée]vu\w*|attendu\w*|futur\w*)\b",
    # an intent: « envisagé », « projet », « souhaite », « aimerait »
    "plan": r"\b(?:envisag\w*|projet|souhait\w*|aimerai\w*)\b",
    # a possibility, not a fact: « la possibilité de », « peut », « permettrait », « potentiel »
    "possibility": r"\b(?:possibilit[ée]s?|possibles?|potentiel\w*|peut|peuvent|permettrait)\b",
    # a request or a refusal still pending: « candidature », « demande », « sollicité », « en cours »
    "pending": r"\b(?:en cours|candidat\w*|demandes?|sollicit\w*|refus\w*)\b",
}


@lru_cache(maxsize=16)
def unasserted_pattern(without: frozenset[str] = frozenset()) -> re.Pattern[str]:
    """The compiled union of every named part but those in `without` (a use's opt-outs); raises
    KeyError for a name that is no part, so an opt-out cannot silently name nothing."""
    missing = without - PARTS.keys()
    if missing:
        raise KeyError(f"no such unasserted part: {sorted(missing)}")
    return re.compile("|".join(p for name, p in PARTS.items() if name not in without), re.IGNORECASE)


def unasserted(text: str, without: frozenset[str] = frozenset()) -> bool:
    """Whether `text` (a whole sentence, or the window before a match) is negated, conditional, modal,
    planned, possible or pending by any part not in `without`, and so asserts nothing."""
    return unasserted_pattern(without).search(text) is not None
