"""The SPARQL endpoint under attack: remote targets, huge or deep texts, huge results, one bad client."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from essgraph.app.web import create_app
from tests.service.conftest import StaffTokens, assert_error, bearer, copy_home, make_settings

SECRET = b"REMOTE-SECRET-BODY"


class CountingServer:
    """A real TCP listener on localhost that counts connections and answers each with an HTTP error
    whose body must never reach a client of essgraph."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                conn.settimeout(1)
                conn.recv(65536)
                reply = b"HTTP/1.1 500 Oops\r\nContent-Length: %d\r\n\r\n%s" % (len(SECRET), SECRET)
                conn.sendall(reply)
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def remote() -> Iterator[CountingServer]:
    server = CountingServer()
    yield server
    server.close()


BYPASSES = [
    "SELECT * WHERE {{ #\r SERVICE <http://127.0.0.1:{port}/x> {{ ?x ?y ?z }} \n }}",
    "SELECT * WHERE {{ SERVICE <http://\\u0031\\u0032\\u0037.0.0.1:{port}/x> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?a ?b ?c }} }} }} "
    "}}",
    "PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:x {{ ?a ?b ?c }} }}",
]


@pytest.mark.parametrize("template", BYPASSES)
def test_service_bypasses_reach_nothing_by_get_or_post(
    client: TestClient, remote: CountingServer, template: str
) -> None:
    query = template.format(port=remote.port)
    assert_error(client.get("/sparql", params={"query": query}), 400, "bad_input")
    assert_error(client.post("/sparql", data={"query": query}), 400, "bad_input")
    direct = client.post(
        "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert_error(direct, 400, "bad_input")
    assert remote.connections == 0


def test_load_bypass_reaches_nothing_even_for_staff(
    client: TestClient, remote: CountingServer, staff_tokens: StaffTokens
) -> None:
    update = (
        f"#\rLOAD <http://127.0.0.1:{remote.port}/d.ttl> INTO GRAPH <https://w3id.org/essgraph/id/graph/x>"
    )
    response = client.post("/sparql", data={"update": update}, headers=bearer(staff_tokens.writer))
    assert_error(response, 400, "bad_input")
    assert remote.connections == 0


def test_an_allowed_remote_is_called_once_and_its_body_never_echoed(
    built_home: Path, tmp_path: Path, staff_tokens: StaffTokens, remote: CountingServer
) -> None:
    settings = make_settings(
        copy_home(built_home, tmp_path / "home"), staff_tokens, service_allowlist=["127.0.0.1"]
    )
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{remote.port}/sparql> {{ ?s ?p ?o }} }}"
    with TestClient(create_app(settings), raise_server_exceptions=False) as own:
        response = own.get("/sparql", params={"query": query})
        assert response.status_code >= 500
        assert SECRET.decode() not in response.text
        assert str(remote.port) not in response.json()["message"]
    assert remote.connections == 1  # no retry of a failed query


def test_a_long_run_of_blank_lines_is_refused_for_size_and_health_answers(client: TestClient) -> None:
    body = b"\n" * 200_000 + b"SELECT * WHERE { ?s ?p ?o }"
    response = client.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query"})
    assert_error(response, 413, "payload_too_large")
    assert client.get("/health").status_code == 200


def test_deep_nesting_is_bad_input_not_a_server_error(client: TestClient) -> None:
    query = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    assert_error(client.get("/sparql", params={"query": query}), 400, "bad_input")
    assert client.get("/health").status_code == 200


def test_control_character_in_an_iri_is_bad_input(client: TestClient) -> None:
    query = "SELECT * WHERE { <http://e.org/a\x01b> ?p ?o }"
    assert_error(client.get("/sparql", params={"query": query}), 400, "bad_input")


def test_syntax_errors_are_complete_with_line_and_column(client: TestClient) -> None:
    body = assert_error(
        client.get("/sparql", params={"query": "SELECT * WHERE {\n ?s ?p \n}"}), 400, "sparql_syntax"
    )
    assert "ligne" in body["message"] and "colonne" in body["message"]
    assert "line" in body["message_en"] and "column" in body["message_en"]
    assert body["details"]["line"] >= 1


def test_results_are_cut_by_bytes_with_a_clear_header(
    built_home: Path, tmp_path: Path, staff_tokens: StaffTokens
) -> None:
    settings = make_settings(copy_home(built_home, tmp_path / "home"), staff_tokens, max_result_bytes=4096)
    query = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    with TestClient(create_app(settings), raise_server_exceptions=False) as own:
        response = own.get("/sparql", params={"query": query, "format": "json"})
        assert response.status_code == 200
        assert response.headers["X-Essgraph-Truncated"] == "true"
        assert len(response.content) < 3 * 4096
        assert response.json()["results"]["bindings"]
        assert own.get("/health").json()["status"] == "ok"


def test_one_client_gets_429_past_its_share_and_others_are_served(
    built_home: Path, tmp_path: Path, staff_tokens: StaffTokens
) -> None:
    settings = make_settings(
        copy_home(built_home, tmp_path / "home"), staff_tokens, query_timeout_s=3.0, sparql_per_client=1
    )
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    light = "ASK { ?s ?p ?o }"
    with TestClient(create_app(settings), raise_server_exceptions=False) as own:
        statuses: list[int] = []

        def send() -> None:
            statuses.append(own.get("/sparql", params={"query": heavy}).status_code)

        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert 429 in statuses  # one running, one waiting: the others are told to come back
        too_many = own.get("/sparql", params={"query": light})
        assert too_many.status_code in (200, 429)
        assert own.get("/sparql", params={"query": light}).status_code == 200
