"""SKOS thesaurus loader and fast French label matcher; also lists and parses the ontology data files."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDF, SKOS

from essgraph.core.errors import NotFound, OntologyError
from essgraph.core.text import fold, strip_accents
from essgraph.ontology.namespace import EG, SCHEME_KINDS, SCHEME_ORGANISATIONS, SCHEME_STATUTS

# The data files are package resources (installed with the wheel), read through importlib.resources.
ONTOLOGY_DATA: Traversable = files("essgraph.ontology")
THESAURUS_DIR = ONTOLOGY_DATA / "thesaurus"
ESSGRAPH_TTL = ONTOLOGY_DATA / "essgraph.ttl"
GEO_TTL = ONTOLOGY_DATA / "geo.ttl"
SHAPES_TTL = ONTOLOGY_DATA / "shapes.ttl"

ConceptKind = Literal["concept", "organisation"]

# Schemes that match() leaves out unless asked: their labels ("prévu", "chapitre", "organisé") are
# ordinary words that say nothing about what a question is about.
STRUCTURAL_SCHEMES: frozenset[URIRef] = frozenset({SCHEME_KINDS, SCHEME_STATUTS})

# An acronym label: one or more tokens, each made of capitals/digits only, none longer than this.
_ACRONYM_MAX_CHARS = 8
# Acronyms of the thesaurus that are ordinary French words once lower-cased ("un ami", "il ira"):
# with fold_acronyms=True they still require capitals.
_LOWERCASE_WORDS: frozenset[str] = frozenset(
    {"ai", "ami", "cat", "ei", "ge", "ira", "mes", "pat", "pls", "pon", "por", "rep", "rte", "sem", "tess"}
)

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


# ---------------------------------------------------------------------------------------------------
# Turtle files
# ---------------------------------------------------------------------------------------------------


def thesaurus_files() -> list[Traversable]:
    """The thesaurus Turtle files (ontology/thesaurus/*.ttl), sorted by name."""
    return sorted((p for p in THESAURUS_DIR.iterdir() if p.name.endswith(".ttl")), key=lambda p: p.name)


def ontology_files() -> list[Traversable]:
    """The data files loaded into the store's ontology graph: essgraph.ttl, geo.ttl, thesaurus/*.ttl.

    shapes.ttl is not among them: it is used by ontology.validate only.
    """
    return [ESSGRAPH_TTL, GEO_TTL, *thesaurus_files()]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def parse_turtle(graph: Graph, path: Traversable) -> Graph:
    """Parse the Turtle file `path` into `graph` and return it.

    Raises OntologyError with a one-line French message naming the file, and the line and column
    when the parser reports a position, if the file is missing or malformed.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OntologyError(
            f"Fichier d'ontologie illisible : {path} ({exc.strerror or exc})",
            f"Unreadable ontology file: {path} ({exc.strerror or exc})",
            file=str(path),
        ) from exc
    try:
        public_id = path.as_uri() if isinstance(path, Path) else f"file:///{path.name}"
        graph.parse(data=data, format="turtle", publicID=public_id)
    except Exception as exc:
        line, column, why = _syntax_position(exc, data)
        where = f", ligne {line}, colonne {column}" if line else ""
        where_en = f", line {line}, column {column}" if line else ""
        raise OntologyError(
            f"Turtle invalide dans {path.name}{where} : {why}",
            f"Malformed Turtle in {path.name}{where_en}: {why}",
            file=str(path),
            line=line,
        ) from exc
    return graph


def _syntax_position(exc: Exception, data: bytes) -> tuple[int | None, int | None, str]:
    """(line, column, reason) of a parser error; line/column are None when unknown (1-based)."""
    why = getattr(exc, "_why", None) or getattr(exc, "message", None) or str(exc) or type(exc).__name__
    index = getattr(exc, "_i", None)
    source = getattr(exc, "_str", None)
    if isinstance(index, int) and isinstance(source, bytes | str):
        text = source if isinstance(source, bytes) else source.encode()
        prefix = text[:index]
        line = prefix.count(b"\n") + 1
        column = index - (prefix.rfind(b"\n") + 1) + 1
        return line, column, _one_line(why)
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):
        return lines + 1, None, _one_line(why)
    return None, None, _one_line(why)


def load_ontology_graph(extra_paths: Sequence[Path] = ()) -> Graph:
    """The ontology, geography and thesaurus files (plus `extra_paths`) parsed into one rdflib Graph.

    Raises OntologyError (a BadInput) naming the first malformed file.
    """
    graph = Graph()
    for path in [*ontology_files(), *(Path(p) for p in extra_paths)]:
        parse_turtle(graph, path)
    return graph


# ---------------------------------------------------------------------------------------------------
# Text normalisation shared by labels and texts
# ---------------------------------------------------------------------------------------------------


def _singular(token: str) -> str:
    """Crude French singular of a folded token, applied identically to labels and texts."""
    if len(token) > 4 and token.endswith("aux"):
        return token[:-3] + "al"
    if len(token) > 3 and token[-1] in "sx" and not token.endswith("ss"):
        return token[:-1]
    return token


def _norm_token(token: str) -> str:
    return _singular(fold(token))


def _is_acronym_token(token: str) -> bool:
    """True for "SCIC", "FSE", "PTCEs" (capitals and digits, optionally a plural s), at most 8 chars."""
    stem = token[:-1] if len(token) > 3 and token.endswith("s") else token
    letters = [ch for ch in stem if ch.isalpha()]
    return bool(letters) and len(token) <= _ACRONYM_MAX_CHARS and all(ch.isupper() for ch in letters)


def _acronym_forms(token: str) -> tuple[str, ...]:
    """Exact forms under which a text token may match an acronym label: itself, minus a plural 's'."""
    if len(token) > 3 and token.endswith("s") and token[:-1].isupper():
        return (token, token[:-1])
    return (token,)


# ---------------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Concept:
    """A thesaurus concept or reference organisation with its French labels.

    `kind` is "organisation" for the reference organisations of organisations.ttl (typed
    eg:Organisation / eg:Collectivite), "concept" for skos:Concepts. `scheme` is the skos:inScheme IRI.
    `usage_labels` (eg:usageLabel) are the everyday words people use for the concept: search matches
    them (see `Thesaurus.for_search`), extraction and display do not.
    """

    iri: URIRef
    scheme: URIRef
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    usage_labels: tuple[str, ...] = ()
    definition: str | None = None
    broader: tuple[URIRef, ...] = ()
    related: tuple[URIRef, ...] = ()
    kind: ConceptKind = "concept"
    top: bool = False

    @property
    def label(self) -> str:
        """The preferred French label (alias of pref_label)."""
        return self.pref_label

    @property
    def labels(self) -> tuple[str, ...]:
        """Preferred, alternative and hidden labels, in that order, without duplicates."""
        return tuple(dict.fromkeys((self.pref_label, *self.alt_labels, *self.hidden_labels)))

    @property
    def slug(self) -> str:
        """Last segment of the IRI ("scic", "commande-publique-responsable")."""
        return str(self.iri).rstrip("/").rsplit("/", 1)[-1]

    @property
    def scheme_slug(self) -> str:
        """Last segment of the scheme IRI ("leviers", "formes-juridiques", "organisations")."""
        return str(self.scheme).rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    """One occurrence of a concept label in a text: `text[start:end] == surface`."""

    iri: URIRef
    scheme: URIRef
    kind: ConceptKind
    label: str
    text: str
    start: int
    end: int

    @property
    def surface(self) -> str:
        """The matched text as it appears (alias of text)."""
        return self.text


@dataclass(slots=True)
class _Entry:
    """Label index bucket: concepts sharing one normalised label."""

    targets: list[tuple[URIRef, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Thesaurus
# ---------------------------------------------------------------------------------------------------


class Thesaurus:
    """The concepts of ontology/thesaurus/*.ttl with lookups and a precompiled label matcher."""

    def __init__(self, concepts: Iterable[Concept], *, usage: bool = False) -> None:
        self.concepts: list[Concept] = sorted(concepts, key=lambda c: (str(c.scheme), str(c.iri)))
        self.usage = usage
        self._for_search: Thesaurus | None = self if usage else None
        self._by_iri: dict[URIRef, Concept] = {c.iri: c for c in self.concepts}
        self._narrower: dict[URIRef, list[URIRef]] = {}
        for concept in self.concepts:
            for parent in concept.broader:
                self._narrower.setdefault(parent, []).append(concept.iri)
        # folded/singular token tuple -> targets (case-insensitive labels)
        self._ci: dict[tuple[str, ...], _Entry] = {}
        # exact token tuple -> targets (acronyms and hidden labels: case-sensitive)
        self._cs: dict[tuple[str, ...], _Entry] = {}
        # lower-cased acronym token tuple -> targets (used only with fold_acronyms=True)
        self._acr_lower: dict[tuple[str, ...], _Entry] = {}
        self._max_ci: dict[str, int] = {}
        self._max_cs: dict[str, int] = {}
        for concept in self.concepts:
            for label in (concept.pref_label, *concept.alt_labels):
                self._index_label(concept, label, hidden=False)
            for label in concept.hidden_labels:
                self._index_label(concept, label, hidden=True)
            # everyday wordings are phrases, not misspellings: matched like altLabels (folded, plurals)
            for label in concept.usage_labels if usage else ():
                self._index_label(concept, label, hidden=False)

    # --- index -----------------------------------------------------------------------------------
    def _index_label(self, concept: Concept, label: str, *, hidden: bool) -> None:
        raw = tuple(_TOKEN_RE.findall(strip_accents(label) if hidden else label))
        if not raw:
            return
        target = (concept.iri, label)
        if hidden or all(_is_acronym_token(tok) for tok in raw):
            key = tuple(strip_accents(tok) for tok in raw)
            if not hidden:
                key = (*key[:-1], _acronym_forms(key[-1])[-1])
            self._add(self._cs, self._max_cs, key, target)
            if not hidden:
                lowered = tuple(tok.lower() for tok in key)
                if not (len(lowered) == 1 and lowered[0] in _LOWERCASE_WORDS):
                    self._add(self._acr_lower, None, lowered, target)
            return
        key = tuple(_norm_token(tok) for tok in raw)
        self._add(self._ci, self._max_ci, key, target)

    @staticmethod
    def _add(
        index: dict[tuple[str, ...], _Entry],
        longest: dict[str, int] | None,
        key: tuple[str, ...],
        target: tuple[URIRef, str],
    ) -> None:
        entry = index.setdefault(key, _Entry())
        if all(existing[0] != target[0] for existing in entry.targets):
            entry.targets.append(target)
        if longest is not None:
            longest[key[0]] = max(longest.get(key[0], 0), len(key))

    def for_search(self) -> Thesaurus:
        """This thesaurus whose matcher also knows the usage labels (eg:usageLabel): what search
        matches in questions and passages. Built once; the ingest keeps the plain matcher, so an
        everyday wording never changes what the graph asserts."""
        if self._for_search is None:
            self._for_search = Thesaurus(self.concepts, usage=True)
        return self._for_search

    # --- lookups ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, iri: object) -> bool:
        return URIRef(str(iri)) in self._by_iri

    def get(self, iri: str | URIRef) -> Concept | None:
        """The concept with this IRI, or None."""
        return self._by_iri.get(URIRef(str(iri)))

    def concept(self, iri: str | URIRef) -> Concept:
        """The concept with this IRI; raises NotFound if the thesaurus has none."""
        found = self.get(iri)
        if found is None:
            raise NotFound(f"Concept inconnu du thésaurus : {iri}", f"Unknown thesaurus concept: {iri}")
        return found

    def in_scheme(self, scheme: str | URIRef) -> list[Concept]:
        """The concepts of one scheme (IRI), sorted by IRI."""
        wanted = URIRef(str(scheme))
        return [c for c in self.concepts if c.scheme == wanted]

    def organisations(self) -> list[Concept]:
        """The reference organisations (kind "organisation")."""
        return [c for c in self.concepts if c.kind == "organisation"]

    def schemes(self) -> list[URIRef]:
        """The scheme IRIs present, sorted."""
        return sorted({c.scheme for c in self.concepts})

    def narrower(self, iri: str | URIRef) -> list[Concept]:
        """Direct narrower concepts of `iri` (those whose skos:broader is `iri`)."""
        return [self._by_iri[n] for n in self._narrower.get(URIRef(str(iri)), [])]

    def ancestors(self, iri: str | URIRef) -> list[Concept]:
        """All broader concepts of `iri`, nearest first, without repetition (cycle-safe)."""
        out: list[Concept] = []
        seen: set[URIRef] = {URIRef(str(iri))}
        frontier = [URIRef(str(iri))]
        while frontier:
            nxt: list[URIRef] = []
            for current in frontier:
                concept = self._by_iri.get(current)
                for parent in concept.broader if concept else ():
                    if parent not in seen and parent in self._by_iri:
                        seen.add(parent)
                        out.append(self._by_iri[parent])
                        nxt.append(parent)
            frontier = nxt
        return out

    def labels(self, *, include_hidden: bool = True) -> list[tuple[str, URIRef]]:
        """Every (label, concept IRI) pair, for gazetteers; hidden labels (misspellings) optional."""
        out: list[tuple[str, URIRef]] = []
        for concept in self.concepts:
            labels = concept.labels if include_hidden else (concept.pref_label, *concept.alt_labels)
            out.extend((label, concept.iri) for label in dict.fromkeys(labels))
        return out

    # --- matching --------------------------------------------------------------------------------
    def match(
        self,
        text: str,
        schemes: Iterable[str | URIRef] | None = None,
        *,
        fold_acronyms: bool = False,
    ) -> list[ConceptMatch]:
        """Concept labels occurring in a French `text`, left to right, longest match first.

        Labels match as whole words, accent-folded and case-insensitively, tolerating plurals
        (trailing s/x, -aux/-al). All-capital acronym labels (≤ 8 characters per word, e.g. "ESS",
        "SCIC") and hidden labels (misspellings such as "Aise") match case-sensitively, so "ESS" does
        not match "essai" nor "ESSAI"; a plural "SCICs" matches "SCIC". With `fold_acronyms=True`
        (short queries typed in lower case) an all-lower-case word also matches an acronym unless it
        is an ordinary French word ("ami", "ira"). `schemes` restricts the result to these scheme IRIs;
        by default every scheme but the structural ones (types-de-section, statuts-evenement) is
        searched. Overlaps are resolved by taking, at each position, the longest label; one label
        shared by several concepts yields one match per concept.
        """
        allowed = (
            {URIRef(str(s)) for s in schemes}
            if schemes is not None
            else {s for s in self.schemes() if s not in STRUCTURAL_SCHEMES}
        )
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
        if not tokens:
            return []
        normed = [_norm_token(tok) for tok, _, _ in tokens]
        exact = [strip_accents(tok) for tok, _, _ in tokens]
        out: list[ConceptMatch] = []
        i = 0
        count = len(tokens)
        while i < count:
            best_len = 0
            best_targets: list[tuple[URIRef, str]] = []
            for length, targets in self._candidates(i, normed, exact, tokens, fold_acronyms):
                kept = [t for t in targets if self._by_iri[t[0]].scheme in allowed]
                if not kept:
                    continue
                if length > best_len:
                    best_len, best_targets = length, list(kept)
                elif length == best_len:
                    best_targets.extend(t for t in kept if t[0] not in {b[0] for b in best_targets})
            if best_len:
                start, end = tokens[i][1], tokens[i + best_len - 1][2]
                for iri, label in best_targets:
                    concept = self._by_iri[iri]
                    surface = text[start:end]
                    out.append(ConceptMatch(iri, concept.scheme, concept.kind, label, surface, start, end))
                i += best_len
            else:
                i += 1
        return out

    def _candidates(
        self,
        i: int,
        normed: list[str],
        exact: list[str],
        tokens: list[tuple[str, int, int]],
        fold_acronyms: bool,
    ) -> Iterable[tuple[int, list[tuple[URIRef, str]]]]:
        """(length in tokens, targets) of every label that starts at token i."""
        count = len(normed)
        longest = min(self._max_ci.get(normed[i], 0), count - i)
        for length in range(longest, 0, -1):
            entry = self._ci.get(tuple(normed[i : i + length]))
            if entry is not None:
                yield length, entry.targets
                break
        for first in _acronym_forms(exact[i]):
            longest = min(self._max_cs.get(first, 0), count - i)
            for length in range(longest, 0, -1):
                key = (first, *(exact[i + 1 : i + length]))
                entry = self._cs.get(key)
                if entry is None and length > 1:
                    last = _acronym_forms(exact[i + length - 1])[-1]
                    entry = self._cs.get((*key[:-1], last))
                if entry is not None:
                    yield length, entry.targets
                    break
        if fold_acronyms and tokens[i][0].islower():
            for form in (exact[i], exact[i][:-1] if len(exact[i]) > 3 and exact[i].endswith("s") else None):
                if form is None or form in _LOWERCASE_WORDS:
                    continue
                entry = self._acr_lower.get((form,))
                if entry is not None:
                    yield 1, entry.targets
                    break


# ---------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------


def _fr(values: Iterable[object]) -> list[str]:
    """French (or language-less) literal values, in a stable order."""
    out = [
        str(v)
        for v in values
        if isinstance(v, RdfLiteral) and (v.language is None or v.language.lower().startswith("fr"))
    ]
    return sorted(dict.fromkeys(out))


def _iris(values: Iterable[object]) -> tuple[URIRef, ...]:
    """The IRI values among `values`, sorted."""
    return tuple(sorted(v for v in values if isinstance(v, URIRef)))


def thesaurus_from_graph(graph: Graph) -> Thesaurus:
    """Build a Thesaurus from an rdflib graph holding SKOS concepts and reference organisations.

    Every subject with a skos:prefLabel and a skos:inScheme is taken; subjects typed eg:Organisation or
    eg:Collectivite are organisations. Raises OntologyError if a subject has no French prefLabel, or if
    usage labels are given for an IRI that is no concept of the graph (a misspelt IRI would be lost).
    """
    organisation_types = {EG.Organisation, EG.Collectivite}
    concepts: list[Concept] = []
    subjects = {s for s in graph.subjects(SKOS.inScheme, None) if isinstance(s, URIRef)}
    for subject in sorted(subjects):
        if (subject, RDF.type, SKOS.ConceptScheme) in graph:
            continue
        pref = _fr(graph.objects(subject, SKOS.prefLabel))
        if not pref:
            raise OntologyError(
                f"Concept sans skos:prefLabel en français : {subject}",
                f"Concept without a French skos:prefLabel: {subject}",
            )
        scheme = sorted(o for o in graph.objects(subject, SKOS.inScheme) if isinstance(o, URIRef))[0]
        kind: ConceptKind = (
            "organisation" if any((subject, RDF.type, t) in graph for t in organisation_types) else "concept"
        )
        definitions = _fr(graph.objects(subject, SKOS.definition))
        concepts.append(
            Concept(
                iri=subject,
                scheme=scheme,
                pref_label=pref[0],
                alt_labels=tuple(a for a in _fr(graph.objects(subject, SKOS.altLabel)) if a != pref[0]),
                hidden_labels=tuple(_fr(graph.objects(subject, SKOS.hiddenLabel))),
                usage_labels=tuple(_fr(graph.objects(subject, EG.usageLabel))),
                definition=definitions[0] if definitions else None,
                broader=_iris(graph.objects(subject, SKOS.broader)),
                related=_iris(graph.objects(subject, SKOS.related)),
                kind=kind,
                top=(subject, SKOS.topConceptOf, None) in graph,
            )
        )
    described = {c.iri for c in concepts}
    orphans = sorted(
        str(s) for s in graph.subjects(EG.usageLabel, None) if isinstance(s, URIRef) and s not in described
    )
    if orphans:
        raise OntologyError(
            f"Libellés d'usage (eg:usageLabel) pour des concepts inconnus : {', '.join(orphans)}",
            f"Usage labels (eg:usageLabel) for unknown concepts: {', '.join(orphans)}",
        )
    return Thesaurus(concepts)


@lru_cache(maxsize=8)
def _load_cached(paths: tuple[Traversable, ...]) -> Thesaurus:
    graph = Graph()
    for path in paths:
        parse_turtle(graph, path)
    return thesaurus_from_graph(graph)


def load_thesaurus(extra_paths: Sequence[Path | str] = ()) -> Thesaurus:
    """The thesaurus of ontology/thesaurus/*.ttl plus `extra_paths` (cached per set of paths).

    Raises OntologyError naming the file when a Turtle file is malformed.
    """
    paths = tuple(thesaurus_files()) + tuple(Path(p).resolve() for p in extra_paths)
    return _load_cached(paths)


def organisation_scheme() -> URIRef:
    """IRI of the scheme grouping the reference organisations."""
    return SCHEME_ORGANISATIONS


__all__ = [
    "STRUCTURAL_SCHEMES",
    "Concept",
    "ConceptMatch",
    "Thesaurus",
    "fold",
    "load_ontology_graph",
    "load_thesaurus",
    "ontology_files",
    "parse_turtle",
    "thesaurus_files",
    "thesaurus_from_graph",
]
