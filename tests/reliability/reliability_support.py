"""Helpers of the reliability tests: a small corpus, `essgraph` subprocesses, reading and comparing homes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from essgraph.core.settings import Settings
from essgraph.ingest.journal import Journal
from essgraph.ontology.namespace import EG

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "essgraph" / "ingest" / "samples"
DOC_PREFIX = "graph/doc/"
QUERIES = (
    "achats publics responsables",
    "garage solidaire mobilité",
    "ressourcerie réemploi",
    "SCIC commune capital",
)

# Two short documents written for these tests (fictional initiatives, not corpus text).
GENERATED_DOCS: dict[str, str] = {
    "atelier-reemploi.md": """# Atelier de réemploi du Val d'Exemple

La communauté de communes du Val d'Exemple soutient une ressourcerie associative qui collecte
les objets encombrants, les répare et les revend à petit prix.

## Un levier : la commande publique

La collectivité réserve un lot de son marché de collecte des encombrants à une structure d'insertion
par l'activité économique. Douze salariés en parcours d'insertion y travaillent chaque année.

## Un partenariat durable

La ressourcerie est devenue une SCIC : la commune est entrée au capital aux côtés des salariés,
des usagers et d'une banque coopérative.
""",
    "garage-mobilite.txt": """Un garage solidaire pour la mobilité rurale

Le département d'Exemple finance un garage solidaire qui loue des voitures à bas prix aux personnes
en recherche d'emploi.

Le garage forme aussi des mécaniciens en insertion et répare les véhicules des ménages modestes.

Une plateforme de mobilité oriente les habitants vers le covoiturage, le transport à la demande et les
vélos électriques prêtés par la commune.
""",
}


def essgraph_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of an `essgraph` subprocess working on `home` (no inherited fault injection)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESSGRAPH_")}
    env["ESSGRAPH_HOME"] = str(home)
    env.update(extra)
    return env


def essgraph_cmd(*args: str) -> list[str]:
    """The command line running `essgraph <args>` with this interpreter."""
    return [sys.executable, "-m", "essgraph", *args]


def kill_after_first_write(home: Path, corpus: Path, delay: float) -> int:
    """Start a forced ingest, wait until it writes the journal, SIGKILL it `delay` s later; returns rc."""
    journal = home / "journal.json"
    before = journal.stat().st_mtime_ns if journal.exists() else None
    proc = subprocess.Popen(
        essgraph_cmd("ingest", "--force", str(corpus)),
        env=essgraph_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while proc.poll() is None:
            now = journal.stat().st_mtime_ns if journal.exists() else None
            if now != before:
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        return proc.wait(timeout=900)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run_essgraph(
    home: Path, *args: str, timeout: float = 900, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `essgraph <args>` on `home` to completion (or death); returns the finished process."""
    return subprocess.run(
        essgraph_cmd(*args),
        env=essgraph_env(home, **(env or {})),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def seed_cache(source_home: Path, home: Path) -> None:
    """Copy the embedding cache of `source_home` into `home`, so its runs embed nothing again."""
    src = source_home / "cache"
    if src.is_dir():
        shutil.copytree(src, home / "cache", dirs_exist_ok=True)


@dataclass
class HomeState:
    """What a data directory holds: document graphs, index passages and records, journal entries."""

    graphs: dict[str, rdflib.Graph] = field(default_factory=dict)
    graph_passages: dict[str, set[str]] = field(default_factory=dict)
    index_passages: dict[str, set[str]] = field(default_factory=dict)
    index_texts: dict[str, dict[str, str]] = field(default_factory=dict)
    journal: dict[str, dict[str, object]] = field(default_factory=dict)
    index_stale: str | None = None


def read_state(home: Path) -> HomeState:
    """The state of `home` read without a writer: the store read-only, the index files, the journal.

    Raises whatever opening them raises (a test calling this asserts the home opens).
    """
    settings = Settings(home=home)
    state = HomeState()
    prefix = settings.base_iri + DOC_PREFIX
    if (settings.graph_dir / "CURRENT").exists():
        store = ox.Store.read_only(str(settings.graph_dir))
        dataset = rdflib.Dataset()
        dataset.parse(data=bytes(store.dump(format=ox.RdfFormat.N_QUADS) or b""), format="nquads")
        del store
        for ctx in dataset.graphs():
            name = str(ctx.identifier)
            if not name.startswith(prefix):
                continue
            doc_id = name.removeprefix(prefix)
            graph = rdflib.Graph()
            for triple in ctx:
                graph.add(triple)
            state.graphs[doc_id] = graph
            state.graph_passages[doc_id] = {str(s) for s in graph.subjects(rdflib.RDF.type, EG.Passage)}
    from essgraph.search.engine import SearchEngine

    engine = SearchEngine.open(settings)
    state.index_stale = engine.stale_reason
    for doc_id in engine.doc_ids():
        state.index_passages[doc_id] = engine.passage_keys(doc_id)
    for rec in engine.records.values():
        state.index_texts.setdefault(rec.doc_id, {})[rec.iri] = rec.text
    engine.close()
    state.journal = {k: dict(v) for k, v in Journal(settings.journal_path).entries().items()}
    return state


def problems_against(state: HomeState, reference: HomeState) -> list[str]:
    """Ways `state` (after a crash) is half-written compared with the uninterrupted `reference`.

    A document present in the graph must be the whole reference document (isomorphic named graph);
    a document present in the indexes must hold exactly the reference passages and texts.
    """
    out: list[str] = []
    if state.index_stale:
        out.append(f"index stale: {state.index_stale}")
    for doc_id, graph in state.graphs.items():
        ref = reference.graphs.get(doc_id)
        if ref is None:
            out.append(f"graph {doc_id}: not in the reference")
        elif not isomorphic(graph, ref):
            out.append(f"graph {doc_id}: {len(graph)} triples, not isomorphic to the reference ({len(ref)})")
    for doc_id, texts in state.index_texts.items():
        if texts != reference.index_texts.get(doc_id):
            out.append(f"index {doc_id}: {len(texts)} passages differ from the reference")
    return out


def disagreements(state: HomeState) -> list[str]:
    """Documents whose passages differ between graph and indexes, and pending journal leftovers."""
    out: list[str] = []
    for doc_id in sorted(set(state.graph_passages) | set(state.index_passages)):
        g = state.graph_passages.get(doc_id, set())
        i = state.index_passages.get(doc_id, set())
        if g != i:
            out.append(f"{doc_id}: {len(g - i)} passages only in the graph, {len(i - g)} only in the indexes")
    return out


def search_signature(home: Path, queries: tuple[str, ...] = QUERIES) -> dict[str, list[tuple[float, str]]]:
    """{query: [(score rounded, passage IRI)…]} of a hybrid search on `home`, ties ordered by IRI."""
    from essgraph.search.engine import SearchEngine

    engine = SearchEngine.open(Settings(home=home))
    try:
        out = {}
        for q in queries:
            hits = engine.search(q, k=10).hits
            out[q] = sorted(((round(h.score, 5), h.record.iri) for h in hits), key=lambda t: (-t[0], t[1]))
        return out
    finally:
        engine.close()
