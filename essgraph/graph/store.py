"""The graph store: a small base class and a factory choosing the backend by config string."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from essgraph.core.errors import BadInput
from essgraph.graph.bindings import Bindings, Triple, graph_data_update
from essgraph.graph.queries import admin

DUMP_FORMATS: dict[str, ox.RdfFormat] = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
"""Dataset dump formats every backend reads and writes."""


def parse_dump(data: bytes, fmt: str, source: str) -> list[ox.Quad]:
    """Every quad of a dataset dump, parsed in full before anything is written; raises BadInput for an
    unknown format or an unreadable dump (its first error line, naming `source`)."""
    if fmt not in DUMP_FORMATS:
        raise BadInput(f"format d'import inconnu : {fmt}", f"unknown import format: {fmt}")
    try:
        return list(ox.parse(data, format=DUMP_FORMATS[fmt]))
    except (SyntaxError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BadInput(
            f"{source} : sauvegarde illisible ({first}) ; rien n'a été écrit",
            f"{source}: unreadable dump ({first}); nothing was written",
        ) from exc


class GraphStore(ABC):
    """One RDF dataset on disk: named graphs for the ontology, each document and curated statements."""

    path: Path
    read_only: bool

    @abstractmethod
    def replace_graph(self, graph_iri: str, graph: rdflib.Graph) -> int:
        """Atomically replace named graph `graph_iri` by `graph`; returns the number of triples written."""

    @abstractmethod
    def drop_graph(self, graph_iri: str) -> None:
        """Remove a named graph (no error if it does not exist)."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs in the store."""

    @abstractmethod
    def query(self, sparql: str, union: bool = True, bindings: Bindings | None = None) -> Any:
        """Run a SPARQL query; the default graph is the union of all named graphs when `union`.
        `bindings` pre-bind variables (a sequence of terms binds several rows)."""

    @abstractmethod
    def update(self, sparql: str, bindings: Bindings | None = None) -> None:
        """Run a SPARQL update in one transaction; `bindings` are joined to each WHERE group."""

    @abstractmethod
    def select(self, sparql: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        """Run a SELECT over the union graph with `bindings`; rows map variable names to lexical values
        (unbound variables absent)."""

    def change_triples(
        self, graph_iri: str, remove: list[Triple] | None = None, add: list[Triple] | None = None
    ) -> None:
        """Remove then add triples of named graph `graph_iri` in one transaction (terms serialised by
        graph/bindings.py, never pasted by the caller)."""
        text = graph_data_update(graph_iri, remove or [], add or [])
        if text:
            self.update(text)

    @abstractmethod
    def dump(self, fmt: str) -> bytes:
        """Serialise the whole dataset ("nquads", "trig" or "jsonld")."""

    @abstractmethod
    def load_dataset(self, data: bytes, fmt: str, source: str) -> int:
        """Parse a dataset dump fully, then add it in one transaction; returns the quad count."""

    @abstractmethod
    def quad_count(self) -> int:
        """Number of quads in the store."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the store (and its lock)."""

    def to_rdflib(self, graph_iri: str | None = None) -> rdflib.Graph:
        """One named graph (or the union of all when None) as an rdflib Graph, for SHACL and tests."""
        data = self.dump("nquads")
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format="nquads")
        out = rdflib.Graph()
        for s, p, o, g in dataset.quads((None, None, None, None)):
            if graph_iri is None or (g is not None and str(g) == graph_iri):
                out.add((s, p, o))
        return out

    def iter_graph_counts(self) -> Iterator[tuple[str, int]]:
        """(graph IRI, triple count) for every named graph."""
        for row in self.select(admin.GRAPH_COUNTS):
            yield row["g"], int(row["n"])

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
