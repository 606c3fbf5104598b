"""View models the service builds from the graph (entities, passages, documents, concepts)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class PassageRef:
    """A passage that supports a statement or mentions an entity, with its citation."""

    iri: str
    text: str
    start_line: int | None
    end_line: int | None
    document: str
    document_title: str
    section_label: str | None
    section_iri: str | None
    citation: str


@dataclass(slots=True)
class Link:
    """A node to link to: its IRI, a human label, and the local path that dereferences it (or None)."""

    iri: str
    label: str
    path: str | None


@dataclass(slots=True)
class Statement:
    """One relation of an entity in plain French: `subject predicate object`, and what supports it."""

    predicate: str
    predicate_label: str
    subject: Link
    object: Link | None
    literal: str | None
    incoming: bool
    passages: list[PassageRef] = field(default_factory=list)
    curated: bool = False

    @property
    def sentence(self) -> str:
        """The statement as a French sentence fragment ("SCIC Iloe illustre le levier SCIC")."""
        target = self.object.label if self.object is not None else (self.literal or "")
        return f"{self.subject.label} {self.predicate_label} {target}"


@dataclass(slots=True)
class EntityView:
    """Everything an entity page shows: summary, relations, supporting passages, mentions."""

    iri: str
    label: str
    kind: str | None
    kind_label: str
    types: list[Link]
    alt_labels: list[str]
    descriptions: list[str]
    attributes: list[Statement]
    relations: list[Statement]
    mentions: list[PassageRef]
    mention_count: int
    graphs: list[str]
    label_corrected: bool = False
    same_as: list[Link] = field(default_factory=list)


@dataclass(slots=True)
class SectionView:
    """A section (fiche, chapter…) of an ingested document."""

    iri: str
    label: str
    title: str | None
    number: int | None
    kind: str | None
    start_line: int | None
    end_line: int | None


@dataclass(slots=True)
class DocumentView:
    """An ingested document with its sections."""

    iri: str
    title: str
    source_file: str | None
    passages: int
    sections: list[SectionView]


@dataclass(slots=True)
class ConceptNode:
    """A thesaurus concept with its narrower concepts (a tree node)."""

    iri: str
    label: str
    alt_labels: list[str]
    definition: str | None
    narrower: list[ConceptNode] = field(default_factory=list)


@dataclass(slots=True)
class SchemeView:
    """A SKOS concept scheme and its concept tree."""

    iri: str
    label: str
    concepts: list[ConceptNode]


@dataclass(slots=True)
class EntityHit:
    """One autocomplete match."""

    iri: str
    label: str
    kind: str | None
    path: str | None
    matched: str
