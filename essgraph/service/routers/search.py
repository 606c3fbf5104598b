"""GET /api/search: hybrid passage search with filters and facets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from essgraph.search.records import FACET_KEYS
from essgraph.service import sizes
from essgraph.service.deps import get_state
from essgraph.service.elus import search_answer, similar_json
from essgraph.service.repository import citation
from essgraph.service.schemas import ERROR_RESPONSES, SearchOut
from essgraph.service.state import ServiceState

router = APIRouter(tags=["recherche"])

FACET_LABELS_FR: dict[str, str] = {
    "document": "Document",
    "section_kind": "Type de section",
    "lever": "Levier",
    "theme": "Thématique",
    "legal_form": "Forme juridique",
    "collectivite_level": "Niveau de collectivité",
    "departement": "Département",
    "region": "Région",
    "year": "Année",
}


def facet_filters(
    document: Annotated[list[str] | None, Query(description="Fichier ou identifiant du document.")] = None,
    section_kind: Annotated[
        list[str] | None, Query(description="Type de section (levier, thematique…).")
    ] = None,
    lever: Annotated[list[str] | None, Query(description="Levier (slug du concept).")] = None,
    theme: Annotated[list[str] | None, Query(description="Thématique (slug du concept).")] = None,
    legal_form: Annotated[list[str] | None, Query(description="Forme juridique (slug du concept).")] = None,
    collectivite_level: Annotated[list[str] | None, Query(description="Niveau de collectivité.")] = None,
    departement: Annotated[list[str] | None, Query(description="Code du département (69, 2A…).")] = None,
    region: Annotated[list[str] | None, Query(description="Région.")] = None,
    year: Annotated[list[str] | None, Query(description="Année.")] = None,
) -> dict[str, list[str]]:
    """The facet filters given as query parameters (each may repeat); returns {key: values}."""
    given = {
        "document": document,
        "section_kind": section_kind,
        "lever": lever,
        "theme": theme,
        "legal_form": legal_form,
        "collectivite_level": collectivite_level,
        "departement": departement,
        "region": region,
        "year": year,
    }
    assert set(given) == set(FACET_KEYS), "facet parameters out of sync with search.records.FACET_KEYS"
    return {key: [v for v in values if v] for key, values in given.items() if values and any(values)}


def run_search(
    state: ServiceState, q: str, k: int | None, filters: dict[str, list[str]], mode: str, offset: int = 0
) -> dict[str, Any]:
    """Search and decorate hits with their citation; returns the JSON-ready result, with the answer card
    of the lever or kind of initiative the question names or implies (`answer`, None when none)."""
    result = state.search(q, k, filters, mode, offset).to_dict()
    result["answer"] = search_answer(state, result.get("understood") or {})
    titles = state.reader.document_titles()
    for hit in result["hits"]:
        section = hit.get("section") or {}
        title = titles.get(hit["document"], hit["document"])
        page = hit.get("page")
        pages = (page, page) if page is not None else (section.get("first_page"), section.get("last_page"))
        hit["citation"] = citation(
            section.get("label"), title, hit.get("start_line"), hit.get("end_line"), pages
        )
    apply_corrections(state, result["hits"])
    return result


def apply_corrections(state: ServiceState, hits: list[dict[str, Any]]) -> None:
    """Show the hits' entities as the staff corrected them: a merged entity as the one it was merged
    into (once per hit), a corrected label instead of the extracted one (the index keeps the latter)."""
    curated = state.reader.curated_view()
    if not curated.labels and not curated.canonical:
        return
    for hit in hits:
        shown: list[dict[str, Any]] = []
        seen: set[str] = set()
        for entity in hit.get("entities") or []:
            kept = curated.canonical_of(entity["iri"])
            if kept in seen:
                continue
            seen.add(kept)
            if kept != entity["iri"] or kept in curated.labels:
                label = state.reader.labels([kept]).get(kept, entity["label"])
                entity = {**entity, "iri": kept, "label": label}
            shown.append(entity)
        hit["entities"] = shown


@router.get("/api/search", response_model=SearchOut, responses=ERROR_RESPONSES)
def search(
    state: Annotated[ServiceState, Depends(get_state)],
    filters: Annotated[dict[str, list[str]], Depends(facet_filters)],
    q: Annotated[str, Query(description="La question, en français.", min_length=1)],
    k: Annotated[int | None, Query(description="Nombre de résultats (défaut : réglage).", ge=1)] = None,
    mode: Annotated[str, Query(description="hybrid, bm25 ou dense.")] = "hybrid",
    offset: Annotated[
        int, Query(description="Rang du premier résultat renvoyé (pagination : « voir plus »).", ge=0)
    ] = 0,
) -> dict[str, Any]:
    """Passages answering `q`, best first from rank `offset`, with citation, highlight and entities, the
    number of matching passages (`total`) and facet counts; a question under the score floor gets no
    hit, a `reason` and thesaurus `suggestions`. When the question names or implies a lever or a kind of
    initiative, `answer` is its card from the graph (definition, legal basis, collectivités that used it
    with their figures, the fiche to read), every line with its passage. Bad parameters: 400 naming
    the parameter."""
    return run_search(state, q, k, filters, mode, offset)


@router.get("/api/collectivites", responses=ERROR_RESPONSES)
def collectivites(
    state: Annotated[ServiceState, Depends(get_state)],
    q: Annotated[
        str, Query(description="Partie du nom (recherche à la frappe).", max_length=sizes.TYPED_NAME_CHARS)
    ] = "",
    limit: Annotated[
        int, Query(description="Nombre de collectivités renvoyées.", ge=1, le=sizes.COLLECTIVITE_SUGGESTIONS)
    ] = 10,
) -> list[dict[str, Any]]:
    """Collectivités whose name contains `q` (accents and case ignored), names starting with it first:
    [{iri, label, path}], for « Collectivités comme la mienne »."""
    hits = state.reader.autocomplete(q, "collectivite", limit)
    return [{"iri": hit.iri, "label": hit.label, "path": hit.path} for hit in hits]


@router.get("/api/collectivites/similaires", responses=ERROR_RESPONSES)
def similar_collectivites(
    state: Annotated[ServiceState, Depends(get_state)],
    collectivite: Annotated[str, Query(description="IRI de la collectivité choisie.", min_length=1)],
) -> dict[str, Any]:
    """The chosen collectivité (`collectivite`: level, themes, what it did) and the collectivités like
    it (`similaires`: same level first, then the most shared themes), each action with its passage.
    Unknown collectivité: 404; an IRI that is not http(s): 400."""
    return similar_json(state, collectivite)
