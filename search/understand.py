"""Query understanding: thesaurus concepts and known entities found in a question, expansions, boosts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search.lexical.tokenize import folded_words, stem_tokens
from search.records import PassageRecord

MIN_SINGLE_LABEL_CHARS = 4


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
    """Finds known labels inside a text, compared as sequences of stems (plurals, elisions and accents do
    not matter; stopwords are skipped); longest matches win."""

    def __init__(self) -> None:
        self._labels: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._max_len = 0

    def add(self, label: str, target: str) -> None:
        """Register `label` as naming `target`; a one-word label must be an acronym or long enough."""
        tokens = tuple(stem_tokens(label))
        if not tokens:
            return
        if len(tokens) == 1:
            word = label.strip()
            acronym = sum(c.isupper() for c in word) >= 2
            if (
                not acronym
                and len(folded_words(word)[0] if folded_words(word) else "") < MIN_SINGLE_LABEL_CHARS
            ):
                return
        self._labels[tokens].add(target)
        self._max_len = max(self._max_len, len(tokens))

    def find(self, text: str) -> list[str]:
        """Targets whose label occurs in `text`, longest match first, without overlapping matches."""
        tokens = stem_tokens(text)
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
    """Concepts of the project's SKOS thesaurus (ontology/thesaurus/*.ttl) as {iri: ConceptInfo}."""
    try:
        from ontology.thesaurus import load_thesaurus  # type: ignore[attr-defined]
    except ImportError:
        return _concepts_from_turtle()
    thesaurus: Any = load_thesaurus()
    concepts: dict[str, ConceptInfo] = {}
    raw = thesaurus.concepts
    for concept in raw.values() if isinstance(raw, dict) else raw:
        iri = str(concept.iri)
        concepts[iri] = ConceptInfo(
            iri=iri,
            scheme=str(concept.scheme).rstrip("/").rsplit("/", 1)[-1],
            pref_label=str(concept.pref_label),
            alt_labels=[str(a) for a in concept.alt_labels],
        )
    return concepts


def _concepts_from_turtle() -> dict[str, ConceptInfo]:
    """The thesaurus read straight from its Turtle files (when the ontology package has no loader)."""
    import rdflib
    from rdflib.namespace import RDF, SKOS

    import ontology

    graph = rdflib.Graph()
    for path in sorted((Path(ontology.__file__).parent / "thesaurus").glob("*.ttl")):
        graph.parse(path, format="turtle")
    concepts: dict[str, ConceptInfo] = {}
    for iri in graph.subjects(RDF.type, SKOS.Concept):
        scheme = graph.value(iri, SKOS.inScheme)
        pref = graph.value(iri, SKOS.prefLabel)
        concepts[str(iri)] = ConceptInfo(
            iri=str(iri),
            scheme=str(scheme).rstrip("/").rsplit("/", 1)[-1] if scheme else "",
            pref_label=str(pref) if pref else str(iri).rsplit("/", 1)[-1],
            alt_labels=sorted(str(a) for a in graph.objects(iri, SKOS.altLabel)),
        )
    return concepts


class Understander:
    """Detects thesaurus concepts and known entities in questions and links them to passages."""

    def __init__(self, concepts: dict[str, ConceptInfo], schemes: Iterable[str]) -> None:
        self.concepts = {iri: c for iri, c in concepts.items() if c.scheme in set(schemes)}
        self._concept_matcher = LabelMatcher()
        for concept in self.concepts.values():
            for label in [concept.pref_label, *concept.alt_labels]:
                self._concept_matcher.add(label, concept.iri)
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
                    matcher.add(label, ent.iri)
        self._entity_matcher, self.entity_labels = matcher, labels

    def analyse(self, query: str) -> QueryAnalysis:
        """Concepts and entities named in `query`, and expansion texts (labels not already in it)."""
        concepts = self._concept_matcher.find(query)
        entities = self._entity_matcher.find(query)
        query_stems = set(stem_tokens(query))
        expansions: list[str] = []
        for iri in concepts:
            concept = self.concepts[iri]
            extra: list[str] = []
            for label in [concept.pref_label, *concept.alt_labels]:
                extra += [t for t in label.split() if t not in extra]
            text = " ".join(w for w in extra if not set(stem_tokens(w)) <= query_stems)
            if text:
                expansions.append(text)
        return QueryAnalysis(concepts=concepts, entities=entities, expansions=expansions)
