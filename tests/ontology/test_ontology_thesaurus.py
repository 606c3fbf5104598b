"""Thesaurus content (size, labels, hierarchy, acronym coverage) and the label matcher."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS, SKOS

from essgraph.core.errors import NotFound
from essgraph.core.text import fold
from essgraph.ontology.namespace import (
    CONCEPT,
    SCHEME_FORMES,
    SCHEME_KINDS,
    SCHEME_LEVIERS,
    SCHEME_NIVEAUX,
    SCHEME_ORGANISATIONS,
    SCHEME_STATUTS,
    SCHEME_THEMATIQUES,
)
from essgraph.ontology.thesaurus import GEO_TTL, Thesaurus, load_thesaurus

# Capitalised tokens of the corpus that are not acronyms of the domain, with the reason they are left out.
CORPUS_STOP_LIST: dict[str, str] = {
    "ACTION": "heading word ('FICHE ACTION')",
    "ANS": "heading word ('LES 20 ANS DU RTES')",
    "AXE": "heading word ('AXE 1', 'AXE 2')",
    "DANS": "heading word",
    "DES": "heading word",
    "LES": "heading word",
    "PLACE": "heading word",
    "POUR": "heading word",
    "VIE": "heading word ('VIE INTERNE DU RÉSEAU')",
    "VILLE": "heading word ('CONTRAT DE VILLE')",
    "RURAUX": "heading word ('TERRITOIRES RURAUX')",
    "EUROPE": "heading word ('EUROPE & INTERNATIONAL')",
    "FAUX": "ordinary word in capitals ('… : FAUX.')",
    "CDI": "employment contract (contrat à durée indéterminée), not an ESS concept",
    "FAQ": "foire aux questions, not an ESS concept",
    "SECHER": "surname of a person",
    "PHARES": "name of an initiative (extracted entity, not a thesaurus label)",
    "VRAC": "name of an initiative (Vers un réseau d'achat en commun)",
    "ETIC": "name of an initiative (ETIC Foncièrement responsable)",
    "ERE": "name of an initiative (SCIC ERE 43)",
    "FIL": "name of an initiative (Façonneur d'innovations locales)",
    "GARE": "name of an initiative (Collectif GARE)",
    "IMAJ": "name of a local association",
    "IMEIF": "name of a local association",
}


def _geo_labels() -> set[str]:
    graph = Graph().parse(GEO_TTL)
    return {str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(None, p)}


# --- content -------------------------------------------------------------------------------------------


def test_thesaurus_is_large_enough(thesaurus: Thesaurus) -> None:
    concepts = [c for c in thesaurus.concepts if c.kind == "concept"]
    assert len(concepts) >= 120
    assert len(thesaurus.organisations()) >= 40
    per_scheme = Counter(c.scheme for c in thesaurus.concepts)
    assert per_scheme[SCHEME_LEVIERS] >= 40
    assert per_scheme[SCHEME_THEMATIQUES] >= 30
    assert per_scheme[SCHEME_FORMES] >= 25
    assert per_scheme[SCHEME_NIVEAUX] >= 10
    assert per_scheme[SCHEME_KINDS] == 8
    assert per_scheme[SCHEME_STATUTS] >= 3


def test_every_concept_has_label_definition_and_scheme(thesaurus: Thesaurus) -> None:
    for concept in thesaurus.concepts:
        assert concept.pref_label.strip(), concept.iri
        assert concept.definition and len(concept.definition) > 20, concept.iri
        assert str(concept.iri).startswith(str(concept.scheme) + "/") or concept.kind == "organisation"
        if concept.kind == "concept":
            assert concept.alt_labels, f"{concept.iri} has no altLabel"


def test_no_duplicate_pref_labels_within_a_scheme(thesaurus: Thesaurus) -> None:
    seen: dict[tuple[str, str], str] = {}
    for concept in thesaurus.concepts:
        key = (str(concept.scheme), fold(concept.pref_label))
        assert key not in seen, f"{concept.iri} and {seen[key]} share a prefLabel"
        seen[key] = str(concept.iri)


def test_broader_and_related_targets_exist(thesaurus: Thesaurus) -> None:
    for concept in thesaurus.concepts:
        for target in (*concept.broader, *concept.related):
            assert target in thesaurus, f"{concept.iri} -> {target}"
        for target in concept.broader:
            assert thesaurus.concept(target).scheme == concept.scheme


def test_top_concepts_have_no_broader_and_other_concepts_have_one(thesaurus: Thesaurus) -> None:
    for concept in thesaurus.concepts:
        if concept.kind != "concept":
            continue
        if concept.top:
            assert not concept.broader, concept.iri
        else:
            assert concept.broader, f"{concept.iri} is neither top nor narrower"


def test_kit_fiches_have_their_concept(thesaurus: Thesaurus) -> None:
    leviers = {c.slug for c in thesaurus.in_scheme(SCHEME_LEVIERS)}
    themes = {c.slug for c in thesaurus.in_scheme(SCHEME_THEMATIQUES)}
    assert {
        "connaissance-des-acteurs", "commande-publique-responsable", "entree-au-capital",
        "modes-de-contractualisation", "acces-au-foncier", "evaluation-impact", "animation-territoriale",
        "finance-solidaire", "transversalite", "ressources-mobilisables",
    } <= leviers  # fmt: skip
    assert {
        "revitalisation-centres-bourgs", "politique-de-la-ville", "alimentation-durable", "mobilite-durable",
        "culture", "transition-energetique", "ruralite", "numerique", "jeunesse-et-sports", "petite-enfance",
        "dechets-economie-circulaire",
    } <= themes  # fmt: skip


def test_lookups(thesaurus: Thesaurus) -> None:
    scic = thesaurus.concept(CONCEPT["formes-juridiques/scic"])
    assert scic.pref_label == "société coopérative d'intérêt collectif"
    assert "SCIC" in scic.alt_labels
    assert [c.slug for c in thesaurus.ancestors(scic.iri)] == ["cooperative"]
    assert scic.iri in {c.iri for c in thesaurus.narrower(CONCEPT["formes-juridiques/cooperative"])}
    assert thesaurus.get("https://example.org/none") is None
    with pytest.raises(NotFound):
        thesaurus.concept("https://example.org/none")
    pairs = thesaurus.labels()
    assert ("SCIC", scic.iri) in pairs
    assert all(isinstance(label, str) and label for label, _ in pairs)
    assert load_thesaurus() is load_thesaurus()


def test_reference_organisations(thesaurus: Thesaurus) -> None:
    orgs = {c.slug: c for c in thesaurus.organisations()}
    assert {"rtes", "avise", "cgscop", "anct", "cress", "ess-france", "ecossolies"} <= set(orgs)
    assert all(c.scheme == SCHEME_ORGANISATIONS for c in orgs.values())
    assert {"RTESS", "RTE", "rtés"} <= set(orgs["rtes"].labels)
    assert {"Avisé", "Aise"} <= set(orgs["avise"].labels)
    assert {"CG Scop", "CGSCOP"} <= set(orgs["cgscop"].labels)
    assert "CGET" in orgs["anct"].labels
    assert "ancien nom" in (orgs["anct"].definition or "")
    assert {"Ecosolies", "Écossolies"} <= set(orgs["ecossolies"].labels)


# --- acronym coverage -----------------------------------------------------------------------------------


def _acronyms_of(path: Path) -> set[str]:
    """Acronyms listed in acronyms.md: quoted variants and capitalised tokens after the preamble."""
    text = path.read_text(encoding="utf-8")
    body = text[text.index("Concepts —") :]
    quoted = set(re.findall(r'"([^"]+)"', body))
    body = re.sub(r'"[^"]+"', " ", body)
    return quoted | set(re.findall(r"\b[A-Z][A-Z0-9]+\b", body))


def test_every_acronym_of_acronyms_md_is_a_label(thesaurus: Thesaurus, acronyms_md: Path) -> None:
    acronyms = _acronyms_of(acronyms_md)
    assert len(acronyms) >= 60
    labels = {label for label, _ in thesaurus.labels()}
    assert sorted(acronyms - labels) == []


def test_every_recurrent_corpus_acronym_is_a_label(thesaurus: Thesaurus, shared_corpus: Path) -> None:
    counts: Counter[str] = Counter()
    for path in sorted(shared_corpus.glob("*.txt")):
        counts.update(re.findall(r"\b[A-Z]{3,6}\b", path.read_text(encoding="utf-8")))
    labels = {label for label, _ in thesaurus.labels()} | _geo_labels()
    missing = sorted(w for w, n in counts.items() if n >= 2 and w not in labels and w not in CORPUS_STOP_LIST)
    assert missing == []
    # the stop list holds only words that really occur and are really not labels
    assert all(counts[w] >= 2 and w not in labels for w in CORPUS_STOP_LIST)


# --- matcher ------------------------------------------------------------------------------------------------


def _slugs(thesaurus: Thesaurus, text: str, **kwargs: object) -> list[str]:
    return [m.iri.rsplit("/", 1)[-1] for m in thesaurus.match(text, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ma commune veut aider les habitants sans voiture", "mobilite-inclusive"),
        ("comment soutenir une SCIC", "scic"),
        ("société coopérative d'intérêt collectif", "scic"),
        ("Les sociétés coopératives d'intérêt collectif", "scic"),
        ("le dernier commerce du village va fermer", "revitalisation-centres-bourgs"),
        ("que faire d'une friche en centre-ville", "urbanisme-transitoire"),
        ("comment mesurer l'impact de notre politique", "evaluation-impact"),
        ("peut-on mobiliser le FEDER ?", "fonds-europeens"),
        ("de l'argent européen pour une ressourcerie", "fonds-europeens"),
        ("insérer des clauses sociales dans nos marchés", "clauses-sociales"),
        ("mettre en place un SPASER", "spaser"),
        ("créer une monnaie locale complémentaire", "monnaie-locale"),
        ("les cantines scolaires bio", "restauration-collective"),
        ("une crèche parentale", "petite-enfance"),
        ("aider les jeunes à passer le permis de conduire", "mobilite-inclusive"),
        ("le RTESS et la CG Scop", "rtes"),
        ("partenariat avec la CG Scop", "cgscop"),
        ("la Métropole Européenne de Lille", "metropole-europeenne-de-lille"),
        ("l'ANCT (ex-CGET)", "anct"),
    ],
)
def test_match_understands_elu_phrasings(thesaurus: Thesaurus, question: str, expected: str) -> None:
    assert expected in _slugs(thesaurus, question)


def test_match_spans_point_into_the_text(thesaurus: Thesaurus) -> None:
    text = "Les Scic et les PTCE : voir l'ESS à Lyon."
    matches = thesaurus.match(text)
    assert [(m.text, m.iri.rsplit("/", 1)[-1]) for m in matches] == [
        ("Scic", "scic"),
        ("PTCE", "ptce"),
        ("ESS", "ess"),
    ]
    for m in matches:
        assert text[m.start : m.end] == m.text


def test_acronyms_are_case_sensitive_whole_words(thesaurus: Thesaurus) -> None:
    assert "ess" not in _slugs(thesaurus, "un ESSAI de l'essai")
    assert _slugs(thesaurus, "l'ESS") == ["ess"]
    assert "ami" not in _slugs(thesaurus, "un ami de la mairie")
    assert "ami" in _slugs(thesaurus, "un AMI de la mairie")
    assert "fonds-europeens" not in _slugs(thesaurus, "le leader du projet")
    assert "reves" not in _slugs(thesaurus, "nos rêves")
    assert "avise" not in _slugs(thesaurus, "être à l'aise")
    assert _slugs(thesaurus, "les SCICs") == ["scic"]


def test_fold_acronyms_for_lower_case_queries(thesaurus: Thesaurus) -> None:
    assert "spaser" not in _slugs(thesaurus, "un spaser")
    assert "spaser" in _slugs(thesaurus, "un spaser", fold_acronyms=True)
    assert "ami" not in _slugs(thesaurus, "un ami", fold_acronyms=True)


def test_longest_match_wins(thesaurus: Thesaurus) -> None:
    slugs = _slugs(thesaurus, "la politique de la ville et le contrat de ville")
    assert slugs == ["politique-de-la-ville", "contrat-de-ville"]
    assert _slugs(thesaurus, "une convention SIEG") == ["convention-sieg"]


def test_accents_and_plurals_are_tolerated(thesaurus: Thesaurus) -> None:
    assert "mobilite-inclusive" in _slugs(thesaurus, "GARAGES SOLIDAIRES")
    assert "revitalisation-centres-bourgs" in _slugs(thesaurus, "revitalisation des centres bourgs")
    assert "economie-informelle" in _slugs(thesaurus, "economie informelle")


def test_scheme_filter_and_structural_schemes(thesaurus: Thesaurus) -> None:
    assert _slugs(thesaurus, "l'événement prévu") == []
    assert _slugs(thesaurus, "l'événement prévu", schemes=[SCHEME_STATUTS]) == ["prevu"]
    assert _slugs(thesaurus, "la SCIC et la commune", schemes=[SCHEME_NIVEAUX]) == ["commune"]


def test_match_on_whole_kit(thesaurus: Thesaurus, shared_corpus: Path) -> None:
    text = (shared_corpus / "rtes-kit-municipaless-2020.txt").read_text(encoding="utf-8")
    matches = thesaurus.match(text)
    found = Counter(m.iri.rsplit("/", 1)[-1] for m in matches)
    assert found["ess"] > 300 and found["scic"] > 50 and found["rtes"] > 5
    assert all(text[m.start : m.end] == m.text for m in matches)
