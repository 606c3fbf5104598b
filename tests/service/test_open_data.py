"""Open data at /data against a served app: the DCAT catalogue validates against its SHACL shapes, lists
files that download with the announced size, and follows the graph when it changes."""

# ruff: noqa: F811  (the served fixture is imported, then taken as an argument)
from __future__ import annotations

import csv
import io

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, XSD

from essgraph.graph.open_data import COLUMNS, TABLES, validate_catalogue
from tests.service.conftest import bearer
from tests.service.ld_server import Served, served  # noqa: F401  (the fixture)

HTTP = httpx.Client(timeout=120.0)  # the first /data after a change rewrites the dumps (seconds)
EG = "https://w3id.org/essgraph/def#"


def _catalogue(served: Served) -> rdflib.Graph:
    response = HTTP.get(served.url + "/data", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.text, format="turtle")


def _distributions(graph: rdflib.Graph) -> dict[str, rdflib.term.Node]:
    """File name → distribution node."""
    return {str(url).rsplit("/", 1)[-1]: d for d, url in graph.subject_objects(DCAT.downloadURL)}


def test_the_catalogue_validates_against_its_shapes(served: Served) -> None:
    conforms, report = validate_catalogue(_catalogue(served))
    assert conforms, report


def test_the_shapes_catch_a_catalogue_without_licence_size_or_media_type(served: Served) -> None:
    for predicate, name in (
        (DCTERMS.license, "dcterms:license"),
        (DCAT.byteSize, "dcat:byteSize"),
        (DCAT.mediaType, "dcat:mediaType"),
        (DCTERMS.modified, "dcterms:modified"),
    ):
        graph = _catalogue(served)
        graph.remove((None, predicate, None))
        conforms, report = validate_catalogue(graph)
        assert not conforms and f"Result Path: {name}" in report, name


def test_the_catalogue_lists_the_dumps_and_tables_with_licence_date_and_size(served: Served) -> None:
    graph = _catalogue(served)
    files = _distributions(graph)
    assert {"essgraph.trig", "essgraph.nq", "essgraph.jsonld"} <= set(files)
    assert {t.name for t in TABLES} <= set(files)
    licence = rdflib.URIRef(served.settings.open_data_license)
    for name, node in files.items():
        assert (node, DCTERMS.license, licence) in graph, name
        size = graph.value(node, DCAT.byteSize)
        assert isinstance(size, rdflib.Literal) and size.datatype == XSD.nonNegativeInteger
        modified = graph.value(node, DCTERMS.modified)
        assert isinstance(modified, rdflib.Literal) and modified.datatype == XSD.dateTime
        download = HTTP.get(str(graph.value(node, DCAT.downloadURL)))
        assert download.status_code == 200, name
        assert len(download.content) == int(size), name
        media = str(graph.value(node, DCAT.mediaType)).rsplit("media-types/", 1)[-1]
        assert download.headers["content-type"].split(";")[0] == media


def test_the_dumps_hold_the_whole_graph(served: Served) -> None:
    quads = int(HTTP.get(served.url + "/health").json()["quads"])
    for name, fmt in (("essgraph.nq", ox.RdfFormat.N_QUADS), ("essgraph.trig", ox.RdfFormat.TRIG)):
        body = HTTP.get(f"{served.url}/data/{name}").content
        assert len(list(ox.parse(body, format=fmt))) == quads, name
    jsonld = HTTP.get(served.url + "/data/essgraph.jsonld").content
    assert len(list(ox.parse(jsonld, format=ox.RdfFormat.JSON_LD))) == quads


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_each_table_has_one_row_per_entity_of_its_class(served: Served, table: object) -> None:
    name, class_iri = table.name, table.class_iri  # type: ignore[attr-defined]
    body = HTTP.get(f"{served.url}/data/{name}").content
    assert body.startswith(b"\xef\xbb\xbf")  # French Excel reads the accents
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0].keys()) == COLUMNS
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{class_iri}> }}"
    count = HTTP.get(served.url + "/sparql", params={"query": query}, headers={"Accept": "application/json"})
    entities = int(count.json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < len(rows) <= entities
    assert len({r["iri"] for r in rows}) == len(rows)
    assert sum(1 for r in rows if r["libelle"]) >= 0.9 * len(rows)


def test_the_french_page_links_every_file(served: Served) -> None:
    page = HTTP.get(served.url + "/data", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Données ouvertes" in page.text
    for name in _distributions(_catalogue(served)):
        assert f'href="/data/{name}"' in page.text
    assert served.settings.open_data_license in page.text


def test_an_unknown_file_is_404(served: Served) -> None:
    missing = HTTP.get(served.url + "/data/secret.txt")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    traversal = HTTP.get(served.url + "/data/..%2Fjournal.json")
    assert traversal.status_code == 404


def test_the_dumps_follow_a_change_of_the_graph(served: Served, staff_tokens: object) -> None:
    before = _catalogue(served)
    trig = _distributions(before)["essgraph.trig"]
    size_before = int(before.value(trig, DCAT.byteSize))  # type: ignore[arg-type]
    iri = "https://w3id.org/essgraph/id/initiative/donnees-ouvertes-essai"
    update = (
        f"INSERT DATA {{ GRAPH <https://w3id.org/essgraph/id/graph/curated> {{ <{iri}> a <{EG}Initiative> ; "
        f'<http://www.w3.org/2000/01/rdf-schema#label> "Essai des données ouvertes" . }} }}'
    )
    writer = staff_tokens.writer  # type: ignore[attr-defined]
    done = HTTP.post(served.url + "/sparql", data={"update": update}, headers=bearer(writer))
    assert done.status_code == 204, done.text
    try:
        after = _catalogue(served)
        size_after = int(after.value(_distributions(after)["essgraph.trig"], DCAT.byteSize))  # type: ignore[arg-type]
        assert size_after > size_before
        table = HTTP.get(served.url + "/data/initiatives.csv").content.decode("utf-8-sig")
        assert iri in table and "Essai des données ouvertes" in table
    finally:
        removal = update.replace("INSERT DATA", "DELETE DATA")
        HTTP.post(served.url + "/sparql", data={"update": removal}, headers=bearer(writer))
    table = HTTP.get(served.url + "/data/initiatives.csv").content.decode("utf-8-sig")
    assert iri not in table
