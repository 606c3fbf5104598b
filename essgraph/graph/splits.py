"""Entity splits in the document graphs: the triples that move to a new IRI, one update doing it, its undo.

A split gives part of what the extraction said about one IRI to a new IRI: the statements and mentions
whose evidence passages the staff chose. In one document graph that is a substitution old → new of
these triples (`split_changes`); the new IRI being fresh, the undo is the substitution new → old of
every triple that names it (`undo_changes`), which restores the graph exactly. Active splits are kept
in the curated graph (eg:EntitySplit) and replayed on a document's new graph at re-ingest
(`replay_splits`), the way curated statements outlive re-ingest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import rdflib
from rdflib import BNode, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF
from rdflib.term import Identifier

from essgraph.graph.bindings import Triple, checked_iri, graph_data_update
from essgraph.graph.queries import splits as q
from essgraph.graph.store import GraphStore
from essgraph.ontology.namespace import EG

GraphChange = tuple[str, list[Triple], list[Triple]]
"""(named graph IRI, triples removed, triples added)."""


@dataclass(frozen=True, slots=True)
class SplitPlan:
    """What a split moves: from the IRI `old` to the fresh IRI `new`, what the `passages` state."""

    old: URIRef
    new: URIRef
    passages: frozenset[URIRef]


def _swap(triple: Triple, old: Identifier, new: Identifier) -> Triple:
    s, p, o = triple
    return (new if s == old else s, new if p == old else p, new if o == old else o)  # type: ignore[return-value]


def _has_blank(triple: Triple) -> bool:
    return any(isinstance(term, BNode) for term in triple)


def split_changes(graph: rdflib.Graph, plan: SplitPlan) -> tuple[list[Triple], list[Triple]]:
    """(removed, added) triples of one document graph for `plan`.

    Moved: the chosen passages' eg:mentions / dcterms:subject of the old IRI and its prov:wasDerivedFrom
    them; the triples linking the old IRI to a reified statement or relation node (both carry
    eg:confidence) every evidence passage of which is chosen, and the statement such a reification
    asserts. A statement also asserted by a reification with a passage not chosen stays on the old
    IRI and is copied to the new.
    """
    old, chosen = plan.old, plan.passages
    moved: set[Triple] = set()
    copied: set[Triple] = set()
    for passage in chosen:
        for predicate in (EG.mentions, DCTERMS.subject):
            if (passage, predicate, old) in graph:
                moved.add((passage, predicate, old))
        if (old, PROV.wasDerivedFrom, passage) in graph:
            moved.add((old, PROV.wasDerivedFrom, passage))
    asserted_by: dict[Triple, list[bool]] = {}
    for node in set(graph.subjects(PROV.wasDerivedFrom, None)):
        if node == old or not isinstance(node, URIRef) or (node, EG.confidence, None) not in graph:
            continue  # only extracted statements and relation nodes carry eg:confidence, not entities
        inside = set(graph.objects(node, PROV.wasDerivedFrom)) <= chosen
        if (node, RDF.type, RDF.Statement) in graph:
            s, p, o = (graph.value(node, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            if old in (s, o) and s is not None and p is not None and o is not None:
                asserted_by.setdefault((s, p, o), []).append(inside)  # type: ignore[arg-type]
        if inside:
            moved.update((node, p, old) for p in graph.predicates(node, old))  # type: ignore[misc]
            moved.update((old, p, node) for p in graph.predicates(old, node))  # type: ignore[misc]
    for statement, flags in asserted_by.items():
        if statement not in graph or not any(flags):
            continue
        (moved if all(flags) else copied).add(statement)
    moved = {t for t in moved if not _has_blank(t)}
    copied = {t for t in copied if not _has_blank(t)}
    removed = sorted(moved)
    added = sorted({_swap(t, old, plan.new) for t in moved | copied})
    return removed, added


def undo_changes(graph: rdflib.Graph, old: URIRef, new: URIRef) -> tuple[list[Triple], list[Triple]]:
    """(removed, added) triples of one graph undoing a split: every triple naming `new` renamed `old`."""
    naming: set[Triple] = set()
    for s, p, o in graph:
        triple: Triple = (s, p, o)  # type: ignore[assignment]
        if new in triple and not _has_blank(triple):
            naming.add(triple)
    removed = sorted(naming)
    return removed, sorted({_swap(t, new, old) for t in removed})


def apply_changes(graph: rdflib.Graph, removed: Iterable[Triple], added: Iterable[Triple]) -> None:
    """Apply (removed, added) to an in-memory graph."""
    for triple in removed:
        graph.remove(triple)
    for triple in added:
        graph.add(triple)


def dataset_update(changes: Sequence[GraphChange]) -> str:
    """One update request (one transaction) applying the changes of several named graphs."""
    return " ;\n".join(text for g, rm, add in changes if (text := graph_data_update(g, rm, add)))


def involved_passages(store: GraphStore, entity: str, curated: str) -> list[tuple[str, str]]:
    """(passage IRI, document graph IRI) of every passage in which `entity` is involved (see
    queries.splits.INVOLVED_PASSAGES), in IRI order."""
    rows = store.select(q.INVOLVED_PASSAGES, {"node": checked_iri(entity), "curated": URIRef(curated)})
    return [(r["src"], r["g"]) for r in rows]


def graphs_using(store: GraphStore, entity: str, curated: str) -> list[str]:
    """The named graphs, other than `curated`, naming `entity` as a subject or object."""
    rows = store.select(q.GRAPHS_USING, {"node": checked_iri(entity), "curated": URIRef(curated)})
    return sorted(r["g"] for r in rows)


def active_splits(store: GraphStore, curated: str) -> list[SplitPlan]:
    """The active splits recorded in `curated`, oldest first (the order they are replayed in)."""
    plans: dict[str, tuple[str, str, set[URIRef]]] = {}
    for row in store.select(q.ACTIVE_SPLITS, {"curated": URIRef(curated)}):
        entry = plans.setdefault(row["rec"], (row["old"], row["new"], set()))
        entry[2].add(URIRef(row["src"]))
    return [SplitPlan(URIRef(old), URIRef(new), frozenset(ps)) for old, new, ps in plans.values()]


def replay_splits(store: GraphStore, graph: rdflib.Graph, curated: str) -> int:
    """Apply the active splits of `curated` to a document's freshly extracted `graph` (in place, before
    it is stored); returns the number of triples moved or copied."""
    changed = 0
    for plan in active_splits(store, curated):
        removed, added = split_changes(graph, plan)
        apply_changes(graph, removed, added)
        changed += len(added)
    return changed
