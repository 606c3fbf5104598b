"""Values for the queries in graph/queries: checked IRIs, and the one serialiser of terms into SPARQL text.

Query text never has a value pasted in by its author: a query names variables, the caller passes
`bindings` ({variable: rdflib term, or a sequence of terms for several rows}). The embedded store hands
single terms to pyoxigraph as substitutions; everything a store must send as text (a remote server, a
list of values, an update) goes through `with_values` and `data_block`, which serialise the terms with
rdflib's N3 serialiser after checking them, and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rdflib.term import BNode, Identifier, Literal, URIRef

from essgraph.core.errors import BadInput
from essgraph.graph.sparql_check import token_spans

Binding = Identifier | Sequence[Identifier]
Bindings = Mapping[str, Binding]
Triple = tuple[Identifier, Identifier, Identifier]

_BAD_IRI_CHARS = re.compile(r'[\s\x00-\x20\x7f<>"{}|^`\\]')  # RFC 3987: no space, control or delimiter
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def checked_iri(value: str) -> URIRef:
    """`value` as an IRI term; raises BadInput when it is not an absolute http(s) IRI or holds a
    character that is not allowed in an IRI (user input never reaches a store unchecked)."""
    if not value.startswith(("http://", "https://")) or _BAD_IRI_CHARS.search(value) or len(value) > 2048:
        raise BadInput(f"IRI invalide : {value[:200]!r}", f"invalid IRI: {value[:200]!r}")
    return URIRef(value)


def bound_terms(values: Mapping[str, str | int | Identifier]) -> dict[str, Identifier]:
    """Plain values as terms for `bindings`: text must be an absolute http(s) IRI (checked), an integer
    becomes an xsd:integer literal, a term stays; raises BadInput for a bad IRI or variable name."""
    out: dict[str, Identifier] = {}
    for name, value in values.items():
        if not _VARIABLE.fullmatch(name):
            raise BadInput(f"nom de variable invalide : {name!r}", f"invalid variable name: {name!r}")
        if isinstance(value, Identifier):
            out[name] = value
        elif isinstance(value, bool) or not isinstance(value, int | str):
            raise BadInput(f"valeur non liable : {value!r}", f"value cannot be bound: {value!r}")
        else:
            out[name] = Literal(value) if isinstance(value, int) else checked_iri(value)
    return out


def lang_literal(value: str, lang: str | None) -> Literal:
    """A string literal with an optional language tag; raises BadInput for a malformed tag."""
    if lang and not _LANG.fullmatch(lang):
        raise BadInput(f"étiquette de langue invalide : {lang!r}", f"invalid language tag: {lang!r}")
    return Literal(value, lang=lang or None)


def term_text(term: Identifier) -> str:
    """The SPARQL text of one term (rdflib's N3 serialiser); raises BadInput for a blank node or an
    IRI that could not be written safely."""
    if isinstance(term, URIRef):
        return checked_iri(str(term)).n3()
    if isinstance(term, Literal):
        if term.language:
            lang_literal(str(term), term.language)
        return term.n3()
    if isinstance(term, BNode):
        raise BadInput("nœud anonyme non transmissible", "a blank node cannot be sent as a value")
    raise BadInput(f"valeur non prise en charge : {type(term).__name__}", f"unsupported value: {term!r}")


def as_rows(value: Binding) -> list[Identifier]:
    """The terms a binding stands for: one term, or every term of a sequence (several rows)."""
    if isinstance(value, Identifier):
        return [value]
    return list(value)


def values_block(bindings: Bindings) -> str:
    """`VALUES ?a { … } VALUES ?b { … }`: one block per variable, so their rows combine as independent
    sets (a single term is one row). Raises BadInput for a bad variable name or term."""
    blocks = []
    for name, value in bindings.items():
        if not _VARIABLE.fullmatch(name):
            raise BadInput(f"variable invalide : {name!r}", f"invalid variable name: {name!r}")
        rows = " ".join(term_text(term) for term in as_rows(value))
        blocks.append(f"VALUES ?{name} {{ {rows} }}")
    return " ".join(blocks)


def _where_openings(text: str) -> list[int]:
    """Offsets just after the `{` opening each top-level WHERE group (every operation of an update),
    or after the first top-level `{` of a query written without the WHERE keyword, and after the `{`
    of every UNION operand directly inside such a group: a join distributes over a union, so the
    values bound there mean the same and let any engine evaluate each branch with them."""
    tokens = list(token_spans(text))
    depth = 0
    after_where = False
    first: int | None = None
    out: list[int] = []
    in_where = False  # inside a WHERE group found at depth 0
    operand_starts: list[tuple[int, int]] = []  # (token index, offset after `{`) of depth-1 groups
    union_operands: set[int] = set()
    for index, (kind, token, start) in enumerate(tokens):
        if kind == "word" and depth == 0 and token.upper() == "WHERE":
            after_where = True
        elif kind == "other" and token == "{":
            if depth == 0:
                if after_where:
                    out.append(start + 1)
                    after_where = False
                    in_where = True
                elif first is None:
                    first = start + 1
                    in_where = True
            elif depth == 1 and in_where:
                operand_starts.append((index, start + 1))
                previous = tokens[index - 1] if index else ("", "", 0)
                if previous[0] == "word" and previous[1].upper() == "UNION":
                    union_operands.add(start + 1)
            depth += 1
        elif kind == "other" and token == "}":
            depth = max(0, depth - 1)
            if depth == 1 and in_where and operand_starts:
                following = tokens[index + 1] if index + 1 < len(tokens) else ("", "", 0)
                if following[0] == "word" and following[1].upper() == "UNION":
                    union_operands.add(operand_starts[-1][1])
            elif depth == 0:
                in_where = False
    if not out and first is not None:
        out.append(first)
    return sorted({*out, *union_operands})


def projected_variables(text: str) -> set[str] | None:
    """Variables a SELECT projects (None for `SELECT *`, empty for any other form): a store that
    substitutes values (SEP-0007, as pyoxigraph does) needs each bound variable projected."""
    seen_select = False
    previous = ""
    out: set[str] = set()
    for kind, token, _ in token_spans(text):
        upper = token.upper() if kind == "word" else ""
        if not seen_select:
            if upper == "SELECT":
                seen_select = True
            elif upper in ("ASK", "CONSTRUCT", "DESCRIBE"):
                return set()
            continue
        if upper == "WHERE" or token == "{" or upper == "FROM":
            break
        if token == "*":
            return None
        if kind == "word" and previous in ("?", "$"):
            out.add(token)
        previous = token if kind == "other" else ""
    return out


def with_values(text: str, bindings: Bindings | None) -> str:
    """`text` with `bindings` as VALUES blocks at the start of each top-level WHERE group: the values
    join the pattern before any grouping, OPTIONAL, FILTER or solution modifier, so the query means
    what it means with the variables pre-bound (as the embedded store's substitutions do).

    Raises ValueError when the text has no group to put them in (a programming error)."""
    if not bindings:
        return text
    block = " " + values_block(bindings) + " "
    openings = _where_openings(text)
    if not openings:
        raise ValueError("no WHERE group to bind values in")
    for offset in reversed(openings):
        text = text[:offset] + block + text[offset:]
    return text


def data_block(triples: Iterable[Triple]) -> str:
    """Triples as the body of an INSERT DATA / DELETE DATA graph block (terms checked and serialised)."""
    return "\n".join(f"{term_text(s)} {term_text(p)} {term_text(o)} ." for s, p, o in triples)


def graph_data_update(graph_iri: str, remove: Iterable[Triple] = (), add: Iterable[Triple] = ()) -> str:
    """One update request (one transaction) removing then adding triples in a named graph."""
    graph = term_text(checked_iri(graph_iri))
    parts = []
    removed, added = data_block(remove), data_block(add)
    if removed:
        parts.append(f"DELETE DATA {{ GRAPH {graph} {{\n{removed}\n}} }}")
    if added:
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{added}\n}} }}")
    return " ;\n".join(parts)
