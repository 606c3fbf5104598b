"""Anaphora: definite kind words and pronouns resolved to the page's initiative or a named collectivité."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.model import Extraction
from tests.ingest.conftest import entity_key, extract_text

# Invented pages written as the network writes a fiche about one initiative (never corpus sentences).
SCIC = "SCIC Bois Partagé"
TITLE = "# Déniché pour vous : la SCIC Bois Partagé, scierie coopérative\n\n"
INTRO = "La SCIC Bois Partagé transforme le bois des forêts voisines depuis 2019.\n\n## Ses soutiens\n\n"
ASSOC_TITLE = "# Déniché pour vous : l'association Vélo Solidaire\n\n"
ASSOC_INTRO = "L'association Vélo Solidaire répare des vélos avec des bénévoles.\n\n## Ses soutiens\n\n"


def _page(body: str, title: str = TITLE, intro: str = INTRO) -> str:
    return title + intro + body + "\n"


def _links(ex: Extraction, kind: str, subject: str, obj: str) -> list[float]:
    """The confidences of the `kind` relations from the entity labelled `subject` to `obj`."""
    s, o = entity_key(ex, subject), entity_key(ex, obj)
    assert s is not None and o is not None, [e.label for e in ex.entities.values()]
    return [r.confidence for r in ex.relations if (r.kind, r.subject, r.object) == (kind, s, o)]


def _any_link(ex: Extraction, a: str, b: str) -> list[tuple[str, str, str]]:
    """Every relation between the entities labelled `a` and `b`, either way."""
    ka, kb = entity_key(ex, a), entity_key(ex, b)
    return [(r.kind, r.subject, str(r.object)) for r in ex.relations if {r.subject, r.object} == {ka, kb}]


# ---------------------------------------------------------------- the page's initiative by its kind word
INITIATIVE_CASES = [
    # active, the kind word as object
    ("La Région Bourgogne-Franche-Comté soutient la coopérative depuis 2020.", "supports",
     "Bourgogne-Franche-Comté"),
    # passive, the legal form as subject
    ("La SCIC est soutenue par le Département du Jura.", "supports", "Jura"),
    # coordination of agents
    ("La Ville de Poligny et le Département du Jura financent la coopérative.", "Funding", "Poligny"),
    # a subject pronoun opening the paragraph
    ("Elle est soutenue par la Ville de Poligny depuis 2021.", "supports", "Poligny"),
    # the dative clitic
    ("La commune de Poligny lui met à disposition un ancien hangar.", "supports", "Poligny"),
    # the dative clitic before an auxiliary (compound tense)
    ("La commune de Poligny lui a mis à disposition un ancien hangar.", "supports", "Poligny"),
    ("Le Département du Jura lui a versé 6 000 € en 2023.", "Funding", "Jura"),
    # capital stake with a year and an amount
    ("La Ville de Poligny est entrée au capital de la coopérative en 2022, à hauteur de 4 000 €.",
     "CapitalParticipation", "Poligny"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "kind", "actor"), INITIATIVE_CASES)
def test_kind_word_and_pronoun_name_the_page_initiative(
    body: str, kind: str, actor: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert _links(ex, kind, actor, SCIC), ex.relations


def test_association_form_word_names_the_page_association(tmp_path: Path, thesaurus: object) -> None:
    body = "La commune de Poligny a accordé une subvention de 3 000 € à l'association."
    ex = extract_text(_page(body, ASSOC_TITLE, ASSOC_INTRO), tmp_path, thesaurus)
    assert _links(ex, "Funding", "Poligny", "Vélo Solidaire"), ex.relations


@pytest.mark.parametrize(
    "body",
    [
        "La Ville de Poligny ne soutient pas la coopérative.",  # negation
        "Le Département du Jura pourrait financer la coopérative.",  # conditional
        "La Ville de Poligny envisage de soutenir la SCIC.",  # intent
    ],
)
def test_denied_sentence_about_the_kind_word_asserts_nothing(
    body: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(_page(body), tmp_path, thesaurus)
    actor = "Poligny" if "Poligny" in body else "Jura"
    assert not _any_link(ex, actor, SCIC)


def test_anaphoric_relation_is_less_sure_than_a_named_one(tmp_path: Path, thesaurus: object) -> None:
    named = extract_text(_page("La Ville de Poligny soutient la SCIC Bois Partagé."), tmp_path, thesaurus)
    back = extract_text(_page("La Ville de Poligny soutient la coopérative."), tmp_path, thesaurus)
    assert max(_links(back, "supports", "Poligny", SCIC)) < max(_links(named, "supports", "Poligny", SCIC))


def test_anaphor_in_another_initiatives_section_is_not_the_page_subject(
    tmp_path: Path, thesaurus: object
) -> None:
    body = (
        "## Un autre exemple : la recyclerie Le Grenier Vert\n\n"
        "Elle est soutenue par la Ville de Poligny.\n\n"
        "La commune de Salins lui met à disposition un entrepôt."
    )
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert not _any_link(ex, "Poligny", SCIC)
    assert not _any_link(ex, "Salins", SCIC)


def test_pronoun_after_another_named_actor_stays_unresolved(tmp_path: Path, thesaurus: object) -> None:
    body = "L'association Roue Libre anime un atelier.\n\nElle est soutenue par la Ville de Poligny."
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert not _any_link(ex, "Poligny", SCIC)


# ---------------------------------------------------------------- a collectivité by its level word
COLLECTIVITE_CASES = [
    (
        "La Communauté de communes du Val de Sorne accompagne les porteurs de projets.\n\n"
        "En 2022, la Communauté de communes a financé la SCIC Bois Partagé pour 10 000 €.",
        "Funding",
        "Val de Sorne",
    ),
    (
        "Le Département du Jura suit le projet depuis le début.\n\n"
        "La SCIC Bois Partagé est soutenue par le Département depuis 2021.",
        "supports",
        "Jura",
    ),
    (
        "La commune de Poligny compte deux scieries.\n\n"
        "La commune héberge la SCIC Bois Partagé dans un ancien hangar.",
        "supports",
        "Poligny",
    ),
    (
        "La Région Bourgogne-Franche-Comté a ouvert un fonds pour la filière bois.\n\n"
        "La Région a accordé une subvention de 20 000 € à la SCIC Bois Partagé.",
        "Funding",
        "Bourgogne-Franche-Comté",
    ),
    (
        "La Communauté de communes du Val de Sorne a été la première à y croire. "
        "Cette communauté de communes est entrée au capital de la SCIC Bois Partagé en 2021.",
        "CapitalParticipation",
        "Val de Sorne",
    ),
]


@pytest.mark.parametrize(("body", "kind", "actor"), COLLECTIVITE_CASES)
def test_level_word_names_the_one_collectivite_of_that_level(
    body: str, kind: str, actor: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert _links(ex, kind, actor, SCIC), ex.relations


def test_two_collectivites_of_the_level_leave_it_unresolved(tmp_path: Path, thesaurus: object) -> None:
    body = (
        "La commune de Poligny et la commune de Salins ont signé une charte forestière.\n\n"
        "La commune a financé la SCIC Bois Partagé en 2022."
    )
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert not _any_link(ex, "Poligny", SCIC)
    assert not _any_link(ex, "Salins", SCIC)


@pytest.mark.parametrize(
    "second",
    [
        "Les communes financent souvent la SCIC Bois Partagé.",  # generic plural
        "Une commune voisine a financé la SCIC Bois Partagé.",  # indefinite
        "Plusieurs communes ont financé la SCIC Bois Partagé.",  # quantified plural
    ],
)
def test_generic_or_indefinite_level_word_refers_to_nothing(
    second: str, tmp_path: Path, thesaurus: object
) -> None:
    body = "La commune de Poligny compte deux scieries.\n\n" + second
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert not _any_link(ex, "Poligny", SCIC)


def test_level_word_of_another_level_refers_to_nothing(tmp_path: Path, thesaurus: object) -> None:
    body = "La commune de Poligny compte deux scieries.\n\nLe Département a financé la SCIC Bois Partagé."
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert not _any_link(ex, "Poligny", SCIC)


# ---------------------------------------------------------------- a contact holding an elected office
@pytest.mark.parametrize(
    "function",
    [
        "conseillère communautaire déléguée à l'économie circulaire",
        "adjoint au maire chargé de l'économie sociale et solidaire",
        "conseiller municipal délégué au commerce",
        "vice-présidente chargée du développement économique",
        "maire",
        "conseillère départementale",
    ],
)
def test_elected_office_of_a_contact_is_no_role_in_the_initiative(
    function: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(_page(f"Contact : Julie Marchand, {function}", intro=""), tmp_path, thesaurus)
    person, scic = entity_key(ex, "Julie Marchand"), entity_key(ex, SCIC)
    assert not [r for r in ex.relations if (r.kind, r.subject, r.object) == ("Role", person, scic)]


def test_a_function_in_the_initiative_stays_a_role(tmp_path: Path, thesaurus: object) -> None:
    ex = extract_text(_page("Contact : Julie Marchand, gérante", intro=""), tmp_path, thesaurus)
    assert _links(ex, "Role", "Julie Marchand", SCIC)


def test_kind_word_in_a_complement_does_not_stand_beside_a_partner(tmp_path: Path, thesaurus: object) -> None:
    body = (
        "La Communauté de communes du Val de Sorne est entrée au capital de la coopérative en 2021, "
        "aux côtés de la Ville de Poligny."
    )
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert _links(ex, "CapitalParticipation", "Val de Sorne", SCIC)
    assert not [r for r in _any_link(ex, "Poligny", SCIC) if r[0] == "partnerOf"]


def test_level_word_before_a_modal_is_generic(tmp_path: Path, thesaurus: object) -> None:
    body = "La commune de Poligny compte deux scieries.\n\nLa commune peut financer la SCIC Bois Partagé."
    ex = extract_text(_page(body), tmp_path, thesaurus)
    assert not _any_link(ex, "Poligny", SCIC)


@pytest.mark.parametrize(
    "second",
    [
        "Le réseau, en partenariat avec l'Avise et la mission régionale Politique de la Ville, a "
        "co-organisé un séminaire national Quartiers & ESS le 12 mars 2024.",
        "- **Journée nationale Quartiers & ESS et propositions pour la politique de la ville**\n\n"
        "Le réseau a organisé une journée nationale Quartiers & ESS à Lyon le 4 avril 2024.",
        "La SCIC Bois Partagé forme des jeunes des quartiers prioritaires de la politique de la ville.",
    ],
)
def test_level_word_in_a_policy_name_refers_to_nothing(
    second: str, tmp_path: Path, thesaurus: object
) -> None:
    body = "La Ville de Poligny compte deux scieries.\n\n" + second
    ex = extract_text(_page(body), tmp_path, thesaurus)
    key = entity_key(ex, "Poligny")
    assert not [r for r in ex.relations if key in (r.subject, r.object)], ex.relations


@pytest.mark.parametrize(
    ("function", "collectivite"),
    [
        ("conseillère municipale de la Ville de Poligny", "Poligny"),
        (
            "vice-présidente de la Communauté de communes du Val de Sorne chargée de l'économie",
            "Val de Sorne",
        ),
    ],
)
def test_elected_office_of_a_named_collectivite_is_a_role_there(
    function: str, collectivite: str, tmp_path: Path, thesaurus: object
) -> None:
    ex = extract_text(_page(f"Contact : Julie Marchand, {function}", intro=""), tmp_path, thesaurus)
    assert _links(ex, "Role", "Julie Marchand", collectivite)
    person, scic = entity_key(ex, "Julie Marchand"), entity_key(ex, SCIC)
    assert not [r for r in ex.relations if (r.kind, r.subject, r.object) == ("Role", person, scic)]
