"""The page-field rule family: labelled lines and short sentences of a page about one initiative."""

from __future__ import annotations

from pathlib import Path

from essgraph.core.model import Extraction
from essgraph.ingest.extract.rules.fields import RULE, RULE_SENTENCE, load_fields
from tests.ingest.conftest import entity_key, extract_text

FIELD_RULES = {RULE, RULE_SENTENCE}


def _field_relations(ex: Extraction, kind: str, subject: str | None = None, obj: str | None = None) -> list:
    """The relations of `kind` this family produced (optionally with that subject / object key)."""
    return [
        r
        for r in ex.relations
        if r.kind == kind
        and r.qualifiers.get("rule") in FIELD_RULES
        and (subject is None or r.subject == subject)
        and (obj is None or r.object == obj)
    ]


def _years(ex: Extraction, key: str) -> set[str]:
    return {r.object_literal for r in ex.relations if r.kind == "foundingDate" and r.subject == key}


def _located(ex: Extraction, key: str) -> set[str]:
    return {str(r.object) for r in ex.relations if r.kind == "locatedIn" and r.subject == key}


BULLETED = """# La SCIC Le Grenier Partagé, recyclerie coopérative

La SCIC Le Grenier Partagé collecte et revend des objets de seconde main.

## En bref

- **Création** : 2019
- **Localisation** : Lannion et Guingamp
- **Budget annuel** : 350 000 € (2023)
- **Sociétaires** : la Ville de Lannion, Lannion-Trégor Communauté, des salariés et des habitants
- **Partenaires financiers** : Département des Côtes-d'Armor (20 000 €), Région Bretagne, Fondation de France
- **Contact** : Claire Marchand, co-gérante

## Une réunion publique

Date : 14 mars 2024
Lieu : Perros-Guirec

## Le réseau

Contact : Paul Lemoine, chargé de mission au RTES
"""


def test_bulleted_box_gives_each_field_to_the_page_subject(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_text(BULLETED, tmp_path, thesaurus)
    scic = entity_key(ex, "Grenier Partagé")
    assert scic is not None
    assert _years(ex, scic) == {"2019"}
    assert {"collectivite/lannion", "collectivite/guingamp"} <= _located(ex, scic)
    budget = [r for r in _field_relations(ex, "KeyFigure", scic)]
    assert [(r.qualifiers["value"], r.qualifiers["unit"], r.qualifiers.get("year")) for r in budget] == [
        ("350000", "€", "2023")
    ]
    holders = {r.subject for r in _field_relations(ex, "CapitalParticipation", obj=scic)}
    assert holders == {"collectivite/lannion", "collectivite/lannion-tregor-communaute"}
    funders = {r.subject: r.qualifiers.get("amount") for r in _field_relations(ex, "Funding", obj=scic)}
    assert funders == {
        "collectivite/departement-des-cotes-d-armor": "20000",
        "collectivite/region-bretagne": None,
        "organisation/fondation-de-france": None,
    }
    roles = {(r.subject, r.qualifiers["roleTitle"]) for r in _field_relations(ex, "Role", obj=scic)}
    assert roles == {("person/claire-marchand", "co-gérante")}


def test_blocks_about_something_else_assert_nothing(tmp_path: Path, thesaurus: object) -> None:
    """A meeting's place and the network's contact at the page foot are not the initiative's facts."""
    ex = extract_text(BULLETED, tmp_path, thesaurus)
    scic = entity_key(ex, "Grenier Partagé")
    assert scic is not None
    assert not any("perros" in place for place in _located(ex, scic))
    assert not any(r.subject == "person/paul-lemoine" and r.object == scic for r in ex.relations)
    # a place inside a partner's name is no location, a partner line no location line
    assert not any("france" in place for place in _located(ex, scic))


PLAIN_LINES = """# Recyclerie La Fourmilière du Léguer

La recyclerie accueille le public trois jours par semaine.

Date de création : mars 2016
Siège social : 4 rue des Tanneurs, 22300 Lannion
Chiffre d'affaires 2022 : 1,2 million d'euros
Référente à la communauté de communes : Sophie Garnier

Sociétaires :

- Commune de Ploubezre
- Lannion-Trégor Communauté
"""


def test_plain_lines_and_a_lead_list(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_text(PLAIN_LINES, tmp_path, thesaurus)
    rec = entity_key(ex, "Fourmilière du Léguer")
    assert rec is not None
    assert _years(ex, rec) == {"2016"}
    assert _located(ex, rec) == {"collectivite/lannion"}
    figures = _field_relations(ex, "KeyFigure", rec)
    assert [(r.qualifiers["value"], r.qualifiers.get("year")) for r in figures] == [("1200000", "2022")]
    holders = {r.subject for r in _field_relations(ex, "CapitalParticipation", obj=rec)}
    assert holders == {"collectivite/ploubezre", "collectivite/lannion-tregor-communaute"}
    roles = {(r.subject, r.qualifiers["roleTitle"]) for r in _field_relations(ex, "Role", obj=rec)}
    assert roles == {("person/sophie-garnier", "Référente à la communauté de communes")}


WRONG_KINDS = """# Tiers-lieu La Fabrique du Roudour

Le tiers-lieu ouvre ses portes au public.

- Création : en cours de réflexion
- Création de la légumerie : 2022
- Localisation : zone des Quatre Vents
- Budget : à définir
- Partenaires financiers : des entreprises du territoire
- Contact : accueil@exemple.org
"""


def test_values_of_the_wrong_kind_assert_nothing(tmp_path: Path, thesaurus: object) -> None:
    """Not a year, another thing's creation, a place unknown to the gazetteer, no amount, no body, no
    person: nothing is stated."""
    ex = extract_text(WRONG_KINDS, tmp_path, thesaurus)
    assert not [r for r in ex.relations if r.qualifiers.get("rule") in FIELD_RULES]


TWO_INITIATIVES = """# Deux initiatives du Trégor

Le réseau présente deux initiatives de son territoire.

## La recyclerie Le Grand Tri

- Création : 2014
- Implantation : Paimpol

## Le garage solidaire Roule Ma Poule

- Création : 2020
- Implantation : Guingamp
"""


def test_the_heading_above_the_block_names_its_subject(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_text(TWO_INITIATIVES, tmp_path, thesaurus)
    tri = entity_key(ex, "Recyclerie Le Grand Tri") or entity_key(ex, "Grand Tri")
    garage = entity_key(ex, "Garage solidaire Roule Ma Poule") or entity_key(ex, "Roule Ma Poule")
    assert tri is not None and garage is not None and tri != garage
    assert _years(ex, tri) == {"2014"} and _years(ex, garage) == {"2020"}
    assert _located(ex, tri) == {"collectivite/paimpol"}
    assert _located(ex, garage) == {"collectivite/guingamp"}


NO_SUBJECT = """# Lettre d'information du printemps

Des nouvelles des adhérents.

- Création : 2012
- Localisation : Lannion
- Partenaires financiers : Région Bretagne
"""


def test_lines_without_a_subject_assert_nothing(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_text(NO_SUBJECT, tmp_path, thesaurus)
    assert not [r for r in ex.relations if r.qualifiers.get("rule") in FIELD_RULES]


SENTENCES = {
    # fronted participial phrase, the subject a back-reference to the page's initiative
    "fronted": "Créée en 2017 à Morlaix, la coopérative emploie aujourd'hui douze salariés.",
    # passive with the name as subject
    "passive": "La SCIC Les Jardins du Dourduff a été fondée en 2017 à Morlaix.",
    # apposition after the name
    "apposition": "La SCIC Les Jardins du Dourduff, créée en 2017 à Morlaix, emploie douze salariés.",
    # the page's subject as a pronoun
    "pronoun": "Maraîchage et insertion sont ses métiers. Elle a été créée en 2017 à Morlaix.",
}
HEDGED = {
    "negation": "La SCIC n'a pas été créée en 2017 à Morlaix, contrairement à ce qui est souvent écrit.",
    "conditional": "Si le financement suit, elle sera installée à Morlaix en 2027.",
    "planned": "La coopérative devrait être implantée à Morlaix en 2027.",
}


def _sentence_page(sentence: str) -> str:
    return f"# La SCIC Les Jardins du Dourduff, maraîchage d'insertion\n\n{sentence}\n"


def test_short_sentences_in_several_phrasings(tmp_path: Path, thesaurus: object) -> None:
    for name, sentence in SENTENCES.items():
        ex = extract_text(_sentence_page(sentence), tmp_path, thesaurus, name=f"{name}.md")
        scic = entity_key(ex, "Jardins du Dourduff")
        assert scic is not None, name
        assert _years(ex, scic) == {"2017"}, name
        assert "collectivite/morlaix" in _located(ex, scic), name


def test_negated_conditional_or_planned_sentences_assert_nothing(tmp_path: Path, thesaurus: object) -> None:
    for name, sentence in HEDGED.items():
        ex = extract_text(_sentence_page(sentence), tmp_path, thesaurus, name=f"{name}.md")
        assert not [r for r in ex.relations if r.qualifiers.get("rule") in FIELD_RULES], name


def test_field_table_labels_are_distinct_and_folded() -> None:
    """One label belongs to one field (else a line's meaning would depend on the table's order)."""
    table = load_fields()
    seen: dict[str, str] = {}
    for field in table.fields:
        for label in field.labels:
            assert label == label.lower() and label.isascii(), label
            assert seen.setdefault(label, field.name) == field.name, label


HEADER_LINE = """# Fiche initiative : la SCIC Les Jardins du Dourduff

**Création :** 2015 **Siège :** Plourin-lès-Morlaix **Forme juridique :** SCIC

## Le projet

La SCIC cultive des légumes biologiques avec des salariés en insertion.

## En pratique

> **Contact :** Hélène Carré, directrice — accueil@exemple.org
> **Budget 2023 :** 280 000 €
"""


def test_bold_labels_on_one_line_and_a_quoted_block(tmp_path: Path, thesaurus: object) -> None:
    """A fiche's header line with several bold labels, and a quoted practical block."""
    ex = extract_text(HEADER_LINE, tmp_path, thesaurus)
    scic = entity_key(ex, "Jardins du Dourduff")
    assert scic is not None
    assert _years(ex, scic) == {"2015"}
    assert _located(ex, scic) == {"collectivite/plourin-les-morlaix"}
    figures = _field_relations(ex, "KeyFigure", scic)
    assert [(r.qualifiers["value"], r.qualifiers.get("year")) for r in figures] == [("280000", "2023")]
    roles = {
        (r.subject, r.qualifiers["roleTitle"]) for r in ex.relations if r.kind == "Role" and r.object == scic
    }
    assert roles == {("person/helene-carre", "directrice")}


SIBLING_SECTIONS = """# La SCIC Les Jardins du Dourduff, maraîchage d'insertion

La SCIC cultive des légumes biologiques.

## Le rôle de la commune

La commune met un local à disposition de la coopérative.

## En pratique

- Élu référent : Marc Guillou, adjoint au maire de Morlaix
- Contact : Anne Riou, chargée de mission à la Ville de Morlaix
- Budget : 90 000 €
"""


def test_fact_sheet_heading_after_a_sibling_section(tmp_path: Path, thesaurus: object) -> None:
    """« En pratique » after another section of the same level still gives the page's facts; a referent
    label is a role in the initiative even when the person's function is held elsewhere, a contact
    working for another body is no role in it."""
    ex = extract_text(SIBLING_SECTIONS, tmp_path, thesaurus)
    scic = entity_key(ex, "Jardins du Dourduff")
    assert scic is not None
    figures = _field_relations(ex, "KeyFigure", scic)
    assert [r.qualifiers["value"] for r in figures] == ["90000"]
    roles = {(r.subject, r.qualifiers["roleTitle"]) for r in _field_relations(ex, "Role", obj=scic)}
    assert roles == {("person/marc-guillou", "Élu référent")}
    assert not any(
        r.kind == "Role" and r.subject == "person/anne-riou" and r.object == scic for r in ex.relations
    )
