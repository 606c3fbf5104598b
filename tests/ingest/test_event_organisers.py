# ruff: noqa: E501
"""Who organises an event, on sentences written for these tests (names invented, collectivités real).

The families: the event is a clause's object wherever the sentence names it (a date or a complement may
come between the verb and the event); « organiser avec Y » makes Y an organiser when Y is an actor (not
« avec le soutien de Y », not a person invited); a relative clause organises its antecedent; an
organiser is never also the event's partner. And which sentences tell an event at all: a capitalised
plural inside a sentence is a name, a lowercase plural a count; a quoted title names the noun before
it (a guide's title is no event); an event that « pourrait se tenir » is not told; « avec le soutien de X »
makes X the event's backer; participles listed after a verb with « avoir » share its subject.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from tests.ingest.conftest import event_keys, extract_news


def _actors(ex: Extraction, keys: list[str], kind: str) -> set[str]:
    """Labels of the actors that `kind` links to one of the events `keys`, in either direction (the event
    is the subject of organisedBy and partnerOf, the object of supports)."""
    e = ex.entities
    return {
        e[other].label
        for r in ex.relations
        if r.kind == kind and r.object is not None
        for event, other in ((r.subject, r.object), (r.object, r.subject))
        if event in keys and other in e
    }


def _event_actors(
    text: str, event: str, kind: str, tmp_path: Path, thesaurus: object
) -> tuple[Extraction, list[str], set[str]]:
    """The extraction of `text`, the keys of the events named by `event` (asserted to exist) and the
    actors `kind` links to them."""
    ex = extract_news(text, tmp_path, thesaurus)
    keys = event_keys(ex, event)
    assert keys, [e.label for e in ex.entities.values() if e.type == "Event"]
    return ex, keys, _actors(ex, keys, kind)


# (text, event label fragment, organisers expected, actors that must not organise it)
ORGANISED: list[tuple[str, str, set[str], set[str]]] = [
    # a date between the verb and its object
    ("La CRESS Occitanie organise le 12 avril 2024 un webinaire « Tiers-lieux et coopération ».", "Tiers-lieux et coopération", {"CRESS Occitanie"}, set()),
    ("L'association Chemins Partagés a organisé le 5 février 2024 une journée « Mobilités rurales » à Guéret.", "Mobilités rurales", {"Chemins Partagés"}, set()),
    # the event named where the sentence names it, not at the start of the unit
    ("La Communauté d'agglomération du Grand Poitiers organise un séminaire sur les coopératives d'habitants le 14 mai 2024.", "Séminaire sur les coopératives", {"Communauté d'agglomération du Grand Poitiers"}, set()),
    # « organiser avec Y »: Y organises too, before or after the verb, with the object after it
    ("La Ville de Niort organise avec l'association Cycles Solidaires un forum de la mobilité le 5 juin 2024.", "Forum de la mobilité", {"Ville de Niort", "Cycles Solidaires"}, set()),
    ("Avec l'association Terre Commune, la Ville d'Albi organise les Rencontres de l'alimentation locale le 9 octobre 2024.", "Rencontres de l'alimentation locale", {"Ville d'Albi", "Terre Commune"}, set()),
    # … but a supporter or an invited person is no organiser
    ("La Ville de Niort organise un forum de la mobilité avec le soutien de la Région Nouvelle-Aquitaine le 5 juin 2024.", "Forum de la mobilité", {"Ville de Niort"}, {"Région Nouvelle-Aquitaine"}),
    ("La Ville de Pau organise le 2 mai 2024 une conférence « Acheter local » avec Marie Dubreuil, adjointe au maire de Tarbes.", "Acheter local", {"Ville de Pau"}, {"Marie Dubreuil"}),
    # a relative clause: its antecedent is the event
    ("La journée régionale des tiers-lieux, que la Région Bretagne co-organise avec l'association Lieux Communs, aura lieu à Rennes le 6 juin 2024.", "Journée régionale des tiers-lieux", {"Région Bretagne", "Lieux Communs"}, set()),
    ("Les Rencontres du réemploi, que Nîmes Métropole organise chaque année, auront lieu le 4 mai 2024.", "Rencontres du réemploi", {"Nîmes Métropole"}, set()),
    # a participle of co-production: its « par » agents organise
    ("Le webinaire « Énergie citoyenne », coproduit par la CRESS Normandie et l'association Soleil Partagé, a eu lieu le 5 mars 2024.", "Énergie citoyenne", {"CRESS Normandie", "Soleil Partagé"}, set()),
    # a lowercase plural counts meetings: the named event told after it is the one organised
    ("En 2024, l'association Bois Vivant a organisé 9 rencontres et co-organisé avec la Ville de Tulle les Rencontres de la forêt paysanne, le 12 septembre 2024 à Tulle.", "Rencontres de la forêt paysanne", {"Ville de Tulle", "Bois Vivant"}, set()),
    # who represented an unnamed body, in parentheses, organises nothing
    ("La journée « Foncier solidaire » du 5 juin 2024 est organisée par la direction régionale de l'État (Paul Marchand).", "Foncier solidaire", set(), {"Paul Marchand"}),
    ("- 05/06/2024 - Journée « Foncier solidaire » organisée par la DG Territoires (Paul Marchand) - 40 participants", "Foncier solidaire", set(), {"Paul Marchand"}),
    # a negated verb organises nothing
    ("La Ville de Caen n'organise pas le forum « Caen solidaire » le 3 mai 2024.", "Caen solidaire", set(), {"Ville de Caen"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "event", "organisers", "not_organisers"), ORGANISED, ids=range(len(ORGANISED))
)
def test_organisers(
    text: str, event: str, organisers: set[str], not_organisers: set[str], tmp_path: Path, thesaurus: object
) -> None:
    ex, keys, found = _event_actors(text, event, "organisedBy", tmp_path, thesaurus)
    assert organisers <= found, found
    assert not (not_organisers & found), found
    # an organiser is not also a partner of its event
    assert not (found & _actors(ex, keys, "partnerOf")), _actors(ex, keys, "partnerOf")


# (text, event label fragment that must not exist)
NO_EVENT: list[tuple[str, str]] = [
    # a lowercase plural counts the year's meetings
    ("En 2023, les rencontres du réseau ont réuni 300 personnes le 4 juillet.", "encontres du réseau"),
    # the quoted title is a guide's, not the meetings' told beside it
    ("En 2024, le réseau a organisé 12 rencontres et publié le guide « Habiter autrement » le 3 juin 2024.", "Habiter autrement"),
    # an event word inside a booklet's title
    ("Le livret « Carnets d'un forum : vivre ensemble à Vesoul », publié en mai 2024 par l'association Toits Partagés, rassemble douze portraits.", "orum"),
    # considered, not told
    ("Un forum régional de l'ESS pourrait se tenir à Limoges le 4 juin 2026.", "Forum régional"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "event"), NO_EVENT, ids=range(len(NO_EVENT)))
def test_sentences_that_tell_no_such_event(text: str, event: str, tmp_path: Path, thesaurus: object) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    assert not event_keys(ex, event), [e.label for e in ex.entities.values() if e.type == "Event"]


# (text, event label fragment, backers expected, actors that must not be said to be backed by them)
BACKED: list[tuple[str, str, set[str], set[str]]] = [
    ("Le forum « Coopérer en Berry », avec le soutien de la Région Centre-Val de Loire et du Département du Cher, se tiendra le 3 mai 2024 à Bourges.", "Coopérer en Berry", {"Région Centre-Val de Loire", "Département du Cher"}, set()),
    # the supporter backs the event told between, not the co-organiser named before it
    ("Le 4 avril 2024, la Ville de Figeac a organisé avec l'association Lot Mobilité les Rencontres du covoiturage rural, avec le soutien de la Région Occitanie.", "Rencontres du covoiturage rural", {"Région Occitanie"}, {"Lot Mobilité"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "event", "backers", "not_backed"), BACKED, ids=range(len(BACKED)))
def test_backers_of_an_event(
    text: str, event: str, backers: set[str], not_backed: set[str], tmp_path: Path, thesaurus: object
) -> None:
    ex, keys, found = _event_actors(text, event, "supports", tmp_path, thesaurus)
    assert backers <= found, found
    e = ex.entities
    backed_otherwise = {
        e[r.object].label
        for r in ex.relations
        if r.kind == "supports" and r.object in e and r.object not in keys
    }
    assert not (not_backed & backed_otherwise), backed_otherwise


def test_a_long_paragraph_tells_an_event_named_with_capitals(tmp_path: Path, thesaurus: object) -> None:
    """A paragraph of several sentences tells its event by a capitalised name too, not only a quoted or
    linked title; the title stops at the sentence's end and before « avec le soutien de »."""
    text = (
        "Le 9 novembre 2024, l'Agglomération du Pays de Dreux a organisé les Rencontres de l'emploi solidaire à "
        "Vernouillet, avec le soutien de la Région Centre-Val de Loire. Près de 120 demandeurs d'emploi, "
        "élu·es et structures de l'insertion par l'activité économique ont pu se rencontrer au fil de la "
        "journée, autour de stands, d'ateliers de présentation des métiers et de temps d'échanges avec les "
        "employeurs du territoire."
    )
    assert len(text) > 400  # read sentence by sentence
    ex = extract_news(text, tmp_path, thesaurus)
    keys = event_keys(ex, "Rencontres de l'emploi solidaire")
    assert keys, [e.label for e in ex.entities.values() if e.type == "Event"]
    assert {ex.entities[k].label for k in keys} == {"Rencontres de l'emploi solidaire"}
    assert "Région Centre-Val de Loire" in {
        ex.entities[r.subject].label for r in ex.relations if r.kind == "supports" and r.object in keys
    }


# participles listed after a verb conjugated with « avoir » share its subject and auxiliary
SHARED_AUXILIARY: list[tuple[str, str, str, str]] = [
    ("En 2023, l'association Bois Vivant a accompagné douze communes, publié le guide « Forêts en commun » et animé un réseau de propriétaires.", "publishedBy", "Guide « Forêts en commun »", "Bois Vivant"),
    ("Le 4 mars 2024, la CRESS Bretagne a réuni ses adhérents, signé une convention avec la Région Bretagne et lancé l'appel à projets « ESS en campagne ».", "pilotedBy", "Appel à projets « ESS en campagne »", "CRESS Bretagne"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "kind", "subject", "obj"), SHARED_AUXILIARY, ids=range(len(SHARED_AUXILIARY))
)
def test_listed_participles_share_the_subject(
    text: str, kind: str, subject: str, obj: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    e = ex.entities
    found = {
        (e[r.subject].label, e[r.object].label) for r in ex.relations if r.kind == kind and r.object in e
    }
    assert (subject, obj) in found, found
