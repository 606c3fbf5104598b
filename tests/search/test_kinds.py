"""Passage kinds from layout cues, what a question asks for, and reference passages ranked down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from essgraph.core.settings import Settings
from essgraph.search.engine import SearchEngine
from essgraph.search.kinds import KINDS, asked_kinds, classify_passage
from essgraph.search.records import PassageRecord, SectionInfo

# texts written for these tests (no corpus sentence)
ANSWER = (
    "La commune soutient la recyclerie solidaire en lui louant un local à prix réduit et en finançant "
    "pendant trois ans le poste de la personne qui anime les ateliers de réparation."
)
CONTACT = "Recyclerie solidaire : Jeanne Exemple, jeanne.exemple@exemple.org, 01 23 45 67 89."
RESOURCES = (
    "Pour aller plus loin sur la recyclerie solidaire : Guide des recycleries, 2019 ; "
    "www.exemple.org/recyclerie ; Lettre n°12, mars 2021 ; Étude réemploi et emploi, 2020."
)
TOC = "Sommaire La recyclerie solidaire.....page 3 Le réemploi.....page 7 Les partenaires.....page 9"
INDEX = "Index coopérative, 12, 45-47 recyclerie, 3, 8 réemploi, 7, 21, 30 tiers-lieu, 14, 15"
NAMES = (
    "Comité de pilotage Jeanne Exemple Paul Modèle Agence Fictive Mairie Imaginaire Lucie Témoin "
    "Association Hypothèse Marc Essai Réseau Supposé"
)
EXAMPLE = (
    "Une recyclerie en milieu rural (99) Dans un village de test, une association a ouvert une recyclerie "
    "qui emploie quatre salariés en insertion."
)
MIXED = (
    "La collectivité a confié la gestion du lieu à une coopérative pour dix ans, après un appel à projets "
    "ouvert à toutes les structures du territoire, et suit chaque année son activité en comité. "
    "Ressources pour aller plus loin : Guide du lieu partagé, 2018."
)
CALENDAR = (
    "Calendrier mars 2022 : lancement 12 avril 2022 : comité juin 2022 : atelier septembre 2022 : "
    "bilan décembre 2022 : rapport"
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (ANSWER, "answer"),
        (CONTACT, "contact"),
        (RESOURCES, "resources"),
        (TOC, "toc"),
        (INDEX, "index"),
        (NAMES, "names"),
        (EXAMPLE, "example"),
        (MIXED, "answer"),  # the answer comes first: a resources line at its end does not make a list
        (CALENDAR, "answer"),  # dates of an agenda are not the years of references
        ("", "answer"),
    ],
)
def test_layout_cues_decide_the_kind(text: str, kind: str) -> None:
    assert classify_passage(text) == kind
    assert kind in KINDS


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("qui contacter pour monter une recyclerie ?", {"contact"}),
        ("coordonnées de l'équipe", {"contact"}),
        ("bibliographie sur le réemploi", {"resources"}),
        ("pour aller plus loin sur les SCIC", {"resources"}),
        ("sommaire du guide", {"toc"}),
        ("liste des fiches sur la mobilité", {"resources", "toc", "index", "names"}),
        ("un exemple de recyclerie en milieu rural", {"example"}),
        ("comment financer une recyclerie ?", set()),
    ],
)
def test_questions_ask_for_kinds(question: str, kinds: set[str]) -> None:
    assert asked_kinds(question) == kinds


def _record(order: int, text: str) -> PassageRecord:
    return PassageRecord(
        doc_id="kinds",
        document="kinds.txt",
        iri=f"https://w3id.org/essgraph/id/doc/kinds/passage/{order}",
        index=order,
        text=text,
        start_line=order * 3 + 1,
        end_line=order * 3 + 2,
        char_start=order * 300,
        char_end=order * 300 + len(text),
        section=SectionInfo(number=order + 1, title=f"Partie {order + 1}", kind="chapitre"),
        facets={"document": ["kinds.txt"]},
    )


@pytest.fixture
def kinds_engine(settings: Settings) -> Iterator[SearchEngine]:
    """An engine over the test passages of every kind, reference kinds weighted 0.1."""
    engine = SearchEngine.open(settings.model_copy(update={"kind_weight": 0.1}))
    engine.rebuild([_record(i, t) for i, t in enumerate((TOC, RESOURCES, CONTACT, ANSWER, NAMES))])
    yield engine
    engine.close()


def test_kinds_are_stored_with_the_records_and_reloaded(
    kinds_engine: SearchEngine, settings: Settings
) -> None:
    kinds = sorted(r.kind for r in kinds_engine.records.values())
    assert kinds == sorted(["toc", "resources", "contact", "answer", "names"])
    reopened = SearchEngine.open(settings)
    assert sorted(r.kind for r in reopened.records.values()) == kinds
    reopened.close()


def test_reference_passages_rank_below_answers_unless_asked(kinds_engine: SearchEngine) -> None:
    plain = kinds_engine.search("recyclerie solidaire", 5)
    assert plain.hits[0].record.kind == "answer"
    asked = kinds_engine.search("qui contacter pour la recyclerie solidaire ?", 5)
    assert asked.hits[0].record.kind == "contact"
    reading = kinds_engine.search("bibliographie recyclerie solidaire", 5)
    assert reading.hits[0].record.kind == "resources"
    weights_off = kinds_engine.settings.model_copy(update={"kind_weight": 1.0})
    unweighted = SearchEngine.open(weights_off)
    kinds_unweighted = [h.record.kind for h in unweighted.search("recyclerie solidaire", 5).hits]
    unweighted.close()
    kinds_weighted = [h.record.kind for h in plain.hits]
    # the factor only moves reference passages down, never an answer below where it was
    assert kinds_weighted.index("answer") <= kinds_unweighted.index("answer")
