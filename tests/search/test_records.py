"""records_from_store against the real graph store, with a document graph in the documented RDF shape."""

from __future__ import annotations

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from essgraph.core.settings import Settings
from essgraph.graph.store_factory import open_store
from essgraph.ontology.namespace import CONCEPT, EG
from essgraph.search.records import records_from_store


def _doc_graph(base: str) -> rdflib.Graph:
    g = rdflib.Graph()
    doc = URIRef(f"{base}doc/guide")
    sec = URIRef(f"{base}doc/guide/section/9")
    ent = URIRef(f"{base}initiative/scic-des-tests")
    lyon = URIRef(f"{base}collectivite/ville-test")
    g.add((doc, RDF.type, EG.Document))
    g.add((doc, DCTERMS.title, Literal("Guide de test", lang="fr")))
    g.add((doc, DCTERMS.issued, Literal("2020-05-01", datatype=XSD.date)))
    g.add((doc, EG.sourceFile, Literal("guide.txt")))
    g.add((sec, RDF.type, EG.Section))
    g.add((sec, RDF.type, EG.Fiche))
    g.add((sec, RDFS.label, Literal("Guide — fiche n°9 : Coopératives", lang="fr")))
    g.add((sec, DCTERMS.title, Literal("Coopératives", lang="fr")))
    g.add((sec, EG.sectionNumber, Literal(9)))
    g.add((sec, EG.sectionKind, CONCEPT["types-de-section/levier"]))
    g.add((sec, EG.inDocument, doc))
    g.add((sec, DCTERMS.subject, CONCEPT["leviers/entree-au-capital"]))
    for n, text in enumerate(["La commune entre au capital de la SCIC.", "Un autre passage."]):
        p = URIRef(f"{base}doc/guide/passage/{n}")
        g.add((p, RDF.type, EG.Passage))
        g.add((p, EG.text, Literal(text)))
        g.add((p, EG.startLine, Literal(10 + n * 5)))
        g.add((p, EG.endLine, Literal(12 + n * 5)))
        g.add((p, EG.charStart, Literal(100 * n)))
        g.add((p, EG.charEnd, Literal(100 * n + len(text))))
        g.add((p, EG.order, Literal(n)))
        g.add((p, EG.inSection, sec))
        g.add((p, EG.inDocument, doc))
    p0 = URIRef(f"{base}doc/guide/passage/0")
    g.add((p0, EG.mentions, ent))
    g.add((p0, EG.mentions, lyon))
    g.add((p0, DCTERMS.subject, CONCEPT["formes-juridiques/scic"]))
    g.add((ent, RDF.type, EG.Initiative))
    g.add((ent, RDFS.label, Literal("SCIC des Tests", lang="fr")))
    g.add((ent, SKOS.altLabel, Literal("SdT", lang="fr")))
    g.add((ent, EG.legalForm, CONCEPT["formes-juridiques/scic"]))
    g.add((lyon, RDF.type, EG.Collectivite))
    g.add((lyon, RDFS.label, Literal("Ville Test", lang="fr")))
    g.add((lyon, EG.collectiviteLevel, CONCEPT["niveaux-collectivite/commune"]))
    g.add((lyon, EG.departementCode, Literal("69")))
    return g


def test_records_follow_the_rdf_shape(store_settings: Settings) -> None:
    base = store_settings.base_iri
    with open_store(store_settings) as store:
        store.replace_graph(f"{base}graph/doc/guide", _doc_graph(base))
        records = records_from_store(store, "guide")
        assert records_from_store(store, "absent") == []
        assert len(records_from_store(store)) == 2
    first, second = records
    assert (first.doc_id, first.document, first.index, first.start_line, first.end_line) == (
        "guide",
        "guide.txt",
        0,
        10,
        12,
    )
    assert first.char_end == len(first.text)
    assert first.section.number == 9 and first.section.kind == "levier"
    assert first.section.label.startswith("Guide — fiche n°9")
    assert "Guide de test" in first.context and "fiche n°9" in first.context
    assert {e.label for e in first.entities} == {"SCIC des Tests", "Ville Test"}
    assert {e.type for e in first.entities} == {"Initiative", "Collectivite"}
    assert any("SdT" in e.alt_labels for e in first.entities)
    assert str(CONCEPT["formes-juridiques/scic"]) in first.concepts
    assert str(CONCEPT["leviers/entree-au-capital"]) in first.section_concepts
    facets = first.facets
    assert facets["legal_form"] == ["scic"] and facets["collectivite_level"] == ["commune"]
    assert facets["departement"] == ["69"] and facets["region"] == ["auvergne-rhone-alpes"]
    assert facets["year"] == ["2020"] and facets["lever"] == ["entree-au-capital"]
    assert second.entities == [] and second.facets["lever"] == ["entree-au-capital"]


def test_rebuild_from_store_indexes_the_graph(settings: Settings) -> None:
    """The one rebuild from the graph (reindex, import, stale index) indexes every passage of the store;
    without a store it is refused."""
    import pytest

    from essgraph.core.errors import ConfigError
    from essgraph.search.engine import SearchEngine

    base = settings.base_iri
    with pytest.raises(ConfigError):
        SearchEngine(settings).rebuild_from_store()
    with open_store(settings) as store:
        store.replace_graph(f"{base}graph/doc/guide", _doc_graph(base))
        engine = SearchEngine.open(settings, store)
        try:
            engine.rebuild_from_store()
            assert engine.doc_ids() == ["guide"] and len(engine.records) == 2
            assert engine.search("capital de la SCIC", 1).hits[0].record.iri == f"{base}doc/guide/passage/0"
        finally:
            engine.close()
