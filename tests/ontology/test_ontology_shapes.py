"""SHACL shapes: they parse, the ontology conforms, tiny conforming and violating graphs behave."""

from __future__ import annotations

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS, XSD

from essgraph.ontology.namespace import CONCEPT, EG, INSEE_DEP, SCHEME_LEVIERS
from essgraph.ontology.validate import load_shapes_graph, validate_graph, validate_ontology

BASE = "https://w3id.org/essgraph/id/"
DOC = URIRef(BASE + "doc/kit")
PASSAGE = URIRef(BASE + "doc/kit/passage/1")
LYON = URIRef(BASE + "collectivite/metropole-de-lyon")
ILOE = URIRef(BASE + "initiative/scic-iloe")
SHARE = URIRef(BASE + "capital/1")


def _conforming() -> Graph:
    g = Graph()
    doc, sec, passage = DOC, URIRef(BASE + "doc/kit/section/9"), PASSAGE
    col, ini = LYON, ILOE
    g.add((doc, RDF.type, EG.Document))
    g.add((doc, DCTERMS.title, Literal("Kit MunicipalESS")))
    g.add((doc, EG.sha256, Literal("a" * 64)))
    g.add((doc, EG.hasSection, sec))
    g.add((sec, RDF.type, EG.Fiche))
    g.add((sec, RDFS.label, Literal("Kit MunicipalESS — fiche n°9 : SCIC", lang="fr")))
    g.add((sec, EG.inDocument, doc))
    g.add((sec, EG.sectionNumber, Literal(9)))
    g.add((sec, EG.sectionKind, CONCEPT["types-de-section/levier"]))
    g.add((sec, EG.startLine, Literal(10)))
    g.add((sec, EG.endLine, Literal(80)))
    g.add((passage, RDF.type, EG.Passage))
    g.add((passage, EG.text, Literal("La SCIC associe…")))
    g.add((passage, EG.startLine, Literal(12)))
    g.add((passage, EG.endLine, Literal(14)))
    g.add((passage, EG.charStart, Literal(100)))
    g.add((passage, EG.charEnd, Literal(180)))
    g.add((passage, EG.inDocument, doc))
    g.add((passage, EG.inSection, sec))
    g.add((col, RDF.type, EG.Collectivite))
    g.add((col, RDFS.label, Literal("Métropole de Lyon", lang="fr")))
    g.add((col, EG.collectiviteLevel, CONCEPT["niveaux-collectivite/metropole"]))
    g.add((col, EG.inDepartement, INSEE_DEP["69"]))
    g.add((ini, RDF.type, EG.Initiative))
    g.add((ini, RDFS.label, Literal("SCIC Iloe", lang="fr")))
    g.add((ini, EG.legalForm, CONCEPT["formes-juridiques/scic"]))
    share = SHARE
    g.add((share, RDF.type, EG.CapitalParticipation))
    g.add((share, EG.holder, col))
    g.add((share, EG.company, ini))
    g.add((share, EG.amount, Literal(100000)))
    g.add((share, EG.sharePercent, Literal(48)))
    g.add((share, PROV.wasDerivedFrom, passage))
    g.add((share, EG.confidence, Literal("0.9", datatype=XSD.decimal)))
    statement = BNode()
    g.add((statement, RDF.type, RDF.Statement))
    g.add((statement, RDF.subject, ini))
    g.add((statement, RDF.predicate, EG.legalForm))
    g.add((statement, RDF.object, CONCEPT["formes-juridiques/scic"]))
    g.add((statement, PROV.wasDerivedFrom, passage))
    g.add((statement, EG.confidence, Literal("0.8", datatype=XSD.decimal)))
    g.add((statement, EG.extractedBy, Literal("rule:legal-form")))
    return g


def test_shapes_parse_and_target_the_main_classes() -> None:
    shapes = load_shapes_graph()
    targets = set(shapes.objects(None, SH.targetClass))
    assert {EG.Document, EG.Section, EG.Passage, EG.Initiative, EG.Collectivite, EG.Funding} <= targets
    assert {EG.CapitalParticipation, EG.Event, SKOS.Concept} <= targets


def test_the_ontology_and_thesaurus_conform() -> None:
    report = validate_ontology()
    assert report.conforms, report.text


def test_conforming_graph() -> None:
    data = _conforming()
    before = len(data)
    report = validate_graph(data)
    assert report.conforms, report.text
    assert report.text.startswith("Conforme")
    assert len(data) == before  # the mixed-in ontology was removed again


def test_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    dataset = Dataset()
    graph = dataset.graph(URIRef(BASE + "graph/doc/kit"))
    for triple in _conforming():
        graph.add(triple)
    report = validate_graph(dataset)
    assert report.conforms, report.text
    assert report.triples == len(_conforming())


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda g: g.set((PASSAGE, EG.startLine, Literal(20))), "eg:endLine"),
        (lambda g: g.add((PASSAGE, EG.text, Literal("bis"))), "exactement un texte"),
        (lambda g: g.set((PASSAGE, EG.endLine, Literal("14"))), "ligne de fin"),
        (lambda g: g.remove((ILOE, RDFS.label, None)), "libellé"),
        (
            lambda g: g.set((LYON, EG.collectiviteLevel, CONCEPT["leviers/dsp"])),
            "niveaux-collectivite",
        ),
        (lambda g: g.remove((SHARE, EG.company, None)), "eg:company"),
        (lambda g: g.set((SHARE, EG.confidence, Literal(1.5))), "entre 0 et 1"),
        (
            lambda g: g.set((LYON, EG.inDepartement, INSEE_DEP["99"])),
            "département INSEE",
        ),
    ],
)
def test_violating_graphs(mutate: object, expected: str) -> None:
    data = _conforming()
    mutate(data)  # type: ignore[operator]
    report = validate_graph(data)
    assert not report.conforms
    assert report.violations
    assert expected in report.text, report.text
    assert report.text.startswith("Non conforme")


def test_funding_and_event_and_concept_rules() -> None:
    g = Graph()
    funding, event, concept = URIRef(BASE + "funding/1"), URIRef(BASE + "event/1"), URIRef(BASE + "x/c")
    g.add((funding, RDF.type, EG.Funding))
    g.add((funding, EG.funder, URIRef(BASE + "collectivite/x")))
    g.add((event, RDF.type, EG.Event))
    g.add((event, RDFS.label, Literal("Rencontre", lang="fr")))
    g.add((event, EG.eventStatus, CONCEPT["leviers/dsp"]))
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.prefLabel, Literal("un", lang="fr")))
    g.add((concept, SKOS.prefLabel, Literal("deux", lang="fr")))
    g.add((concept, SKOS.inScheme, SCHEME_LEVIERS))
    report = validate_graph(g)
    messages = {(v.shape, v.message) for v in report.violations}
    text = report.text
    assert any("bénéficiaire" in m for _, m in messages), text
    assert any("statuts-evenement" in m for _, m in messages), text
    assert any("prefLabel en français" in m for _, m in messages), text
    assert any("définition" in m for _, m in messages), text
    assert any("prov:wasDerivedFrom" in w.message for w in report.warnings), text
