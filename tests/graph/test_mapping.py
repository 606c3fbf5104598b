"""Tests of document_graph: structure, labels, provenance reification and relation nodes."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from essgraph.core.model import Entity, Extraction, ParsedDocument, Passage, Relation, Section
from essgraph.graph.mapping import document_graph
from essgraph.ontology.namespace import CONCEPT, EG, INSEE_DEP

BASE = "https://example.org/id/"


def _doc() -> ParsedDocument:
    source = "Fiche un\n\nTexte (voir fiche n°2).\n\nFiche deux\n\nAutre texte."
    return ParsedDocument(
        doc_id="essai",
        path="essai.txt",
        file_name="essai.txt",
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        media_type="text/plain",
        title="Essai",
        source=source,
        sections=[
            Section(
                index=0,
                title="Un titre",
                kind="levier",
                start_line=1,
                end_line=3,
                number=1,
                series="Kit MunicipalESS",
                label="Kit MunicipalESS — fiche n°1 : Un titre",
            ),
            Section(
                index=1,
                title="Deux",
                kind="thematique",
                start_line=5,
                end_line=7,
                number=2,
                series="Kit MunicipalESS",
                label="Kit MunicipalESS — fiche n°2 : Deux",
            ),
        ],
        passages=[
            Passage(
                index=0,
                text="Texte (voir fiche n°2).",
                start_line=3,
                end_line=3,
                char_start=10,
                char_end=33,
                section=0,
            ),
            Passage(
                index=1, text="Autre texte.", start_line=7, end_line=7, char_start=47, char_end=59, section=1
            ),
        ],
    )


def _extraction() -> Extraction:
    ex = Extraction()
    ex.entities["collectivite/fleurville"] = Entity(
        key="collectivite/fleurville",
        type="Collectivite",
        label="Ville de Fleurville",
        alt_labels={"Fleurville"},
        attributes={"level": ["commune"], "departement": ["77"]},
        passages={0},
    )
    ex.entities["initiative/recyclo"] = Entity(
        key="initiative/recyclo",
        type="Initiative",
        label="SCIC Recyclo",
        attributes={"legalForm": ["scic"]},
        passages={0},
    )
    ex.relations.append(
        Relation(
            kind="supports",
            subject="collectivite/fleurville",
            object="initiative/recyclo",
            passage=0,
            confidence=0.7,
        )
    )
    ex.relations.append(
        Relation(
            kind="CapitalParticipation",
            subject="collectivite/fleurville",
            object="initiative/recyclo",
            passage=0,
            confidence=0.8,
            qualifiers={"amount": "50000", "sharePercent": "30"},
        )
    )
    ex.section_links.append((0, "refersToFiche", 2))
    ex.passage_concepts[0] = {str(CONCEPT["leviers/entree-au-capital"])}
    return ex


def test_structure_labels_and_links() -> None:
    g = document_graph(_doc(), _extraction(), BASE)
    doc = URIRef(BASE + "doc/essai")
    sec0, sec1 = URIRef(BASE + "doc/essai/section/0"), URIRef(BASE + "doc/essai/section/1")
    p0 = URIRef(BASE + "doc/essai/passage/0")
    assert (doc, EG.hasSection, sec0) in g
    assert (sec0, RDF.type, EG.Fiche) in g
    assert (sec0, EG.sectionNumber, Literal(1)) in g
    assert (sec0, EG.sectionKind, CONCEPT["types-de-section/levier"]) in g
    assert (sec0, SKOS.altLabel, Literal("Fiche n°1", lang="fr")) in g
    assert (sec0, EG.refersToFiche, sec1) in g
    assert (p0, EG.inSection, sec0) in g
    ville = URIRef(BASE + "collectivite/fleurville")
    assert (p0, EG.mentions, ville) in g
    assert (ville, RDFS.label, Literal("Ville de Fleurville", lang="fr")) in g
    assert (ville, SKOS.altLabel, Literal("Fleurville", lang="fr")) in g
    assert (ville, EG.collectiviteLevel, CONCEPT["niveaux-collectivite/commune"]) in g
    assert (ville, EG.inDepartement, INSEE_DEP["77"]) in g
    assert (p0, URIRef("http://purl.org/dc/terms/subject"), CONCEPT["leviers/entree-au-capital"]) in g


def test_every_simple_statement_is_reified_with_provenance() -> None:
    g = document_graph(_doc(), _extraction(), BASE)
    ville, scic = URIRef(BASE + "collectivite/fleurville"), URIRef(BASE + "initiative/recyclo")
    statements = [st for st in g.subjects(RDF.subject, ville) if (st, RDF.predicate, EG.supports) in g]
    assert len(statements) == 1
    st = statements[0]
    assert (st, RDF.object, scic) in g
    assert (st, PROV.wasDerivedFrom, URIRef(BASE + "doc/essai/passage/0")) in g
    assert g.value(st, EG.confidence) is not None


def test_relation_node_carries_numbers_and_provenance() -> None:
    g = document_graph(_doc(), _extraction(), BASE)
    [node] = list(g.subjects(RDF.type, EG.CapitalParticipation))
    assert g.value(node, EG.holder) == URIRef(BASE + "collectivite/fleurville")
    assert g.value(node, EG.company) == URIRef(BASE + "initiative/recyclo")
    assert str(g.value(node, EG.amount)) == "50000"
    assert str(g.value(node, EG.sharePercent)) == "30"
    assert g.value(node, PROV.wasDerivedFrom) == URIRef(BASE + "doc/essai/passage/0")
    assert len(set(g.predicate_objects(node))) <= 12


def test_graph_loads_in_oxigraph() -> None:
    g = document_graph(_doc(), _extraction(), BASE)
    store = ox.Store()
    store.load(
        g.serialize(format="nt").encode(),
        ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(BASE + "graph/doc/essai"),
    )
    assert len(store) == len(g)


def test_fundings_paid_under_one_agreement_meet_at_its_node() -> None:
    """Two fundings paid under the same named agreement point at one eg:Agreement node, labelled with the
    name and its acronym (eg:underAgreement); a funding naming none has no such link."""
    ex = _extraction()
    name = "convention pluriannuelle d'objectifs 2023-2025"
    quals = {"agreement": name, "agreementAcronym": "CPO 2023-2025"}
    for year in ("2023", "2024"):
        ex.relations.append(
            Relation(
                kind="Funding",
                subject="collectivite/fleurville",
                object="initiative/recyclo",
                passage=0,
                confidence=0.75,
                qualifiers={**quals, "year": year},
            )
        )
    ex.relations.append(
        Relation(
            kind="Funding",
            subject="collectivite/fleurville",
            object="initiative/recyclo",
            passage=1,
            confidence=0.75,
            qualifiers={"year": "2020"},
        )
    )
    g = document_graph(_doc(), ex, BASE)
    fundings = list(g.subjects(RDF.type, EG.Funding))
    assert len(fundings) == 3
    agreements = {g.value(f, EG.underAgreement) for f in fundings} - {None}
    assert len(agreements) == 1
    [agreement] = agreements
    assert (agreement, RDF.type, EG.Agreement) in g
    assert str(g.value(agreement, RDFS.label)) == "Convention pluriannuelle d'objectifs 2023-2025"
    assert str(g.value(agreement, SKOS.altLabel)) == "CPO 2023-2025"
    assert g.value(agreement, PROV.wasDerivedFrom) == URIRef(BASE + "doc/essai/passage/0")
