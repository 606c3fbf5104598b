"""The on-disk store: one writer (busy error), atomic graph replacement, SPARQL formats and limits."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from essgraph.core.errors import BadInput, QueryTimeout, SparqlSyntaxError, StoreBusy
from essgraph.core.settings import Settings
from essgraph.graph.sparql import SparqlExecutor, check_service_allowed, is_update
from essgraph.graph.store_factory import open_store

G1 = "https://example.org/graph/a"
G2 = "https://example.org/graph/b"
HOLD_WRITER = (
    "import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
    "print('ready', flush=True); time.sleep(30)"
)
TTL = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:iloe a ex:Initiative ; rdfs:label "SCIC Iloe"@fr ; ex:share 48 .
ex:lyon a ex:Collectivite ; rdfs:label "Métropole de Lyon"@fr ; ex:holds [ ex:amount 100000 ] .
"""


def _graph(ttl: str = TTL) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ttl, format="turtle")
    return g


def test_replace_graph_is_a_replacement(store_settings: Settings) -> None:
    with open_store(store_settings) as store:
        store.replace_graph(G1, _graph())
        store.replace_graph(G2, _graph())
        smaller = _graph('@prefix ex: <https://example.org/> . ex:x ex:p "1" .')
        store.replace_graph(G1, smaller)
        counts = dict(store.iter_graph_counts())
    assert counts == {G1: 1, G2: len(_graph())}


@pytest.fixture
def held_writer(settings: Settings) -> Iterator[Settings]:
    """Another process holding the store open for writing for the duration of the test."""
    settings.graph_dir.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITER, str(settings.graph_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield settings
    finally:
        holder.kill()
        holder.wait()


def test_second_writer_gets_store_busy(held_writer: Settings) -> None:
    with pytest.raises(StoreBusy) as info:
        open_store(held_writer)
    assert info.value.status == 503 and "occupé" in info.value.message_fr
    # readers are not blocked by the writer
    with open_store(held_writer, read_only=True) as reader:
        assert reader.quad_count() == 0


def test_cli_ingest_reports_busy_store(held_writer: Settings, tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Une phrase.\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "essgraph", "--home", str(held_writer.home), "ingest", str(doc)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "occupé" in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_export_import_round_trip_is_isomorphic(store_settings: Settings, tmp_path: Path) -> None:
    with open_store(store_settings) as store:
        store.replace_graph(G1, _graph())
        store.replace_graph(G2, _graph('@prefix ex: <https://example.org/> . ex:y ex:p "é"@fr .'))
        for fmt in ("nquads", "trig", "jsonld"):
            dump = store.dump(fmt)
            other = Settings(home=tmp_path / f"restore-{fmt}")
            with open_store(other) as restored:
                restored.load_dataset(dump, fmt, f"dump.{fmt}")
                assert restored.graph_names() == store.graph_names()
                for name in store.graph_names():
                    assert isomorphic(store.to_rdflib(name), restored.to_rdflib(name)), (fmt, name)


def test_broken_dump_writes_nothing(store_settings: Settings) -> None:
    with open_store(store_settings) as store:
        broken = b'<https://e.org/a> <https://e.org/p> "ok" <https://e.org/g> .\n<https://e.org/a> <https:/'
        with pytest.raises(BadInput) as info:
            store.load_dataset(broken, "nquads", "sauvegarde.nq")
        assert "sauvegarde.nq" in info.value.message_fr and "\n" not in info.value.message_fr
        assert store.quad_count() == 0


@pytest.fixture
def filled(store_settings: Settings) -> Settings:
    with open_store(store_settings) as store:
        store.replace_graph(G1, _graph())
    return store_settings


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("json", b'"bindings"'), ("xml", b"<sparql"), ("csv", b"label\r\n"), ("tsv", b"?label\n")],
)
def test_select_formats(filled: Settings, fmt: str, marker: bytes) -> None:
    executor = SparqlExecutor(filled, workers=1)
    try:
        result = executor.run(
            "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }", fmt
        )
    finally:
        executor.close()
    assert marker in result.body
    assert "Métropole de Lyon".encode() in result.body and result.rows == 2


def test_construct_and_ask(filled: Settings) -> None:
    executor = SparqlExecutor(filled, workers=1)
    try:
        ttl = executor.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "turtle")
        ask = executor.run("ASK { ?s a <https://example.org/Initiative> }", "json")
    finally:
        executor.close()
    assert len(rdflib.Graph().parse(data=ttl.body, format="turtle")) == len(_graph())
    assert json.loads(ask.body)["boolean"] is True


def test_row_cap_and_timeout(filled: Settings) -> None:
    # 5 s: long enough for a first query on a busy machine, far too short for the cross product below
    capped = filled.model_copy(update={"max_rows": 2, "query_timeout_s": 5.0})
    executor = SparqlExecutor(capped, workers=1)
    try:
        result = executor.run("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "json")
        assert result.truncated and len(json.loads(result.body)["results"]["bindings"]) == 2
        with pytest.raises(QueryTimeout):
            executor.run(
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o ."
                " ?p ?q ?r ."
                " ?s ?t ?u . ?v ?w ?x . ?y ?z ?aa . ?ab ?ac ?ad . ?ae ?af ?ag . ?ah ?ai ?aj }",
                "json",
            )
        # the executor keeps serving after a killed query
        assert executor.run("ASK { ?s ?p ?o }", "json").kind == "ask"
        with pytest.raises(SparqlSyntaxError):
            executor.run("SELEKT nothing", "json")
    finally:
        executor.close()


def test_service_allow_list() -> None:
    with pytest.raises(BadInput):
        check_service_allowed("SELECT * { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", [])
    with pytest.raises(BadInput):
        check_service_allowed("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", ["dbpedia.org"])
    check_service_allowed("SELECT * { SERVICE <https://dbpedia.org/sparql> { ?s ?p ?o } }", ["dbpedia.org"])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE<http://evil.example/s> { ?s ?p ?o } }",
        "SELECT * { SERVICE#comment\n<http://evil.example/s> { ?s ?p ?o } }",
        "SELECT * { service silent <http://evil.example/s> { ?s ?p ?o } }",
        "PREFIX e: <http://evil.example/> SELECT * { SERVICE e:s { ?s ?p ?o } }",
        "LOAD <http://evil.example/d.ttl#x>",
        "LOAD<http://evil.example/d.ttl>",
        "PREFIX e: <http://evil.example/> LOAD e:d",
        "LOAD SILENT <http://evil.example/d> INTO GRAPH <http://g.example/>",
    ],
)
def test_remote_access_bypasses_are_refused(text: str) -> None:
    with pytest.raises(BadInput):
        check_service_allowed(text, ["ok.example"])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service WHERE { ?s <http://x.example/service> ?service . FILTER(?a < ?b) }",
        'SELECT * { ?s ?p "SERVICE <http://evil.example/>" } # SERVICE <http://evil.example/>',
        "SELECT * { SERVICE <https://ok.example/sparql> { ?s ?p ?o } }",
        "LOAD <http://ok.example/d.ttl>",
    ],
)
def test_allowed_or_harmless_texts_pass(text: str) -> None:
    check_service_allowed(text, ["ok.example"])


def test_update_detection() -> None:
    assert is_update("PREFIX ex: <https://e.org/>\nINSERT DATA { ex:a ex:b ex:c }")
    assert is_update("# comment\nDROP ALL")
    assert is_update("load <http://x.org/a.ttl>")
    assert not is_update("SELECT * WHERE { ?s ?p ?o }")


def test_read_only_open_is_retried_after_a_storage_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer in another process may rotate files while a read-only store opens them (export, stats):
    the open is tried again up to `store_read_retries` times, then the storage error is raised."""
    import pyoxigraph as ox

    with open_store(settings) as store:
        store.replace_graph(G1, _graph())
    real_open = ox.Store.read_only
    failures = {"left": 2}

    def flaky(path: str) -> ox.Store:  # the first opens fail as during a MANIFEST rotation
        if failures["left"]:
            failures["left"] -= 1
            raise OSError("Corruption: IO error: No such file or directory: MANIFEST-000012")
        return real_open(path)

    monkeypatch.setattr(ox.Store, "read_only", staticmethod(flaky))
    with open_store(settings, read_only=True) as reader:
        assert dict(reader.iter_graph_counts())[G1] == len(_graph())
    failures["left"] = 10
    with pytest.raises(OSError, match="Corruption"):
        open_store(settings.model_copy(update={"store_read_retries": 2}), read_only=True)


EX = "https://example.org/"


def test_bindings_mean_the_same_on_every_backend(store_settings: Settings) -> None:
    """Single terms, rows, UNION branches, aggregates, filters on bound values inside EXISTS and an
    update with bindings: the server (VALUES blocks) answers what the embedded store (substitutions)
    answers; a value that is not an IRI never reaches the store."""
    from rdflib import Literal, URIRef

    iloe, lyon = URIRef(EX + "iloe"), URIRef(EX + "lyon")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    with open_store(store_settings) as store:
        store.replace_graph(G1, _graph())
        store.replace_graph(G2, _graph("@prefix ex: <https://example.org/> . ex:lyon ex:funds ex:iloe ."))
        # a bound variable left out of the projection, and one projected
        assert store.select("SELECT ?l WHERE { ?node ?p ?l }", {"node": iloe, "p": label}) == [
            {"l": "SCIC Iloe"}
        ]
        rows = store.select("SELECT ?node ?l WHERE { ?node ?p ?l }", {"node": iloe, "p": label})
        assert rows == [{"node": EX + "iloe", "l": "SCIC Iloe"}]
        # several rows for one variable
        rows = store.select("SELECT ?x ?l WHERE { ?x ?p ?l } ORDER BY ?l", {"x": [iloe, lyon], "p": label})
        assert [r["l"] for r in rows] == ["Métropole de Lyon", "SCIC Iloe"]
        # both ends of a UNION, then an aggregate over a bound variable
        rows = store.select(
            "SELECT ?x WHERE { { ?node ?p ?x } UNION { ?x ?p ?node } FILTER(isIRI(?x)) } ORDER BY ?x",
            {"node": iloe},
        )
        assert [r["x"] for r in rows] == [EX + "Initiative", EX + "lyon"]
        rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?node ?p ?o } }", {"node": lyon})
        assert rows == [{"n": "4"}]
        # a bound value read inside EXISTS in the WHERE group, and a graph name bound
        rows = store.select(
            "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER EXISTS { ?s ?q ?target } } ORDER BY ?s",
            {"g": URIRef(G2), "target": iloe},
        )
        assert rows == [{"s": EX + "lyon"}]
        # an update with bindings in its WHERE group (and a literal with quotes and a language)
        store.update(
            "INSERT { GRAPH ?g { ?s ?p ?l } } WHERE { GRAPH ?g { ?s ?any ?o } }",
            {"g": URIRef(G2), "s": lyon, "p": label, "l": Literal('dit "la Métropole"', lang="fr")},
        )
        rows = store.select(
            "SELECT ?l WHERE { GRAPH ?g { ?s ?p ?l } }", {"g": URIRef(G2), "s": lyon, "p": label}
        )
        assert rows == [{"l": 'dit "la Métropole"'}]
        store.change_triples(G2, remove=[(lyon, label, Literal('dit "la Métropole"', lang="fr"))])
        assert dict(store.iter_graph_counts())[G2] == 1
        with pytest.raises(BadInput):
            store.select("SELECT ?o WHERE { ?s ?p ?o }", {"s": URIRef(EX + "x> } ; DROP ALL ; #")})
        assert dict(store.iter_graph_counts()) == {G1: len(_graph()), G2: 1}


def test_an_export_cut_by_the_servers_row_cap_is_refused(tmp_path: Path) -> None:
    """Virtuoso caps every result at ResultSetMaxRows without saying so: a dump that got fewer quads
    than the server counts raises StoreUnavailable instead of writing a partial export."""
    from essgraph.core.errors import StoreUnavailable
    from tests.sparql_server_support import VirtuosoServer, virtuoso_binary

    binary = virtuoso_binary()
    if binary is None:
        pytest.skip("virtuoso-t absent (apt-get install virtuoso-opensource)")
    server = VirtuosoServer(binary, tmp_path / "virtuoso", max_rows=len(_graph()))
    server.start()
    try:
        with open_store(server.settings(Settings(home=tmp_path / "home"))) as store:
            store.replace_graph(G1, _graph())
            assert len(store.dump("nquads").splitlines()) == len(_graph())  # at the cap: complete
            store.replace_graph(G2, _graph())
            with pytest.raises(StoreUnavailable) as info:
                store.dump("nquads")
            assert "export incomplet" in info.value.message_fr and "ResultSetMaxRows" in info.value.message_en
    finally:
        server.stop()
