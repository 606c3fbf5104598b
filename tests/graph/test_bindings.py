"""Values for queries: IRIs checked, terms serialised once, VALUES placed where they mean pre-binding."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from essgraph.core.errors import BadInput
from essgraph.graph.bindings import (
    checked_iri,
    graph_data_update,
    projected_variables,
    values_block,
    with_values,
)


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://example.org/a",
        "https://example.org/a b",
        "https://example.org/a>",
        'https://e.org/"',
        "relative",
    ],
)
def test_an_iri_that_could_break_out_is_refused(bad: str) -> None:
    with pytest.raises(BadInput):
        checked_iri(bad)
    with pytest.raises(BadInput):
        values_block({"x": URIRef(bad)})


def test_values_block_serialises_terms_and_rows() -> None:
    block = values_block(
        {
            "x": [URIRef("https://e.org/a"), URIRef("https://e.org/b")],
            "l": Literal('il dit "oui"\n', lang="fr"),
            "t": Literal("2026-01-02T03:04:05Z", datatype=XSD.dateTime, normalize=False),
        }
    )
    assert block.startswith("VALUES ?x { <https://e.org/a> <https://e.org/b> }")
    assert '"""il dit "oui"\n"""@fr' in block  # rdflib writes a long string, valid SPARQL
    assert '"2026-01-02T03:04:05Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in block  # lexical kept
    with pytest.raises(BadInput):
        values_block({"x y": URIRef("https://e.org/a")})


def test_values_open_every_where_group_and_union_branch_but_not_subqueries_or_templates() -> None:
    text = (
        "PREFIX ex: <https://e.org/{odd}> DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { { ?s ?p ?o } UNION "
        "{ ?o ?p ?s } { SELECT ?s WHERE { ?s ?q 'a { b' } } } ; "
        "INSERT { GRAPH ?g { ?s ex:p 1 } } WHERE { ?s ?p ?o # a { in a comment\n }"
    )
    bound = with_values(text, {"g": URIRef("https://e.org/g")})
    assert bound.count("VALUES ?g { <https://e.org/g> }") == 4  # two WHERE groups, two UNION branches
    assert "DELETE { GRAPH ?g { ?s ?p ?o } }" in bound and "{ SELECT ?s WHERE { ?s" in bound
    assert with_values(text, None) == text and with_values(text, {}) == text


def test_projected_variables() -> None:
    assert projected_variables("PREFIX a: <x:> SELECT DISTINCT ?a (COUNT(?b) AS ?n) WHERE { }") == {
        "a",
        "b",
        "n",
    }
    assert projected_variables("SELECT * { ?s ?p ?o }") is None
    assert projected_variables("ASK { ?s ?p ?o }") == set()


def test_values_mean_pre_binding_on_a_real_engine() -> None:
    """A value read only by a FILTER at the WHERE level, an aggregate and an OPTIONAL: the VALUES form
    answers what pyoxigraph's substitution answers."""
    store = ox.Store()
    a, b, p = (ox.NamedNode(f"https://e.org/{n}") for n in "abp")
    g = ox.NamedNode("https://e.org/g")
    store.extend([ox.Quad(a, p, b, g), ox.Quad(b, p, a, g), ox.Quad(a, p, ox.Literal("x"), g)])
    query = "SELECT ?node (COUNT(?o) AS ?n) WHERE { ?s ?p ?o FILTER(?s = ?node) } GROUP BY ?node"
    node = URIRef("https://e.org/a")
    by_values = [
        s["n"].value for s in store.query(with_values(query, {"node": node}), use_default_graph_as_union=True)
    ]
    by_substitution = [
        s["n"].value
        for s in store.query(query, use_default_graph_as_union=True, substitutions={ox.Variable("node"): a})
    ]
    assert by_values == by_substitution == ["2"]


def test_graph_data_update_is_one_request() -> None:
    t = (URIRef("https://e.org/a"), URIRef("https://e.org/p"), Literal("v"))
    text = graph_data_update("https://e.org/g", remove=[t], add=[t])
    assert text.index("DELETE DATA") < text.index("INSERT DATA") and text.count(";") == 1
    assert graph_data_update("https://e.org/g") == ""
    with pytest.raises(BadInput):
        graph_data_update("https://e.org/g>", add=[t])
