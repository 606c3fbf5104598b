# ruff: noqa: E501
"""Events (extract/rules/events.py) on sentences written for these tests: names, organisers, places, dates.

Five phrasings per relation (active, passive, coordination, apposition, negation or condition); names
are invented, collectivités real. A negated or conditional sentence asserts nothing between its actors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import assert_event_case, event_keys, extract_news, with_gaps

# (text, kind, event label (a fragment of it), other end: actor label, place or literal; None: nothing)
CASES: list[tuple[str, str, str, str | None]] = [
    # co-organisers: coordination distributes
    ("L'association Berry Solidaire et la Ville de Vierzon co-organisent le forum « Coopérer en Berry » le 3 mai 2024.", "organisedBy", "Coopérer en Berry", "Berry Solidaire"),
    ("L'association Berry Solidaire et la Ville de Vierzon ont co-organisé le forum « Coopérer en Berry » le 3 mai 2024.", "organisedBy", "Coopérer en Berry", "Ville de Vierzon"),
    ("Le forum « Coopérer en Berry » du 3 mai 2024 est organisé conjointement par la Ville de Vierzon et l'association Berry Solidaire.", "organisedBy", "Coopérer en Berry", "Berry Solidaire"),
    ("- Forum « Coopérer en Berry » (3 mai 2024), co-organisé par la Ville de Vierzon, l'association Berry Solidaire et l'association Loire Partage.", "organisedBy", "Coopérer en Berry", "Loire Partage"),
    ("La Ville de Vierzon n'a pas co-organisé le forum « Coopérer en Berry » du 3 mai 2024.", "organisedBy", "Coopérer en Berry", None),
    # place and date: a place name never runs into a day
    ("Le forum « Coopérer en Berry » s'est tenu à Bourges le 3 mai 2024.", "locatedIn", "Coopérer en Berry", "Bourges"),
    ("- [Journée des tiers-lieux du Cher le 12 juin 2024 à Saint-Amand-Montrond](#) (80 participants)", "locatedIn", "Journée des tiers-lieux du Cher", "Saint-Amand-Montrond"),
    ("- [Assemblée générale à Châteauroux les 4 et 5 avril 2024](#)", "eventDate", "Assemblée générale 2024", "2024-04-04"),
    ("- [Journée des tiers-lieux du Cher le 12 juin 2024 à Saint-Amand-Montrond](#) (80 participants)", "eventDate", "Journée des tiers-lieux du Cher", "2024-06-12"),
    ("La prochaine rencontre aura lieu à Issoudun (printemps 2025).", "locatedIn", "Rencontre 2025", "Issoudun"),
    # several meetings told in one item: one event per place and date
    ("- Organisation de 2 journées autour du réemploi : « Réparer ensemble » à Blois en mars (une quarantaine de participants) et à Tours/Amboise en octobre (120 participants), 2024.", "participantCount", "Journée autour du réemploi à Tours/Amboise", "120"),
    ("- Organisation de 2 journées autour du réemploi : « Réparer ensemble » à Blois en mars (une quarantaine de participants) et à Tours/Amboise en octobre (120 participants), 2024.", "participantCount", "Journée autour du réemploi à Blois", "40"),
    ("- Organisation de 2 journées autour du réemploi : « Réparer ensemble » à Blois en mars 2024 (une quarantaine de participants) et à Tours puis à Amboise en octobre 2024 (120 participants).", "locatedIn", "Journée autour du réemploi à Tours", "Amboise"),
    ("- Organisation de 2 journées autour du réemploi : « Réparer ensemble » à Blois en mars 2024 (une quarantaine de participants) et à Tours en octobre 2024 (120 participants).", "eventDate", "Journée autour du réemploi à Tours", "2024-10"),
    # a deadline is not the event's date; a day and month without year take the year of the other date
    ("Les inscriptions au forum « Coopérer en Berry » sont ouvertes jusqu'au 10 avril 2024 ; le forum se tiendra le 3 mai à Bourges.", "eventDate", "Coopérer en Berry", "2024-05-03"),
    ("Le séminaire « Achats solidaires » aura lieu le 12 juin 2025 à Tours (inscription avant le 1er juin).", "eventDate", "Achats solidaires", "2025-06-12"),
    # nor the day it was announced or presented
    ("Annoncé le 12 janvier 2025 lors des vœux du maire, le forum « Épernay solidaire » se tiendra le 5 avril 2025.", "eventDate", "Épernay solidaire", "2025-04-05"),
    ("Le forum « Épernay solidaire » se tiendra le 5 avril 2025, a annoncé le maire le 12 janvier 2025.", "eventDate", "Épernay solidaire", "2025-04-05"),
    # … unless the presentation took place at the event (« présenté le … à l'occasion du séminaire »)
    ("Le guide du réseau a été présenté le 4 mars 2024 à l'occasion du séminaire « Coopérer en Bourgogne » à Dijon.", "eventDate", "Coopérer en Bourgogne", "2024-03-04"),
]  # fmt: skip


def test_the_first_date_of_a_postponed_event_is_not_its_date(tmp_path: Path, thesaurus: object) -> None:
    """« Initialement prévue le 20 novembre 2024, la journée a été reportée »: the graph gives no date."""
    ex = extract_news(
        "Initialement prévue le 20 novembre 2024 à Rennes, la journée « Coopérer en Berry » a été reportée à "
        "une date ultérieure.",
        tmp_path,
        thesaurus,
    )
    dates = [v for e in ex.entities.values() if e.type == "Event" for v in e.attributes.get("eventDate", [])]
    assert "2024-11-20" not in dates, dates


# Known gaps, each with its reason; they must fail today (strict), so a fix shows up.
GAPS: dict[str, str] = {}


PARAMS = with_gaps(CASES, GAPS)


@pytest.mark.parametrize(
    ("text", "kind", "event", "other"), PARAMS, ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)]
)
def test_event_family(
    text: str, kind: str, event: str, other: str | None, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    # negated / conditional (other None): no actor is tied to an event
    assert_event_case(ex, kind, event, other, forbidden=("organisedBy", "partnerOf"), exact=True)


def test_a_place_never_runs_into_a_day_and_the_name_drops_it(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_news(
        "- [Rencontre régionale de l'ESS à Poitiers le 14 octobre 2024](#) (60 participants)",
        tmp_path,
        thesaurus,
    )
    labels = [e.label for e in ex.entities.values()]
    assert "Rencontre régionale de l'ESS" in labels, labels
    assert "Poitiers" in labels and not any("Poitiers le" in label for label in labels), labels


def test_a_long_paragraph_gives_its_event_the_next_sentence_attendance(
    tmp_path: Path, thesaurus: object
) -> None:
    filler = (
        "Le réseau a poursuivi ses travaux sur la commande publique et les achats responsables tout au long de l'année. "
        * 3
    )
    text = (
        filler + "Le réseau tenait son [Assemblée générale à Limoges les 2 et 3 juin 2024](#). "
        "Plus de 120 élus et techniciens se sont retrouvés pour ces deux journées. " + filler
    )
    ex = extract_news(text, tmp_path, thesaurus)
    keys = event_keys(ex, "Assemblée générale 2024")
    assert len(keys) == 1, [e.label for e in ex.entities.values()]
    key = keys[0]
    assert ex.entities[key].attributes["participantCount"] == ["120"]
    assert ex.entities[key].attributes["eventDate"] == ["2024-06-02"]
