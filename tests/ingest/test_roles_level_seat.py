"""An office named by its level's adjective ("conseillère départementale du Cher") sits in that place."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from tests.ingest.conftest import extract_text


def _roles(ex: Extraction) -> set[tuple[str, str]]:
    e = ex.entities
    return {
        (e[r.subject].label, e[r.object].label) for r in ex.relations if r.kind == "Role" and r.object in e
    }


def _doc(line: str) -> str:
    return "# Tribune : « Des cantines coopératives partout »\n\n## Premiers signataires\n\n" + line + "\n"


@pytest.mark.parametrize(
    ("line", "person", "seat"),
    [
        # apposition, département with "du"
        ("- **Julie Caron**, conseillère départementale du Cher", "Julie Caron", "Département du Cher"),
        # apposition, département with "de la", compound name
        (
            "- **Inès Morel**, conseillère départementale de la Haute-Vienne",
            "Inès Morel",
            "Département de la Haute-Vienne",
        ),
        # région with "d'"
        ("- **Marc Petit**, conseiller régional d'Occitanie", "Marc Petit", "Région Occitanie"),
        # municipal seat
        ("- **Anne Roy**, conseillère municipale de Vierzon", "Anne Roy", "Vierzon"),
        # coordination of two offices: the first one's seat
        (
            "- **Paul Simon**, conseiller départemental de la Nièvre et maire de Clamecy",
            "Paul Simon",
            "Département de la Nièvre",
        ),
    ],
)
def test_the_office_is_held_in_the_collectivite_of_its_level(
    tmp_path: Path, thesaurus: object, line: str, person: str, seat: str
) -> None:
    roles = _roles(extract_text(_doc(line), tmp_path, thesaurus))
    assert any(p == person and s.endswith(seat) for p, s in roles), roles


@pytest.mark.parametrize(
    "line",
    [
        # not a département's name: no seat invented
        "- **Léa Blanc**, conseillère départementale de la Fraternité",
        # negation: no office asserted
        "- **Léa Blanc**, qui n'est pas conseillère départementale du Cher",
        # conditional: no office asserted
        "- **Léa Blanc**, qui pourrait devenir conseillère régionale d'Occitanie",
    ],
)
def test_no_seat_for_an_unknown_name_a_denied_or_a_hedged_office(
    tmp_path: Path, thesaurus: object, line: str
) -> None:
    roles = _roles(extract_text(_doc(line), tmp_path, thesaurus))
    assert not any(p == "Léa Blanc" for p, _ in roles), roles
