# ruff: noqa: E501
"""Who does what at an event (extract/rules/event_roles.py): hosts, venues, speakers, editions' names.

Sentences written for these tests, five phrasings or more per role (active, passive, coordination,
apposition, negation or condition); people and associations invented, collectivités real. A negated or
conditional sentence asserts nothing; a person quoted elsewhere, a mere partner and the next edition's
place are traps that must not become roles of the event told.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import assert_event_case, event_keys, extract_news, with_gaps

# (text, kind, event label fragment, other end's label; None: no relation of `kind` from any event)
CASES: list[tuple[str, str, str, str | None]] = [
    # hosts
    ("Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024, accueilli par la Ville de Vierzon.", "hostedBy", "Coopérer en Berry", "Ville de Vierzon"),
    ("Le forum « Coopérer en Berry », accueilli par la Ville de Vierzon, s'est tenu le 3 mai 2024.", "hostedBy", "Coopérer en Berry", "Ville de Vierzon"),
    ("Le séminaire « Achats responsables » a réuni 40 élus le 7 mars 2024 à l'invitation de la Ville de Bourges.", "hostedBy", "Achats responsables", "Ville de Bourges"),
    ("La Ville de Bourges accueillera la rencontre « Tiers-lieux et emploi » le 12 juin 2024.", "hostedBy", "Tiers-lieux et emploi", "Ville de Bourges"),
    ("La Ville de Bourges a accueilli la rencontre « Tiers-lieux et emploi » le 12 juin 2024.", "hostedBy", "Tiers-lieux et emploi", "Ville de Bourges"),
    ("La journée « Habiter autrement » du 9 octobre 2024 était accueillie par la Ville de Vierzon et la Ville de Bourges.", "hostedBy", "Habiter autrement", "Ville de Bourges"),
    ("La Ville de Vierzon n'a pas accueilli le forum « Coopérer en Berry » du 3 mai 2024.", "hostedBy", "Coopérer en Berry", None),
    ("La Ville de Vierzon pourrait accueillir le forum « Coopérer en Berry » le 3 mai 2025.", "hostedBy", "Coopérer en Berry", None),
    # a bare commune "hosting" says where the event is, not who hosts it
    ("Le 12 octobre 2024, Vierzon a accueilli le forum « Coopérer en Berry ».", "locatedIn", "Coopérer en Berry", "Vierzon"),
    ("Le 12 octobre 2024, Vierzon a accueilli le forum « Coopérer en Berry ».", "hostedBy", "Coopérer en Berry", None),
    # trap: a partner is not a host
    ("Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024 à Bourges, en partenariat avec la Ville de Vierzon.", "hostedBy", "Coopérer en Berry", None),
    # venues
    ("Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024 dans les locaux de l'association Loire Partage.", "venue", "Coopérer en Berry", "Loire Partage"),
    ("La rencontre « Tiers-lieux et emploi » aura lieu le 12 juin 2024 au tiers-lieu La Fabrique Verte.", "venue", "Tiers-lieux et emploi", "La Fabrique Verte"),
    ("La journée « Habiter autrement » s'est déroulée le 9 octobre 2024 à la salle des fêtes de Vierzon.", "venue", "Habiter autrement", "Salle des fêtes de Vierzon"),
    ("Le séminaire « Achats responsables » a été organisé le 7 mars 2024 à la Maison de l'ESS de Bourges.", "venue", "Achats responsables", "Maison de l'ESS de Bourges"),
    ("La journée « Habiter autrement », à l'Hôtel de ville de Bourges, a réuni 50 habitants le 9 octobre 2024.", "venue", "Habiter autrement", "Hôtel de ville de Bourges"),
    ("Le forum « Coopérer en Berry » du 3 mai 2024 ne s'est pas tenu à la salle des fêtes de Vierzon.", "venue", "Coopérer en Berry", None),
    # trap: the next edition's venue and place are not this edition's
    ("Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024. La prochaine édition aura lieu à la salle des fêtes de Vierzon.", "venue", "Coopérer en Berry", None),
    # speakers
    ("Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024 avec l'intervention de Marie Durand (chargée de mission, association Berry Solidaire).", "speaker", "Coopérer en Berry", "Marie Durand"),
    ("Le séminaire « Achats responsables » se tiendra le 7 mars 2024 à Bourges. Interviendront : Paul Martin, président de l'association Loire Partage, et Julie Bernard.", "speaker", "Achats responsables", "Julie Bernard"),
    ("Le séminaire « Achats responsables » se tiendra le 7 mars 2024 à Bourges. Interviendront : Paul Martin, président de l'association Loire Partage, et Julie Bernard.", "speaker", "Achats responsables", "Paul Martin"),
    ("La journée « Habiter autrement » du 9 octobre 2024 a donné lieu aux témoignages de Sophie Lambert et de Karim Haddad.", "speaker", "Habiter autrement", "Karim Haddad"),
    ("Marc Lefèvre, maire de Vierzon, est intervenu lors du forum « Coopérer en Berry » le 3 mai 2024.", "speaker", "Coopérer en Berry", "Marc Lefèvre"),
    ("La rencontre « Tiers-lieux et emploi » du 12 juin 2024 s'est ouverte avec les témoignages de la Ville de Vierzon et de l'association Loire Partage.", "speaker", "Tiers-lieux et emploi", "Loire Partage"),
    ("Julie Bernard n'est pas intervenue au forum « Coopérer en Berry » du 3 mai 2024.", "speaker", "Coopérer en Berry", None),
    ("Paul Martin pourrait intervenir au forum « Coopérer en Berry » le 3 mai 2025.", "speaker", "Coopérer en Berry", None),
    ("La journée « Habiter autrement » s'est tenue le 9 octobre 2024 à Vierzon. Ont pris la parole Sophie Lambert, adjointe au maire, et Karim Haddad.", "speaker", "Habiter autrement", "Sophie Lambert"),
    ("Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024 à Bourges. Parmi les intervenants : Claire Moreau et Thomas Petit.", "speaker", "Coopérer en Berry", "Thomas Petit"),
    # trap: a person quoted in the report, not said to speak at the event
    ("« Les circuits courts changent tout », explique Hélène Roux. Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024 à Bourges.", "speaker", "Coopérer en Berry", None),
    # names carrying a year or an edition are events, with their place and date
    ("Les Rencontres régionales de l'ESS du Cher 2024 ont eu lieu le 5 octobre 2024 à Bourges.", "locatedIn", "Rencontres régionales de l'ESS du Cher 2024", "Bourges"),
    ("Les Rencontres régionales de l'ESS du Cher 2024 ont eu lieu le 5 octobre 2024 à Bourges.", "eventDate", "Rencontres régionales de l'ESS du Cher 2024", "2024-10-05"),
    ("Retour sur les Rencontres régionales de l'ESS du Cher 2024, organisées le 5 octobre 2024 à Bourges par l'association Loire Partage et la Ville de Bourges.", "organisedBy", "Rencontres régionales de l'ESS du Cher 2024", "Loire Partage"),
    ("La 3e rencontre du club des tiers-lieux s'est tenue le 14 novembre 2024 à Vierzon.", "eventDate", "3e rencontre du club des tiers-lieux", "2024-11-14"),
]  # fmt: skip

# Known gaps, each with its reason; they must fail today (strict), so a fix shows up.
GAPS: dict[str, str] = {}


PARAMS = with_gaps(CASES, GAPS)


@pytest.mark.parametrize(
    ("text", "kind", "event", "other"), PARAMS, ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)]
)
def test_event_roles(
    text: str, kind: str, event: str, other: str | None, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(text, tmp_path, thesaurus)
    # traps (other None): no event has a relation of this kind
    assert_event_case(ex, kind, event, other, forbidden=(kind,), exact=False)


def test_the_organisation_of_a_speaker_neither_speaks_nor_partners(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_news(
        "Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024 avec l'intervention de Marie Durand "
        "(chargée de mission, association Berry Solidaire).",
        tmp_path,
        thesaurus,
    )
    tied = {
        r.kind
        for r in ex.relations
        if r.subject.startswith("event/") and "berry-solidaire" in (r.object or "")
    }
    assert not tied, tied


def test_the_next_edition_gives_no_place_to_this_one(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_news(
        "Le forum « Coopérer en Berry » s'est tenu le 3 mai 2024. La prochaine rencontre aura lieu à Issoudun.",
        tmp_path,
        thesaurus,
    )
    keys = event_keys(ex, "Coopérer en Berry")
    assert keys
    places = [r.object for r in ex.relations if r.kind == "locatedIn" and r.subject in keys]
    assert not any("issoudun" in (p or "") for p in places), places


def test_speakers_listed_under_a_lead_line_speak_at_the_event_above(
    tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(
        "Le séminaire « Achats responsables » s'est tenu le 7 mars 2024 à Bourges.\n\n"
        "Intervenants :\n\n- Claire Moreau (Ville de Bourges)\n- Thomas Petit (association Loire Partage)",
        tmp_path,
        thesaurus,
    )
    keys = event_keys(ex, "Achats responsables")
    speakers = {
        ex.entities[r.object].label
        for r in ex.relations
        if r.kind == "speaker" and r.subject in keys and r.object
    }
    assert speakers == {"Claire Moreau", "Thomas Petit"}, speakers


def test_an_event_named_by_a_clause_and_dated_by_the_events_family_is_one_node(
    tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_news(
        "La Ville de Bourges accueillera la rencontre « Tiers-lieux et emploi » le 12 juin 2024.",
        tmp_path,
        thesaurus,
    )
    keys = event_keys(ex, "Tiers-lieux et emploi")
    assert len(keys) == 1, keys
    hosts = [r for r in ex.relations if r.kind == "hostedBy"]
    assert len(hosts) == 1 and hosts[0].subject == keys[0], hosts


def test_two_editions_of_one_name_stay_two_events(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_news(
        "- Forum « Coopérer en Berry » le 3 mai 2023 à Bourges (60 participants)\n"
        "- Forum « Coopérer en Berry » le 2 mai 2024 à Vierzon (80 participants)",
        tmp_path,
        thesaurus,
    )
    dates = sorted(
        d for k in event_keys(ex, "Coopérer en Berry") for d in ex.entities[k].attributes.get("eventDate", [])
    )
    assert dates == ["2023-05-03", "2024-05-02"], dates


def test_a_host_verb_whose_object_is_not_the_event_hosts_nothing(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_news(
        "Lors du forum « Coopérer en Berry » du 3 mai 2024, la Ville de Vierzon accueillait déjà 40 apprentis.",
        tmp_path,
        thesaurus,
    )
    assert event_keys(ex, "Coopérer en Berry")
    hosts = [r for r in ex.relations if r.kind == "hostedBy"]
    assert not hosts, hosts


def test_a_speaker_list_ends_where_the_clause_goes_on(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_news(
        "La journée « Habiter autrement » du 9 octobre 2024 a présenté des témoignages d'habitants recueillis "
        "par l'association Loire Partage.",
        tmp_path,
        thesaurus,
    )
    assert event_keys(ex, "Habiter autrement")
    speakers = [r for r in ex.relations if r.kind == "speaker"]
    assert not speakers, speakers
