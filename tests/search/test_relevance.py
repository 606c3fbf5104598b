"""The score floor's evidence (content words known to the index, English) and concept suggestions."""

from __future__ import annotations

from essgraph.search.relevance import evidence, floor_reason, suggest_concepts
from essgraph.search.understand import ConceptInfo

CONCEPTS = [
    ConceptInfo("c:mlc", "leviers", "monnaie locale complémentaire", ["MLC"]),
    ConceptInfo("c:scic", "formes", "société coopérative d'intérêt collectif", ["SCIC"]),
    ConceptInfo("c:cpr", "leviers", "commande publique responsable", []),
]


def test_coverage_counts_known_content_words_only() -> None:
    ev = evidence("comment créer une monnaie locale xqzv ?", {"cre", "monnai", "local"})
    assert ev.content == ("créer", "monnaie", "locale", "xqzv")
    assert ev.known == ("créer", "monnaie", "locale")
    assert ev.coverage == 0.75 and not ev.english
    assert floor_reason(ev, 0.5) is None
    assert floor_reason(ev, 0.8) is not None


def test_reasons_in_order() -> None:
    assert floor_reason(evidence("de la et le", set()), 0.5).code == "no_content_word"  # type: ignore[union-attr]
    english = evidence("what is a local currency and how does it work", {"local"})
    assert english.english
    assert floor_reason(english, 0.0).code == "not_french"  # type: ignore[union-attr]
    unknown = floor_reason(evidence("xqzv brumpf", set()), 0.5)
    assert unknown is not None and unknown.code == "unknown_words" and "xqzv" in unknown.message
    assert not evidence("SCIC AND garage", {"scic", "garag"}).english  # one operator is no language


def test_suggestions_tolerate_typos_and_english_but_not_gibberish() -> None:
    assert suggest_concepts("monaie locale", CONCEPTS, 3)[0]["iri"] == "c:mlc"
    assert suggest_concepts("responsible public procurement", CONCEPTS, 3)[0]["iri"] == "c:cpr"
    assert suggest_concepts("xqzv brumpf", CONCEPTS, 3) == []
    assert suggest_concepts("monaie locale", CONCEPTS, 0) == []
