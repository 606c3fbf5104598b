"""Domain records produced by ingest and consumed by graph/ and search/ (no RDF here)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

from essgraph.core.errors import EssgraphError

SectionKind = Literal[
    "introductive", "levier", "thematique", "deniche", "fiche-action", "chapitre", "partie", "liste"
]
EntityType = Literal[
    "Initiative",
    "Organisation",
    "Collectivite",
    "Person",
    "Programme",
    "Event",
    "Publication",
    "PublicationSeries",
    "Law",
    "Place",
]


@dataclass(slots=True, kw_only=True)
class SourcePlace:
    """Where a span is in its source file, defined once for every passage shape (`PassageText`, hence the
    segmenter's `Passage` and search's `PassageRecord`, which a search `Hit` holds).

    `start_line`/`end_line` are 1-based and inclusive in the source text file; `char_start`/`char_end`
    are offsets into the decoded source text such that `source[char_start:char_end]` is the span;
    `page` is the page of the original publication (a PDF page, or the printed page a table of contents
    gives for the section), None when unknown.
    """

    start_line: int
    end_line: int
    char_start: int
    char_end: int
    page: int | None = None

    def place(self) -> dict[str, Any]:
        """The place fields alone (name → int or None), to build another passage shape at the same place."""
        return {name: getattr(self, name) for name in PLACE_FIELDS}


PLACE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(SourcePlace))


@dataclass(slots=True, kw_only=True)
class PassageText(SourcePlace):
    """A retrievable span of a document, defined once for every passage shape: its exact place in the
    source file (`SourcePlace`), `index` its order in its document, `text` the cleaned text of
    `source[char_start:char_end]`. The segmenter's `Passage` and search's `PassageRecord` are this plus
    how each knows its section."""

    index: int
    text: str


@dataclass(slots=True, kw_only=True)
class Passage(PassageText):
    """A passage as the segmenter cuts it (`PassageText`); `section` is the index of its section in the
    document."""

    section: int | None = None


@dataclass(slots=True)
class Section:
    """A part of a document: a Kit fiche, a Déniché list, a fiche action, a report chapter."""

    index: int
    title: str
    kind: str
    start_line: int
    end_line: int
    number: int | None = None
    series: str | None = None
    label: str | None = None  # the citable label, e.g. "Kit MunicipalESS — fiche n°9 : …"
    parent: int | None = None
    aliases: list[str] = field(default_factory=list)  # other titles (e.g. the heading printed in the body)
    first_page: int | None = None  # printed pages of the section, from the publication's table of contents
    last_page: int | None = None


@dataclass(slots=True)
class ListedItem:
    """An item of a numbered list printed in a document (e.g. "Déniché pour vous n°38 : Solidarauto49")."""

    series: str
    number: int
    title: str
    label: str
    line: int
    section: int | None = None
    group: str | None = None  # the list heading it sits under, e.g. "Sur la mobilité durable"


@dataclass(slots=True)
class Link:
    """A link kept as plain text by cleaning (e.g. a dead `[title](#)`): a cited resource.

    `char_start`/`char_end` are offsets of the title in the source text, `line` its 1-based line.
    """

    title: str
    target: str
    char_start: int
    char_end: int
    line: int


@dataclass(slots=True)
class Record:
    """One row of a CSV, JSON or JSON-lines file, its columns mapped to record fields (docs/ingest.md).

    `fields` maps a canonical field name (`nom`, `forme_juridique`, `commune`, `code_insee`…) to its
    cleaned value; `extra` keeps every other column as (header as written, value), so nothing of the
    row is lost (a value a typed field refuses, e.g. a malformed SIRET, lands there too). `start_line`/
    `end_line` (1-based, inclusive) and `char_start`/`char_end` locate the row in the decoded source.
    """

    fields: dict[str, str]
    extra: list[tuple[str, str]]
    start_line: int
    end_line: int
    char_start: int
    char_end: int
    headers: dict[str, str] = field(default_factory=dict)  # field -> the header it was read from

    def get(self, name: str) -> str:
        """The value of field `name`, or "" when the row has none."""
        return self.fields.get(name, "")


@dataclass(slots=True)
class ParsedDocument:
    """A document read, cleaned and segmented; `source` is the full decoded text of the file."""

    doc_id: str
    path: str
    file_name: str
    sha256: str
    media_type: str
    title: str
    source: str
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    issued: str | None = None
    publisher: str | None = None
    edition: str | None = None
    url: str | None = (
        None  # the original publication's address, when known (its .meta.json, a canonical link)
    )
    records: list[Record] = field(default_factory=list)  # structured rows (CSV/JSON/JSON-lines inputs)
    skipped_records: int = 0  # empty rows of a record file, skipped
    record_kind: str | None = None  # the entity type a record file's type column or name declares
    listed_items: list[ListedItem] = field(default_factory=list)  # e.g. the Déniché pour vous list
    links: list[Link] = field(default_factory=list)  # link titles kept by cleaning (cited resources)


@dataclass(slots=True)
class Entity:
    """A real-world thing named in a document; `key` is stable across documents (entity resolution)."""

    key: str
    type: str
    label: str
    alt_labels: set[str] = field(default_factory=set)
    attributes: dict[str, list[str]] = field(default_factory=dict)  # e.g. legalForm -> concept keys
    passages: set[int] = field(default_factory=set)
    confidence: float = 1.0
    fields: list[tuple[str, str]] = field(default_factory=list)  # unmapped record columns: (header, value)


@dataclass(slots=True)
class Relation:
    """A typed link between two entities (or an entity and a literal) stated by one passage.

    `kind` names an ontology property (e.g. "supports") or an n-ary relation class (e.g. "Funding"),
    in which case `qualifiers` carries its numbers (amount, share, year, duration…).
    """

    kind: str
    subject: str
    object: str | None
    passage: int
    confidence: float
    qualifiers: dict[str, str] = field(default_factory=dict)
    object_literal: str | None = None
    # further passages that state the relation together with `passage` (a layout fact: the heading that
    # names a list's series, cited beside the list item it governs)
    also: tuple[int, ...] = ()


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    passage_concepts: dict[int, set[str]] = field(default_factory=dict)  # passage -> concept IRIs
    section_links: list[tuple[int, str, int]] = field(default_factory=list)  # (section, kind, target no)


@dataclass
class IngestSummary:
    """What one ingest run did, printed at the end and returned to the service."""

    documents: int = 0
    unchanged: int = 0
    removed: int = 0
    passages: int = 0
    entities: int = 0
    statements: int = 0
    records: int = 0  # rows of record files that became passages
    skipped_records: int = 0  # empty rows of record files, skipped
    errors: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    failures: list[EssgraphError] = field(default_factory=list, repr=False)  # the errors behind `errors`
    stage: str = ""  # the step the pipeline is at: read, extract, store, index, done (upload progress)

    def failed(self, error: EssgraphError) -> None:
        """Record a file that failed: its French line in `errors`, the error itself (its class, English
        message and details, which the service answers with) in `failures`."""
        self.errors.append(error.message_fr)
        self.failures.append(error)

    def lines(self) -> list[str]:
        """The French summary printed by `essgraph ingest`."""
        out = [
            f"documents ingérés : {self.documents} (inchangés : {self.unchanged}, retirés : {self.removed})",
            f"passages : {self.passages} · entités : {self.entities} · triplets : {self.statements}",
            *(
                [f"enregistrements : {self.records} (lignes vides ignorées : {self.skipped_records})"]
                if self.records or self.skipped_records
                else []
            ),
            f"erreurs : {len(self.errors)}",
        ]
        out += [f"  ✗ {e}" for e in self.errors]
        return out
