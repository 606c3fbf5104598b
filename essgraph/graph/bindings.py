"""SELECT with values bound to variables (pyoxigraph substitutions): no value is pasted into SPARQL."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from essgraph.core.errors import BadInput
from essgraph.graph.store import GraphStore

Bound = str | int | ox.NamedNode | ox.Literal
"""A bound value: an absolute IRI as text (http or https), an integer, or a pyoxigraph term."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def term_of(value: Bound) -> ox.NamedNode | ox.Literal:
    """The RDF term for a bound value; raises BadInput for text that is not an absolute http(s) IRI."""
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadInput(f"valeur non liable : {value!r}", f"value cannot be bound: {value!r}")
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if not value.startswith(("http://", "https://")):
        raise BadInput(f"IRI invalide : {value[:200]!r}", f"invalid IRI: {value[:200]!r}")
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise BadInput(f"IRI invalide : {value[:200]!r}", f"invalid IRI: {value[:200]!r}") from exc


def _lexical(term: Any) -> str:
    return str(term.value) if hasattr(term, "value") else str(term)


def select_bound(store: GraphStore, sparql: str, bindings: Mapping[str, Bound]) -> list[dict[str, str]]:
    """Run a SELECT over the union graph with `bindings` ({variable: value}) substituted before evaluation
    (SEP-0007): rows map variable names to lexical values, like `GraphStore.select`. Each bound
    variable must be in the SELECT projection (and GROUP BY): pyoxigraph substitutes projected ones only.

    Stores backed by pyoxigraph take the substitutions natively; any other store gets a VALUES block
    written from the terms' N-Triples form (escaped by pyoxigraph). Raises BadInput for a bad value.
    """
    terms = {name: term_of(value) for name, value in bindings.items()}
    for name in terms:
        if not _NAME.fullmatch(name):
            raise BadInput(f"nom de variable invalide : {name!r}", f"invalid variable name: {name!r}")
    raw = getattr(store, "raw", None)
    if isinstance(raw, ox.Store):
        result = raw.query(
            sparql,
            use_default_graph_as_union=True,
            substitutions={ox.Variable(name): term for name, term in terms.items()},
        )
        if not isinstance(result, ox.QuerySolutions):
            raise BadInput("select_bound attend une requête SELECT", "select_bound expects a SELECT query")
        names = [v.value for v in result.variables]
        rows: list[dict[str, str]] = []
        for solution in result:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = _lexical(term)
            rows.append(row)
        return rows
    return store.select(with_values(sparql, terms))


def with_values(sparql: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """`sparql` with a one-row VALUES block for `terms` opened right after its first WHERE brace (the
    fallback for stores without substitutions)."""
    if not terms:
        return sparql
    match = re.search(r"\bWHERE\s*\{", sparql, re.IGNORECASE)
    if match is None:
        raise BadInput("requête sans clause WHERE", "query without a WHERE clause")
    names = " ".join(f"?{name}" for name in terms)
    row = " ".join(str(term) for term in terms.values())
    block = f" VALUES ({names}) {{ ({row}) }} "
    return sparql[: match.end()] + block + sparql[match.end() :]
