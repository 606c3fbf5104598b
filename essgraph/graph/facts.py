"""Facts evaluation: does the graph link an entity labelled like each fact's subject to its object?"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from essgraph.core.errors import BadInput
from essgraph.core.files import read_json_lines
from essgraph.core.text import fold
from essgraph.ontology.namespace import EG, INSEE_DEP

MAX_INTERMEDIATE_DEGREE = 12
_LABEL_PREDICATES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "https://schema.org/name",
    "http://schema.org/name",
    "http://purl.org/dc/terms/title",
)
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_EXCLUDED_TYPES = {
    str(EG.Passage),
    str(EG.Section),
    str(EG.Fiche),
    str(EG.Document),
    "http://www.w3.org/2004/02/skos/core#Concept",
    "http://www.w3.org/2004/02/skos/core#ConceptScheme",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement",
    "http://rdf.insee.fr/def/geo#Departement",
}
_STOP = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "un", "une"}
_LITERAL_TYPES = {"date", "literal"}


def normalise(text: str) -> str:
    """Folded, punctuation-free, stopword-free form of a label ("L'Avisé (réseau)" -> "avise reseau")."""
    folded = fold(text)
    folded = re.sub(r"[^a-z0-9]+", " ", folded)
    return " ".join(t for t in folded.split() if t not in _STOP)


@lru_cache(maxsize=100_000)
def label_variants(text: str) -> frozenset[str]:
    """`text` normalised with and without the content of its parentheses."""
    out = {normalise(text), normalise(re.sub(r"\([^)]*\)", " ", text))}
    return frozenset(v for v in out if v)


def labels_match(wanted: str, label: str) -> bool:
    """Whether the entity label `label` names the fact item `wanted` (same or nested words)."""
    for w in label_variants(wanted):
        for lab in label_variants(label):
            if w == lab:
                return True
            wt, lt = w.split(), lab.split()
            if len(wt) >= 2 and set(wt) <= set(lt) and len(lt) <= len(wt) + 4:
                return True
            if len(lt) >= 2 and set(lt) <= set(wt) and len(wt) <= len(lt) + 3:
                return True
    return False


@dataclass(slots=True)
class FactResult:
    """The verdict on one fact, with what was found."""

    id: str
    subject: str
    predicate: str
    object: str
    held: bool
    reason: str = ""
    subjects_found: int = 0
    objects_found: int = 0


@dataclass(slots=True)
class _Index:
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # node -> labels
    adjacency: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    literals: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _term_key(term: Any) -> str | None:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return None


def build_index(store: ox.Store) -> _Index:
    """Labels, neighbours (both directions), literals and types of every node of the store's graphs."""
    index = _Index()
    for quad in store.quads_for_pattern(None, None, None, None):
        s = _term_key(quad.subject)
        if s is None:
            continue
        p = quad.predicate.value
        o = quad.object
        if isinstance(o, ox.Literal):
            if p in _LABEL_PREDICATES:
                index.labels[s].append(o.value)
            index.literals[s].append(o.value)
            continue
        ok = _term_key(o)
        if ok is None:
            continue
        if p == _RDF_TYPE:
            index.types[s].add(ok)
            continue
        index.adjacency[s].add(ok)
        index.adjacency[ok].add(s)
    return index


def _excluded(index: _Index, node: str) -> bool:
    if node.startswith(str(INSEE_DEP)) or "/concept/" in node:
        return True
    return bool(index.types.get(node, set()) & _EXCLUDED_TYPES)


def _find(index: _Index, item: str) -> list[str]:
    return [node for node, labels in index.labels.items() if any(labels_match(item, lab) for lab in labels)]


def _values(text: str) -> list[str]:
    """The numbers a literal object must show (years, counts): "10 000" -> "10000", "60%" -> "60"."""
    compact = re.sub(r"(?<=\d)[\s\u202f\u00a0.](?=\d{3}\b)", "", text)
    return re.findall(r"\d+(?:,\d+)?", compact)[:1]


def _literal_holds(index: _Index, node: str, values: list[str]) -> bool:
    for lit in index.literals.get(node, []):
        compact = re.sub(r"(?<=\d)[\s\u202f\u00a0.](?=\d{3}\b)", "", lit)
        if all(v in compact for v in values):
            return True
    return False


def _linked(index: _Index, s: str, o: str) -> bool:
    neighbours = index.adjacency.get(s, set())
    if o in neighbours:
        return True
    for mid in neighbours:
        if _excluded(index, mid) or len(index.adjacency.get(mid, ())) > MAX_INTERMEDIATE_DEGREE:
            continue
        if o in index.adjacency.get(mid, ()):
            return True
    return False


def _literal_linked(index: _Index, s: str, values: list[str]) -> bool:
    if _literal_holds(index, s, values):
        return True
    for mid in index.adjacency.get(s, set()):
        if _excluded(index, mid) or len(index.adjacency.get(mid, ())) > MAX_INTERMEDIATE_DEGREE:
            continue
        if _literal_holds(index, mid, values):
            return True
    return False


def check_fact(index: _Index, fact: dict[str, Any]) -> FactResult:
    """The verdict on one fact of facts.jsonl against the indexed graph."""
    subjects = [x.strip() for x in str(fact["subject"]).split(";") if x.strip()]
    objects = [x.strip() for x in str(fact["object"]).split(";") if x.strip()]
    result = FactResult(
        str(fact.get("id", "")),
        str(fact["subject"]),
        str(fact.get("predicate", "")),
        str(fact["object"]),
        held=False,
    )
    literal = str(fact.get("object_type", "")).lower() in _LITERAL_TYPES
    for subject in subjects:
        s_nodes = [
            n
            for n in _find(index, subject)
            if not _excluded(index, n) or index.types.get(n, set()) & {str(EG.Fiche), str(EG.Section)}
        ]
        result.subjects_found += len(s_nodes)
        if not s_nodes:
            result.reason = f"sujet introuvable : {subject}"
            return result
        for obj in objects:
            if literal:
                values = _values(obj)
                if not values or not any(_literal_linked(index, s, values) for s in s_nodes):
                    result.reason = f"aucun littéral {values} relié à « {subject} »"
                    return result
                continue
            o_nodes = _find(index, obj)
            result.objects_found += len(o_nodes)
            if not o_nodes:
                result.reason = f"objet introuvable : {obj}"
                return result
            if not any(_linked(index, s, o) for s in s_nodes for o in o_nodes):
                result.reason = f"« {subject} » et « {obj} » ne sont pas reliés"
                return result
    result.held = True
    return result


def load_facts(path: Path) -> list[dict[str, Any]]:
    """The facts of a JSON-lines file; raises BadInput on a missing file or a malformed line."""
    facts: list[dict[str, Any]] = []
    for number, fact in read_json_lines(path, "de faits", "facts"):
        if "subject" not in fact or "object" not in fact:
            raise BadInput(
                f"Ligne {number} sans sujet/objet dans {path}", f"line {number} lacks subject/object"
            )
        facts.append(fact)
    return facts


def as_oxigraph(store: Any) -> ox.Store:
    """The pyoxigraph Store behind `store` (a pyoxigraph Store or a GraphStore; others are dumped)."""
    if isinstance(store, ox.Store):
        return store
    inner = getattr(store, "_store", None)
    if isinstance(inner, ox.Store):
        return inner
    memory = ox.Store()
    memory.load(store.dump("nquads"), ox.RdfFormat.N_QUADS)
    return memory


def evaluate_facts(store: Any, facts: Iterable[dict[str, Any]]) -> list[FactResult]:
    """The verdict on every fact against `store` (all named graphs); returns one FactResult per fact."""
    index = build_index(as_oxigraph(store))
    return [check_fact(index, fact) for fact in facts]


def summary(results: list[FactResult]) -> dict[str, Any]:
    """Held count, total and ratio of a list of verdicts, with the misses."""
    held = sum(r.held for r in results)
    total = len(results)
    return {
        "held": held,
        "total": total,
        "ratio": held / total if total else 0.0,
        "misses": [
            {"id": r.id, "subject": r.subject, "object": r.object, "reason": r.reason}
            for r in results
            if not r.held
        ],
    }
