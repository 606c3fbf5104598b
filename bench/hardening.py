"""Hardening bench, in one run over HTTP on loopback: search during a 1 MB upload, /health during the
heaviest anonymous SPARQL, and the share of light SPARQL served while two clients loop heavy queries.

Starts `essgraph serve` on a copy of an ingested home; clients use distinct loopback source addresses
(127.0.0.2…) so that the per-client SPARQL share sees them as different clients. Usage:

    python bench/hardening.py --home /path/to/ingested/home --seconds 30
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import threading
import time
from pathlib import Path

import httpx
from benchlib import REPO, percentile
from load_service import start_server

# Questions written for this bench (not the development set): each is asked once per phase.
FRESH_QUESTIONS = [
    "aider une épicerie solidaire à s'installer dans un quartier",
    "comment la ville peut louer un local à une association d'insertion",
    "financer une recyclerie avec des fonds européens",
    "coopérative de chauffeurs pour remplacer les VTC",
    "faire entrer des habitants au capital d'une société coopérative",
    "un bus solidaire pour les villages sans transport",
    "accompagner la création d'emplois non délocalisables",
    "cantine scolaire avec des produits locaux et bio",
    "associer les élus de plusieurs communes à un projet d'économie solidaire",
    "monnaie citoyenne pour le commerce de proximité",
    "garage associatif pour réparer les voitures des personnes en insertion",
    "mettre des terres agricoles à disposition de jeunes maraîchers",
    "lutter contre la précarité énergétique avec une coopérative",
    "créer un tiers-lieu dans une ancienne friche industrielle",
    "marchés publics réservés aux structures d'insertion",
    "soutenir les entreprises adaptées qui emploient des personnes handicapées",
    "budget participatif pour des projets d'habitants",
    "plateforme coopérative de livraison à vélo",
    "réseau de collectivités qui échangent leurs pratiques",
    "évaluer l'impact social d'un projet soutenu par la métropole",
    "aide à domicile organisée en coopérative",
    "réemploi des matériaux du bâtiment",
    "lieu de fabrication numérique ouvert aux habitants",
    "quelle aide pour une crèche coopérative",
    "pôle de coopération entre entreprises d'un territoire rural",
    "garantie bancaire pour les petites entreprises solidaires",
    "chantier d'insertion dans les espaces verts",
    "commerce équitable dans les achats de la mairie",
    "accueil des réfugiés par des associations locales",
    "habitat participatif soutenu par un office HLM",
    "formation des agents territoriaux à l'économie sociale",
    "tourisme social et vacances pour tous",
]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = [
    "ASK { ?s a <https://w3id.org/essgraph/def#Initiative> }",
    "SELECT ?c WHERE { ?c a <https://w3id.org/essgraph/def#Collectivite> } LIMIT 5",
    "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/essgraph/def#Document> }",
]


def client(url: str, address: str) -> httpx.Client:
    """An HTTP client whose requests come from loopback address `address` (one per simulated person)."""
    return httpx.Client(base_url=url, timeout=120, transport=httpx.HTTPTransport(local_address=address))


PLACES = [
    "à Rennes",
    "à Lille",
    "en Ardèche",
    "à Grenoble",
    "dans le Gers",
    "à Nantes",
    "en Corrèze",
    "à Strasbourg",
    "dans la Drôme",
    "à Dijon",
    "en Lozère",
    "à Brest",
    "dans le Nord",
    "à Poitiers",
    "en Savoie",
    "à Rouen",
    "dans l'Aude",
    "à Metz",
    "en Vendée",
    "à Clermont-Ferrand",
    "à Tours",
]


def fresh(round_number: int) -> list[str]:
    """The bench's questions with a place that differs per round: never asked before in the run, so
    each search embeds its question (the service keeps the vectors of recent questions)."""
    place = PLACES[round_number % len(PLACES)]
    return [f"{question} {place}" for question in FRESH_QUESTIONS]


def search_latencies(url: str, questions: list[str]) -> list[float]:
    """Seconds per search, each question asked once in order (embedding included: fresh questions)."""
    out = []
    with client(url, "127.0.0.2") as http:
        for question in questions:
            start = time.perf_counter()
            response = http.get("/api/search", params={"q": question, "k": 10})
            response.raise_for_status()
            out.append(time.perf_counter() - start)
    return out


def big_document(chars: int) -> bytes:
    """About `chars` characters of varied French paragraphs (generated, not from the corpus)."""
    rng = random.Random(7)
    words = (
        "commune métropole association coopérative insertion emploi quartier habitants solidaire "
        "recyclerie mobilité foncier agriculture énergie tiers-lieu financement subvention capital "
        "accompagnement territoire économie sociale projet local partenaires réseau formation"
    ).split()
    parts: list[str] = ["# Rapport d'activité généré pour le banc\n"]
    size = 0
    number = 0
    while size < chars:
        number += 1
        sentence = " ".join(rng.choice(words) for _ in range(60))
        paragraph = f"\n## Section {number}\n\nParagraphe {number} : {sentence}.\n"
        parts.append(paragraph)
        size += len(paragraph)
    return "".join(parts).encode("utf-8")


def phase_search_during_upload(url: str, token: str, chars: int) -> tuple[list[float], list[float], float]:
    """Idle search latencies, then the same number during a ~`chars` upload; and the upload's seconds."""
    idle = search_latencies(url, fresh(0))
    done = threading.Event()
    upload_seconds = [0.0]

    def upload() -> None:
        start = time.perf_counter()
        response = httpx.post(
            url + "/api/documents?wait=true",
            files={"file": ("rapport-banc.md", big_document(chars), "text/markdown")},
            headers={"Authorization": f"Bearer {token}"},
            timeout=3600,
        )
        upload_seconds[0] = time.perf_counter() - start
        if response.status_code != 201:
            print("upload failed:", response.status_code, response.text[:300])
        done.set()

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(3)  # the upload is being read and embedded
    during: list[float] = []
    rounds = 0
    while not done.is_set() and rounds < len(PLACES) - 1:
        rounds += 1
        during += search_latencies(url, fresh(rounds))
    thread.join()
    return idle, during, upload_seconds[0]


def loop_heavy(url: str, address: str, stop: float, statuses: list[int]) -> None:
    """One anonymous client looping the heaviest query the limits allow until `stop`."""
    with client(url, address) as http:
        while time.monotonic() < stop:
            statuses.append(http.get("/sparql", params={"query": HEAVY}).status_code)


def phase_sparql(url: str, seconds: float) -> tuple[list[float], list[int], list[float]]:
    """/health latencies and light-query statuses and latencies while two clients loop heavy queries."""
    stop = time.monotonic() + seconds
    heavy: list[int] = []
    loopers = [threading.Thread(target=loop_heavy, args=(url, f"127.0.0.{n}", stop, heavy)) for n in (3, 4)]
    for thread in loopers:
        thread.start()
    time.sleep(1)
    health: list[float] = []
    light: list[int] = []
    light_latency: list[float] = []
    rng = random.Random(3)
    with client(url, "127.0.0.5") as http, client(url, "127.0.0.6") as probe:
        while time.monotonic() < stop:
            start = time.perf_counter()
            probe.get("/health").raise_for_status()
            health.append(time.perf_counter() - start)
            start = time.perf_counter()
            light.append(http.get("/sparql", params={"query": rng.choice(LIGHT)}).status_code)
            light_latency.append(time.perf_counter() - start)
            time.sleep(0.2)
    for thread in loopers:
        thread.join()
    print(f"heavy queries sent: {len(heavy)}, statuses: {sorted(set(heavy))}")
    return health, light, light_latency


def ms(values: list[float]) -> str:
    """p50 / p95 in milliseconds."""
    return f"p50 {percentile(values, 0.5) * 1000:8.1f} ms  p95 {percentile(values, 0.95) * 1000:8.1f} ms"


def main() -> int:
    """Run the three measures against one server; prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO / "var", help="ingested home to copy and serve")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the SPARQL phase")
    parser.add_argument("--upload-chars", type=int, default=1_000_000)
    parser.add_argument("--server-log", type=Path, default=Path(tempfile.gettempdir()) / "essgraph-hard.log")
    args = parser.parse_args()

    from essgraph.service.tokens import new_token, settings_entry

    token = new_token()
    with tempfile.TemporaryDirectory(prefix="essgraph-hard-") as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(args.home, home)
        server = start_server(home, args.port, settings_entry("bench", ["upload"], token), args.server_log)
        url = f"http://127.0.0.1:{args.port}"
        try:
            health, light, light_latency = phase_sparql(url, args.seconds)
            idle, during, upload_s = phase_search_during_upload(url, token, args.upload_chars)
        finally:
            server.terminate()
            server.wait(timeout=60)
    served = sum(1 for s in light if 200 <= s < 300)
    print(f"/health while two clients loop the heaviest anonymous SPARQL: n={len(health)} {ms(health)}")
    print(
        f"light SPARQL from a third client: {served}/{len(light)} served "
        f"({100 * served / max(1, len(light)):.1f} %), {ms(light_latency)}"
    )
    print(f"search idle (fresh questions):           n={len(idle)} {ms(idle)}")
    print(f"search during a {args.upload_chars / 1e6:.1f} MB upload:      n={len(during)} {ms(during)}")
    print(
        f"upload ingested in {upload_s:.1f} s; p95 ratio during/idle = "
        f"{percentile(during, 0.95) / percentile(idle, 0.95):.2f}"
        if during
        else "no search ran during the upload"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
