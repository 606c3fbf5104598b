"""Competency questions: each graph/examples/c*.rq and d*.rq runs on the corpus graph and answers."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from essgraph.graph.facts import normalise

pytestmark = pytest.mark.slow
QUERIES = Path(__file__).resolve().parents[2] / "essgraph" / "graph" / "examples"

# For each question, the answer rows it must return: each row is a set of label fragments that must all occur
# (normalised) in one result row. Taken from the "expected" field of ../shared/eval/cq.jsonl.
EXPECTED: dict[str, list[tuple[str, ...]]] = {
    "c01": [
        ("Métropole de Lyon", "Iloe"),
        ("Clermont Auvergne Métropole", "MassiflX"),
        ("Clermont Auvergne Métropole", "SoTicket"),
        ("Clermont Auvergne Métropole", "Epicentre Factory"),
        ("Ville de Gennevilliers", "BicyclAide"),
        ("Ville de Lille", "Citiz Lille Arras"),
        ("Métropole Européenne de Lille", "Citiz Lille Arras"),
        ("Ville de Lille", "Mèli-Mélo"),
        ("Pays de Colombey et Sud Toulinois", "Relais Lorraine"),
    ],
    "c04": [
        ("fiche n°8",),
        ("fiche n°11",),
        ("fiche n°14",),
        ("fiche n°18",),
        ("fiche n°22",),
        ("fiche n°23",),
    ],
    "c07": [
        ("Racine", "Vallée de Chevreuse", "25000", "17000"),
        ("Cairn", "Ville de Grenoble", "Grenoble Alpes"),
        ("Eusko", "Bayonne"),
    ],
    "c10": [
        ("fiche n°4", "principe B", "mesure 30"),
        ("fiche n°5", "mesure 9"),
        ("fiche n°7", "mesure 1"),
        ("fiche n°8", "mesure 5", "mesure 6", "mesure 7"),
        ("fiche n°10", "mesure 14", "mesure 15"),
        ("fiche n°11", "mesure 30"),
        ("fiche n°12", "mesure 31"),
        ("fiche n°14", "mesure 3", "mesure 11", "mesure 12"),
        ("fiche n°18", "mesure 4", "mesure 25"),
        ("fiche n°20", "mesure 2", "mesure 32"),
        ("fiche n°22", "mesure 18", "mesure 19"),
    ],
    "c12": [("Villages Vivants",), ("Terre de Liens",), ("ETIC Foncièrement responsable",)],
    "d03": [
        ("Ile-de-France", "CRESS", "AMIF", "6 rencontres en 2021"),
        ("AURA", "CRESS", "4 rencontres en 2021", "2021 tenu"),
        ("Nouvelle Aquitaine", "CRESS", "Chaire", "5 rencontres en 2021", "2021 tenu"),
        ("Grand Est", "CRESS", "1 rencontres en 2021", "2021 tenu"),
        ("Pays de la Loire", "CRESS", "2022 prevu"),
        ("Bretagne", "2022 prevu"),
    ],
    "d08": [
        ("Référent", "Fiche action n°2"),
        ("Référent", "Fiche action n°10"),
        ("Référent", "Fiche action n°11"),
        ("Référent", "Communication"),
        ("Référent", "Plaidoyer"),
        ("Contributeur", "Fiche action n°7"),
        ("Contributeur", "Fiche action n°9"),
        ("vice-présidente", "RTES"),
        ("référente alimentation", "PETR"),
    ],
    "d09": [
        ("Politique de la ville", "280"),
        ("SCIC", "100"),
        ("alimentation", "100"),
        ("subsistance", "100"),
        ("Assemblée générale", "90"),
        ("Communs", "70"),
        ("IRA", "70"),
        ("aménagement urbain", "70"),
        ("loi ESS", "70"),
    ],
    "d14": [("Kit MunicipalESS", "750", "17000"), ("Départements", "150", "168"), ("Régions", "200", "170")],
    "d15": [
        ("ANCT", "30000"),
        ("Secrétariat", "RTES"),
        ("Fondation AG2R",),
        ("Fondation Crédit coopératif",),
        ("Institut de recherche de la Caisse des Dépôts",),
        ("Ministère de l'Agriculture", "TRESSONS"),
        ("APES", "10000", "2022"),
        ("APES", "10000", "2023"),
        ("RNAR", "TRESSONS"),
    ],
}
NOT_YET: dict[str, str] = {}


def _norm(text: str) -> str:
    return normalise(re.sub(r"#", " ", text))


def _rows(store: ox.Store, path: Path) -> list[str]:
    rows = []
    for solution in store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True):
        values = [solution[i].value for i in range(len(solution)) if solution[i] is not None]  # type: ignore[index]
        rows.append(_norm(" ".join(values)))
    return rows


def test_every_question_has_a_documented_query() -> None:
    for qid in EXPECTED:
        text = (QUERIES / f"{qid}.rq").read_text(encoding="utf-8")
        assert text.startswith(f"# {qid} — "), qid
        assert "SELECT" in text


@pytest.mark.parametrize(
    "qid",
    [
        pytest.param(q, marks=pytest.mark.xfail(reason=NOT_YET[q], strict=False)) if q in NOT_YET else q
        for q in EXPECTED
    ],
)
def test_competency_question(corpus_store: ox.Store, qid: str) -> None:
    rows = _rows(corpus_store, QUERIES / f"{qid}.rq")
    missing = []
    for fragments in EXPECTED[qid]:
        wanted = [_norm(f) for f in fragments]
        if not any(all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", row) for w in wanted) for row in rows):
            missing.append(fragments)
    assert not missing, f"{qid}: réponses manquantes {missing}"
