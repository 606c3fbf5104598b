"""Search latency over HTTP while idle and while a ~1 MB document is ingested through POST /api/documents.

Starts `python -m essgraph serve` on 127.0.0.1 on a copy of an ingested home (the code served is this
checkout, or the source tree given with --code, to compare two versions with the same client), asks
questions written for this bench (never the development set) with a variant per round, so that no
question is asked twice and every search embeds its question, first idle, then while the upload is
being read, extracted, embedded and indexed. Bounded: at most --max-rounds rounds during the upload
and --max-seconds in all. Usage:

    python bench/ingest_search_latency.py --home /path/to/ingested/home [--code /other/source/tree]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import benchlib
import httpx
from benchlib import REPO, percentile

sys.path.insert(0, str(REPO))
from tests.service.french_text import french_document

# Written for this bench: varied élu / staff / researcher questions, none from ../shared/eval.
QUESTIONS = [
    "comment une mairie peut-elle aider une épicerie coopérative à ouvrir",
    "quelles aides pour créer une recyclerie associative",
    "soutenir un garage solidaire pour les demandeurs d'emploi",
    "mettre un local municipal à disposition d'une association d'insertion",
    "réserver des marchés publics aux entreprises d'insertion",
    "une collectivité peut-elle entrer au capital d'une SCIC",
    "financer un tiers-lieu rural avec des fonds européens",
    "développer les circuits courts dans la restauration scolaire",
    "accompagner les habitants dans un projet d'habitat participatif",
    "créer une monnaie locale avec les commerçants",
    "aider la mobilité des personnes âgées sans voiture",
    "coopérative d'activité et d'emploi pour les entrepreneurs",
    "plan local pour l'économie sociale et solidaire",
    "évaluer l'utilité sociale des associations subventionnées",
    "chantier d'insertion dans le bâtiment et la rénovation",
    "ressourcerie et réemploi des meubles",
    "pôle territorial de coopération économique en milieu rural",
    "soutenir l'agriculture paysanne et les jeunes installés",
    "achats responsables de la commune",
    "formation des élus à l'économie solidaire",
    "dispositif local d'accompagnement des associations employeuses",
    "lutter contre le gaspillage alimentaire avec une association",
    "incubateur d'entreprises sociales soutenu par la région",
    "financement participatif d'un projet citoyen d'énergie renouvelable",
    "coopération entre collectivités et structures de l'insertion",
    "service d'aide à domicile en coopérative",
    "accueil de jeunes en service civique dans les associations",
    "budget participatif et projets des quartiers",
    "conventions pluriannuelles d'objectifs avec les associations",
    "entreprise adaptée et emploi des travailleurs handicapés",
    "mutualiser un véhicule entre plusieurs associations",
    "commerce équitable dans les cantines",
    "prêt d'honneur pour les créateurs d'entreprise solidaire",
    "soutien aux fablabs et ateliers de réparation",
]
PLACES = [
    "à Angers", "à Besançon", "en Ariège", "à Limoges", "dans le Cantal", "à Perpignan",
    "en Mayenne", "à Valence", "dans le Jura", "à Nancy", "en Dordogne", "à Quimper",
    "dans l'Oise", "à Pau", "en Haute-Loire", "à Amiens", "dans le Var", "à Orléans",
    "en Creuse", "à Bayonne", "dans les Vosges", "à Caen", "en Charente", "à Nîmes",
    "dans le Lot", "à Chambéry", "en Sarthe", "à Troyes", "dans l'Aisne", "à Annecy",
]  # fmt: skip
FRAMES = [
    "",
    " en 2025",
    " pour une petite commune",
    " avec la communauté de communes",
    " pour un quartier prioritaire",
    " avec peu de budget",
]


def round_questions(number: int) -> list[str]:
    """The questions of round `number`, with a place and a frame no other round has."""
    place = PLACES[number % len(PLACES)]
    frame = FRAMES[(number // len(PLACES)) % len(FRAMES)]
    return [f"{question} {place}{frame}" for question in QUESTIONS]


def start_server(home: Path, port: int, token_entry: str, code: Path, log: Path) -> subprocess.Popen[bytes]:
    """`python -m essgraph serve` of the source tree `code` on `home` (loopback), one upload token;
    waits until /health answers."""
    return benchlib.start_server(home, port, code, log, {"ESSGRAPH_STAFF_TOKENS": json.dumps([token_entry])})


def ask(
    http: httpx.Client, questions: list[str], pause: float, stop: threading.Event | None = None
) -> list[tuple[float, float]]:
    """(start time, seconds) per search, each question once, in order, `pause` seconds apart (a person
    reads the answer); stops early once `stop` is set."""
    out: list[tuple[float, float]] = []
    for question in questions:
        if stop is not None and stop.is_set():
            break
        start = time.perf_counter()
        response = http.get("/api/search", params={"q": question, "k": 10})
        response.raise_for_status()
        out.append((start, time.perf_counter() - start))
        time.sleep(pause)
    return out


def ms(values: list[float]) -> str:
    """n, p50, p95 and max in milliseconds."""
    if not values:
        return "n=0"
    p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
    return f"n={len(values):5d}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(values) * 1000:8.1f} ms"


def main() -> int:
    """Measure idle, then during the upload; print the figures and the p95 ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="ingested home (copied, never changed)")
    parser.add_argument("--code", type=Path, default=REPO, help="source tree to serve (default: this one)")
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--upload-chars", type=int, default=1_000_000)
    parser.add_argument("--idle-rounds", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.25, help="seconds between two searches")
    parser.add_argument("--max-rounds", type=int, default=len(PLACES) * len(FRAMES) - 2)
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="bound on the upload phase")
    parser.add_argument("--server-log", type=Path, default=Path(tempfile.gettempdir()) / "essgraph-isl.log")
    args = parser.parse_args()
    if args.idle_rounds + args.max_rounds > len(PLACES) * len(FRAMES):
        raise SystemExit("idle + upload rounds exceed the distinct question variants")

    from essgraph.service.tokens import new_token, settings_entry

    token = new_token()
    document = french_document(args.upload_chars, seed=11).encode("utf-8")
    print(f"served code: {args.code.resolve()}")
    print(f"questions per round: {len(QUESTIONS)}; upload: {len(document)} bytes of generated French text")
    with tempfile.TemporaryDirectory(prefix="essgraph-isl-") as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(args.home, home)
        entry = settings_entry("bench", ["upload"], token)
        server = start_server(home, args.port, entry, args.code.resolve(), args.server_log)
        url = f"http://127.0.0.1:{args.port}"
        try:
            with httpx.Client(base_url=url, timeout=600) as http:
                idle: list[tuple[float, float]] = []
                for number in range(args.idle_rounds):
                    idle += ask(http, round_questions(number), args.pause)
                done = threading.Event()
                upload: dict[str, object] = {}

                def send() -> None:
                    start = time.perf_counter()
                    response = httpx.post(
                        url + "/api/documents?wait=true",
                        files={"file": ("dossier-banc.txt", document, "text/plain")},
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=args.max_seconds,
                    )
                    upload.update(seconds=time.perf_counter() - start, status=response.status_code)
                    upload["body"] = response.json() if response.status_code == 201 else response.text[:300]
                    done.set()

                sender = threading.Thread(target=send, name="upload")
                began = time.perf_counter()
                sender.start()
                during: list[tuple[float, float]] = []
                rounds = 0
                deadline = time.monotonic() + args.max_seconds
                while not done.is_set() and rounds < args.max_rounds and time.monotonic() < deadline:
                    during += ask(http, round_questions(args.idle_rounds + rounds), args.pause, done)
                    rounds += 1
                sender.join(args.max_seconds)
        finally:
            benchlib.stop_server(server)
    seconds = float(upload.get("seconds", 0.0))  # type: ignore[arg-type]
    idle_s = [latency for _, latency in idle]
    during_s = [latency for _, latency in during]
    print(f"search idle (fresh questions):    {ms(idle_s)}")
    print(f"search during the upload:         {ms(during_s)}  ({rounds} rounds)")
    tenth = seconds / 10 if seconds else 1.0
    for part in range(10):  # where in the upload the slow searches fell (the swap is at the very end)
        chunk = [lat for start, lat in during if part * tenth <= start - began < (part + 1) * tenth]
        print(f"  upload {part * 10:3d}-{part * 10 + 10:3d} % of its time:   {ms(chunk)}")
    last = max((start + lat - began for start, lat in during), default=0.0)
    print(f"upload: HTTP {upload.get('status')} in {seconds:.1f} s (last search ended at {last:.1f} s)")
    print(f"  -> {upload.get('body')}")
    if during_s and idle_s:
        ratio = percentile(during_s, 0.95) / percentile(idle_s, 0.95)
        verdict = "within" if ratio <= 2.0 else "ABOVE"
        print(f"p95 during / idle = {ratio:.2f} ({verdict} the 2x target)")
    return 0 if upload.get("status") == 201 else 1


if __name__ == "__main__":
    raise SystemExit(main())
