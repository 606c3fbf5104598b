"""A citation names the fiche, the printed pages when known (the passage's own page, or its section's range
from the table of contents) and the lines of the source file."""

from __future__ import annotations

from essgraph.service.repository import citation

LABEL = "Kit MunicipalESS — fiche n°9 : Sociétés coopératives"


def test_lines_only_when_no_page_is_known() -> None:
    assert citation(LABEL, "Kit", 884, 912) == "Kit MunicipalESS, fiche n°9 — l. 884-912"
    assert citation(None, "Rapport d'activité 2023", 10, 10) == "Rapport d'activité 2023 — l. 10"


def test_pages_of_the_section_or_of_the_passage() -> None:
    assert citation(LABEL, "Kit", 884, 912, (19, 20)) == "Kit MunicipalESS, fiche n°9, p. 19-20 — l. 884-912"
    assert citation(LABEL, "Kit", 884, 912, (12, 12)) == "Kit MunicipalESS, fiche n°9, p. 12 — l. 884-912"
    assert (
        citation(LABEL, "Kit", 884, 912, (51, None))
        == "Kit MunicipalESS, fiche n°9, p. 51 et suiv. — l. 884-912"
    )
    assert citation(LABEL, "Kit", None, None, (19, 20)) == "Kit MunicipalESS, fiche n°9, p. 19-20"
