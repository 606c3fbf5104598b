"""What a SPARQL request is and where it may reach, decided once, in linear time, before it runs.

The service never decides from ad-hoc text patterns: `analyse` lexes the text once (IRIs, strings and
comments recognised the way SPARQL does, after line endings are made canonical so that a comment ends
where the store's parser ends it), and `algebra_targets` walks the parsed algebra (rdflib's SPARQL
parser) for SERVICE and LOAD inside the query worker. The worker itself runs without network access
where the operating system allows it (`isolate_network`), so a target that slipped past both checks
still reaches nothing.
"""

from __future__ import annotations

import ctypes
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

from pyparsing import ParseResults

from essgraph.core.errors import BadInput, PayloadTooLarge, SparqlSyntaxError

# One alternative per lexical kind; every alternative either matches or fails at once and the long
# strings end at the end of the text when unterminated, so the scan is linear in the text's length.
_TOKEN = re.compile(
    r"""(?P<iri><(?:[^<>"{}|^`\\\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)"""
    r"""|(?P<string>\"\"\"[\s\S]*?(?:\"\"\"|\Z)|'''[\s\S]*?(?:'''|\Z)"""
    r"""|"(?:[^"\\\n]|\\.)*+"?|'(?:[^'\\\n]|\\.)*+'?)"""
    r"""|(?P<comment>\#[^\n]*+)"""
    r"""|(?P<word>[^\s<>"'{}()\[\];,.#?$]++(?:\.[^\s<>"'{}()\[\];,.#?$]++)*+)"""
    r"""|(?P<other>\S)"""
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUERY_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH"}
)
_REMOTE_WORDS = frozenset({"SERVICE", "LOAD"})
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")
_SYNTAX_POSITION = re.compile(r"error at (\d+):(\d+)")

Form = Literal["select", "ask", "graph", "update"]


@dataclass(frozen=True, slots=True)
class SparqlRequest:
    """A SPARQL text as the service understood it: canonical text, kind, form and remote targets."""

    text: str  # line endings made canonical: what the store runs
    kind: Literal["query", "update"]
    form: Form  # 'select', 'ask', 'graph' (CONSTRUCT/DESCRIBE) or 'update'
    remote: tuple[tuple[str, str], ...]  # (SERVICE|LOAD, target token as written)
    depth: int  # deepest nesting of { ( [


def canonical(text: str) -> str:
    """`text` with every line ending as `\\n`: a comment then ends at the same place for every parser."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) of each token but comments; IRIs and strings whole."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "comment":
            yield kind, match.group()


def token_spans(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, start offset) of each token but comments, for code that edits a query it wrote."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "comment":
            yield kind, match.group(), match.start()


def decode_iri(token: str) -> str:
    """The IRI an `<…>` token names, its `\\u`/`\\U` escapes decoded as the store decodes them."""
    body = token[1:-1] if token.startswith("<") and token.endswith(">") else token
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


def analyse(text: str, max_chars: int, max_depth: int) -> SparqlRequest:
    """Lex `text` once and say what it is.

    Raises PayloadTooLarge (413) past `max_chars`, BadInput past `max_depth` nested groups or for a
    control character inside an IRI. Never runs or parses the request beyond the lexer.
    """
    if len(text) > max_chars:
        raise PayloadTooLarge(
            f"requête SPARQL trop longue : {len(text)} caractères (limite {max_chars})",
            f"SPARQL request too long: {len(text)} characters (limit {max_chars})",
            limit=max_chars,
        )
    text = canonical(text)
    kind: Literal["query", "update"] | None = None
    form: Form = "select"
    remote: list[tuple[str, str]] = []
    depth = deepest = 0
    pending: str | None = None  # a SERVICE/LOAD keyword waiting for its target
    previous = ""
    in_prologue_decl = 0  # tokens still belonging to a PREFIX/BASE declaration
    for kind_, value in _tokens(text):
        if kind_ == "iri" and _CONTROL.search(decode_iri(value)):
            raise BadInput(
                "caractère de contrôle interdit dans une IRI de la requête",
                "control character not allowed in an IRI of the request",
            )
        if kind_ == "other":
            if value in _OPEN:
                depth += 1
                if depth > max_depth:
                    raise BadInput(
                        f"requête SPARQL trop imbriquée (plus de {max_depth} niveaux)",
                        f"SPARQL request nested too deeply (more than {max_depth} levels)",
                        limit=max_depth,
                    )
                deepest = max(deepest, depth)
            elif value in _CLOSE:
                depth = max(0, depth - 1)
        if pending is not None:
            if kind_ == "word" and value.upper() == "SILENT":
                continue
            remote.append((pending, value))
            pending = None
        elif kind_ == "word" and previous not in ("?", "$"):
            word = value.upper()
            if word in _REMOTE_WORDS:
                pending = word
            if kind is None and in_prologue_decl == 0:
                if word == "PREFIX":
                    in_prologue_decl = 2
                elif word == "BASE":
                    in_prologue_decl = 1
                elif word in _QUERY_FORMS:
                    kind, form = "query", _QUERY_FORMS[word]  # type: ignore[assignment]
                elif word in _UPDATE_WORDS:
                    kind, form = "update", "update"
            elif in_prologue_decl:
                in_prologue_decl -= 1
        elif in_prologue_decl:
            in_prologue_decl -= 1
        previous = value if kind_ == "other" else ""
    if pending is not None:
        remote.append((pending, ""))
    return SparqlRequest(text, kind or "query", form, tuple(remote), deepest)


def check_targets(targets: list[tuple[str, str]] | tuple[tuple[str, str], ...], allowlist: list[str]) -> None:
    """Refuse (BadInput) any SERVICE or LOAD whose target is not an IRI of an allow-listed host.

    A variable, a prefixed name or a missing target is refused too: only a written IRI can be checked.
    """
    for keyword, target in targets:
        iri = decode_iri(target) if target.startswith("<") else ""
        host = urlparse(iri).hostname if iri else None
        if host is None or host not in allowlist:
            shown = target or "?"
            raise BadInput(
                f"{keyword} vers {shown} refusé : hôte absent de la liste autorisée",
                f"{keyword} to {shown} refused: host not on the allow-list",
                host=host,
            )


def _walk(node: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree (CompValue, lists, dicts), depth first, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple | ParseResults):
            stack.extend(current)


def algebra_targets(request: SparqlRequest) -> list[tuple[str, str]] | None:
    """The SERVICE and LOAD targets of the parsed request (rdflib's SPARQL parser), or None when that
    parser cannot read it (the lexer's targets and the network-less worker then decide).

    Raises BadInput when the request nests deeper than the parser can follow.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser  # imported here: loading its grammar takes a while

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        tree = (
            parser.parseUpdate(request.text) if request.kind == "update" else parser.parseQuery(request.text)
        )
    except ParseException:
        return None
    except RecursionError as exc:
        raise BadInput("requête SPARQL trop imbriquée", "SPARQL request nested too deeply") from exc
    finally:
        sys.setrecursionlimit(limit)
    out: list[tuple[str, str]] = []
    for node in _walk(tree):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            term = node.get("term")
            out.append(("SERVICE", f"<{term}>" if _is_iri(term) else "?"))
        elif name == "Load":
            iri = node.get("iri")
            out.append(("LOAD", f"<{iri}>" if _is_iri(iri) else "?"))
    return out


def _is_iri(term: Any) -> bool:
    from rdflib import URIRef

    return isinstance(term, URIRef)


_EXPECTED = re.compile(r"expected (?:one of )?(.*)$")
_PNAME = re.compile(r"\^*([A-Za-z][\w.-]*)?:")


def undeclared_prefixes(text: str) -> list[tuple[str, int, int]]:
    """(prefix, line, column) of each prefixed name whose prefix no PREFIX declares, in text order
    (read with the same lexer as `analyse`: IRIs, strings and comments never count)."""
    declared: set[str] = set()
    found: list[tuple[str, int, int]] = []
    expecting_prefix = False
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup or "other", match.group()
        if kind != "word":
            continue
        if expecting_prefix:
            declared.add(value.rstrip(":"))
            expecting_prefix = False
            continue
        if value.upper() == "PREFIX":
            expecting_prefix = True
            continue
        name = _PNAME.match(value)
        if name is None or value.startswith("_:"):
            continue
        prefix = name.group(1) or ""
        if prefix not in declared:
            start = match.start() + value.index(":") - len(prefix)
            line = text.count("\n", 0, start) + 1
            found.append((prefix, line, start - (text.rfind("\n", 0, start) + 1) + 1))
    return found


def syntax_error(exc: Exception, text: str | None = None) -> SparqlSyntaxError:
    """The parser's syntax error as one complete line in French and in English, with its line and
    column, what stands there in `text` (the query) and everything the parser expected instead.

    An undeclared prefix is named as such, at its own place, with the PREFIX line to add (the
    parser's report of it is often elsewhere). `details` carries line, column, the found text and the
    parser's own message, untruncated.
    """
    message = " ".join(str(exc).split())
    match = _SYNTAX_POSITION.search(message)
    missing = undeclared_prefixes(canonical(text)) if text else []
    if missing:
        prefix, line, column = missing[0]
        return SparqlSyntaxError(
            f"requête SPARQL invalide (ligne {line}, colonne {column}) : préfixe « {prefix}: » non "
            f"déclaré — ajoutez « PREFIX {prefix}: <…> » en tête de la requête.",
            f"invalid SPARQL request (line {line}, column {column}): undeclared prefix '{prefix}:' "
            f"— add 'PREFIX {prefix}: <…>' at the top of the query.",
            line=line,
            column=column,
            found=f"{prefix}:",
            parser=message,
        )
    if match is None:
        return SparqlSyntaxError(f"requête SPARQL invalide : {message}", f"invalid SPARQL request: {message}")
    line, column = int(match.group(1)), int(match.group(2))
    details: dict[str, object] = {"line": line, "column": column, "parser": message}
    expected_match = _EXPECTED.search(message[match.end() :])
    expected = expected_match.group(1).strip() if expected_match else ""
    if expected == "<unreported>":
        expected = ""
    lines = (text or "").split("\n")
    source = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""
    found = source[column - 1 :].split()[0] if source[column - 1 :].strip() else ""
    at_end = bool(text) and not found and not "\n".join(lines[line:]).strip()
    details["found"] = found
    where_fr, where_en = f"ligne {line}, colonne {column}", f"line {line}, column {column}"
    if found:
        seen_fr, seen_en = f"« {found} » inattendu", f"unexpected '{found}'"
    elif at_end:
        seen_fr, seen_en = "la requête s'arrête trop tôt", "the query ends too early"
    else:
        seen_fr, seen_en = "suite inattendue", "unexpected continuation"
    wanted_fr = f" ; attendu : {expected}" if expected else ""
    wanted_en = f"; expected: {expected}" if expected else ""
    return SparqlSyntaxError(
        f"requête SPARQL invalide ({where_fr}) : {seen_fr}{wanted_fr}",
        f"invalid SPARQL request ({where_en}): {seen_en}{wanted_en}",
        **details,
    )


CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def isolate_network() -> bool:
    """Move this process into a new, empty network namespace; True when it worked.

    As root a new network namespace suffices; otherwise a user namespace is tried with it (allowed
    unprivileged on most Linux kernels). Call it in a single-threaded child process only.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    unshare = getattr(libc, "unshare", None)
    if unshare is None:
        return False
    return unshare(CLONE_NEWNET) == 0 or unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
