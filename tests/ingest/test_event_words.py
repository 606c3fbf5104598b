# ruff: noqa: E501
"""Gatherings named by the other event nouns (assises, colloque, salon, festival, table ronde, université
d'été, matinale), and what names and dates an event when the text names other things first, on sentences
written for these tests (names invented, collectivités real).

A title written before the event word with more than a date between names another thing (« le guide,
renommé « X », a été présenté au salon … »); a year in the event's name dates it; a figure's count date
(« (au 25 avril 2023) ») is not the event's; a place name never starts with a digit (« à 750 exemplaires »).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import assert_event_case, extract_news

# (text, kind, event label (a fragment of it), other end: place or literal)
CASES: list[tuple[str, str, str, str]] = [
    ("Les Assises régionales du réemploi se sont tenues à Poitiers le 18 mars 2025.", "locatedIn", "Assises régionales du réemploi", "Poitiers"),
    ("Les Assises régionales du réemploi se sont tenues à Poitiers le 18 mars 2025.", "eventDate", "Assises régionales du réemploi", "2025-03-18"),
    ("Le colloque « Coopérer pour habiter » aura lieu le 9 octobre 2025 à Besançon.", "locatedIn", "Coopérer pour habiter", "Besançon"),
    ("Le Salon des solutions solidaires se tiendra à Valence le 22 novembre 2024.", "eventDate", "Salon des solutions solidaires", "2024-11-22"),
    ("Le Festival des alternatives s'est déroulé à Romans-sur-Isère le 14 septembre 2024.", "locatedIn", "Festival des alternatives", "Romans-sur-Isère"),
    ("Une table ronde « Foncier et communs » s'est tenue le 3 février 2025 à Lyon.", "eventDate", "Foncier et communs", "2025-02-03"),
    ("L'université d'été des tiers-lieux aura lieu à Auch le 2 juillet 2025.", "locatedIn", "tiers-lieux", "Auch"),
    # a title before the word with only a date between still names the event
    ("- [Financer les épiceries solidaires](#) le 12 mai 2025 en visioconférence (40 participants).", "eventDate", "Financer les épiceries solidaires", "2025-05-12"),
    ("- [Coopérer entre territoires](#), conférence en ligne, mars 2024", "eventDate", "Coopérer entre territoires", "2024-03"),
    # a year in the event's name dates it; the date of a count or of an update is another thing's
    ("Le guide a été mis à jour en octobre 2021. En 2022, il a été présenté au Forum des élus 2022. Il a été téléchargé 500 fois (au 25 avril 2023).", "eventDate", "Forum des élus 2022", "2022"),
    # a year inside a title is no edition's: the sentence's own date stays
    ("Le réseau organise le 12 juin 2025 à Lyon un webinaire « Municipales 2026 : quelles politiques d'ESS ? ».", "eventDate", "Municipales 2026", "2025-06-12"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "kind", "event", "other"), CASES, ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)]
)
def test_event_words(text: str, kind: str, event: str, other: str, tmp_path: Path, thesaurus: object) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    assert_event_case(ex, kind, event, other, forbidden=(), exact=False)


def test_a_title_far_before_the_event_word_names_another_thing(tmp_path: Path, thesaurus: object) -> None:
    """« Le guide, disponible sur [le site du réseau](#) et renommé « X », a été présenté au Forum des élus
    le 6 octobre 2022 »: the event is the forum, named by the words after it, not by the link or the quote."""
    ex = extract_news(
        "Le guide, disponible sur [le site du réseau](#) et renommé « Agir local », a été présenté au Forum des élus le 6 octobre 2022.",
        tmp_path,
        thesaurus,
    )
    labels = [e.label for e in ex.entities.values() if e.type == "Event"]
    assert any("Forum des élus" in label for label in labels), labels
    assert not any("site du réseau" in label or "Agir local" in label for label in labels), labels


def test_a_place_never_starts_with_a_digit(tmp_path: Path, thesaurus: object) -> None:
    """« édité à 750 exemplaires »: no place named 750."""
    ex = extract_news(
        "Le kit, édité à 750 exemplaires, a été présenté au Forum des élus le 6 octobre 2022.",
        tmp_path,
        thesaurus,
    )
    assert [e.label for e in ex.entities.values() if e.type == "Event"]  # the event is read…
    assert not [
        e.label for e in ex.entities.values() if e.type == "Place" and e.label[:1].isdigit()
    ]  # …not « 750 »
