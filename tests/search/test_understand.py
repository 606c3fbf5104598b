"""Query understanding: one-word entity names are recognised only where the question capitalises them."""

from __future__ import annotations

from ontology.thesaurus import load_thesaurus
from search.engine import UNDERSTOOD_SCHEMES
from search.records import EntityRef, PassageRecord
from search.understand import Understander

BASE = "https://w3id.org/essgraph/id/"


def _understander() -> Understander:
    record = PassageRecord(
        doc_id="doc",
        document="doc.txt",
        iri=BASE + "doc/doc/passage/0",
        order=0,
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
