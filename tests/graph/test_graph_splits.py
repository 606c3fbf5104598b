"""Entity splits in the document graphs: what moves, what is copied, the exact undo, the replay."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from essgraph.core.settings import Settings
from essgraph.graph.bindings import Triple
from essgraph.graph.splits import (
    SplitPlan,
    active_splits,
    apply_changes,
    dataset_update,
    graphs_using,
    involved_passages,
    replay_splits,
    split_changes,
    undo_changes,
)
from essgraph.graph.store_factory import open_store
from essgraph.ontology.namespace import EG

B = "https://example.org/id/"
DOC = f"{B}graph/doc/d1"
CURATED = f"{B}graph/curated"
OLD = URIRef(f"{B}collectivite/val-fleuri")
NEW = URIRef(f"{B}organisation/val-fleuri")
OTHER = URIRef(f"{B}person/a-b")
P1, P2, P3 = (URIRef(f"{B}doc/d1/passage/{n}") for n in (1, 2, 3))


def _statement(g: rdflib.Graph, name: str, s: URIRef, p: URIRef, o: URIRef, *sources: URIRef) -> None:
    st = URIRef(f"{B}statement/d1/{name}")
    g.add((s, p, o))
    for triple in ((st, RDF.type, RDF.Statement), (st, RDF.subject, s), (st, RDF.predicate, p)):
        g.add(triple)
    g.add((st, RDF.object, o))
    g.add((st, EG.confidence, Literal(0.8)))
    for source in sources:
        g.add((st, PROV.wasDerivedFrom, source))


def _document() -> rdflib.Graph:
    """A document graph where one IRI stands for a commune (passage 1) and an association (2, 3)."""
    g = rdflib.Graph()
    g.add((OLD, RDF.type, EG.Collectivite))
    g.add((OLD, RDFS.label, Literal("Val Fleuri", lang="fr")))
    for passage in (P1, P2, P3):
        g.add((passage, RDF.type, EG.Passage))
        g.add((passage, EG.mentions, OLD))
    g.add((OLD, PROV.wasDerivedFrom, P1))
    g.add((OLD, PROV.wasDerivedFrom, P2))
    _statement(g, "s1", OLD, EG.inDepartement, URIRef("http://id.insee.fr/geo/departement/69"), P1)
    _statement(g, "s2", OTHER, EG.memberOf, OLD, P2)  # only passage 2: moves
    _statement(g, "s3", OLD, EG.partnerOf, OTHER, P2, P1)  # passages 1 and 2: stays
    funding = URIRef(f"{B}funding/f1")
    g.add((funding, RDF.type, EG.Funding))
    g.add((funding, EG.funder, OLD))
    g.add((funding, PROV.wasDerivedFrom, P3))
    g.add((funding, EG.confidence, Literal(0.7)))
    # an entity the split one is linked to: its statements' evidence does not make it move
    g.add((OLD, EG.partnerOf, URIRef(f"{B}organisation/voisine")))
    return g


PLAN = SplitPlan(OLD, NEW, frozenset({P2, P3}))


def test_the_chosen_passages_statements_move_and_shared_ones_stay() -> None:
    g = _document()
    removed, added = split_changes(g, PLAN)
    apply_changes(g, removed, added)
    assert (P2, EG.mentions, NEW) in g and (P3, EG.mentions, NEW) in g
    assert (P1, EG.mentions, OLD) in g and (P2, EG.mentions, OLD) not in g
    assert (OLD, PROV.wasDerivedFrom, P1) in g and (NEW, PROV.wasDerivedFrom, P2) in g
    st2 = URIRef(f"{B}statement/d1/s2")
    assert (OTHER, EG.memberOf, NEW) in g and (OTHER, EG.memberOf, OLD) not in g
    assert (st2, RDF.object, NEW) in g
    assert (OLD, EG.partnerOf, OTHER) in g and (NEW, EG.partnerOf, OTHER) not in g  # also in P1
    assert (URIRef(f"{B}funding/f1"), EG.funder, NEW) in g
    assert (OLD, EG.partnerOf, URIRef(f"{B}organisation/voisine")) in g
    assert (OLD, EG.inDepartement, URIRef("http://id.insee.fr/geo/departement/69")) in g
    assert (OLD, RDF.type, EG.Collectivite) in g and (NEW, RDF.type, None) not in g


def test_a_statement_reified_twice_is_copied_not_moved() -> None:
    g = _document()
    _statement(g, "s4", OLD, EG.partnerOf, OTHER, P3)  # s3 (passages 1, 2) states it too
    removed, added = split_changes(g, PLAN)
    assert (OLD, EG.partnerOf, OTHER) not in removed and (NEW, EG.partnerOf, OTHER) in added
    before = set(g)
    apply_changes(g, removed, added)
    apply_changes(g, *undo_changes(g, OLD, NEW))
    assert set(g) == before


def test_split_and_undo_in_a_real_store_restore_the_dataset_exactly(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", base_iri=B)  # type: ignore[call-arg]
    with open_store(settings) as store:
        store.replace_graph(DOC, _document())
        before = sorted(store.dump("nquads").decode().splitlines())
        involved = involved_passages(store, str(OLD), CURATED)
        assert {p for p, _ in involved} == {str(P1), str(P2), str(P3)} and {g for _, g in involved} == {DOC}

        record = URIRef(f"{B}curation/x1")
        curated_add: list[Triple] = [(record, RDF.type, EG.EntitySplit), (record, PROV.used, OLD)]
        curated_add += [(record, PROV.generated, NEW), (record, EG.movedPassage, P2)]
        curated_add += [(record, EG.movedPassage, P3)]
        curated_add += [(record, PROV.startedAtTime, Literal("2026-01-01T00:00:00Z", datatype=XSD.dateTime))]
        removed, added = split_changes(store.to_rdflib(DOC), PLAN)
        store.update(dataset_update([(DOC, removed, added), (CURATED, [], curated_add)]))
        assert graphs_using(store, str(NEW), CURATED) == [DOC]
        assert active_splits(store, CURATED) == [PLAN]

        # a re-ingest writes the extraction again: the active split is replayed on it
        fresh = _document()
        assert replay_splits(store, fresh, CURATED) == len(added)
        assert set(fresh) == set(store.to_rdflib(DOC))

        undo = undo_changes(store.to_rdflib(DOC), OLD, NEW)
        store.update(dataset_update([(DOC, *undo), (CURATED, curated_add, [])]))
        assert sorted(store.dump("nquads").decode().splitlines()) == before
        assert not active_splits(store, CURATED) and not graphs_using(store, str(NEW), CURATED)


def test_nothing_chosen_moves_nothing() -> None:
    assert split_changes(_document(), SplitPlan(OLD, NEW, frozenset({URIRef(f"{B}doc/d9/passage/1")}))) == (
        [],
        [],
    )
