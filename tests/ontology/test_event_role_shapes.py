"""SHACL shapes of an event's roles (eg:hostedBy, eg:venue, eg:speaker): right types conform, others fail."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from essgraph.ontology.namespace import EG
from essgraph.ontology.validate import validate_graph

BASE = "https://w3id.org/essgraph/id/"
EVENT = URIRef(BASE + "event/forum-2024")
HOST = URIRef(BASE + "collectivite/ville-de-vierzon")
VENUE = URIRef(BASE + "place/salle-des-fetes-de-vierzon")
SPEAKER = URIRef(BASE + "person/marie-durand")
DOC = URIRef(BASE + "doc/rapport")


def _event_graph() -> Graph:
    g = Graph()
    for node, cls, label in (
        (EVENT, EG.Event, "Forum « Coopérer » 2024"),
        (HOST, EG.Collectivite, "Ville de Vierzon"),
        (VENUE, EG.Place, "Salle des fêtes de Vierzon"),
        (SPEAKER, EG.Person, "Marie Durand"),
    ):
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label, lang="fr")))
    g.add((EVENT, EG.hostedBy, HOST))
    g.add((EVENT, EG.venue, VENUE))
    g.add((EVENT, EG.speaker, SPEAKER))
    return g


def test_an_event_with_its_host_venue_and_speaker_conforms() -> None:
    report = validate_graph(_event_graph())
    assert report.conforms, report.text


def test_roles_pointing_to_a_document_violate_their_shapes() -> None:
    g = _event_graph()
    g.add((DOC, RDF.type, EG.Document))
    for prop in (EG.hostedBy, EG.venue, EG.speaker):
        g.set((EVENT, prop, DOC))
    report = validate_graph(g)
    assert not report.conforms
    text = report.text
    assert "eg:hostedBy" in text and "eg:venue" in text and "eg:speaker" in text, text
