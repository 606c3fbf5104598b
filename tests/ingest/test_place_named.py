"""Initiatives named after their territory (« la régie de quartier de X ») and « la collectivité » resolved
to the one collectivité its paragraph names (phrases.py, rules/anaphora.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import extract_text, relation_labels


def _initiatives(text: str, tmp_path: Path, thesaurus: object) -> set[str]:
    ex = extract_text(text, tmp_path, thesaurus)
    return {e.label for e in ex.entities.values() if e.type == "Initiative"}


NAMED = [
    ("La régie de quartier de Villeurbanne emploie trente habitants.", "Régie de quartier de Villeurbanne"),
    (
        "Les régies de quartier de Grenoble-Alpes Métropole ont signé une charte commune.",
        "Régies de quartier de Grenoble-Alpes Métropole",
    ),
    ("Créée en 2015, la ressourcerie du Finistère collecte les meubles.", "Ressourcerie du Finistère"),
    ("Le PTCE du Pays de Bray réunit des entreprises et des associations.", "PTCE du Pays de Bray"),
    ("Nous avons visité l'épicerie solidaire de Commercy en mars.", "Épicerie solidaire de Commercy"),
    # OCR drops accents: the kind word is read either way, the label keeps the lexicon's spelling
    ("Les Regies de quartier de Saint-Denis portent un chantier.", "Régies de quartier de Saint-Denis"),
    ("La monnaie locale de Bretagne circule dans 300 commerces.", "Monnaie locale de Bretagne"),
    # the kind word written with a capital after its article starts a proper name, whatever follows « de »
    ("La Ressourcerie du Val de Sèvre emploie quatorze salariés.", "Ressourcerie du Val de Sèvre"),
    ("Nous avons visité la Conserverie de la Vallée Verte en juin.", "Conserverie de la Vallée Verte"),
    ("Le Garage solidaire du Haut Bocage répare des voitures.", "Garage solidaire du Haut Bocage"),
]


@pytest.mark.parametrize(("text", "label"), NAMED)
def test_place_named_initiative(text: str, label: str, tmp_path: Path, thesaurus: object) -> None:
    assert label in _initiatives(text, tmp_path, thesaurus)


NOT_NAMED = [
    # a public facility of the place, not an ESS initiative
    ("La cantine de Villeurbanne sert des repas bio.", "Cantine de Villeurbanne"),
    ("Le jardin de Grenoble ouvre ses portes.", "Jardin de Grenoble"),
    # indefinite: one régie among others, no name
    ("Une régie de quartier de Villeurbanne a été créée.", "Régie de quartier de Villeurbanne"),
    # « de » followed by a person, not a place of the gazetteers
    ("La SCOP de Martin Durand fabrique des meubles.", "SCOP de Martin Durand"),
]


@pytest.mark.parametrize(("text", "label"), NOT_NAMED)
def test_not_place_named(text: str, label: str, tmp_path: Path, thesaurus: object) -> None:
    assert label not in _initiatives(text, tmp_path, thesaurus)


def test_place_named_initiative_carries_a_project(tmp_path: Path, thesaurus: object) -> None:
    text = "La régie de quartier de Villeurbanne porte une filière de réemploi des palettes en bois."
    assert (
        "pilotedBy",
        "Filière de réemploi des palettes en bois",
        "Régie de quartier de Villeurbanne",
    ) in relation_labels(extract_text(text, tmp_path, thesaurus))


def test_the_place_is_not_the_actor(tmp_path: Path, thesaurus: object) -> None:
    """The collectivité after « de » names where the régies work; they, not it, carry the project."""
    text = "Les régies de quartier de la Métropole de Lyon portent une filière de réemploi des jouets."
    relations = relation_labels(extract_text(text, tmp_path, thesaurus))
    project = "Filière de réemploi des jouets"
    assert ("pilotedBy", project, "Régies de quartier de la Métropole de Lyon") in relations
    assert not [r for r in relations if "Métropole de Lyon" in (r[1], r[2])]


FUNDED = "Étude de faisabilité sur le réemploi des matériaux"
COLLECTIVITE = [
    # the one collectivité named earlier in the paragraph
    (
        "La Métropole de Lyon a réuni les acteurs du quartier. La collectivité a financé une étude de "
        "faisabilité sur le réemploi des matériaux.",
        "Métropole de Lyon",
    ),
    (
        "Le Département de la Gironde a lancé un appel. Ensuite, la collectivité a financé une étude de "
        "faisabilité sur le réemploi des matériaux.",
        "Département de la Gironde",
    ),
    (
        "La Communauté de communes du Pays de Bray accompagne le projet. L'intercommunalité a financé une "
        "étude de faisabilité sur le réemploi des matériaux.",
        "Communauté de communes du Pays de Bray",
    ),
]


@pytest.mark.parametrize(("text", "funder"), COLLECTIVITE)
def test_la_collectivite_resolved(text: str, funder: str, tmp_path: Path, thesaurus: object) -> None:
    assert ("Funding", funder, FUNDED) in relation_labels(extract_text(text, tmp_path, thesaurus))


UNRESOLVED = [
    # two collectivités in the paragraph: either may be meant
    "La Région Bretagne et la Métropole de Lyon ont réuni les acteurs. La collectivité a financé une étude "
    "de faisabilité sur le réemploi des matériaux.",
    # named in an earlier paragraph only: too far for a word that names no level
    "La Métropole de Lyon a réuni les acteurs.\n\nLa collectivité a financé une étude de faisabilité sur le "
    "réemploi des matériaux.",
    # a modal: any collectivité, in general
    "La Métropole de Lyon a réuni les acteurs. La collectivité peut financer une étude de faisabilité sur le "
    "réemploi des matériaux.",
    # a bare place is no actor the word points back to
    "Les acteurs se sont réunis à Lyon. La collectivité a financé une étude de faisabilité sur le réemploi "
    "des matériaux.",
]


@pytest.mark.parametrize("text", UNRESOLVED)
def test_la_collectivite_unresolved(text: str, tmp_path: Path, thesaurus: object) -> None:
    funded = {r for r in relation_labels(extract_text(text, tmp_path, thesaurus)) if r[0] == "Funding"}
    assert not funded
