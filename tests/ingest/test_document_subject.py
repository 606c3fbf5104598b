"""The document's subject under its back-references: "la recyclerie", "la structure", "nous", "nos actions",
and a sentence-initial "Elle" (sentences and documents written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from tests.ingest.conftest import extract_text, relation_labels

FICHE = """# Déniché pour vous : la recyclerie La Fabrique du Lien (38)

## Le rôle des collectivités

La Ville de Voiron soutient la recyclerie depuis 2021.

La structure est accompagnée par le Département de l'Isère.

La Communauté de communes du Trièves a joué un rôle clé. Elle met à disposition de la recyclerie un entrepôt.

La Région Auvergne-Rhône-Alpes ne soutient pas la structure.
"""

REPORT = """# Rapport d'activité 2025 — Fédération Alpine des Recycleries

En 2025, nous avons publié le guide « Réparer ensemble ».

La Région Bourgogne-Franche-Comté a financé nos actions à hauteur de 10 000 €.
"""


def _extract(text: str, tmp_path: Path, thesaurus: object) -> Extraction:
    return extract_text(text, tmp_path, thesaurus)


@pytest.fixture(scope="module")
def fiche(tmp_path_factory: pytest.TempPathFactory, thesaurus: object) -> set[tuple[str, str, str]]:
    return relation_labels(_extract(FICHE, tmp_path_factory.mktemp("fiche"), thesaurus))


SUBJECT = "Recyclerie La Fabrique du Lien"


@pytest.mark.parametrize(
    "actor",
    ["Ville de Voiron", "Département d'Isère", "Communauté de communes du Trièves"],
    ids=["active", "passive", "pronoun"],
)
def test_a_kind_word_of_the_fiche_names_its_subject(fiche: set[tuple[str, str, str]], actor: str) -> None:
    assert ("supports", actor, SUBJECT) in fiche, fiche


def test_a_negated_clause_about_the_subject_asserts_nothing(fiche: set[tuple[str, str, str]]) -> None:
    assert not any("Auvergne-Rhône-Alpes" in s and o == SUBJECT for _, s, o in fiche), fiche


def test_first_person_names_the_organisation_of_the_title(tmp_path: Path, thesaurus: object) -> None:
    pairs = relation_labels(_extract(REPORT, tmp_path, thesaurus))
    org = "Fédération Alpine des Recycleries"
    assert any(k == "publishedBy" and o.endswith(org) and "Réparer ensemble" in s for k, s, o in pairs), pairs
    assert any(
        k == "Funding" and s == "Région Bourgogne-Franche-Comté" and o.endswith(org) for k, s, o in pairs
    )


ROLES = """# Rapport d'activité 2025 — Fédération Alpine des Recycleries

L'équipe compte trois salariées : Lucie Bernard, déléguée générale, et Sarah Colin, chargée de mission.

Marc Vidal, ancien président (2019-2024), reste administrateur.

Odile Perrin, vice-présidente, Ville de Chambéry, préside le bureau.

Yanis Colin, vice-président de la communauté de communes, a ouvert la journée.

Anne Roux, directrice de la Fondation Montagnes Vives, a conclu.
"""


def test_a_role_next_to_a_name_without_organisation_is_in_the_documents_subject(
    tmp_path: Path, thesaurus: object
) -> None:
    ex = _extract(ROLES, tmp_path, thesaurus)
    e = ex.entities
    roles = {
        (e[r.subject].label, e[r.object].label)
        for r in ex.relations
        if r.kind == "Role" and r.object and r.qualifiers.get("rule") == "structure:subject-role"
    }
    org = next(label for _, label in roles)
    assert org.endswith("Fédération Alpine des Recycleries")
    # apposition, coordination, a former role
    assert {("Lucie Bernard", org), ("Sarah Colin", org), ("Marc Vidal", org)} <= roles
    # a role followed by its organisation, in a body named otherwise, or with an organisation: not here
    assert not {p for p, _ in roles} & {"Odile Perrin", "Yanis Colin", "Anne Roux"}


BARE_TITLE = """# La Fabrique du Val de Loue, un atelier partagé pour réparer

Créée en 2018 à Ornans, la SCIC La Fabrique du Val de Loue prête des outils et répare des vélos.

La Communauté de communes Loue-Lison est entrée au capital de la SCIC en 2020.

## En bref

- **Budget annuel** : 180 000 €
- **Contact** : Julie Mercier, coordinatrice
"""


def test_a_title_naming_the_initiative_without_its_legal_form_makes_it_the_page_subject(
    tmp_path: Path, thesaurus: object
) -> None:
    # the title names the SCIC without « SCIC », and a commune sits inside that name: the name the page
    # introduces with its kind covers the commune, so the title names the initiative and the page's
    # facts (labelled lines, « la SCIC ») go to it
    ex = _extract(BARE_TITLE, tmp_path, thesaurus)
    pairs = relation_labels(ex)
    scic = "SCIC La Fabrique du Val de Loue"
    assert ("Role", "Julie Mercier", scic) in pairs, pairs
    assert ("CapitalParticipation", "Communauté de communes Loue-Lison", scic) in pairs, pairs
    budgets = [r for r in ex.relations if r.kind == "KeyFigure" and ex.entities[r.subject].label == scic]
    assert [r.qualifiers["value"] for r in budgets] == ["180000"], budgets


def test_a_bare_recurrence_of_an_introduced_name_is_that_organisation_not_a_person(
    tmp_path: Path, thesaurus: object
) -> None:
    # « l'association X » introduces X; a later bare « X » that the statistical model reads as a person
    # names the association, and no person X is left behind
    text = (
        "# Actualités\n\n"
        "L'association Marne Solidaire accueillera le forum « Coopérer ensemble » le 3 mai 2024. "
        "Marne Solidaire a aussi lancé un appel aux bénévoles.\n"
    )
    ex = _extract(text, tmp_path, thesaurus)
    named = [(e.type, e.label) for e in ex.entities.values() if "Marne Solidaire" in e.label]
    assert len(named) == 1 and named[0][0] != "Person", named
