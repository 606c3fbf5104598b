"""The persons named by a speaker cue in the items of an event page's programme speak at the page's event."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from tests.ingest.conftest import extract_text

PAGE = (
    "# Journées « Cantines et coopération » — 12 et 13 mai 2025, Bourges\n\n"
    "Le réseau Voisinages Actifs et la Ville de Bourges organisent les 12 et 13 mai 2025 à Bourges les "
    "Journées « Cantines et coopération ».\n\n"
    "## {heading}\n\n"
    "- {item}\n"
)


def _speakers(ex: Extraction) -> set[str]:
    e = ex.entities
    return {
        e[r.object].label
        for r in ex.relations
        if r.kind == "speaker" and r.object in e and "Cantines et coopération" in e[r.subject].label
    }


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # opening by one person with her office
        ("**9h30 — Ouverture** par Julie Caron, maire de Vierzon.", {"Julie Caron"}),
        # closing, two persons coordinated
        ("**17h — Clôture** par Marc Petit et Anne Roy.", {"Marc Petit", "Anne Roy"}),
        # testimonies, coordinated with "et de"
        (
            "**Table ronde** avec les témoignages de Paul Simon, directeur d'une régie, et de Inès Morel.",
            {"Paul Simon", "Inès Morel"},
        ),
        # exchanges with a person, apposition of her office
        ("**11h — Restitution** et échanges avec Léa Blanc, adjointe au maire de Blois.", {"Léa Blanc"}),
        # introduction written in lower case after the time
        ("14h : introduction de l'après-midi par Hugo Martin.", {"Hugo Martin"}),
    ],
)
def test_a_programme_item_names_speakers_of_the_page_event(
    tmp_path: Path, thesaurus: object, item: str, expected: set[str]
) -> None:
    found = _speakers(extract_text(PAGE.format(heading="Programme", item=item), tmp_path, thesaurus))
    assert expected <= found, found


@pytest.mark.parametrize(
    ("heading", "item"),
    [
        # negation: no one speaks
        ("Programme", "**Clôture** : Marc Petit ne pourra finalement pas intervenir."),
        # conditional: not asserted
        ("Programme", "**11h — Échanges** avec Marc Petit, si son agenda le permet."),
        # not a programme: an item of another list names no speaker
        ("Pour aller plus loin", "Un guide présenté par Marc Petit en 2023."),
    ],
)
def test_no_speaker_when_denied_hedged_or_outside_a_programme(
    tmp_path: Path, thesaurus: object, heading: str, item: str
) -> None:
    found = _speakers(extract_text(PAGE.format(heading=heading, item=item), tmp_path, thesaurus))
    assert "Marc Petit" not in found, found


def test_an_item_under_a_day_heading_of_the_programme(tmp_path: Path, thesaurus: object) -> None:
    page = PAGE.format(heading="Programme\n\n### Lundi 12 mai", item="**9h — Ouverture** par Julie Caron.")
    assert "Julie Caron" in _speakers(extract_text(page, tmp_path, thesaurus))
