"""One home each: Accept headers are read only by service/negotiation.py (python-mimeparse), and SPARQL
results are written only by pyoxigraph — no module of the package parses Accept or writes results itself."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "essgraph"
NEGOTIATION = Path("service/negotiation.py")
# the functions an Accept header may be handed to: negotiation's own (negotiate, pick_format), and
# the one router helper that hands it on to pick_format untouched
ACCEPT_CONSUMERS = {"negotiate", "prefers_html", "choose_format", "pick_format"}
# what only a hand-written SPARQL results writer needs
RESULTS_MARKERS = ("sparql-results#", "xml:lang")
RESULTS_KEYS = {"bindings", "vars"}


def _modules(root: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        yield path.relative_to(root), ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _is_accept(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() == "accept"


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def accept_violations(root: Path) -> list[str]:
    """Places that split a value named like an Accept header (negotiation.py included: mimeparse does
    that), and, outside negotiation.py, that import mimeparse or read the Accept header for anything
    but handing it to a negotiation function."""
    found: list[str] = []
    for rel, tree in _modules(root):
        parents = _parents(tree)
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"split", "partition", "rsplit", "rpartition", "find", "index"}
                and isinstance(node.func.value, ast.Name)
                and "accept" in node.func.value.id.lower()
            ):
                found.append(f"{where} parses an Accept value ({node.func.value.id}.{node.func.attr})")
            if rel == NEGOTIATION:
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] == "mimeparse" for n in names):
                    found.append(f"{where} imports mimeparse")
            read = (
                isinstance(node, ast.Call)
                and _callee(node) == "get"
                and bool(node.args)
                and _is_accept(node.args[0])
            ) or (isinstance(node, ast.Subscript) and _is_accept(node.slice))
            if read:
                parent = parents.get(node)
                if not (isinstance(parent, ast.Call) and _callee(parent) in ACCEPT_CONSUMERS):
                    found.append(f"{where} reads Accept outside negotiation")
    return found


def results_violations(root: Path) -> list[str]:
    """Places that build SPARQL results documents by hand: the results namespace or JSON term members
    in a string, a dict display with results keys, or a CSV writer in the graph or service rooms."""
    found: list[str] = []
    for rel, tree in _modules(root):
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if any(marker in node.value for marker in RESULTS_MARKERS):
                    found.append(f"{where} writes SPARQL results vocabulary ({node.value[:40]!r})")
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if keys & RESULTS_KEYS or ("head" in keys and keys & {"boolean", "results"}):
                    found.append(f"{where} builds a SPARQL results object {sorted(keys)}")
            if rel.parts[0] in ("graph", "service") and isinstance(node, ast.Attribute):
                if (
                    isinstance(node.value, ast.Name)
                    and node.value.id == "csv"
                    and node.attr.endswith("riter")
                ):
                    found.append(f"{where} writes CSV by hand")
    return found


def test_only_negotiation_reads_accept() -> None:
    assert accept_violations(PACKAGE) == []


def test_only_pyoxigraph_writes_sparql_results() -> None:
    assert results_violations(PACKAGE) == []


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("def f(request):\n    return request.headers.get('accept', '').split(',')\n", "accept"),
        ("def f(headers):\n    accept = headers['Accept']\n    return accept\n", "accept"),
        ("def f(accept_header):\n    return [p.strip() for p in accept_header.split(';')]\n", "accept"),
        ("import mimeparse\n", "accept"),
        ("def f(v):\n    return {'head': {'vars': v}, 'results': {'bindings': []}}\n", "results"),
        ("NS = 'http://www.w3.org/2005/sparql-results#'\n", "results"),
        ("import csv\ndef f(buf):\n    return csv.writer(buf)\n", "results"),
    ],
)
def test_the_checks_catch_hand_written_code(tmp_path: Path, source: str, kind: str) -> None:
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "handmade.py").write_text(source, encoding="utf-8")
    check = accept_violations if kind == "accept" else results_violations
    assert check(tmp_path), source


def test_the_checks_catch_a_hand_written_negotiation_module(tmp_path: Path) -> None:
    (tmp_path / "service").mkdir()
    source = "def negotiate(accept, offered):\n    return [r.partition(';') for r in accept.split(',')]\n"
    (tmp_path / "service" / "negotiation.py").write_text(source, encoding="utf-8")
    assert accept_violations(tmp_path)


def test_the_checks_let_negotiation_through(tmp_path: Path) -> None:
    (tmp_path / "service").mkdir()
    source = "def f(request):\n    return negotiate(request.headers.get('accept'), ['text/html'])\n"
    (tmp_path / "service" / "router.py").write_text(source, encoding="utf-8")
    assert accept_violations(tmp_path) == []
