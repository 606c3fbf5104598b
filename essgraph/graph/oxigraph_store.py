"""The pyoxigraph backend of GraphStore: one RocksDB folder, one writer, many read-only readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import Identifier, URIRef

from essgraph.core.errors import BadInput, NotFound, SparqlSyntaxError, StoreBusy, UnsupportedFormat
from essgraph.graph.bindings import Bindings, checked_iri, projected_variables, term_text, with_values
from essgraph.graph.sparql import retry_storage_errors
from essgraph.graph.store import DUMP_FORMATS, GraphStore, parse_dump


def _term_value(term: Any) -> str:
    return str(term.value) if hasattr(term, "value") else str(term)


def to_oxigraph(term: Identifier) -> ox.NamedNode | ox.Literal:
    """The pyoxigraph term for an rdflib IRI or literal (checked like every bound value)."""
    if isinstance(term, URIRef):
        try:
            return ox.NamedNode(str(checked_iri(str(term))))
        except ValueError as exc:  # a code point pyoxigraph refuses that the pattern let through
            raise BadInput(
                f"IRI invalide : {str(term)[:200]!r}", f"invalid IRI: {str(term)[:200]!r}"
            ) from exc
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    term_text(term)  # raises BadInput for what cannot be bound
    raise BadInput(f"valeur non prise en charge : {term!r}", f"unsupported value: {term!r}")


def split_bindings(sparql: str, bindings: Bindings | None) -> tuple[dict[ox.Variable, Any], dict[str, Any]]:
    """(pyoxigraph substitutions, the bindings left for a VALUES block): single terms of projected
    variables are substituted (pyoxigraph requires the projection; an unreadable one, such as an aggregate,
    counts as none); rows and the rest go to VALUES."""
    single: dict[ox.Variable, Any] = {}
    rows: dict[str, Any] = {}
    if not bindings:
        return single, rows
    projected = projected_variables(sparql)
    for name, value in bindings.items():
        if isinstance(value, Identifier) and projected is not None and name in projected:
            single[ox.Variable(name)] = to_oxigraph(value)
        else:
            rows[name] = value
    return single, rows


class OxigraphStore(GraphStore):
    """GraphStore on a pyoxigraph `Store` folder.

    A read-write open takes the folder's lock: a second writer gets StoreBusy instead of corruption.
    A read-only open sees the data as of its opening and never blocks the writer.
    """

    def __init__(self, path: Path, read_only: bool = False, retries: int = 0) -> None:
        self.path = Path(path)
        self.read_only = read_only
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    raise NotFound(
                        f"aucun graphe dans {self.path} : lancez d'abord « essgraph ingest »",
                        f"no graph in {self.path}: run `essgraph ingest` first",
                    )
                self._store = retry_storage_errors(lambda: ox.Store.read_only(str(self.path)), retries)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreBusy(
                    f"le graphe {self.path} est occupé par un autre processus en écriture ; réessayez après",
                    f"store {self.path} is busy: another process is writing it; retry later",
                ) from exc
            raise

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph Store (for the SPARQL runner)."""
        return self._store

    def replace_graph(self, graph_iri: str, graph: rdflib.Graph) -> int:
        nt = graph.serialize(format="nt")
        body = nt if isinstance(nt, str) else nt.decode("utf-8")
        name = term_text(checked_iri(graph_iri))
        self._store.update(f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}")
        return len(graph)

    def drop_graph(self, graph_iri: str) -> None:
        self._store.update(f"DROP SILENT GRAPH {term_text(checked_iri(graph_iri))}")

    def graph_names(self) -> list[str]:
        return sorted(_term_value(g) for g in self._store.named_graphs())

    def query(self, sparql: str, union: bool = True, bindings: Bindings | None = None) -> Any:
        single, rows = split_bindings(sparql, bindings)
        try:
            return self._store.query(
                with_values(sparql, rows), use_default_graph_as_union=union, substitutions=single or None
            )
        except SyntaxError as exc:
            raise SparqlSyntaxError(
                f"requête SPARQL invalide : {str(exc).splitlines()[0]}", f"invalid SPARQL query: {exc}"
            ) from exc

    def update(self, sparql: str, bindings: Bindings | None = None) -> None:
        try:
            self._store.update(with_values(sparql, bindings))
        except SyntaxError as exc:
            raise SparqlSyntaxError(
                f"mise à jour SPARQL invalide : {str(exc).splitlines()[0]}", f"invalid SPARQL update: {exc}"
            ) from exc

    def select(self, sparql: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        result = self.query(sparql, bindings=bindings)
        names = [v.value for v in result.variables]
        rows: list[dict[str, str]] = []
        for solution in result:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = _term_value(term)
            rows.append(row)
        return rows

    def dump(self, fmt: str) -> bytes:
        if fmt not in DUMP_FORMATS:
            raise UnsupportedFormat(
                f"format d'export inconnu : {fmt} (nquads, trig, jsonld)",
                f"unknown export format: {fmt} (nquads, trig, jsonld)",
            )
        data = self._store.dump(format=DUMP_FORMATS[fmt])
        return bytes(data) if data is not None else b""

    def load_dataset(self, data: bytes, fmt: str, source: str) -> int:
        quads = parse_dump(data, fmt, source)
        self._store.extend(quads)
        return len(quads)

    def quad_count(self) -> int:
        return len(self._store)

    def close(self) -> None:
        store = self.__dict__.pop("_store", None)
        if store is not None and not self.read_only:
            store.flush()
