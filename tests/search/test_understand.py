"""Query understanding: entity names by label (capitals where a name is one word), concepts by meaning."""

from __future__ import annotations

import numpy as np

from essgraph.ontology.thesaurus import load_thesaurus
from essgraph.search.engine import UNDERSTOOD_SCHEMES
from essgraph.search.records import EntityRef, PassageRecord
from essgraph.search.understand import Understander

BASE = "https://w3id.org/essgraph/id/"


def _understander() -> Understander:
    record = PassageRecord(
        doc_id="doc",
        document="doc.txt",
        iri=BASE + "doc/doc/passage/0",
        index=0,
        text="Un passage écrit pour le test.",
        start_line=1,
        end_line=1,
        char_start=0,
        char_end=30,
        entities=[
            EntityRef(iri=BASE + "collectivite/service", label="Service", type="Collectivite"),
            EntityRef(iri=BASE + "collectivite/toulouse", label="Toulouse", type="Collectivite"),
            EntityRef(iri=BASE + "organisation/apes", label="APES", type="Organisation"),
            EntityRef(iri=BASE + "collectivite/ville-de-lille", label="Ville de Lille", type="Collectivite"),
            EntityRef(iri=BASE + "collectivite/est-ensemble", label="Est Ensemble", type="Collectivite"),
        ],
    )
    understander = Understander(load_thesaurus(), UNDERSTOOD_SCHEMES)
    understander.set_entities([record])
    return understander


def test_one_word_names_need_a_capital_in_the_question() -> None:
    understander = _understander()
    lower = understander.analyse("faire travailler les services ensemble à toulouse").entities
    assert BASE + "collectivite/service" not in lower and BASE + "collectivite/toulouse" not in lower
    assert BASE + "collectivite/toulouse" in understander.analyse("une journée à Toulouse").entities


def test_acronyms_and_multi_word_names_match_in_any_case() -> None:
    understander = _understander()
    found = understander.analyse("partenariat apes et ville de lille").entities
    assert BASE + "organisation/apes" in found and BASE + "collectivite/ville-de-lille" in found


def test_names_of_one_content_word_need_capitals_and_the_whole_phrase() -> None:
    understander = _understander()
    est_ensemble = BASE + "collectivite/est-ensemble"
    assert est_ensemble not in understander.analyse("faire travailler ensemble les services").entities
    assert est_ensemble not in understander.analyse("Travailler Ensemble sur l'ESS").entities
    assert est_ensemble in understander.analyse("le territoire d'Est Ensemble").entities


def test_refine_adds_concepts_by_meaning_with_their_expansions() -> None:
    understander = _understander()
    by_label = understander.analyse_labels("comment soutenir une SCIC")
    assert by_label.by_meaning == [] and len(by_label.expansions) == len(by_label.expansion_concepts)
    iri = next(iter(understander.concepts))
    understander.set_concept_vectors([iri], np.ones((1, 4), dtype=np.float32) / 2.0)
    same = understander.refine(
        "comment soutenir une SCIC", by_label, np.ones(4, dtype=np.float32) / 2.0, 2.0, 2
    )
    assert same is by_label  # nothing reaches the threshold: the label analysis is kept as it is
    refined = understander.refine(
        "comment soutenir une SCIC", by_label, np.ones(4, dtype=np.float32) / 2.0, 0.5, 2
    )
    assert refined.by_meaning == [iri] and iri in refined.concepts and iri in refined.expansion_concepts
    assert refined.concepts[: len(by_label.concepts)] == by_label.concepts
