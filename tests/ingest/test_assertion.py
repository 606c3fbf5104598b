# ruff: noqa: E501
"""The one unasserted-sentence pattern (essgraph/ingest/extract/assertion.py) and its families' opt-outs."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.ingest.extract.assertion import PARTS, unasserted, unasserted_pattern
from tests.ingest.conftest import assert_event_case, extract_news

# one sentence a part, each vetoed by that part alone
BY_PART = {
    "negation": "La Ville de Vierzon n'a jamais financé la recyclerie.",
    "exclusion": "La recyclerie a ouvert sans le soutien de la Ville de Vierzon.",
    "condition": "Si le budget le permet, la Ville de Vierzon financera la recyclerie.",
    "modality": "La Ville de Vierzon pourrait financer la recyclerie.",
    "future": "La recyclerie sera installée à Vierzon.",
    "plan": "La Ville de Vierzon envisage de financer la recyclerie.",
    "possibility": "Le dispositif offre la possibilité de financer la recyclerie.",
    "pending": "La demande de subvention de la recyclerie à la Ville de Vierzon est en cours.",
}
ASSERTED = [
    "La Ville de Vierzon a financé la recyclerie en 2023.",
    "La recyclerie, installée à Vierzon, emploie douze salariés.",
    "Paul Martin est intervenu lors du forum.",
]


def test_every_part_has_a_sentence_and_vetoes_it_alone() -> None:
    assert set(BY_PART) == set(PARTS)
    for name, sentence in BY_PART.items():
        assert unasserted(sentence), name
        assert not unasserted(sentence, frozenset({name})), name  # no other part vetoes it


@pytest.mark.parametrize("sentence", ASSERTED)
def test_plain_statements_assert(sentence: str) -> None:
    assert not unasserted(sentence)


def test_an_opt_out_names_a_part() -> None:
    with pytest.raises(KeyError):
        unasserted_pattern(frozenset({"futur"}))


# event roles opt out of « future »: an announced event still has its host and venue; a hedged one not
EVENT_CASES: list[tuple[str, str, str, str | None]] = [
    ("La rencontre « Tiers-lieux et emploi » du 12 juin 2025 sera accueillie par la Ville de Bourges.", "hostedBy", "Tiers-lieux et emploi", "Ville de Bourges"),
    ("Le forum « Coopérer en Berry » du 3 mai 2025 est prévu à la salle des fêtes de Vierzon.", "venue", "Coopérer en Berry", "Salle des fêtes de Vierzon"),
    ("Le forum « Coopérer en Berry » du 3 mai 2025 aura peut-être lieu dans les locaux de l'association Loire Partage.", "venue", "Coopérer en Berry", None),
    ("Le forum « Coopérer en Berry » du 3 mai 2025 n'aura pas lieu dans les locaux de l'association Loire Partage.", "venue", "Coopérer en Berry", None),
    ("Si la salle est libre, le forum « Coopérer en Berry » du 3 mai 2025 se tiendra dans les locaux de l'association Loire Partage.", "venue", "Coopérer en Berry", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "event", "other"), EVENT_CASES)
def test_event_roles_read_the_one_pattern(
    text: str, kind: str, event: str, other: str | None, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    assert_event_case(ex, kind, event, other, forbidden=(kind,), exact=False)
