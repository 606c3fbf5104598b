# ruff: noqa: E501
"""Roles told by a verb rather than a title after the name, on sentences written for these tests (persons
and organisations invented, collectivités real).

The family: a light verb before the title (« exerce les fonctions de directrice de X », « occupe le poste
de … »), a verb of office (« P dirige / préside / coordonne X », « P, qui anime depuis 2019 X »), taking
or holding the office (« P assure la présidence de X », « a pris la direction de Y »), and the office
given to the person (« la direction de X a été confiée à P »). A negated, conditional, intended or future
office is no role (« n'a jamais présidé », « pourrait prendre la direction », « souhaite présider »,
« prendra la présidence »).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import assert_roles, extract_news

# (text, {(person, organisation, words the role title holds)}, {(person, organisation)} that must not hold)
CASES: list[tuple[str, set[tuple[str, str, str]], set[tuple[str, str]]]] = [
    # a light verb before the title
    ("Depuis 2021, Claire Fontanel exerce les fonctions de directrice de la Fédération Aude Solidaire.",
     {("Claire Fontanel", "Fédération Aude Solidaire", "directrice")}, set()),
    ("Bruno Lachaud occupe le poste de chargé de mission ESS à la Communauté de communes du Pays de Lunel.",
     {("Bruno Lachaud", "Communauté de communes du Pays de Lunel", "chargé de mission")}, set()),
    ("Nadia Sebti, qui exerçait la fonction de trésorière de l'association Vélo Cévennes, a quitté le bureau.",
     {("Nadia Sebti", "Vélo Cévennes", "trésorière")}, set()),
    # a verb of office
    ("Paul Vernet dirige la SCIC Énergies du Lot depuis sa création en 2016.",
     {("Paul Vernet", "SCIC Énergies du Lot", "direct")}, set()),
    ("Élodie Marchal, qui préside depuis 2020 l'association Les Amis du Marché Couvert, a accueilli les élus.",
     {("Élodie Marchal", "Les Amis du Marché Couvert", "présid")}, set()),
    ("Karim Aït-Ali coordonne le pôle territorial de coopération économique Sud Vendée Coop.",
     {("Karim Aït-Ali", "Pôle territorial de coopération économique Sud Vendée Coop", "coordin")}, set()),
    # taking or holding the office
    ("Mélanie Rocher assure la présidence de la CRESS Occitanie depuis mars 2024.",
     {("Mélanie Rocher", "CRESS Occitanie", "présid")}, set()),
    ("En janvier, Thomas Garnier a pris la direction de la régie de quartier Les Bruyères Solidaires.",
     {("Thomas Garnier", "Régie de quartier Les Bruyères Solidaires", "direct")}, set()),
    ("Fatou Diallo a été nommée à la direction de l'entreprise d'insertion Recyclerie du Ried.",
     {("Fatou Diallo", "Recyclerie du Ried", "direction")}, set()),
    # what the verb's object is must be the organisation itself, not something of it
    ("Romain Castel dirige les travaux de la SCIC Habitat Partagé du Trièves.",
     set(), {("Romain Castel", "SCIC Habitat Partagé du Trièves")}),
    ("Inès Bertin préside la séance, organisée par la CRESS Grand Est.",
     set(), {("Inès Bertin", "CRESS Grand Est")}),
    # the office given to the person
    ("La coordination du réseau Alimen'Terre Drôme a été confiée en 2023 à Julie Chassagne.",
     {("Julie Chassagne", "Réseau Alimen'Terre Drôme", "coordin")}, set()),
    # no role: negated, conditional, intended, future
    ("Contrairement à une rumeur, Hélène Brunet n'a jamais présidé l'association Terre de Liens Gers.",
     set(), {("Hélène Brunet", "Association Terre de Liens Gers")}),
    ("Lucas Perrin pourrait prendre la direction de la SCIC Bois Bocage à l'automne.",
     set(), {("Lucas Perrin", "SCIC Bois Bocage")}),
    ("Sophie Delmas souhaite présider la Fédération Ardèche Coop l'an prochain.",
     set(), {("Sophie Delmas", "Fédération Ardèche Coop")}),
    ("Marc Oudin prendra la présidence de la CRESS Bretagne en juin.",
     set(), {("Marc Oudin", "CRESS Bretagne")}),
    # a role before the name and an office after it are two roles
    ("La présidente de la CRESS Occitanie, Marie Dupuy, dirige aussi la SCIC Bois du Lauragais.",
     {("Marie Dupuy", "CRESS Occitanie", "présidente"), ("Marie Dupuy", "SCIC Bois du Lauragais", "direction")}, set()),
    # the verb's object must be an organisation named with its kind, not another noun
    ("Marie Dupuy préside le jury France Active Occitanie.", set(), {("Marie Dupuy", "France Active")}),
    # without an article; and « l'animation de … »
    ("Paul Vernet dirige France Active Occitanie depuis 2016.", {("Paul Vernet", "France Active", "direction")}, set()),
    ("Léa Roux assure l'animation du réseau Alim'Occitanie.", {("Léa Roux", "Réseau Alim'Occitanie", "animation")}, set()),
]  # fmt: skip


@pytest.mark.parametrize(("text", "roles", "not_roles"), CASES, ids=range(len(CASES)))
def test_roles_told_by_a_verb(
    text: str,
    roles: set[tuple[str, str, str]],
    not_roles: set[tuple[str, str]],
    tmp_path: Path,
    thesaurus: object,
) -> None:
    assert_roles(extract_news(text, tmp_path, thesaurus), roles, not_roles)
