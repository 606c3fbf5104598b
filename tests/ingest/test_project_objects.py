"""Projects and works named by a noun phrase: funded, carried, launched or worked on (rules/projects.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text

# (sentence, relation kind, actor label, project label) — the project is a Programme entity
ASSERTED = [
    # funding: active, passive, coordination, apposition of the funder, amount and year as qualifiers
    (
        "La Métropole de Lyon a financé une étude d'opportunité sur la gestion des déchets alimentaires.",
        "Funding",
        "Métropole de Lyon",
        "Étude d'opportunité sur la gestion des déchets alimentaires",
    ),
    (
        "Une étude de faisabilité sur le réemploi des matériaux a été financée par la Région Bretagne.",
        "Funding",
        "Région Bretagne",
        "Étude de faisabilité sur le réemploi des matériaux",
    ),
    (
        "Le Département de la Gironde a financé une étude de marché et un diagnostic territorial de l'offre.",
        "Funding",
        "Département de la Gironde",
        "Diagnostic territorial de l'offre",
    ),
    (
        "Le Département de la Gironde a financé une étude de marché et un diagnostic territorial de l'offre.",
        "Funding",
        "Département de la Gironde",
        "Étude de marché",
    ),
    (
        "La Région Bretagne, chef de file du développement économique, a cofinancé un diagnostic des friches "
        "industrielles.",
        "Funding",
        "Région Bretagne",
        "Diagnostic des friches industrielles",
    ),
    # carrying / leading / launching
    (
        "L'association Les Petits Débrouillards porte une filière de valorisation des textiles usagés.",
        "pilotedBy",
        "Les Petits Débrouillards",
        "Filière de valorisation des textiles usagés",
    ),
    (
        "La commune de Pessac a lancé un diagnostic des besoins en mobilité solidaire.",
        "pilotedBy",
        "Commune de Pessac",
        "Diagnostic des besoins en mobilité solidaire",
    ),
    (
        "Une expérimentation de consigne des emballages est pilotée par la commune de Pessac.",
        "pilotedBy",
        "Commune de Pessac",
        "Expérimentation de consigne des emballages",
    ),
    # working on
    (
        "L'association Les Petits Débrouillards travaille sur la transformation d'un ancien garage "
        "en atelier.",
        "pilotedBy",
        "Les Petits Débrouillards",
        "Transformation d'un ancien garage en atelier",
    ),
]


@pytest.mark.parametrize(("text", "kind", "actor", "project"), ASSERTED)
def test_project_object_is_a_programme_related_to_its_actor(
    text: str, kind: str, actor: str, project: str, tmp_path: Path, thesaurus: object
) -> None:
    """The project phrase becomes a Programme labelled by the phrase, funded by or piloted by the actor."""
    ex = extract_text(f"# Note\n\n{text}\n", tmp_path, thesaurus)
    e = ex.entities
    found = {
        (r.kind, e[r.subject].label, e[r.object].label)
        for r in ex.relations
        if r.object in e and "Programme" in (e[r.subject].type, e[r.object].type)
    }
    expected = (kind, actor, project) if kind == "Funding" else (kind, project, actor)
    assert expected in found
    assert any(x.type == "Programme" and x.label == project for x in e.values())


def test_year_and_amount_go_to_qualifiers_not_to_the_label(tmp_path: Path, thesaurus: object) -> None:
    """« en 2021 », « depuis 2015 » and an amount end the phrase; they are the relation's qualifiers."""
    ex = extract_text(
        "# Note\n\nLa Métropole de Lyon a financé en 2021 une étude de préfiguration d'une foncière "
        "solidaire.\n\n"
        "L'association Les Petits Débrouillards porte depuis 2015 une filière de réemploi des jouets.\n",
        tmp_path,
        thesaurus,
    )
    e = ex.entities
    quals = {
        e[k].label: r.qualifiers
        for r in ex.relations
        for k in (r.subject, r.object)
        if e.get(k) is not None and e[k].type == "Programme"
    }
    assert quals["Étude de préfiguration d'une foncière solidaire"]["year"] == "2021"
    assert quals["Filière de réemploi des jouets"]["since"] == "2015"
    assert not any(ch.isdigit() for label in quals for ch in label)


TRAPS = [
    "La commune de Pessac n'a pas financé l'étude de faisabilité du tiers-lieu.",  # negation
    "La Région Bretagne pourrait financer une étude de préfiguration d'une foncière solidaire.",
    "La Région Bretagne envisage de porter une expérimentation de revenu de transition écologique.",  # plan
    "Si la Métropole de Lyon finance un diagnostic des besoins, le projet avancera.",  # condition
    "La Métropole de Lyon finance l'association Les Petits Débrouillards.",  # object is an organisation
    "La Métropole de Lyon a financé une étude.",  # a bare noun names no project
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_make_no_project(text: str, tmp_path: Path, thesaurus: object) -> None:
    """Negated, conditional or planned clauses, organisations and bare nouns make no project relation."""
    ex = extract_text(f"# Note\n\n{text}\n", tmp_path, thesaurus)
    e = ex.entities
    assert not [
        r
        for r in ex.relations
        if any(e.get(k) is not None and e[k].type == "Programme" for k in (r.subject, r.object))
    ]
