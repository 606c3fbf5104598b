"""Request and response models of the HTTP API (kept apart from the domain and view types)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from essgraph.service import sizes
from essgraph.service.views import SectionView


class ErrorResponse(BaseModel):
    """The one error format of every failure."""

    status: int = Field(description="HTTP status code.")
    code: str = Field(description="Stable machine-readable error name.")
    message: str = Field(description="What went wrong, in French.")
    message_en: str = Field(description="The same in English.")
    details: dict[str, Any] | None = Field(None, description="Extra facts (field names, limits…).")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Requête invalide."},
    404: {"model": ErrorResponse, "description": "Introuvable."},
}
STAFF_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorResponse, "description": "Jeton d'équipe absent ou inconnu."},
    403: {"model": ErrorResponse, "description": "Le jeton n'a pas la portée requise."},
}


class Health(BaseModel):
    """Readiness of the service."""

    status: Literal["ok", "degraded"] = Field(
        description="'ok', or 'degraded' when the graph store (a SPARQL server) does not answer."
    )
    documents: int
    passages: int
    quads: int | None = Field(description="Quads in the store; None when the store does not answer.")
    store_reachable: bool = Field(
        True, description="False when the graph store (a SPARQL server) does not answer: searches still run."
    )
    sparql_network_isolated: bool | None = Field(
        None,
        description="True when the SPARQL workers run without network access (no SERVICE host allowed); "
        "None until the first query has started a worker.",
    )
    recovered_uploads: dict[str, int] = Field(
        default_factory=dict,
        description="What start-up found in uploads/ after an interrupted upload: temporary files "
        "removed, earlier files restored, uploads ingested or failed.",
    )
    index_unavailable: str | None = Field(
        None,
        description="Why the remote search index (ESSGRAPH_INDEX=milvus) does not answer now; None when "
        "it does (or the index is local). Searches answer 503 meanwhile.",
    )


class SectionOut(BaseModel):
    """The section (fiche, chapter…) a hit comes from."""

    number: int | None = None
    title: str | None = None
    kind: str | None = None
    label: str | None = None
    first_page: int | None = Field(None, description="First printed page, from the table of contents.")
    last_page: int | None = Field(None, description="Last printed page (None: up to the end or unknown).")


class EntityRef(BaseModel):
    """An entity named in a passage."""

    iri: str
    label: str
    type: str


class PlaceOut(BaseModel):
    """The API form of `core.model.SourcePlace` (a test keeps the two field lists equal)."""

    start_line: int = Field(description="First line of the span in the source text file (1-based).")
    end_line: int = Field(description="Last line of the span (inclusive).")
    char_start: int
    char_end: int
    page: int | None = Field(None, description="Page of the original publication, when known.")


class HitOut(PlaceOut):
    """One search hit with its exact source place."""

    document: str
    doc_id: str
    passage: str
    url: str | None = Field(None, description="Address of the original publication, when known.")
    section: SectionOut
    text: str
    highlight: str = Field(description="The text, HTML-escaped, with matched words in <mark>.")
    citation: str = Field(description='Citation, e.g. "Kit MunicipalESS, fiche n°9 — l. 884-912".')
    score: float
    entities: list[EntityRef]
    kind: str = Field(
        "answer",
        description="Passage kind: answer, example, contact, resources, toc (sommaire), index, names.",
    )
    same_section: list[str] = Field(
        default_factory=list, description="Passages of the other hits of this page from the same section."
    )


class FacetValue(BaseModel):
    """A facet value with its count among the candidates."""

    value: str
    label: str
    count: int


class NoAnswerOut(BaseModel):
    """Why a question gets no hit (under the score floor)."""

    code: str = Field(description="no_content_word, not_french or unknown_words.")
    message: str = Field(description="Starts with « Aucun résultat pertinent ».")
    message_en: str


class SuggestionConceptOut(BaseModel):
    """A thesaurus concept whose label is close to the question's words."""

    iri: str
    label: str
    score: float


class SearchOut(BaseModel):
    """Search results and facet counts."""

    hits: list[HitOut]
    facets: dict[str, list[FacetValue]]
    understood: dict[str, str] = Field(default_factory=dict)
    total: int = Field(0, description="Passages matching the question (before near-duplicates collapse).")
    offset: int = Field(0, description="Rank of the first hit returned.")
    reason: NoAnswerOut | None = Field(None, description="Why there is no hit, when under the score floor.")
    suggestions: list[SuggestionConceptOut] = Field(
        default_factory=list, description="Thesaurus concepts to try instead (with a reason only)."
    )
    answer: dict[str, Any] | None = Field(
        None,
        description="Answer card of the lever or kind of initiative understood (concept, definition, legal, "
        "collectivites with figures, fiche), each line with its passage (iri, url, citation, lines).",
    )


class EntityHitOut(BaseModel):
    """An autocomplete match."""

    iri: str
    label: str
    kind: str | None
    path: str | None = Field(description="Local path of the entity page (/id/…).")
    matched: str = Field(description="The label or variant that matched.")


class ConceptOut(BaseModel):
    """A thesaurus concept and its narrower concepts."""

    iri: str
    label: str
    alt_labels: list[str]
    definition: str | None
    narrower: list[ConceptOut]


class SchemeOut(BaseModel):
    """A concept scheme of the thesaurus."""

    iri: str
    label: str
    concepts: list[ConceptOut]


class DocumentOut(BaseModel):
    """An ingested document with its sections."""

    iri: str
    title: str
    source_file: str | None
    passages: int
    sections: list[SectionView]  # the repository's record, as it is


class UploadOut(BaseModel):
    """What an upload did."""

    file: str = Field(description="Sanitised file name the upload was stored under.")
    documents: int
    passages: int
    entities: int
    statements: int
    doc_ids: list[str]
    replaced: bool = Field(
        False, description="True when an earlier upload of the same file name was replaced by this one."
    )


class StaffOut(BaseModel):
    """Who a staff token is: its name and scopes (with their French descriptions)."""

    name: str
    scopes: list[str]
    scope_labels: dict[str, str]


class DuplicateEntityOut(BaseModel):
    """One side of a likely duplicate pair."""

    iri: str
    label: str
    kind: str | None
    labels: list[str] = Field(description="Every label of the entity (merged members included).")
    path: str | None = Field(None, description="Its page.")


class DuplicateOut(BaseModel):
    """A likely duplicate: `merge` would be declared the same as `keep` (a same_as correction)."""

    merge: DuplicateEntityOut
    keep: DuplicateEntityOut
    score: float = Field(description="0..1: same words 0.95, other order 0.9, acronym 0.85, spelling 0.75…")
    reasons: list[str] = Field(description="The evidence, in French.")


class JobErrorOut(BaseModel):
    """Why an upload job failed: the pipeline's error code and messages, with its details."""

    code: str
    message: str
    message_en: str
    details: dict[str, Any] = Field(default_factory=dict)


class JobOut(BaseModel):
    """An upload job: queued, running (with its stage), done (with what was extracted) or failed."""

    id: str
    file: str = Field(description="Sanitised file name the upload was stored under.")
    uploaded_by: str
    status: Literal["queued", "running", "done", "failed"]
    status_label: str = Field(description="The status in French.")
    stage: str = Field(description="Pipeline step: read, extract, store, index, done ('' while queued).")
    stage_label: str = Field(description="The step in French.")
    created: str
    started: str | None = None
    finished: str | None = None
    result: UploadOut | None = Field(None, description="What the upload extracted, once done.")
    error: JobErrorOut | None = None
    url: str = Field(description="This job in the API.")
    page: str = Field(description="This job's progress page.")


class LinkIn(BaseModel):
    """A staff decision on an initiative → lever link."""

    initiative: str = Field(description="IRI of the initiative.", max_length=sizes.IRI_CHARS)
    lever: str = Field(
        description="IRI of a lever (concept of the 'leviers' scheme).", max_length=sizes.IRI_CHARS
    )
    reason: str = Field(
        description="Why (shown in the history).", min_length=1, max_length=sizes.REASON_CHARS
    )
    decision: Literal["accept", "reject"] = "accept"


class StaffDecisionOut(BaseModel):
    """What every staff decision carries (PROV-O: who, when, why), and whether it still holds."""

    id: str
    iri: str
    status: str
    reason: str
    curated_by: str
    created: str
    withdrawn: str | None
    active: bool


class LinkOut(StaffDecisionOut):
    """A curated link as stored."""

    initiative: str
    initiative_label: str | None
    lever: str
    lever_label: str | None
    status: str = Field(description="'added', 'confirmed' or 'rejected'.")


class SuggestionOut(BaseModel):
    """A lever proposed for an initiative, with the reasons in French."""

    lever: str
    label: str
    score: float
    text_score: float
    evidence: list[str]
    reasons: list[str]
    decided: str | None = Field(description="Status of an active staff decision on this lever, if any.")


class SuggestionsOut(BaseModel):
    """Lever suggestions for one initiative."""

    initiative: str
    label: str
    suggestions: list[SuggestionOut]


class CorrectionIn(BaseModel):
    """A staff correction of an entity."""

    entity: str = Field(description="IRI of the entity to correct.", max_length=sizes.IRI_CHARS)
    kind: Literal["label", "type", "legal_form", "departement", "same_as"] = Field(
        description="label: new preferred label (the old one is kept as altLabel); type: a kind key "
        "(initiative, collectivite, organisation…); legal_form: a concept of the 'formes-juridiques' "
        "scheme (IRI or slug such as 'scic'); departement: a code (69, 2A, 974); same_as: IRI of the "
        "entity it is the same as (kept; this one is merged into it)."
    )
    value: str = Field(
        description="The new value (see kind).", min_length=1, max_length=sizes.CORRECTION_VALUE_CHARS
    )
    reason: str = Field(
        description="Why (shown in the history).", min_length=1, max_length=sizes.REASON_CHARS
    )


class CorrectionOut(StaffDecisionOut):
    """A correction as stored, with the values it replaced."""

    entity: str
    entity_label: str | None
    kind: str
    value: str
    value_label: str | None
    replaced: list[str] = Field(description="Extracted values declared wrong by this correction.")
    status: str = Field(description="'added' or 'confirmed' (the extraction already said it).")


RESOURCE_MEDIA_TYPES: tuple[str, ...] = (
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
)
"""What a linked-data page (/id, /def, /data) is served as: HTML for browsers, RDF by Accept."""


def resource_response(description: str) -> dict[str, Any]:
    """The OpenAPI 200 answer of a linked-data page, in every media type it is served as."""
    return {"content": {media: {} for media in RESOURCE_MEDIA_TYPES}, "description": description}
