# ruff: noqa: E501
"""Precision families on documents and phrases written for these tests: structural facts cite the passages
that state them, fragments are no titles, an event's organiser and partner are told by their cue, and a
funding needs a named beneficiary."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import PROV, RDF

from essgraph.core.model import Extraction, ParsedDocument
from essgraph.core.settings import get_settings
from essgraph.graph.mapping import document_graph
from essgraph.ingest.extract import extract
from essgraph.ingest.extract.names import plausible_title
from essgraph.ingest.reading import read_document
from essgraph.ontology.thesaurus import load_thesaurus


def _read(text: str, tmp_path: Path, name: str = "doc.md") -> ParsedDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, get_settings())


def _extract(doc: ParsedDocument) -> Extraction:
    return extract(doc, load_thesaurus(), get_settings())


def _label(ex: Extraction, key: str | None) -> str:
    return ex.entities[key].label if key in ex.entities else str(key)


def _rels(ex: Extraction, kind: str) -> list[tuple[str, str, str]]:
    return [
        (_label(ex, r.subject), _label(ex, r.object), r.qualifiers.get("rule", ""))
        for r in ex.relations
        if r.kind == kind
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Publié en mars 2024",
        ": des guides pour agir",
        "4 Points de RepèrESS (SCIC",
        "juin 2023 : réalisation d'un guide",
        "Déclinaison régionale du guide",
        "Rencontre visait à rapprocher les élus",
        "Webinaire dédié",
        "Atelier pour présenter le bilan",
        "Guide « Coopérer autrement",
        "Tiers-lieux et collectivités publié en mars 2024 et sa déclinaison",
        "séminaire Tiers-lieux & collectivités",
    ],
)
def test_fragments_are_no_titles(title: str) -> None:
    assert not plausible_title(title)


@pytest.mark.parametrize(
    "title", ["Les monnaies locales en pratique", "Tiers-lieux et ruralité", "Habiter autrement les bourgs"]
)
def test_titles_are_titles(title: str) -> None:
    assert plausible_title(title)


def test_a_quoted_title_keeps_its_verb() -> None:
    # a purpose clause cut from running text is a fragment; the same words as a link's text are a title
    assert not plausible_title("Coopérer pour relocaliser l'emploi")
    assert plausible_title("Coopérer pour relocaliser l'emploi", quoted=True)
    assert not plausible_title("Publié en mars 2024", quoted=True)


SERIES_DOC = """# Rapport d'activité 2025 — RTES

## Nos outils

Le RTES produit un ensemble d'outils pour les élus des communes de montagne.

Le RepèrESS Habiter autrement les bourgs

Paru en mars 2025, ce guide de 60 pages présente douze expériences de communes de montagne.

## Lectures

Le RepèrESS Villages en transition

Ce guide rassemble les retours de la Coopérative Terres Hautes.

## Communication

Chaque année, le RTES publie deux RepèrESS et une lettre papier.

Les fiches RepèrESS « : des outils de référence » sont citées. Publié en février 2024, le RepèrESS a été réimprimé.
"""


def test_a_series_item_is_published_by_whoever_a_passage_says_produced_it(tmp_path: Path) -> None:
    doc = _read(SERIES_DOC, tmp_path)
    ex = _extract(doc)
    published = _rels(ex, "publishedBy")
    guide = [(s, o, rule) for s, o, rule in published if "Habiter autrement les bourgs" in s]
    assert guide and all(o == "RTES" for _, o, _ in guide), published
    # cited with the passage that says the network produces the tools, not only its own heading
    rel = next(r for r in ex.relations if r.kind == "publishedBy" and "Habiter" in _label(ex, r.subject))
    stating = next(p for p in doc.passages if p.index == rel.also[0])
    assert "RTES produit" in stating.text
    # no passage near the other guide says who made it: no publisher by default
    assert not any("Villages en transition" in s for s, _, _ in published), published
    # the series itself is published by the network, stated by the "le RTES publie … RepèrESS" sentence
    assert any(s == "RepèrESS" and o == "RTES" for s, o, _ in published), published
    # sentence fragments around a series name make no publication
    labels = {e.label for e in ex.entities.values() if e.type == "Publication"}
    assert not any(": des outils" in label or "Publié en" in label for label in labels), labels


def test_extra_evidence_passages_are_mapped_as_provenance(tmp_path: Path) -> None:
    doc = _read(SERIES_DOC, tmp_path)
    ex = _extract(doc)
    assert len(doc.passages) >= 2
    first, last = doc.passages[0].index, doc.passages[-1].index
    rel = next(r for r in ex.relations if r.kind == "publishedBy")
    rel.passage, rel.also = first, (last, first)  # a heading passage cited beside the item's
    graph = document_graph(doc, ex, get_settings().base_iri)
    node = next(
        st
        for st in graph.subjects(RDF.type, RDF.Statement)
        if str(graph.value(st, RDF.predicate)).endswith("publishedBy")
        and str(graph.value(st, RDF.subject)).endswith(rel.subject.split("/")[-1])
        and str(graph.value(st, RDF.object)).endswith(rel.object.split("/")[-1])
    )
    cited = sorted(str(p).rsplit("/", 1)[-1] for p in graph.objects(node, PROV.wasDerivedFrom))
    assert cited == sorted({str(first), str(last)})


EVENTS_DOC = """# Rapport d'activité 2025 — Réseau Alpin des Communes Solidaires

## Rencontres

- Le 12 mars 2025, journée « Foncier et coopératives » organisée par la Coopérative Terres Hautes en partenariat avec l'Union des Bourgs Actifs, à Gap.
- Le 3 juin 2025, forum « Mobilités rurales » avec le soutien de la Fondation Sentiers Partagés, à Briançon.
"""


def test_the_nearest_cue_tells_organiser_partner_and_supporter(tmp_path: Path) -> None:
    ex = _extract(_read(EVENTS_DOC, tmp_path))
    organised = {(s, o) for s, o, _ in _rels(ex, "organisedBy")}
    partners = {(s, o) for s, o, _ in _rels(ex, "partnerOf")}
    foncier = [s for s, _ in organised | partners if "Foncier et coopératives" in s]
    assert foncier, (organised, partners)
    assert any("Terres Hautes" in o for s, o in organised if "Foncier" in s), organised
    assert not any("Bourgs Actifs" in o for s, o in organised), organised
    assert any("Bourgs Actifs" in o for s, o in partners if "Foncier" in s), partners
    # a supporter is neither organiser nor partner of the event
    assert not any("Sentiers Partagés" in o for _, o in organised | partners)


FUNDING_DOC = """# Bulletin 2025 — Réseau Alpin des Communes Solidaires

## Financements

La Région Auvergne-Rhône-Alpes a apporté un financement de 20 000 € à la SCIC Bois des Cimes en 2025.

Un financement de la Fondation Névé ? Il reste à confirmer pour 2026, à hauteur de 5 000 €.

Créée en lien avec la Coopérative Énergie des Crêtes, la SCIC Soleil des Granges a reçu un financement de 8 000 € de la Communauté de communes du Briançonnais.

Le bilan 2025 présente un financement total de 90 000 €.
"""


def test_a_funding_needs_a_named_beneficiary_and_an_unhedged_funder(tmp_path: Path) -> None:
    ex = _extract(_read(FUNDING_DOC, tmp_path))
    fundings = {(s, o) for s, o, _ in _rels(ex, "Funding")}
    assert any("Auvergne-Rhône-Alpes" in s and "Bois des Cimes" in o for s, o in fundings), fundings
    # a hedged funder and a body only "linked with" the beneficiary fund nothing
    assert not any("Névé" in s for s, _ in fundings), fundings
    assert not any("Énergie des Crêtes" in s for s, _ in fundings), fundings
    # an amount with no beneficiary named is not a funding of the document's author
    assert not any("Réseau Alpin" in o for _, o in fundings), fundings


BOXES_DOC = """# Guide 2025 — Réseau Alpin des Communes Solidaires

## Des exemples

La Recyclerie des Gaves à Tarbes (65)

Depuis 2021, la Ville de Tarbes met à disposition de la recyclerie un ancien garage municipal.

L'Atelier Bois Vivant à Riscle (32)

L'atelier emploie douze salariés à Riscle et transforme le bois local.
"""


def test_a_box_heading_pairs_them_only_where_its_body_says_the_collectivite_acts(tmp_path: Path) -> None:
    ex = _extract(_read(BOXES_DOC, tmp_path))
    supports = [(s, o) for s, o, rule in _rels(ex, "supports") if rule == "structure:box-heading"]
    assert any("Tarbes" in s and "Recyclerie des Gaves" in o for s, o in supports), supports
    assert not any("Bois Vivant" in o for _, o in supports), supports
    rel = next(r for r in ex.relations if r.kind == "supports" and "Tarbes" in _label(ex, r.subject))
    assert rel.also  # the body passage that says it is cited beside the heading


@pytest.mark.parametrize(
    ("part", "names"),
    [
        ("Épicerie Les Paniers Futés", True),
        ("Tri Malin", True),
        ("Lutte contre le gaspillage alimentaire", False),
        ("Réhabilitation et valorisation des lavoirs communaux", False),
        ("Bilan : un an de coopération", False),
    ],
)
def test_a_fiche_title_part_names_its_subject_or_describes_it(part: str, names: bool) -> None:
    from essgraph.ingest.extract.rules.fiches import _fiche_subject_name

    assert _fiche_subject_name(part) is names


def test_a_firm_named_after_its_founder_is_no_person() -> None:
    from essgraph.ingest.extract.rules.common import is_person_name as _is_person_name

    assert _is_person_name("Hélène Vasseur")
    assert not _is_person_name("Hélène Vasseur Conseils")
    assert not _is_person_name("Martin Roche Associés")


PARTNER_DOC = """# Rapport d'activité 2025 — RTES

## Europe

- Voyage d'étude à Bruxelles en partenariat avec l'Union des Bourgs Actifs.
- Étude « Villages vivants », Claude Dupré Conseils en partenariat avec la Coopérative Terres Hautes, 2021.

La Coopérative Terres Hautes a travaillé en partenariat avec l'Union des Bourgs Actifs sur les circuits courts.
"""


def test_partners_are_actors_named_in_the_sentence(tmp_path: Path) -> None:
    ex = _extract(_read(PARTNER_DOC, tmp_path))
    partners = {(s, o) for s, o, _ in _rels(ex, "partnerOf")}
    assert ("Coopérative Terres Hautes", "Union des Bourgs Actifs") in {
        (s.replace("La ", ""), o.replace("l'", "")) for s, o in partners
    } or any("Terres Hautes" in s and "Bourgs Actifs" in o for s, o in partners), partners
    # an item with no actor before the cue is no partnership of the document's author
    assert not any(s == "RTES" or o == "RTES" for s, o in partners), partners
    # a publication beside the cue is no partner
    assert not any("Villages vivants" in s or "Villages vivants" in o for s, o in partners), partners


PLACES_DOC = """# Rapport d'activité 2025 — Réseau Alpin des Communes Solidaires

## Rencontres

- Le 8 octobre 2025, webinaire « Cantines et circuits courts » organisé par la Coopérative Terres Hautes en partenariat avec l'Union des Bourgs Actifs, avec le témoignage de Grenoble et de la Ville de Chambéry.
- Retours sur la journée d'échange « Habitat participatif » à Annecy le 6 novembre 2024.

## Ressources

- Le guide « Cantines durables », Coopérative Terres Hautes, Grenoble, 2024
"""


def test_a_town_named_bare_is_a_place_not_a_partner_or_publisher(tmp_path: Path) -> None:
    ex = _extract(_read(PLACES_DOC, tmp_path))
    partners = {o for _, o, _ in _rels(ex, "partnerOf")} | {o for _, o, _ in _rels(ex, "organisedBy")}
    publishers = {o for _, o, _ in _rels(ex, "publishedBy")}
    assert not any(o == "Grenoble" for o in partners | publishers), (partners, publishers)
    assert any("Bourgs Actifs" in o for o in partners), partners  # an organisation still is one
    places = {o for _, o, _ in _rels(ex, "locatedIn")}
    assert not any(" le " in o or any(c.isdigit() for c in o) for o in places), (
        places
    )  # "Annecy le 6" no place
