"""Helpers shared by the bench scripts: percentiles, questions (development set, generated), servers."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO.parent / "shared" / "eval" / "queries.jsonl"


def start_remote_configuration(home: Path, cache_from: Path | None) -> tuple[dict[str, str], Any]:
    """The Oxigraph server + milvus-lite configuration for `home`: the embedding cache of the ingested home
    `cache_from` (if given) seeded into Milvus first, so its texts are not encoded again, then a fresh
    `oxigraph serve` under `home`. Returns the settings (ESSGRAPH_*) a process on that home needs, and the
    running server (stop it after). Exits when the oxigraph binary is absent."""
    import sys

    sys.path.insert(0, str(REPO))
    from essgraph.core.settings import Settings
    from essgraph.search.embedders import SQLITE_CACHE_FILE, seed_embedding_cache
    from tests.sparql_server_support import OxigraphServer, oxigraph_binary

    binary = oxigraph_binary()
    if binary is None:
        raise SystemExit("oxigraph server binary absent (pip install oxigraph)")
    home.mkdir(parents=True, exist_ok=True)
    if cache_from is not None:
        seed_embedding_cache(Settings(home=home, index="milvus"), cache_from / "cache" / SQLITE_CACHE_FILE)
    server = OxigraphServer(binary, home / "oxigraph")
    server.start()
    settings = {
        "ESSGRAPH_STORE_BACKEND": "sparql",
        "ESSGRAPH_SPARQL_QUERY_URL": f"{server.url}/query",
        "ESSGRAPH_SPARQL_UPDATE_URL": f"{server.url}/update",
        "ESSGRAPH_SPARQL_STORE_URL": f"{server.url}/store",
        "ESSGRAPH_INDEX": "milvus",
    }
    return settings, server


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of `values` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def development_questions(path: Path = QUERIES) -> list[str]:
    """The question texts of a JSON-lines question file (default: the development set)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def wait_for_health(
    process: subprocess.Popen[bytes], port: int, message: str, timeout_s: float = 300
) -> None:
    """Wait until the server on loopback `port` answers 200 on /health; kills `process` and exits with
    `message` if it does not within `timeout_s`."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(message)


def start_server(
    home: Path, port: int, code: Path, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`python -m essgraph serve` of the source tree `code` on `home`, on loopback `port`, with the extra
    environment `env` (settings as ESSGRAPH_*); waits until /health answers."""
    import os
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "essgraph", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=dict(os.environ, ESSGRAPH_HOME=str(home), PYTHONPATH=str(code), **(env or {})),
        cwd=code,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_for_health(process, port, f"the server did not start (see {log})")
    return process


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server started by `start_server` (killed if it has not stopped within a minute)."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=60)


# Question frames for `fresh_questions`: what an élu, a staff member or a researcher asks about a topic.
_TEMPLATES = (
    "comment une commune peut-elle soutenir {x}",
    "quels leviers pour développer {x}",
    "exemples de {x} accompagnés par une collectivité",
    "quel rôle pour l'intercommunalité dans {x}",
    "aides publiques en faveur de {x}",
    "{x} : par où commencer",
    "financer {x} avec le budget municipal",
    "retours d'expérience sur {x}",
    "qui peut accompagner {x}",
    "{x} et emploi local",
    "mettre en place {x} sur notre territoire",
    "quelles étapes pour lancer {x}",
)
_PLACES = (
    "", " à Angers", " en Ariège", " dans le Cantal", " à Limoges", " en Mayenne", " dans le Jura",
    " à Quimper", " en Dordogne", " dans l'Oise", " à Pau", " en Creuse", " dans les Vosges",
)  # fmt: skip
_FRAMES = ("", " en 2025", " pour une petite commune", " avec peu de budget", " en milieu rural", " ?")


def _topic(label: str) -> str:
    """A thesaurus label as it reads inside a sentence (first letter lowered, acronyms kept)."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() or len(label) < 2 else label[0].lower() + label[1:]


def fresh_questions(count: int, seed: int = 7) -> list[str]:
    """`count` distinct French questions, none from the development set: a topic (a label of a thesaurus
    concept, preferred or alternative) in a question frame, with a place and a frame, drawn by a seeded
    generator (the same list for the same `count` and `seed`). Raises ValueError if fewer exist."""
    import random

    from essgraph.ontology.thesaurus import load_thesaurus

    topics = sorted(
        {_topic(label) for c in load_thesaurus().concepts for label in (c.pref_label, *c.alt_labels) if label}
    )
    if len(topics) * len(_TEMPLATES) * len(_PLACES) * len(_FRAMES) < count:
        raise ValueError(f"only {len(topics)} thesaurus labels: too few for {count} questions")
    rng = random.Random(seed)
    seen: set[str] = {q.lower() for q in development_questions()} if QUERIES.exists() else set()
    out: list[str] = []
    while len(out) < count:
        text = rng.choice(_TEMPLATES).format(x=rng.choice(topics)) + rng.choice(_PLACES) + rng.choice(_FRAMES)
        if text.lower() not in seen:
            seen.add(text.lower())
            out.append(text)
    return out
