"""What a search returns: hits (near-duplicates dropped, highlighted) and facet counts, as JSON-ready data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from essgraph.search.facets import FacetCounts
from essgraph.search.highlight import highlight, query_terms
from essgraph.search.records import PassageRecord
from essgraph.search.relevance import NoAnswer
from essgraph.search.snapshot import IndexSnapshot
from essgraph.search.understand import QueryAnalysis


@dataclass(slots=True, kw_only=True)
class Hit:
    """One search result: the passage record it shows (text, exact source place, section, entities), with
    its score, the question's words highlighted in its text and the other hits of its section.

    The hit holds the record itself rather than a copy of its fields; `to_dict` is the one place that
    says how a record appears in a hit of the API.
    """

    record: PassageRecord
    score: float
    highlight: str
    same_section: list[str] = field(default_factory=list)  # passages of the other hits of its section

    def to_dict(self) -> dict[str, Any]:
        """The hit as a JSON-ready dict: the record's source place, document, passage IRI, url (None when
        unknown), section, text and public entities, then highlight, score (rounded to 6 decimals), kind
        ("answer" when unset) and `same_section`."""
        rec = self.record
        return {
            **rec.place(),
            "document": rec.document,
            "doc_id": rec.doc_id,
            "passage": rec.iri,
            "url": rec.url or None,
            "section": asdict(rec.section),
            "text": rec.text,
            "highlight": self.highlight,
            "score": round(self.score, 6),
            "entities": [e.public() for e in rec.entities],
            "kind": rec.kind or "answer",
            "same_section": self.same_section,
        }


@dataclass(slots=True)
class SearchResult:
    """Hits best first (from `offset`), facet counts over the filtered candidates, what the query was
    understood as, how many passages matched (`total`), and, for a question under the score floor, why
    there is no hit (`reason`) with thesaurus concepts to try instead (`suggestions`)."""

    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    understood: dict[str, str] = field(default_factory=dict)
    total: int = 0
    offset: int = 0
    reason: NoAnswer | None = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """`{"hits", "facets", "understood", "total", "offset", "reason", "suggestions"}` (reason: None or
        {"code", "message", "message_en"})."""
        return {
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
            "understood": self.understood,
            "total": self.total,
            "offset": self.offset,
            "reason": self.reason.to_dict() if self.reason is not None else None,
            "suggestions": self.suggestions,
        }


def build_hits(
    snap: IndexSnapshot,
    query: str,
    analysis: QueryAnalysis | None,
    ranked: Sequence[tuple[int, float]],
    top: int,
    dedup_jaccard: float,
) -> list[Hit]:
    """The first `top` hits of `ranked` ((passage id, score), best first): a passage whose word
    3-shingles overlap a better hit's by `dedup_jaccard` or more (Jaccard) is a near-duplicate and
    dropped; each hit has its source place, section, entities and the question's words highlighted."""
    terms = query_terms(" ".join([query, *(analysis.expansions if analysis else [])]))
    kept: list[int] = []
    hits: list[Hit] = []
    for pid, score in ranked:
        if len(hits) >= top:
            break
        sh = snap.shingles_of(pid)
        if any(jaccard(sh, snap.shingles_of(o)) >= dedup_jaccard for o in kept):
            continue
        kept.append(pid)
        rec = snap.records[pid]
        hits.append(Hit(record=rec, score=score, highlight=highlight(rec.text, terms, snap.spans_of(pid))))
    return hits


def facet_output(counts: FacetCounts, labels: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Facet counts as the API shows them: {key: [{"value", "label", "count"}, …]}, `labels` giving a
    value's French label (a concept slug's; the value itself otherwise)."""
    return {
        key: [{"value": v, "label": labels.get(v, v), "count": count} for v, count in values]
        for key, values in counts.items()
    }


def group_by_section(hits: Sequence[Hit]) -> None:
    """Give each hit (in place) the passages of the other hits of the same section (same document and
    section label, or number and title), in rank order: the page shows them together."""
    groups: dict[tuple[str, str], list[Hit]] = defaultdict(list)
    for hit in hits:
        section = hit.record.section
        name = section.label or f"{section.number}|{section.title}"
        if section.label or section.title or section.number is not None:
            groups[(hit.record.doc_id, name)].append(hit)
    for members in groups.values():
        for hit in members:
            hit.same_section = [other.record.iri for other in members if other is not hit]


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a ∩ b| / |a ∪ b|, 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
