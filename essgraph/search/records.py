"""Passage records: what the search indexes hold about each passage, built from the graph store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from rdflib import URIRef

from essgraph.core.model import PassageText
from essgraph.core.text import int_or_none
from essgraph.graph.bindings import Bindings
from essgraph.graph.names import doc_iri as make_doc_iri
from essgraph.graph.queries import records as queries
from essgraph.ontology.namespace import (
    CONCEPT_IRI,
    EG_IRI,
    SCHEME_FORMES,
    SCHEME_KINDS,
    SCHEME_LEVIERS,
    SCHEME_NIVEAUX,
    SCHEME_THEMATIQUES,
)
from essgraph.search.geo import departement_code, region_of

FACET_KEYS: tuple[str, ...] = (
    "document",
    "section_kind",
    "lever",
    "theme",
    "legal_form",
    "collectivite_level",
    "departement",
    "region",
    "year",
)


class SparqlSelect(Protocol):
    """What `records_from_store` needs from the graph store: SELECT rows as {variable: string}."""

    def select(self, sparql: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        """Run a SPARQL SELECT with `bindings`; returns one dict per row (unbound variables absent)."""
        ...


@dataclass(slots=True)
class SectionInfo:
    """The section (fiche, chapter…) a passage belongs to."""

    number: int | None = None
    title: str = ""
    kind: str = ""
    label: str = ""
    first_page: int | None = None  # printed pages, from the publication's table of contents
    last_page: int | None = None


@dataclass(slots=True)
class EntityRef:
    """An entity a passage mentions: IRI, French label and ontology type (class local name)."""

    iri: str
    label: str
    type: str
    alt_labels: list[str] = field(default_factory=list)

    def public(self) -> dict[str, str]:
        """The entity as shown in a hit: {iri, label, type}."""
        return {"iri": self.iri, "label": self.label, "type": self.type}


@dataclass(slots=True, kw_only=True)
class PassageRecord(PassageText):
    """Everything search keeps about one passage: the passage itself (`PassageText`: text, order in its
    document as `index`, exact place), its document, section, links and facet values."""

    doc_id: str
    document: str
    iri: str
    url: str = ""  # the original publication's address, when known
    section: SectionInfo = field(default_factory=SectionInfo)
    context: str = ""
    entities: list[EntityRef] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    section_concepts: list[str] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)
    kind: str = ""  # search.kinds: answer, example, contact, resources, toc, index, names; "" = unset
    tags: list[str] = field(default_factory=list)  # search.tagging: the concepts it is about

    def index_text(self) -> str:
        """The text embedded and indexed: context (document and section titles) then passage text."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of this record."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PassageRecord:
        """The record serialised by `to_dict`, or by an earlier version that named `index` "order" (an
        index written before is read as it is, nothing to rebuild)."""
        values = dict(data)
        if "order" in values:
            values["index"] = values.pop("order")
        values["section"] = SectionInfo(**values.get("section") or {})
        values["entities"] = [EntityRef(**e) for e in values.get("entities") or []]
        return cls(**values)


def concept_scheme(iri: str) -> str | None:
    """The scheme slug of a thesaurus concept IRI ("leviers", "thematiques"…), None for other IRIs."""
    if not iri.startswith(CONCEPT_IRI):
        return None
    rest = iri[len(CONCEPT_IRI) :]
    return rest.split("/", 1)[0] if "/" in rest else None


def concept_slug(iri: str) -> str:
    """The last path segment of an IRI (the concept's slug)."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


_SCHEME_FACETS = {
    str(SCHEME_LEVIERS).rsplit("/", 1)[-1]: "lever",
    str(SCHEME_THEMATIQUES).rsplit("/", 1)[-1]: "theme",
    str(SCHEME_FORMES).rsplit("/", 1)[-1]: "legal_form",
    str(SCHEME_NIVEAUX).rsplit("/", 1)[-1]: "collectivite_level",
    str(SCHEME_KINDS).rsplit("/", 1)[-1]: "section_kind",
}


def _doc_binding(doc_iri: str | None) -> Bindings:
    return {"doc": URIRef(doc_iri)} if doc_iri else {}


def records_from_store(
    store: SparqlSelect, doc_id: str | None = None, base_iri: str | None = None
) -> list[PassageRecord]:
    """Passage records of one document (`doc_id`) or of every document, read with SPARQL.

    Follows the RDF shape of docs/architecture.md: passages, their section and document, the
    entities they mention (label, type, legal form, level, département) and their subject concepts.
    Returns the records sorted by document and passage order.
    """
    from essgraph.core.settings import get_settings

    base = base_iri or get_settings().base_iri
    doc_iri = make_doc_iri(base, doc_id) if doc_id else None
    rows = store.select(queries.PASSAGES, _doc_binding(doc_iri))
    records: dict[str, PassageRecord] = {}
    sections: dict[str, str] = {}
    for row in rows:
        piri = row["p"]
        if piri in records:
            continue
        doc = row["doc"]
        doc_prefix = make_doc_iri(base, "")
        rec_doc_id = doc[len(doc_prefix) :] if doc.startswith(doc_prefix) else concept_slug(doc)
        kind_iri = row.get("skind", "")
        section = SectionInfo(
            number=int_or_none(row.get("snum")),
            title=row.get("stitle", ""),
            kind=concept_slug(kind_iri) if kind_iri else "",
            label=row.get("slabel", ""),
            first_page=int_or_none(row.get("spage1")),
            last_page=int_or_none(row.get("spage2")),
        )
        title = row.get("dtitle", "")
        context = " — ".join(x for x in (title, section.label or section.title) if x)
        issued = row.get("issued", "")
        rec = PassageRecord(
            doc_id=rec_doc_id,
            document=row.get("file", rec_doc_id),
            iri=piri,
            index=int_or_none(row.get("order")) or 0,
            text=row["text"],
            url=row.get("url", ""),
            start_line=int_or_none(row["sl"]) or 0,
            end_line=int_or_none(row["el"]) or 0,
            char_start=int_or_none(row.get("cs")) or 0,
            char_end=int_or_none(row.get("ce")) or 0,
            page=int_or_none(row.get("page")),
            section=section,
            context=context,
        )
        rec.facets = {
            "document": [rec.document],
            "section_kind": [section.kind] if section.kind else [],
            "year": [issued[:4]] if issued[:4].isdigit() else [],
        }
        records[piri] = rec
        if "sec" in row:
            sections[piri] = row["sec"]

    _add_mentions(store, records, doc_iri)
    _add_subjects(store, records, sections, doc_iri)
    return sorted(records.values(), key=lambda r: (r.doc_id, r.index, r.start_line))


def _add_mentions(store: SparqlSelect, records: dict[str, PassageRecord], doc_iri: str | None) -> None:
    rows = store.select(queries.MENTIONS, _doc_binding(doc_iri))
    entities: dict[tuple[str, str], EntityRef] = {}
    extra: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        rec = records.get(row["p"])
        if rec is None:
            continue
        key = (row["p"], row["e"])
        type_iri = row.get("type", "")
        type_name = type_iri[len(EG_IRI) :] if type_iri.startswith(EG_IRI) else ""
        ref = entities.get(key)
        if ref is None:
            ref = EntityRef(iri=row["e"], label=row.get("label") or concept_slug(row["e"]), type=type_name)
            entities[key] = ref
            rec.entities.append(ref)
        elif type_name and not ref.type:
            ref.type = type_name
        if row.get("label") and ref.label == concept_slug(row["e"]):
            ref.label = row["label"]
        if row.get("alt") and row["alt"] not in ref.alt_labels:
            ref.alt_labels.append(row["alt"])
        facets = extra[row["p"]]
        if row.get("form"):
            facets["legal_form"].add(concept_slug(row["form"]))
        if row.get("level"):
            facets["collectivite_level"].add(concept_slug(row["level"]))
        for value in (row.get("depcode"), row.get("dep")):
            code = departement_code(value) if value else None
            if code:
                facets["departement"].add(code)
                region = region_of(code)
                if region:
                    facets["region"].add(region)
    for piri, found in extra.items():
        rec = records[piri]
        for facet, values in found.items():
            rec.facets[facet] = sorted(set(rec.facets.get(facet, [])) | values)


def _add_subjects(
    store: SparqlSelect, records: dict[str, PassageRecord], sections: dict[str, str], doc_iri: str | None
) -> None:
    rows = store.select(queries.PASSAGE_SUBJECTS, _doc_binding(doc_iri))
    for row in rows:
        rec = records.get(row["p"])
        if rec is not None and row["c"] not in rec.concepts:
            rec.concepts.append(row["c"])
    sec_rows = store.select(queries.SECTION_SUBJECTS, _doc_binding(doc_iri))
    by_section: dict[str, set[str]] = defaultdict(set)
    for row in sec_rows:
        by_section[row["sec"]].add(row["c"])
    for piri, sec in sections.items():
        records[piri].section_concepts = sorted(by_section.get(sec, set()))
    for rec in records.values():
        for iri in set(rec.concepts) | set(rec.section_concepts):
            scheme = concept_scheme(iri)
            key = _SCHEME_FACETS.get(scheme or "")
            if key and key != "section_kind":
                values = set(rec.facets.get(key, []))
                values.add(concept_slug(iri))
                rec.facets[key] = sorted(values)
