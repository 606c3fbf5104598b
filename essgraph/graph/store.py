"""The graph store: a small base class and a factory choosing the backend by config string."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import rdflib


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
    def query(self, sparql: str, union: bool = True) -> Any:
        """Run a SPARQL query; the default graph is the union of all named graphs when `union`."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction."""

    @abstractmethod
    def select(self, sparql: str) -> list[dict[str, str]]:
        """Run a SELECT over the union graph; rows map variable names to lexical values."""

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
        rows = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        for row in rows:
            yield row["g"], int(row["n"])

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
