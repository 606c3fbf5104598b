"""The SPARQL request checks: one linear lexer, the parsed algebra, the network-less worker, fair turns."""

from __future__ import annotations

import os
import socket

import pytest

from essgraph.core.errors import BadInput, PayloadTooLarge, TooManyRequests
from essgraph.graph.sparql import _FairQueue, check_service_allowed, is_update
from essgraph.graph.sparql_check import (
    algebra_targets,
    analyse,
    isolate_network,
    syntax_error,
    undeclared_prefixes,
)
from tests.conftest import pending_connections

BIG = 1 << 30


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ #\r SERVICE <http://127.0.0.1:{port}/x> {{ ?x ?y ?z }} \n }}",
        "SELECT * WHERE {{ #\r\rSERVICE <http://127.0.0.1:{port}/x> {{ ?x ?y ?z }} }}",
        "SELECT * WHERE {{ SERVICE <http://\\u0031\\u0032\\u0037.0.0.1:{port}/x> {{ ?x ?y ?z }} }}",
        "SELECT * WHERE {{ SERVICE <http://ok.example@127.0.0.1:{port}/x> {{ ?x ?y ?z }} }}",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> "
        "{{ ?a ?b ?c }} }} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE ?endpoint {{ ?a ?b ?c }} }} }}",
        "PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:x {{ ?a ?b ?c }} }}",
        "LOAD <http://127.0.0.1:{port}/d.ttl>",
        "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
    ],
)
def test_remote_targets_in_every_spelling_are_refused(template: str, listener: socket.socket) -> None:
    text = template.format(port=listener.getsockname()[1])
    with pytest.raises(BadInput):
        check_service_allowed(text, ["ok.example"])
    assert pending_connections(listener) == 0


def test_a_comment_ends_at_a_carriage_return_for_the_lexer_as_for_the_store() -> None:
    request = analyse("SELECT * WHERE { #\r SERVICE <http://a.example/> { ?s ?p ?o } }", BIG, BIG)
    assert request.remote == (("SERVICE", "<http://a.example/>"),)
    assert "\r" not in request.text
    assert algebra_targets(request) == [("SERVICE", "<http://a.example/>")]


def test_an_allowed_host_written_with_escapes_still_passes() -> None:
    check_service_allowed("SELECT * { SERVICE <https://\\u006Fk.example/s> { ?s ?p ?o } }", ["ok.example"])


@pytest.mark.parametrize(
    ("text", "kind", "form"),
    [
        ("PREFIX ex: <https://e.org/select>\nINSERT DATA { ex:a ex:b ex:c }", "update", "update"),
        ("# SELECT\nDROP ALL", "update", "update"),
        ("BASE <http://b/> PREFIX : <http://x/> CONSTRUCT WHERE { ?s ?p ?o }", "query", "graph"),
        ('SELECT ?load WHERE { ?s ?p "INSERT" }', "query", "select"),
        ("ask { ?s ?p ?o }", "query", "ask"),
        ("DESCRIBE <http://x/a>", "query", "graph"),
    ],
)
def test_kind_and_form_come_from_the_first_keyword_after_the_prologue(
    text: str, kind: str, form: str
) -> None:
    request = analyse(text, BIG, BIG)
    assert (request.kind, request.form) == (kind, form)
    assert is_update(text) == (kind == "update")


def test_the_lexer_is_linear_on_hostile_texts() -> None:
    # each of these took seconds to minutes with the former regular expressions (quadratic scans)
    for text in ("\n" * 2_000_000, '"""' * 300_000, "<a" * 500_000, "# x\r" * 300_000):
        assert analyse(text, len(text) + 1, BIG).kind == "query"


def test_size_and_nesting_limits_are_bad_input() -> None:
    with pytest.raises(PayloadTooLarge):
        analyse("SELECT * WHERE { ?s ?p ?o }", 10, BIG)
    with pytest.raises(BadInput) as deep:
        analyse("SELECT * WHERE " + "{" * 5000 + "}" * 5000, BIG, 64)
    assert deep.value.code == "bad_input"


def test_a_control_character_in_an_iri_is_bad_input_not_a_syntax_error() -> None:
    with pytest.raises(BadInput) as error:
        analyse("SELECT * WHERE { <http://e.org/\x01> ?p ?o }", BIG, BIG)
    assert error.value.code == "bad_input"


def test_syntax_errors_keep_their_whole_message_with_line_and_column() -> None:
    error = syntax_error(SyntaxError("error at 3:14: expected one of Prefix or\n  Variable and more"))
    assert "ligne 3, colonne 14" in error.message_fr and "line 3, column 14" in error.message_en
    assert error.message_fr.endswith("attendu : Prefix or Variable and more")
    assert error.message_en.endswith("expected: Prefix or Variable and more")
    assert error.details["line"] == 3 and error.details["column"] == 14
    assert error.details["parser"] == "error at 3:14: expected one of Prefix or Variable and more"


def test_syntax_errors_name_what_stands_at_the_position() -> None:
    text = "SELECT ?s\nWHERE { ?s ?p ?o ) }"
    error = syntax_error(SyntaxError('error at 2:18: expected one of ".", "}"'), text)
    assert (
        error.message_fr
        == 'requête SPARQL invalide (ligne 2, colonne 18) : « ) » inattendu ; attendu : ".", "}"'
    )
    assert "unexpected ')'" in error.message_en and error.details["found"] == ")"
    early = syntax_error(SyntaxError("error at 1:20: expected <unreported>"), "SELECT * WHERE { ?s")
    assert "s'arrête trop tôt" in early.message_fr and "<unreported>" not in early.message_fr


@pytest.mark.parametrize(
    ("text", "prefix", "line", "column"),
    [
        ("SELECT ?s\nWHERE {\n  ?s foaf:name ?n\n}", "foaf", 3, 6),
        ("SELECT ?s WHERE { ?s :p ?o }", "", 1, 22),
        ('PREFIX eg: <http://e/>\nSELECT * { ?s eg:p "a:b"^^xsd:string } # c:d', "xsd", 2, 27),
    ],
)
def test_an_undeclared_prefix_is_named_at_its_place(text: str, prefix: str, line: int, column: int) -> None:
    error = syntax_error(SyntaxError("error at 9:9: expected OPTIONAL"), text)
    assert f"préfixe « {prefix}: » non déclaré" in error.message_fr
    assert (
        f"PREFIX {prefix}: <…>" in error.message_fr and f"undeclared prefix '{prefix}:'" in error.message_en
    )
    assert (error.details["line"], error.details["column"]) == (line, column)


def test_declared_prefixes_strings_iris_and_blank_nodes_are_not_undeclared() -> None:
    text = 'PREFIX eg: <http://e/a:b>\nPREFIX : <http://x/>\nSELECT * { ?s eg:p :o , _:b , "x:y" } # z:w'
    assert undeclared_prefixes(text) == []


def test_an_isolated_worker_reaches_no_listener(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        isolated = isolate_network()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            reached = b"1"
        except OSError:
            reached = b"0"
        os.write(write, (b"1" if isolated else b"0") + reached)
        os._exit(0)
    os.waitpid(pid, 0)
    isolated, reached = os.read(read, 2).decode()
    if isolated != "1":
        pytest.skip("this kernel allows no new network namespace here")
    assert reached == "0"
    assert pending_connections(listener) == 0


def test_fair_queue_serves_clients_in_turn_and_bounds_each_one() -> None:
    pool = _FairQueue(per_client=1)
    first, second = object(), object()
    pool.put(first)  # type: ignore[arg-type]
    held = pool.get("heavy", timeout=1)
    assert held is first
    import threading

    order: list[str] = []

    def ask(client: str) -> None:
        worker = pool.get(client, timeout=5)
        order.append(client)
        pool.put(worker, client)

    heavy_again = threading.Thread(target=ask, args=("heavy",))
    heavy_again.start()
    while not pool._waiting.get("heavy"):
        threading.Event().wait(0.01)
    with pytest.raises(TooManyRequests):  # one running and one waiting: a third must come back later
        pool.get("heavy", timeout=1)
    light = threading.Thread(target=ask, args=("light",))
    light.start()
    while not pool._waiting.get("light"):
        threading.Event().wait(0.01)
    pool.put(second)  # type: ignore[arg-type]
    light.join(5)
    pool.put(held, "heavy")
    heavy_again.join(5)
    assert order == ["light", "heavy"]
