"""Precision sample: draw the graph's entity-to-entity statements with their evidence, and score verdicts."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from essgraph.core.errors import BadInput
from essgraph.core.files import read_json_lines
from essgraph.core.text import fold
from essgraph.graph.facts import as_oxigraph
from essgraph.ontology.namespace import EG_IRI

VERDICTS = ("correct", "wrong")
_PREFIXES = (
    ("eg:", EG_IRI),
    ("dcterms:", "http://purl.org/dc/terms/"),
    ("schema:", "https://schema.org/"),
)

# Every statement whose two ends are entities (never a passage, section, document, concept or
# département): the reified simple statements (rdf:Statement) and the relation nodes that carry
# numbers, read as subject --class--> object through the node's two role properties.
STATEMENTS_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX eg: <https://w3id.org/essgraph/def#>
SELECT ?g ?ev ?s ?p ?o ?st ?ot ?sl ?ol ?file WHERE {
  GRAPH ?g {
    {
      ?ev a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    } UNION {
      VALUES (?p ?sr ?or) {
        (eg:Funding eg:funder eg:beneficiary)
        (eg:CapitalParticipation eg:holder eg:company)
        (eg:Contract eg:contractingAuthority eg:contractor)
        (eg:Role eg:person eg:organisation)
        (eg:Participation eg:participant eg:object)
      }
      ?ev a ?p ; ?sr ?s ; ?or ?o .
    }
    ?s a ?st ; rdfs:label ?sl .
    ?o a ?ot ; rdfs:label ?ol .
    FILTER(?st IN (eg:Initiative, eg:Organisation, eg:Collectivite, eg:Person, eg:Programme, eg:Event,
                   eg:Publication, eg:PublicationSeries, eg:Law, eg:Place))
    FILTER(?ot IN (eg:Initiative, eg:Organisation, eg:Collectivite, eg:Person, eg:Programme, eg:Event,
                   eg:Publication, eg:PublicationSeries, eg:Law, eg:Place))
    ?doc a eg:Document ; eg:sourceFile ?file .
  }
}
"""

# The evidence of one statement (?ev and ?g bound): the passage, its lines, the rule, the confidence
# and the qualifiers of a relation node.
EVIDENCE_QUERY = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX eg: <https://w3id.org/essgraph/def#>
SELECT ?g ?ev ?passage ?text ?start ?end ?rule ?conf ?qp ?qv WHERE {
  GRAPH ?g {
    ?ev prov:wasDerivedFrom ?passage .
    OPTIONAL { ?passage eg:text ?text ; eg:startLine ?start ; eg:endLine ?end . }
    OPTIONAL { ?ev eg:extractedBy ?rule . }
    OPTIONAL { ?ev eg:confidence ?conf . }
    OPTIONAL {
      VALUES ?qp { eg:amount eg:year eg:sharePercent eg:duration eg:roleTitle eg:action eg:contractKind
                   eg:unit }
      ?ev ?qp ?qv .
    }
  }
}
"""


def compact(iri: str) -> str:
    """`iri` with a known prefix (eg:, dcterms:, schema:), or unchanged."""
    for prefix, namespace in _PREFIXES:
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


def statement_key(subject_label: str, predicate: str, object_label: str, document: str) -> str:
    """The stable key of a statement: folded labels, compact predicate and document, joined by ' | '."""
    return " | ".join((_norm(subject_label), compact(predicate), _norm(object_label), document))


@dataclass(slots=True)
class Statement:
    """One entity-to-entity statement of one document, with every evidence node that asserts it."""

    subject: dict[str, str]
    predicate: str
    object: dict[str, str]
    document: str
    graph: str
    evidence_nodes: list[str] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The stable key (subject label, predicate, object label, document)."""
        return statement_key(self.subject["label"], self.predicate, self.object["label"], self.document)

    def to_json(self) -> dict[str, Any]:
        """The JSON line written for judging (verdict and reason left empty)."""
        return {
            "key": self.key,
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "document": self.document,
            "evidence": self.evidence,
            "verdict": "",
            "reason": "",
        }


def _specific(types: set[str]) -> str:
    named = sorted(compact(t) for t in types)
    return named[0] if len(named) == 1 else ",".join(named)


def entity_statements(store: Any) -> list[Statement]:
    """Every entity-to-entity statement of `store` (a GraphStore or a pyoxigraph Store), one per key.

    The same key asserted by several evidence nodes of one document (two passages, two fundings)
    is one statement with several evidence nodes; returns them sorted by key.
    """
    raw = as_oxigraph(store)
    rows = raw.query(STATEMENTS_QUERY)
    found: dict[str, Statement] = {}
    types: dict[tuple[str, str], set[str]] = defaultdict(set)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        s, o, graph = _value(row["s"]), _value(row["o"]), _value(row["g"])
        types[(graph, s)].add(_value(row["st"]))
        types[(graph, o)].add(_value(row["ot"]))
        subject = {"iri": s, "label": _value(row["sl"]), "type": ""}
        obj = {"iri": o, "label": _value(row["ol"]), "type": ""}
        statement = Statement(subject, compact(_value(row["p"])), obj, _value(row["file"]), graph)
        current = found.setdefault(statement.key, statement)
        node = _value(row["ev"])
        if node not in current.evidence_nodes:
            current.evidence_nodes.append(node)
    for statement in found.values():
        statement.subject["type"] = _specific(types[(statement.graph, statement.subject["iri"])])
        statement.object["type"] = _specific(types[(statement.graph, statement.object["iri"])])
        statement.evidence_nodes.sort()
    return [found[k] for k in sorted(found)]


def _value(term: Any) -> str:
    return str(term.value) if term is not None else ""


def _number(text: str) -> int | float | str:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


def attach_evidence(store: Any, statements: Iterable[Statement]) -> None:
    """Fill each statement's evidence: passage IRI, text, lines, rule, confidence and qualifiers."""
    raw = as_oxigraph(store)
    for statement in statements:
        statement.evidence = []
        for node in statement.evidence_nodes:
            rows = raw.query(
                EVIDENCE_QUERY,
                substitutions={
                    ox.Variable("ev"): ox.NamedNode(node),
                    ox.Variable("g"): ox.NamedNode(statement.graph),
                },
            )
            assert isinstance(rows, ox.QuerySolutions)
            by_passage: dict[str, dict[str, Any]] = {}
            for row in rows:
                passage = _value(row["passage"])
                item = by_passage.setdefault(
                    passage,
                    {
                        "passage": passage,
                        "start_line": _number(_value(row["start"])) if row["start"] else None,
                        "end_line": _number(_value(row["end"])) if row["end"] else None,
                        "text": _value(row["text"]),
                        "rule": _value(row["rule"]),
                        "confidence": _number(_value(row["conf"])) if row["conf"] else None,
                        "qualifiers": {},
                    },
                )
                if row["qp"] is not None:
                    item["qualifiers"][compact(_value(row["qp"]))] = _value(row["qv"])
            statement.evidence.extend(by_passage[p] for p in sorted(by_passage))


def draw(statements: list[Statement], size: int, seed: int) -> list[Statement]:
    """The `size` statements of smallest seeded hash of their key, in that order.

    Ranking by a hash of (seed, key) rather than shuffling the list keeps a statement's rank when
    others appear or disappear, so a re-drawn sample after an extraction change keeps most of its
    judged statements. Raises BadInput on a negative size.
    """
    if size < 0:
        raise BadInput(f"taille d'échantillon négative : {size}", f"negative sample size: {size}")

    def rank(statement: Statement) -> str:
        return hashlib.sha256(f"{seed}|{statement.key}".encode()).hexdigest()

    return sorted(statements, key=rank)[:size]


def sample_statements(store: Any, size: int, seed: int) -> tuple[list[Statement], set[str]]:
    """A seeded sample of `size` entity-to-entity statements with their evidence, and every graph key."""
    population = entity_statements(store)
    chosen = draw(population, size, seed)
    attach_evidence(store, chosen)
    return chosen, {s.key for s in population}


def load_judged(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The judged lines of a JSON-lines file by key, every verdict of a key in file order.

    A key may be judged more than once: a verdict holds for the evidence passages it was given, and
    a statement whose provenance changed is judged again (see `compare`). Lines without a verdict are
    skipped. Raises BadInput on a missing file, a malformed line or an unknown verdict.
    """
    judged: dict[str, list[dict[str, Any]]] = {}
    for number, item in read_json_lines(path, "de jugements", "judged"):
        verdict = str(item.get("verdict", "") or "")
        if not verdict:
            continue
        if verdict not in VERDICTS:
            raise BadInput(
                f"Ligne {number} : verdict « {verdict} » inconnu (correct ou wrong) dans {path}",
                f"line {number}: unknown verdict {verdict!r} (correct or wrong)",
            )
        try:
            key = statement_key(
                item["subject"]["label"], item["predicate"], item["object"]["label"], item["document"]
            )
        except (KeyError, TypeError) as exc:
            raise BadInput(
                f"Ligne {number} sans sujet, prédicat, objet ou document dans {path}",
                f"line {number} lacks subject, predicate, object or document",
            ) from exc
        judged.setdefault(key, []).append(item)
    return judged


def evidence_passages(evidence: Iterable[dict[str, Any]]) -> frozenset[str]:
    """The passage IRIs an evidence list cites: what a verdict was given against."""
    return frozenset(str(e.get("passage", "")) for e in evidence if e.get("passage"))


def _verdict_for(statement: Statement, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest verdict given against the statement's own evidence passages, or None.

    A verdict judged whether its cited passages state the statement, so it does not carry over to
    other passages; a line recorded without evidence applies whatever the evidence.
    """
    cited = evidence_passages(statement.evidence)
    for item in reversed(items):
        recorded = evidence_passages(item.get("evidence") or [])
        if not recorded or recorded == cited:
            return item
    return None


@dataclass(slots=True)
class PrecisionReport:
    """Verdicts of a drawn sample: the judged ones, those still to judge, and the precision."""

    judged: list[tuple[Statement, dict[str, Any]]]
    to_judge: list[Statement]
    population: int
    absent: int = 0  # judged statements of the file that the graph no longer asserts
    rejudge: int = 0  # drawn statements judged before against other evidence passages

    @property
    def correct(self) -> int:
        """How many judged statements of the sample are correct."""
        return sum(1 for _, item in self.judged if item["verdict"] == "correct")

    @property
    def precision(self) -> float | None:
        """correct / judged over the sample, None when nothing is judged."""
        return self.correct / len(self.judged) if self.judged else None

    def per_predicate(self) -> dict[str, tuple[int, int]]:
        """(correct, judged) for every predicate of the judged statements, sorted by predicate."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for statement, item in self.judged:
            counts[statement.predicate][1] += 1
            counts[statement.predicate][0] += item["verdict"] == "correct"
        return {p: (c[0], c[1]) for p, c in sorted(counts.items())}

    def reasons(self) -> list[tuple[str, int]]:
        """The reasons given for wrong verdicts with their counts, most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        for _, item in self.judged:
            if item["verdict"] == "wrong":
                counts[str(item.get("reason", "") or "(sans raison)").strip()] += 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def compare(
    sample: list[Statement], population: set[str], judged: dict[str, list[dict[str, Any]]]
) -> PrecisionReport:
    """Split `sample` into statements already judged (with their verdict) and new ones to judge.

    A statement judged before against other evidence passages is to judge again (counted in
    `rejudge`). `population` is the set of every statement key of the graph: judged keys outside it
    are counted as absent (the graph no longer asserts them).
    """
    report = PrecisionReport([], [], len(population))
    for statement in sample:
        items = judged.get(statement.key, [])
        item = _verdict_for(statement, items)
        if item is None:
            report.to_judge.append(statement)
            report.rejudge += bool(items)
        else:
            report.judged.append((statement, item))
    report.absent = sum(1 for key in judged if key not in population)
    return report
