"""The score floor: whether a question has anything to go on in the index, and what to suggest when not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from essgraph.core.text import fold
from essgraph.search.lexical.tokenize import STOPWORDS, stem_word, words
from essgraph.search.understand import ConceptInfo

# English function words that are not French words too ("a", "on", "son", "face"… are left out):
# a question made mostly of them is English, which the French indexes cannot answer
_ENGLISH_FUNCTION = frozenset(
    "the and of is are was were be been what which who whom whose how why where when can could would "
    "should will shall do does did to in for with from by this that these those it its their there "
    "about into than then any some my your our his her they them we you i am an at or not no".split()
)
_FRENCH_ALSO = frozenset({"a", "on", "son", "sa", "an", "i", "no", "or"})
ENGLISH_MIN_WORDS = 2  # one "and" in "SCIC AND garage" is an operator, not a language


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the index knows of a question's words.

    `content` are the question's words that are not stopwords, `known` those the index holds (stemmed
    or raw), `coverage` = known / content (0 without content words), `english` True when the question
    reads as English (more English than French function words).
    """

    content: tuple[str, ...]
    known: tuple[str, ...]
    english: bool

    @property
    def coverage(self) -> float:
        """Share of the content words found in the index (0.0 when there is none)."""
        return len(self.known) / len(self.content) if self.content else 0.0


def evidence(question: str, index_terms: set[str]) -> Evidence:
    """The Evidence of `question` against `index_terms` (what `LexicalIndex.matched_terms` returns for it:
    stemmed and raw tokens present in at least one passage)."""
    tokens = words(question)
    content = tuple(w for w in tokens if fold(w) not in STOPWORDS and len(fold(w)) >= 2)
    known = tuple(w for w in content if stem_word(w) in index_terms or fold(w) in index_terms)
    folded = [fold(w) for w in tokens]
    english_words = sum(1 for w in folded if w in _ENGLISH_FUNCTION and w not in _FRENCH_ALSO)
    french_words = sum(1 for w in folded if w in STOPWORDS and w not in _ENGLISH_FUNCTION)
    english = english_words >= ENGLISH_MIN_WORDS and english_words > french_words
    return Evidence(content=content, known=known, english=english)


@dataclass(frozen=True, slots=True)
class NoAnswer:
    """Why a question gets no hit: a stable code and the French / English texts shown to the person."""

    code: str
    message: str
    message_en: str

    def to_dict(self) -> dict[str, str]:
        """{"code", "message", "message_en"}, as the API answers it."""
        return {"code": self.code, "message": self.message, "message_en": self.message_en}


def floor_reason(ev: Evidence, min_coverage: float) -> NoAnswer | None:
    """Why the question falls below the floor (None when it may be answered).

    In this order: no content word (only stopwords), English, or fewer than `min_coverage` of its
    content words known to the index (gibberish, another subject). The reason's message starts with
    "aucun résultat pertinent" so a person sees at once that nothing was found on purpose.
    """
    if not ev.content:
        return NoAnswer(
            "no_content_word",
            "Aucun résultat pertinent : la question ne contient que des mots vides (le, de, comment…).",
            "No relevant result: the question holds only stopwords.",
        )
    if ev.english:
        return NoAnswer(
            "not_french",
            "Aucun résultat pertinent : la question semble rédigée en anglais ; les documents sont en "
            "français, reformulez-la en français.",
            "No relevant result: the question looks English; the documents are French, ask in French.",
        )
    if ev.coverage < min_coverage:
        unknown = [w for w in ev.content if w not in ev.known]
        return NoAnswer(
            "unknown_words",
            "Aucun résultat pertinent : les documents ne contiennent pas "
            + ("le mot « " if len(unknown) == 1 else "les mots « ")
            + " », « ".join(unknown)
            + " ».",
            "No relevant result: the documents do not contain " + ", ".join(unknown) + ".",
        )
    return None


SUGGEST_MIN_SIMILARITY = 0.4
"""Measured on the thesaurus: gibberish reaches at most 0.21, an off-topic French question 0.30, a
misspelt or English label 0.55 and more ("monaie locale" → 0.88, "cooperative" → 1.0)."""


def _trigrams(text: str) -> frozenset[str]:
    """Character trigrams of each folded word of `text`, padded with spaces (typo-tolerant)."""
    grams: set[str] = set()
    for word in words(text):
        w = f" {fold(word)} "
        grams.update(w[i : i + 3] for i in range(len(w) - 2))
    return frozenset(grams)


def suggest_concepts(
    question: str, concepts: Iterable[ConceptInfo], limit: int, min_similarity: float = SUGGEST_MIN_SIMILARITY
) -> list[dict[str, str | float]]:
    """The thesaurus concepts whose labels are closest to the question's words, best first.

    Similarity: for each label (preferred or alternative) the Dice coefficient of its character trigrams
    with those of the question's content words; a concept counts with its best label. Only concepts
    reaching `min_similarity` are proposed (gibberish gets none). Returns at most `limit`
    {"iri", "label", "score"} dicts.
    """
    content = " ".join(w for w in words(question) if fold(w) not in STOPWORDS)
    asked = _trigrams(content)
    if not asked or limit <= 0:
        return []
    scored: list[tuple[float, str, str]] = []
    for concept in concepts:
        best = 0.0
        for label in (concept.pref_label, *concept.alt_labels):
            grams = _trigrams(label)
            if grams:
                best = max(best, 2 * len(asked & grams) / (len(asked) + len(grams)))
        if best >= min_similarity:
            scored.append((best, concept.pref_label, concept.iri))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [{"iri": iri, "label": label, "score": round(score, 3)} for score, label, iri in scored[:limit]]
