"""The Turtle files parse, EG and essgraph.ttl agree both ways, malformed files fail on one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from essgraph.core.errors import BadInput, OntologyError
from essgraph.ontology.namespace import EG, EG_IRI, INSEE, INSEE_DEP
from essgraph.ontology.thesaurus import (
    ESSGRAPH_TTL,
    SHAPES_TTL,
    load_ontology_graph,
    ontology_files,
    parse_turtle,
)

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "essgraph" / "ontology"  # the source files


def _eg_terms() -> set[URIRef]:
    return {URIRef(EG_IRI + name) for name in EG.__annotations__}


@pytest.mark.parametrize("path", sorted(ONTOLOGY_DIR.rglob("*.ttl")), ids=lambda p: p.name)
def test_every_turtle_file_parses(path: Path) -> None:
    graph = parse_turtle(Graph(), path)
    assert len(graph) > 0


def test_ontology_files_lists_data_files_not_shapes() -> None:
    files = ontology_files()
    names = [p.name for p in files]
    assert names[:2] == ["essgraph.ttl", "geo.ttl"]
    assert SHAPES_TTL not in files
    assert {"leviers.ttl", "thematiques.ttl", "formes-juridiques.ttl", "organisations.ttl"} <= set(names)
    assert all(p.is_file() for p in files)


def test_every_eg_term_is_defined_with_labels_and_comment() -> None:
    graph = parse_turtle(Graph(), ESSGRAPH_TTL)
    for term in _eg_terms():
        types = set(graph.objects(term, RDF.type))
        assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term
        langs = {getattr(label, "language", None) for label in graph.objects(term, RDFS.label)}
        assert {"fr", "en"} <= langs, term
        assert any(getattr(c, "language", None) == "fr" for c in graph.objects(term, RDFS.comment)), term


def test_every_eg_term_of_the_turtle_is_in_the_namespace() -> None:
    graph = parse_turtle(Graph(), ESSGRAPH_TTL)
    used = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(EG_IRI) and str(node) != EG_IRI
    }
    assert used - _eg_terms() == set()


def test_external_terms_are_not_redeclared() -> None:
    graph = parse_turtle(Graph(), ESSGRAPH_TTL)
    declared = set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, OWL.ObjectProperty))
    declared |= set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    assert all(str(term).startswith(EG_IRI) for term in declared)


def test_alignments_to_reused_vocabularies() -> None:
    graph = parse_turtle(Graph(), ESSGRAPH_TTL)
    org = "http://www.w3.org/ns/org#"
    assert (EG.Organisation, RDFS.subClassOf, URIRef(org + "Organization")) in graph
    assert (EG.memberOf, OWL.equivalentProperty, URIRef(org + "memberOf")) in graph
    assert (EG.Event, RDFS.subClassOf, URIRef("https://schema.org/Event")) in graph
    assert (EG.Initiative, RDFS.subClassOf, URIRef("http://purl.org/essglobal/vocab/SSEInitiative")) in graph
    assert (EG.inDepartement, RDFS.range, INSEE.Departement) in graph
    ontology_comment = " ".join(str(c) for c in graph.objects(URIRef(EG_IRI.rstrip("#")), RDFS.comment))
    assert "prov:wasDerivedFrom" in ontology_comment and "rdf:Statement" in ontology_comment


def test_geo_has_the_101_departements_with_their_region(ontology_graph: Graph) -> None:
    departements = set(ontology_graph.subjects(RDF.type, INSEE.Departement))
    assert len(departements) == 101
    for code in ("01", "2A", "2B", "69", "95", "971", "976"):
        iri = INSEE_DEP[code]
        assert iri in departements
        assert str(ontology_graph.value(iri, INSEE.codeDepartement)) == code
        region = ontology_graph.value(iri, INSEE.subdivisionDe)
        assert (region, RDF.type, INSEE.Region) in ontology_graph
    assert str(ontology_graph.value(INSEE_DEP["69"], RDFS.label)) == "Rhône"


def test_malformed_turtle_gives_one_line_error_naming_file(tmp_path: Path) -> None:
    bad = tmp_path / "cassé.ttl"
    bad.write_text('@prefix a: <http://x/> .\na:b a:c a:d .\na:e a:f "non fermé ;\n', encoding="utf-8")
    with pytest.raises(OntologyError) as caught:
        load_ontology_graph(extra_paths=[bad])
    message = caught.value.message_fr
    assert isinstance(caught.value, BadInput)
    assert "\n" not in message
    assert "cassé.ttl" in message and "ligne 3" in message
    assert caught.value.details["line"] == 3


def test_missing_turtle_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(OntologyError) as caught:
        parse_turtle(Graph(), tmp_path / "absent.ttl")
    assert "absent.ttl" in caught.value.message_fr and "\n" not in caught.value.message_fr


def test_geo_ttl_is_rendered_from_the_one_geography_table() -> None:
    from essgraph.ontology.build_geo import GEO_PATH, render

    assert GEO_PATH.read_text(encoding="utf-8") == render(), (
        "geo.ttl is stale: run `python -m essgraph.ontology.build_geo` after editing ontology/geography.py"
    )
