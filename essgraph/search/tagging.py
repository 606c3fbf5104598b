"""Passage tagging at index time: the concepts a passage is about, and their labels as a lexical field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from rdflib import URIRef

from essgraph.ontology.namespace import CONCEPT_IRI
from essgraph.ontology.thesaurus import Concept, Thesaurus
from essgraph.search.lexical.base import LexicalIndex, TokenPair
from essgraph.search.records import PassageRecord

# Between two labels in the field text: no phrase of the field spans two labels.
_SEPARATOR = " ; "


class PassageTagger:
    """Tags passages with the thesaurus concepts they are about and writes the text of their label field.

    A passage is about what its text names and about what its section is titled: a paragraph of the fiche
    "Mobilité" that only says "le garage prête des véhicules" is still about mobility. The labels of
    those concepts (preferred, alternative and usage labels) and of the entities the passage mentions
    form a field of their own, so a question worded in its asker's terms ("habitants sans voiture")
    finds the passages the concept is about, though their text never uses those words.
    """

    def __init__(self, thesaurus: Thesaurus, schemes: Iterable[str]) -> None:
        self.thesaurus = thesaurus.for_search()
        self.schemes = [URIRef(CONCEPT_IRI + slug) for slug in schemes]
        allowed = set(self.schemes)
        self._concepts: dict[str, Concept] = {
            str(c.iri): c for c in thesaurus.concepts if c.scheme in allowed
        }

    def concepts(self, rec: PassageRecord) -> list[str]:
        """IRIs of the concepts `rec` is about, in this order: named by its section title, by its text,
        then linked by the graph (its subjects, its section's lever or theme); without repetition."""
        found: dict[str, None] = {}
        title = rec.section.title or rec.section.label
        for text in (title, rec.text):
            for match in self.thesaurus.match(text, self.schemes) if text else ():
                found.setdefault(str(match.iri), None)
        for iri in (*rec.concepts, *rec.section_concepts):
            if iri in self._concepts:
                found.setdefault(iri, None)
        return list(found)

    def tagged(self, records: Iterable[PassageRecord]) -> list[PassageRecord]:
        """Copies of `records` whose `tags` are the concepts each is about (the callers' records are
        never changed)."""
        return [replace(rec, tags=self.concepts(rec)) for rec in records]

    def label_text(self, rec: PassageRecord) -> str:
        """The text of the label field of `rec`: every label of its tagged concepts (those the thesaurus
        still knows), then the labels and alternative labels of the entities it mentions."""
        return _SEPARATOR.join(self.labels(rec))

    def label_tokens(self, rec: PassageRecord) -> TokenPair:
        """The (stemmed, raw) tokens of `label_text(rec)`, put together label by label: the separator
        holds no word, so they are the text's own tokens, and each label is tokenised once for every
        passage tagged with it (at 2 000 synthetic passages tokenising whole texts was half a rebuild)."""
        stems: list[str] = []
        raws: list[str] = []
        for label in self.labels(rec):
            stem, raw = _label_tokens(label)
            stems.extend(stem)
            raws.extend(raw)
        return stems, raws

    def labels(self, rec: PassageRecord) -> list[str]:
        """The distinct labels of the label field of `rec`, in `label_text` order."""
        labels: dict[str, None] = {}
        for iri in rec.tags:
            concept = self._concepts.get(iri)
            if concept is not None:
                for label in (concept.pref_label, *concept.alt_labels, *concept.usage_labels):
                    labels.setdefault(label, None)
        for entity in rec.entities:
            for label in (entity.label, *entity.alt_labels):
                labels.setdefault(label, None)
        return list(labels)


LABEL_CACHE_SIZE = 1 << 15  # distinct labels whose tokens are kept (a thesaurus and its entities: thousands)


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def _label_tokens(label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (stemmed, raw) tokens of one label, cached."""
    ((stem, raw),) = LexicalIndex.tokenize([label])
    return tuple(stem), tuple(raw)


class LabelField:
    """The label field of the indexed passages: a lexical index of `PassageTagger.label_text`, searched
    as a signal of its own (a passage whose concepts carry the question's words). Without an index or
    a tagger (a snapshot built without an engine) it holds nothing and ranks nothing."""

    def __init__(self, index: LexicalIndex | None, tagger: PassageTagger | None) -> None:
        self.index = index if tagger is not None else None
        self.tagger = tagger

    def clone(self) -> LabelField:
        """An independent copy to change while this one keeps answering."""
        return LabelField(self.index.clone() if self.index is not None else None, self.tagger)

    def add(self, ids: Sequence[int], records: Sequence[PassageRecord]) -> None:
        """Index the label texts of `records` under `ids`."""
        if self.index is None or self.tagger is None or not ids:
            return
        self.index.add_tokens(list(ids), [self.tagger.label_tokens(rec) for rec in records])

    def rebuild(self, records: Mapping[int, PassageRecord]) -> None:
        """Index the label texts of every record (after a load: the texts are not stored, only the tags,
        so they follow the thesaurus the engine runs with)."""
        if self.index is None:
            return
        self.index.remove(list(self.index._tokens))
        ids = sorted(records)
        self.add(ids, [records[i] for i in ids])

    def remove(self, ids: Sequence[int]) -> None:
        """Forget these ids."""
        if self.index is not None:
            self.index.remove(ids)

    def prepare(self) -> None:
        """Build the scoring structures now (not in a search)."""
        if self.index is not None and len(self.index):
            self.index.prepare()

    def matched_terms(self, query: str) -> set[str]:
        """The terms of `query` some passage's label field holds (empty without an index)."""
        return self.index.matched_terms(query) if self.index is not None and len(self.index) else set()

    def ranking(self, query: str, depth: int, allowed: set[int] | None) -> list[tuple[int, float]]:
        """The passages whose label field matches `query`, best first (at most `depth`, within `allowed`)."""
        if self.index is None or not len(self.index):
            return []
        k = len(self.index) if allowed is not None else depth
        ids, scores = self.index.search(query, k)
        pairs = zip(ids, scores, strict=True)
        ranked = [(int(i), float(v)) for i, v in pairs if allowed is None or int(i) in allowed]
        return ranked[:depth]
