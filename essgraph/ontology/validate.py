"""SHACL validation of a knowledge graph against ontology/shapes.ttl (pyshacl), with a readable summary."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from essgraph.core.settings import Settings, get_settings
from essgraph.ontology.thesaurus import SHAPES_TTL, load_ontology_graph, parse_turtle


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: the shape, the focus node, the path, the value and the message."""

    severity: str
    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str


@dataclass(slots=True)
class ValidationReport:
    """Outcome of validate_graph: `conforms` is False when any sh:Violation was found.

    `text` is a French summary grouping results by shape and message with their focus nodes;
    `results` lists every result (violations and warnings); `triples` is the size of the data graph.
    """

    conforms: bool
    text: str
    results: list[Violation] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0

    @property
    def violations(self) -> list[Violation]:
        """The results of severity Violation."""
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        """The results of severity Warning or Info."""
        return [r for r in self.results if r.severity != "Violation"]


@lru_cache(maxsize=1)
def load_shapes_graph() -> Graph:
    """ontology/shapes.ttl parsed once; raises OntologyError (one line, file + line) if malformed."""
    return parse_turtle(Graph(), SHAPES_TTL)


@lru_cache(maxsize=1)
def _ontology_graph() -> Graph:
    return load_ontology_graph()


def _as_graph(data: Graph) -> tuple[Graph, bool]:
    """(plain Graph with every triple of `data`, True if that graph is a fresh copy we own).

    A Dataset/ConjunctiveGraph is flattened into a new Graph (the union of its named graphs); a
    plain Graph is returned as is.
    """
    if isinstance(data, Dataset | ConjunctiveGraph):
        union = Graph(namespace_manager=data.namespace_manager)
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union, True
    return data, False


def _short(node: Node | None, graph: Graph) -> str | None:
    """A readable name for a node: prefixed IRI, quoted literal, or '[nœud anonyme]'."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    if isinstance(node, Literal):
        text = str(node)
        return repr(text if len(text) <= 60 else text[:57] + "…")
    if isinstance(node, BNode):
        return "[nœud anonyme]"
    return str(node)


def _shape_name(results: Graph, shapes: Graph, result: Node) -> str:
    """Label of the node shape that produced `result` (through the property shape when needed)."""
    source = results.value(result, SH.sourceShape)
    owner = source
    if isinstance(source, BNode):
        parent = shapes.value(None, SH.property, source)
        owner = parent if parent is not None else source
    label = shapes.value(owner, RDFS.label) if owner is not None else None
    if label is not None:
        return str(label)
    return _short(owner, shapes) or "?"


def _collect(results: Graph, shapes: Graph, data: Graph) -> list[Violation]:
    out: list[Violation] = []
    # only top-level results: nested sh:detail results of sh:node constraints are not repeated
    top = {
        r
        for report in results.subjects(RDF.type, SH.ValidationReport)
        for r in results.objects(report, SH.result)
    }
    for result in top:
        severity_node = results.value(result, SH.resultSeverity)
        severity = str(severity_node).rsplit("#", 1)[-1] if severity_node is not None else "Violation"
        messages = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)]
        french = [m for m in messages if (m.language or "").startswith("fr")]
        message = str((french or messages or [Literal("")])[0])
        path = results.value(result, SH.resultPath)
        out.append(
            Violation(
                severity=severity,
                shape=_shape_name(results, shapes, result),
                focus=_short(results.value(result, SH.focusNode), data) or "?",
                path=_short(path, data) if isinstance(path, URIRef) else None,
                value=_short(results.value(result, SH.value), data),
                message=" ".join(message.split()),
            )
        )
    out.sort(key=lambda v: (v.severity != "Violation", v.shape, v.message, v.focus))
    return out


def _summary(results: list[Violation], triples: int, seconds: float, max_focus: int) -> str:
    violations = sum(1 for r in results if r.severity == "Violation")
    warnings = len(results) - violations
    head = (
        f"Conforme : aucune violation ({triples} triplets validés en {seconds:.1f} s"
        if not violations
        else f"Non conforme : {violations} violation(s) ({triples} triplets validés en {seconds:.1f} s"
    )
    head += f", {warnings} avertissement(s))." if warnings else ")."
    lines = [head]
    groups: dict[tuple[str, str, str], list[Violation]] = defaultdict(list)
    for result in results:
        groups[(result.severity, result.shape, result.message)].append(result)
    for (severity, shape, message), items in groups.items():
        kind = "VIOLATION" if severity == "Violation" else "avertissement"
        lines.append(f"[{kind}] {shape} — {message} ({len(items)})")
        for item in items[:max_focus]:
            detail = f" valeur {item.value}" if item.value else ""
            lines.append(f"    {item.focus}{detail}")
        if len(items) > max_focus:
            lines.append(f"    … et {len(items) - max_focus} autre(s)")
    return "\n".join(lines)


def validate_graph(
    data: Graph,
    *,
    inference: str | None = None,
    with_ontology: bool = True,
    settings: Settings | None = None,
) -> ValidationReport:
    """Validate `data` (a Graph, or a Dataset whose named graphs are united) against shapes.ttl.

    The ontology, geography and thesaurus (load_ontology_graph) are mixed in when `with_ontology` is
    True, so that concept schemes, class hierarchy and INSEE départements are known. `inference`
    ("none", "rdfs", "owlrl", "both") defaults to settings.shacl_inference. Returns a
    ValidationReport; raises OntologyError if shapes.ttl or an ontology file is malformed. A plain
    Graph is temporarily extended with the ontology triples and restored before returning (do not
    share it with another thread during the call).
    """
    import pyshacl

    cfg = settings or get_settings()
    started = time.perf_counter()
    graph, owned = _as_graph(data)
    triples = len(graph)
    shapes = load_shapes_graph()
    # The ontology is mixed into the data graph in place (copying 100k triples costs seconds) and
    # the triples it added are removed afterwards, so the caller's graph is left as it was.
    added = [t for t in _ontology_graph() if t not in graph] if with_ontology else []
    for triple in added:
        graph.add(triple)
    mode = inference or cfg.shacl_inference
    try:
        conforms, results_graph, _ = pyshacl.validate(
            graph,
            shacl_graph=shapes,
            inference=mode,
            abort_on_first=False,
            allow_warnings=True,
            advanced=False,
            inplace=mode == "none",  # with inference, pyshacl works on a copy (no inferred triples leak)
        )
    finally:
        if not owned:
            for triple in added:
                graph.remove(triple)
    results = _collect(results_graph, shapes, graph)
    seconds = time.perf_counter() - started
    has_violation = any(r.severity == "Violation" for r in results)
    return ValidationReport(
        conforms=bool(conforms) and not has_violation,
        text=_summary(results, triples, seconds, cfg.shacl_report_max_focus),
        results=results,
        triples=triples,
        seconds=seconds,
    )


def validate_ontology() -> ValidationReport:
    """Validate the ontology, geography and thesaurus files themselves (every skos:Concept etc.)."""
    return validate_graph(_ontology_graph(), with_ontology=False)


__all__ = ["ValidationReport", "Violation", "load_shapes_graph", "validate_graph", "validate_ontology"]
