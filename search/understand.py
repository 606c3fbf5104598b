"""Query understanding: thesaurus concepts and known entities found in a question, expansions, boosts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from search.lexical.tokenize import _STOPWORDS, folded_words
from search.records import PassageRecord

MIN_SINGLE_LABEL_CHARS = 3


@dataclass(slots=True)
class ConceptInfo:
    """A thesaurus concept as search uses it."""

    iri: str
    scheme: str
    pref_label: str
    alt_labels: list[str] = field(default_factory=list)


@dataclass(slots=True)
class QueryAnalysis:
    """What was understood in a question: concepts, entities and the texts to expand the query with."""

    concepts: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)

    def labels(self, concepts: dict[str, ConceptInfo], entity_labels: dict[str, str]) -> dict[str, str]:
        """{iri: label} of everything understood (for display and debugging)."""
        out = {c: concepts[c].pref_label for c in self.concepts if c in concepts}
        out.update({e: entity_labels.get(e, e) for e in self.entities})
        return out


class LabelMatcher:
    """Finds known labels (as folded word sequences) inside a text; longest matches win."""

    def __init__(self) -> None:
        self._labels: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._max_len = 0

    def add(self, label: str, target: str, acronym: bool = False) -> None:
        """Register `label` as naming `target` (single-word labels must be long enough or an acronym)."""
        tokens = tuple(folded_words(label))
        if not tokens or all(t in _STOPWORDS for t in tokens):
            return
        if len(tokens) == 1 and len(tokens[0]) < MIN_SINGLE_LABEL_CHARS and not acronym:
            return
        self._labels[tokens].add(target)
        self._max_len = max(self._max_len, len(tokens))

    def find(self, text: str) -> list[str]:
        """Targets whose label occurs in `text` as whole words, longest match first, no overlaps."""
        tokens = folded_words(text)
        found: list[str] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self._max_len, len(tokens) - i), 0, -1):
                targets = self._labels.get(tuple(tokens[i : i + n]))
                if targets:
                    found.extend(sorted(t for t in targets if t not in found))
                    i += n
                    break
            else:
                i += 1
        return found

    def __len__(self) -> int:
        return len(self._labels)


def load_concepts() -> dict[str, ConceptInfo]:
    """Concepts of the project's SKOS thesaurus ({iri: ConceptInfo}); empty if it has none yet."""
    try:
        from ontology.thesaurus import load_thesaurus  # type: ignore[attr-defined]
    except ImportError:  # the thesaurus loader is not installed: search works without concepts
        return {}
    thesaurus: Any = load_thesaurus()
    concepts: dict[str, ConceptInfo] = {}
    for concept in _iter_concepts(thesaurus):
        iri = str(concept.iri)
        concepts[iri] = ConceptInfo(
            iri=iri,
            scheme=str(concept.scheme).rstrip("/").rsplit("/", 1)[-1],
            pref_label=str(concept.pref_label),
            alt_labels=[str(a) for a in concept.alt_labels],
        )
    return concepts


def _iter_concepts(thesaurus: Any) -> Iterable[Any]:
    concepts = thesaurus.concepts
    return concepts.values() if isinstance(concepts, dict) else concepts


class Understander:
    """Detects thesaurus concepts and known entities in questions and links them to passages."""

    def __init__(self, concepts: dict[str, ConceptInfo], schemes: Iterable[str]) -> None:
        self.concepts = {iri: c for iri, c in concepts.items() if c.scheme in set(schemes)}
        self._concept_matcher = LabelMatcher()
        for concept in self.concepts.values():
            for label in [concept.pref_label, *concept.alt_labels]:
                self._concept_matcher.add(label, concept.iri, acronym=label.isupper())
        self._entity_matcher = LabelMatcher()
        self.entity_labels: dict[str, str] = {}

    def set_entities(self, records: Iterable[PassageRecord]) -> None:
        """(Re)build the entity label index from the entities the records mention."""
        matcher = LabelMatcher()
        labels: dict[str, str] = {}
        for rec in records:
            for ent in rec.entities:
                if ent.iri in labels:
                    continue
                labels[ent.iri] = ent.label
                for label in [ent.label, *ent.alt_labels]:
                    matcher.add(label, ent.iri, acronym=label.isupper())
        self._entity_matcher, self.entity_labels = matcher, labels

    def analyse(self, query: str) -> QueryAnalysis:
        """Concepts and entities named in `query`, and expansion texts (labels not already in it)."""
        concepts = self._concept_matcher.find(query)
        entities = self._entity_matcher.find(query)
        folded_query = set(folded_words(query))
        expansions: list[str] = []
        for iri in concepts:
            concept = self.concepts[iri]
            for label in [concept.pref_label, *concept.alt_labels]:
                if not set(folded_words(label)) <= folded_query and label not in expansions:
                    expansions.append(label)
        return QueryAnalysis(concepts=concepts, entities=entities, expansions=expansions)
