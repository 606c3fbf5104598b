"""Query understanding: thesaurus concepts and known entities found in a question, expansions, boosts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rdflib import URIRef

from essgraph.ontology.namespace import CONCEPT_IRI
from essgraph.ontology.thesaurus import Thesaurus
from essgraph.search.embedders.base import Vectors
from essgraph.search.lexical.tokenize import folded_words, stem_tokens, words
from essgraph.search.records import PassageRecord

MIN_SINGLE_LABEL_CHARS = 4


@dataclass(slots=True)
class ConceptInfo:
    """A thesaurus concept as search uses it."""

    iri: str
    scheme: str
    pref_label: str
    alt_labels: list[str] = field(default_factory=list)
    definition: str = ""
    broader: list[str] = field(default_factory=list)

    def embedding_text(self) -> str:
        """What is embedded to recognise the concept by meaning: labels, then the definition."""
        labels = " ; ".join(dict.fromkeys([self.pref_label, *self.alt_labels]))
        return f"{labels}. {self.definition}" if self.definition else labels


@dataclass(slots=True)
class QueryAnalysis:
    """What was understood in a question: concepts, entities and the texts to expand the query with."""

    concepts: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    expansion_concepts: list[str] = field(default_factory=list)  # the concept of each expansion text
    by_meaning: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)

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


@dataclass(frozen=True)
class EntityTable:
    """The entities the indexed passages mention, as label matchers: built whole from the records and
    never changed afterwards, so questions are matched against it without any lock."""

    matcher: LabelMatcher = field(default_factory=LabelMatcher)
    names: LabelMatcher = field(default_factory=LabelMatcher)  # one-word, non-acronym: when capitalised
    phrases: dict[str, list[str]] = field(default_factory=dict)  # several-word name labels: all typed
    labels: dict[str, str] = field(default_factory=dict)  # {entity IRI: label}

    @classmethod
    def of(cls, records: Iterable[PassageRecord]) -> EntityTable:
        """The table of the entities `records` mention (their labels and alternative labels)."""
        matcher = LabelMatcher()
        names = LabelMatcher()
        labels: dict[str, str] = {}
        phrases: dict[str, list[str]] = defaultdict(list)
        single: set[str] = set()
        for rec in records:
            for ent in rec.entities:
                if ent.iri in labels:
                    continue
                labels[ent.iri] = ent.label
                for label in [ent.label, *ent.alt_labels]:
                    label_words = words(label)
                    acronym = len(label_words) == 1 and sum(c.isupper() for c in label_words[0]) >= 2
                    # one content word once stopwords are gone ("Est Ensemble", "Pour la Solidarité"):
                    # an ordinary word unless the question capitalises it, like a one-word name
                    if not acronym and len(stem_tokens(label)) == 1:
                        names.add(label, ent.iri)
                        if len(label_words) > 1:
                            phrases[ent.iri].append(" ".join(folded_words(label)))
                        else:
                            single.add(ent.iri)
                    else:
                        matcher.add(label, ent.iri)
        kept = {iri: p for iri, p in phrases.items() if iri not in single}
        return cls(matcher=matcher, names=names, phrases=kept, labels=labels)

    def find(self, query: str) -> list[str]:
        """IRIs of the entities `query` names: by label, and a one-word name ("Toulouse") only where
        the question capitalises it ("le réseau" or "les services" in lowercase are ordinary words)."""
        entities = self.matcher.find(query)
        capitalised = " ".join(w for w in words(query) if w[:1].isupper())
        folded = f" {' '.join(folded_words(query))} "
        entities += [
            e
            for e in self.names.find(capitalised)
            if e not in entities
            and (e not in self.phrases or any(f" {p} " in folded for p in self.phrases[e]))
        ]
        return entities


def concepts_of(thesaurus: Thesaurus) -> dict[str, ConceptInfo]:
    """The concepts of `thesaurus` as {iri: ConceptInfo}."""
    return {
        str(c.iri): ConceptInfo(
            iri=str(c.iri),
            scheme=c.scheme_slug,
            pref_label=c.pref_label,
            alt_labels=list(c.alt_labels),
            definition=c.definition or "",
            broader=[str(b) for b in c.broader],
        )
        for c in thesaurus.concepts
    }


class Understander:
    """Detects thesaurus concepts (Thesaurus.match) and known entities in questions."""

    def __init__(self, thesaurus: Thesaurus, schemes: Iterable[str]) -> None:
        # a question is worded in its asker's own terms: match the concepts' usage labels too
        self.thesaurus = thesaurus.for_search()
        self.schemes = [URIRef(CONCEPT_IRI + slug) for slug in schemes]
        self.concepts = {iri: c for iri, c in concepts_of(thesaurus).items() if c.scheme in set(schemes)}
        # usage labels are everyday phrasings ("racheter des murs"): a question says them with its own
        # articles and inflections ("racheter les murs"), so they are compared as stems, stopwords skipped
        self._usage = LabelMatcher()
        for concept in thesaurus.concepts:
            if str(concept.iri) in self.concepts:
                for label in concept.usage_labels:
                    self._usage.add(label, str(concept.iri))
        self.entities = EntityTable()  # replaced whole by set_entities, or passed per question
        self._concept_iris: list[str] = []
        self._label_word_cache: dict[str, list[tuple[str, frozenset[str]]]] = {}
        self._concept_vectors: Vectors = np.zeros((0, 0), dtype=np.float32)

    def set_concept_vectors(self, iris: list[str], vectors: Vectors) -> None:
        """Vectors of the concepts (embedding of `ConceptInfo.embedding_text`), for matching by meaning."""
        self._concept_iris, self._concept_vectors = list(iris), vectors

    def nearest_concepts(self, query_vector: Vectors, threshold: float, limit: int) -> list[str]:
        """At most `limit` concepts whose cosine with `query_vector` reaches `threshold`, nearest first."""
        if limit <= 0 or not self._concept_iris:
            return []
        sims = self._concept_vectors @ query_vector.astype(np.float32)
        order = np.argsort(-sims, kind="stable")[:limit]
        return [self._concept_iris[i] for i in order if sims[i] >= threshold]

    def set_entities(self, records: Iterable[PassageRecord]) -> None:
        """(Re)build the entity label index from the entities the records mention (one reference swap:
        a question analysed meanwhile sees the old index or the new one)."""
        self.entities = EntityTable.of(records)

    @property
    def entity_labels(self) -> dict[str, str]:
        """{entity IRI: label} of the entities known to the current entity table."""
        return self.entities.labels

    def analyse(
        self,
        query: str,
        query_vector: Vectors | None = None,
        threshold: float = 1.0,
        limit: int = 0,
    ) -> QueryAnalysis:
        """Concepts and entities named in `query` (and, given its vector, concepts near it in meaning:
        cosine ≥ `threshold`, at most `limit`), and expansion texts (labels not already in it)."""
        return self.refine(query, self.analyse_labels(query), query_vector, threshold, limit)

    def analyse_labels(self, query: str, entities: EntityTable | None = None) -> QueryAnalysis:
        """What `query` names by label: concepts, the entities of `entities` (default: the table
        set_entities built), their expansions and broader concepts (no vector needed, so it can run
        while the question is being embedded)."""
        concepts: list[str] = []
        for match in self.thesaurus.match(query, self.schemes, fold_acronyms=True):
            if str(match.iri) not in concepts:
                concepts.append(str(match.iri))
        concepts += [iri for iri in self._usage.find(query) if iri not in concepts]
        found = (entities if entities is not None else self.entities).find(query)
        return self._with_concepts(query, QueryAnalysis(entities=found), concepts, [])

    def refine(
        self,
        query: str,
        analysis: QueryAnalysis,
        query_vector: Vectors | None,
        threshold: float,
        limit: int,
    ) -> QueryAnalysis:
        """`analysis` (of `query`, by label) plus the concepts near `query_vector` in meaning (cosine ≥
        `threshold`, at most `limit`); returns `analysis` itself when nothing is added."""
        if query_vector is None:
            return analysis
        near = self.nearest_concepts(query_vector, threshold, limit)
        by_meaning = [c for c in near if c not in analysis.concepts]
        if not by_meaning:
            return analysis
        return self._with_concepts(query, analysis, [*analysis.concepts, *by_meaning], by_meaning)

    def _label_words(self, iri: str) -> list[tuple[str, frozenset[str]]]:
        """The distinct words of a concept's labels with their stems (computed once per concept)."""
        found = self._label_word_cache.get(iri)
        if found is None:
            concept = self.concepts[iri]
            seen: list[str] = []
            for label in [concept.pref_label, *concept.alt_labels]:
                seen += [t for t in label.split() if t not in seen]
            found = self._label_word_cache[iri] = [(w, frozenset(stem_tokens(w))) for w in seen]
        return found

    def _with_concepts(
        self, query: str, base: QueryAnalysis, concepts: list[str], by_meaning: list[str]
    ) -> QueryAnalysis:
        """A QueryAnalysis with `base`'s entities and `concepts`: expansion texts (label words whose
        stems are not all in the question) and broader concepts."""
        query_stems = set(stem_tokens(query))
        expansions: list[str] = []
        expansion_concepts: list[str] = []
        for iri in concepts:
            text = " ".join(w for w, stems in self._label_words(iri) if not stems <= query_stems)
            if text:
                expansions.append(text)
                expansion_concepts.append(iri)
        broader = [
            b
            for iri in concepts
            for b in self.concepts[iri].broader
            if b in self.concepts and b not in concepts
        ]
        return QueryAnalysis(
            concepts=concepts,
            entities=list(base.entities),
            expansions=expansions,
            expansion_concepts=expansion_concepts,
            by_meaning=by_meaning,
            broader=list(dict.fromkeys(broader)),
        )
