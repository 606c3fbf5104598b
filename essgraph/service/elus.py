"""Views for élus built from the graph queries: answer card, similar collectivités, map by département."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from essgraph.core.errors import NotFound
from essgraph.graph.answers import AnswerCard, Figure, answer_card
from essgraph.graph.territories import Profile, departement_counts, departement_entities, similar
from essgraph.ontology.namespace import CONCEPT_IRI
from essgraph.service.state import ServiceState
from essgraph.service.views import PassageRef

ANSWER_SCHEMES = ("leviers", "formes-juridiques")
"""Concept schemes whose concepts get an answer card: levers, and kinds of initiative (legal forms)."""
MAX_CARD_TRIES = 3
CARD_CACHE_SIZE = 256

_cache_lock = threading.Lock()
_cache: dict[str, tuple[object, AnswerCard | None]] = {}


def answer_concepts(understood: dict[str, str]) -> list[str]:
    """The understood IRIs that are levers or kinds of initiative, in the engine's order (named in the
    question first, then found by meaning)."""
    prefixes = tuple(f"{CONCEPT_IRI}{scheme}/" for scheme in ANSWER_SCHEMES)
    return [iri for iri in understood if iri.startswith(prefixes)]


def _card(state: ServiceState, concept: str) -> AnswerCard | None:
    """The card of `concept`, cached until the next index snapshot (an ingest publishes a new one)."""
    snapshot = state.engine.snapshot
    with _cache_lock:
        cached = _cache.get(concept)
    if cached is not None and cached[0] is snapshot:
        return cached[1]
    card = answer_card(state.store, concept)
    with _cache_lock:
        if len(_cache) >= CARD_CACHE_SIZE:
            _cache.clear()
        _cache[concept] = (snapshot, card)
    return card


def search_answer(state: ServiceState, understood: dict[str, str]) -> dict[str, Any] | None:
    """The answer card (JSON) of the first understood lever or kind of initiative the graph says
    something about (a fiche, a law or a collectivité), None when there is none."""
    for concept in answer_concepts(understood)[:MAX_CARD_TRIES]:
        card = _card(state, concept)
        if card is not None and card.substantive:
            return card_json(state, card)
    return None


def warm_cards(state: ServiceState) -> int:
    """Build the card of every lever and kind of initiative now, so that the first question naming or
    implying one does not wait for its graph queries (most of a fresh question's time once its
    embedding is fast: docs/BENCHMARKS.md, "Answer cards built at start"). The service runs it on the
    writer thread at start; an ingest publishes a new snapshot, after which each card is built again on
    first use. Returns how many concepts were looked at."""
    concepts = [
        iri for scheme in ANSWER_SCHEMES for iri, *_rest in state.reader.concepts_in(CONCEPT_IRI + scheme)
    ]
    for concept in concepts[:CARD_CACHE_SIZE]:
        _card(state, concept)
    return len(concepts)


_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?")


def figure_text(figure: Figure) -> str:
    """A figure as an élu reads it: « 100 000 € », « 48 % du capital », « en 2011 », « 20 ans »."""
    value = figure.value
    if re.fullmatch(r"\d+(\.\d+)?", value):
        whole, _, decimals = value.partition(".")
        value = f"{int(whole):,}".replace(",", "\u202f") + ("," + decimals if decimals.strip("0") else "")
    if figure.kind == "montant":
        return f"{value} €"
    if figure.kind == "part":
        return f"{value} % du capital"
    if figure.kind == "annee":
        return f"en {figure.value}"
    if figure.kind == "duree":
        match = _DURATION.fullmatch(figure.value)
        if match and (match.group(1) or match.group(2)):
            years, months = match.group(1), match.group(2)
            parts = [
                f"{years} an{'s' if int(years) > 1 else ''}" if years else "",
                f"{months} mois" if months else "",
            ]
            return "pour " + " et ".join(p for p in parts if p)
        return figure.value
    return f"{value} {figure.unit}".strip()


def card_json(state: ServiceState, card: AnswerCard) -> dict[str, Any]:
    """The card as JSON: every line carries its passage (IRI, local URL, citation, lines)."""
    reader = state.reader
    wanted = [b.passage for b in card.legal] + [u.passage for u in card.users]
    if card.fiche and card.fiche.passage:
        wanted.append(card.fiche.passage)
    refs = reader.passages(wanted)

    def passage(iri: str | None) -> dict[str, Any] | None:
        if iri is None:
            return None
        ref = refs.get(iri)
        return {
            "iri": iri,
            "url": reader.path_for(iri),
            "citation": ref.citation if ref else iri,
            "document": ref.document if ref else None,
            "start_line": ref.start_line if ref else None,
            "end_line": ref.end_line if ref else None,
        }

    curated = reader.curated_view()
    labels = reader.labels([curated.canonical_of(u.collectivite) for u in card.users])
    scheme = card.scheme.rsplit("/", 1)[-1] if card.scheme else None
    return {
        "concept": card.concept,
        "label": card.label,
        "scheme": scheme,
        "kind": "levier" if scheme == "leviers" else "forme d'initiative",
        "definition": card.definition,
        "url": reader.path_for(card.concept),
        "legal": [
            {
                "law": basis.law,
                "label": basis.label,
                "url": reader.path_for(basis.law),
                "sentence": basis.sentence,
                "passage": passage(basis.passage),
            }
            for basis in card.legal[:3]
        ],
        "collectivites": [
            {
                "iri": curated.canonical_of(use.collectivite),
                "label": labels.get(curated.canonical_of(use.collectivite), use.label),
                "url": reader.path_for(curated.canonical_of(use.collectivite)),
                "level": use.level_label,
                "departement": use.departement,
                "partner": (
                    {"iri": use.partner, "label": use.partner_label, "url": reader.path_for(use.partner)}
                    if use.partner and use.partner_label
                    else None
                ),
                "figures": [
                    {"kind": f.kind, "value": f.value, "unit": f.unit, "text": figure_text(f)}
                    for f in use.figures
                ],
                "passage": passage(use.passage),
            }
            for use in card.users
        ],
        "fiche": (
            {
                "iri": card.fiche.section,
                "label": card.fiche.label,
                "url": reader.path_for(card.fiche.section),
                "passage": passage(card.fiche.passage),
            }
            if card.fiche
            else None
        ),
    }


# --- « Collectivités comme la mienne » ------------------------------------------------------------------


def _profile_json(state: ServiceState, profile: Profile, refs: dict[str, PassageRef]) -> dict[str, Any]:
    reader = state.reader
    return {
        "iri": profile.iri,
        "label": profile.label,
        "url": reader.path_for(profile.iri),
        "level": profile.level_label,
        "departement": profile.departement,
        "same_level": profile.same_level,
        "themes": sorted(profile.themes.values()),
        "shared_themes": profile.shared_themes,
        "actions": [
            {
                "verb": action.verb,
                "target": action.target,
                "label": action.target_label,
                "url": reader.path_for(action.target),
                "passage": {
                    "iri": action.passage,
                    "url": reader.path_for(action.passage),
                    "citation": refs[action.passage].citation if action.passage in refs else action.passage,
                },
            }
            for action in profile.actions
        ],
    }


def similar_json(state: ServiceState, collectivite: str) -> dict[str, Any]:
    """The chosen collectivité and those like it (same level, shared themes) with what they did, each
    action with its passage; raises NotFound when `collectivite` is not a collectivité of the graph."""
    me, peers = similar(state.store, collectivite)
    if me is None:
        raise NotFound(
            f"collectivité inconnue : {collectivite[:200]}", f"unknown collectivité: {collectivite[:200]}"
        )
    refs = state.reader.passages([a.passage for p in [me, *peers] for a in p.actions])
    return {
        "collectivite": _profile_json(state, me, refs),
        "similaires": [_profile_json(state, peer, refs) for peer in peers],
    }


# --- the map of départements ----------------------------------------------------------------------------


@functools.cache
def departement_shapes() -> dict[str, Any]:
    """The bundled département outlines (data/departements.json: viewBox and {code: nom, d, centre})."""
    text = (files("essgraph.service") / "data" / "departements.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def map_view(state: ServiceState, link: Callable[[str], str], selected: list[str]) -> dict[str, Any]:
    """The map as the template draws it: viewBox and, per département, its path, name, counts of
    initiatives and collectivités, the URL `link(code)` filters by, and whether it is selected."""
    shapes = departement_shapes()
    counts = departement_counts(state.store)
    items = []
    for code, shape in shapes["departements"].items():
        count = counts.get(code, {"initiatives": 0, "collectivites": 0})
        total = count["initiatives"] + count["collectivites"]
        items.append(
            {
                "code": code,
                "nom": shape["nom"],
                "d": shape["d"],
                "initiatives": count["initiatives"],
                "collectivites": count["collectivites"],
                "level": 0 if total == 0 else 1 if total == 1 else 2 if total <= 3 else 3,
                "url": link(code),
                "selected": code in selected,
            }
        )
    return {"viewBox": shapes["viewBox"], "departements": items}


def departement_view(state: ServiceState, code: str) -> dict[str, Any]:
    """A département's name and its initiatives and collectivités (label, kind, local URL)."""
    shapes = departement_shapes()["departements"]
    if code not in shapes:
        raise NotFound(f"département inconnu : {code[:10]}", f"unknown département: {code[:10]}")
    entities = departement_entities(state.store, code)
    return {
        "code": code,
        "nom": shapes[code]["nom"],
        "entities": [
            {"iri": iri, "kind": kind, "label": label, "url": state.reader.path_for(iri)}
            for iri, kind, label in entities
        ],
    }
