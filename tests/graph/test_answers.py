"""Answer cards, similar collectivités and département counts on a small graph written for the tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from essgraph.core.errors import BadInput
from essgraph.graph.answers import answer_card, card_concepts, legal_sentence, select_bound
from essgraph.graph.oxigraph_store import OxigraphStore
from essgraph.graph.territories import collectivites, departement_counts, departement_entities, similar
from essgraph.ontology.namespace import CONCEPT_IRI, EG

B = "https://example.org/id/"
LEVER = URIRef(CONCEPT_IRI + "leviers/levier-essai")
NARROW = URIRef(CONCEPT_IRI + "leviers/levier-essai-etroit")
FORM = URIRef(CONCEPT_IRI + "formes-juridiques/forme-essai")
THEME_A = URIRef(CONCEPT_IRI + "thematiques/theme-a")
THEME_B = URIRef(CONCEPT_IRI + "thematiques/theme-b")
COMMUNE = URIRef(CONCEPT_IRI + "niveaux-collectivite/commune")
EPCI = URIRef(CONCEPT_IRI + "niveaux-collectivite/epci")
BLOC = URIRef(CONCEPT_IRI + "niveaux-collectivite/bloc-communal")
DOC, SEC, SEC2 = URIRef(B + "doc/guide"), URIRef(B + "doc/guide/section/2"), URIRef(B + "doc/guide/section/3")
P = [URIRef(B + f"doc/guide/passage/{n}") for n in range(8)]
LAW = URIRef(B + "law/loi-essai")
ALPHA, BETA, GAMMA, DELTA = (URIRef(B + f"collectivite/{n}") for n in ("alpha", "beta", "gamma", "delta"))
ALPHA_BIS, EPSILON = URIRef(B + "collectivite/alpha-bis"), URIRef(B + "collectivite/epsilon")
COOP = URIRef(B + "initiative/coop-essai")


def _graph() -> rdflib.Graph:
    g = rdflib.Graph()
    add = g.add
    fr = "fr"
    for concept, label, scheme in [
        (LEVER, "levier d'essai", "leviers"),
        (NARROW, "levier d'essai étroit", "leviers"),
        (FORM, "forme d'essai", "formes-juridiques"),
        (THEME_A, "thème A", "thematiques"),
        (THEME_B, "thème B", "thematiques"),
        (COMMUNE, "commune", "niveaux-collectivite"),
        (EPCI, "EPCI", "niveaux-collectivite"),
        (BLOC, "bloc communal", "niveaux-collectivite"),
    ]:
        add((concept, SKOS.prefLabel, Literal(label, lang=fr)))
        add((concept, SKOS.inScheme, URIRef(CONCEPT_IRI + scheme)))
    add((LEVER, SKOS.definition, Literal("Une définition écrite pour le test.", lang=fr)))
    add((NARROW, SKOS.broader, LEVER))
    add((COMMUNE, SKOS.broader, BLOC))
    add((EPCI, SKOS.broader, BLOC))
    add((EG.usesLever, RDFS.label, Literal("utilise le levier", lang=fr)))
    add((EG.CapitalParticipation, RDFS.label, Literal("prise de participation au capital", lang=fr)))
    # two sections: the first is about the lever itself, the second only mentions it in passages
    for sec, label in [(SEC, "Guide — fiche n°2 : Essai"), (SEC2, "Guide — fiche n°3 : Autre")]:
        add((sec, RDF.type, EG.Section))
        add((sec, RDFS.label, Literal(label)))
        add((sec, EG.inDocument, DOC))
    add((SEC, DCTERMS.subject, LEVER))
    texts = [
        "Un préambule. La loi d'essai de 2020 permet aux communes de faire ceci. Une suite sans rapport.",
        "Une commune du test a recours au levier étroit.",
        "Une autre commune du test détient une part de la coopérative.",
        "La deuxième section parle aussi du levier.",
        "Un texte qui parle de la commune Alpha et du thème A.",
        "Un texte qui parle de Gamma, Delta et du thème A.",
        "Un texte sur Epsilon et le thème B.",
        "La section parle encore du levier.",
    ]
    sections = [SEC, SEC, SEC, SEC2, SEC2, SEC2, SEC2, SEC2]
    orders = [2, 3, 4, 1, 2, 3, 4, 5]
    for passage, text, sec, order in zip(P, texts, sections, orders, strict=True):
        add((passage, RDF.type, EG.Passage))
        add((passage, EG.text, Literal(text)))
        add((passage, EG.inSection, sec))
        add((passage, EG.order, Literal(order, datatype=XSD.integer)))
    for passage in (P[0], P[1], P[2], P[3], P[7]):
        add((passage, DCTERMS.subject, LEVER))
    add((P[0], EG.mentions, LAW))
    add((LAW, RDF.type, EG.Law))
    add((LAW, RDFS.label, Literal("Loi d'essai de 2020")))
    # collectivités: Alpha and Alpha-bis are two spellings of one; Beta holds a share; Gamma, Delta,
    # Epsilon are communes or an EPCI with themes
    for coll, label, level, code in [
        (ALPHA, "Commune Alpha", COMMUNE, "01"),
        (ALPHA_BIS, "commune alpha", COMMUNE, "01"),
        (BETA, "Commune Beta", COMMUNE, "02"),
        (GAMMA, "Commune Gamma", COMMUNE, "02"),
        (DELTA, "Commune Delta", COMMUNE, None),
        (EPSILON, "Communauté Epsilon", EPCI, "2A"),
    ]:
        add((coll, RDF.type, EG.Collectivite))
        add((coll, RDFS.label, Literal(label)))
        add((coll, EG.collectiviteLevel, level))
        if code:
            add((coll, EG.departementCode, Literal(code)))
    for coll, passage in [(ALPHA, P[1]), (ALPHA_BIS, P[1]), (GAMMA, P[5]), (EPSILON, P[6])]:
        used = NARROW if coll in (ALPHA, ALPHA_BIS) else LEVER
        add((coll, EG.usesLever, used))
        st = BNode()
        add((st, RDF.type, RDF.Statement))
        add((st, RDF.subject, coll))
        add((st, RDF.predicate, EG.usesLever))
        add((st, RDF.object, used))
        add((st, PROV.wasDerivedFrom, passage))
    add((P[4], EG.mentions, ALPHA))
    add((P[4], DCTERMS.subject, THEME_A))
    add((P[5], EG.mentions, GAMMA))
    add((P[5], EG.mentions, DELTA))
    add((P[5], DCTERMS.subject, THEME_A))
    add((P[6], EG.mentions, EPSILON))
    add((P[6], DCTERMS.subject, THEME_B))
    # Beta's capital share in an initiative of the form, with its numbers and a key figure
    add((COOP, RDF.type, EG.Initiative))
    add((COOP, RDFS.label, Literal("Coopérative d'essai")))
    add((COOP, EG.legalForm, FORM))
    add((COOP, EG.departementCode, Literal("02")))
    share = URIRef(B + "participation/1")
    add((share, RDF.type, EG.CapitalParticipation))
    add((share, EG.holder, BETA))
    add((share, EG.company, COOP))
    add((share, EG.amount, Literal(5000, datatype=XSD.integer)))
    add((share, EG.sharePercent, Literal(20, datatype=XSD.integer)))
    add((share, EG.year, Literal(2019, datatype=XSD.integer)))
    add((share, PROV.wasDerivedFrom, P[2]))
    figure = URIRef(B + "keyfigure/1")
    add((figure, RDF.type, EG.KeyFigure))
    add((figure, EG.value, Literal(12, datatype=XSD.integer)))
    add((figure, EG.unit, Literal("salariés")))
    add((figure, EG.about, COOP))
    add((figure, PROV.wasDerivedFrom, P[2]))
    return g


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """An Oxigraph store on disk holding the test graph in one named graph."""
    opened = OxigraphStore(Path(tmp_path_factory.mktemp("answers")) / "graph")
    opened.replace_graph(B + "graph/doc/guide", _graph())
    yield opened
    opened.close()


def test_card_of_a_lever_reads_every_line_from_the_graph(store: OxigraphStore) -> None:
    card = answer_card(store, str(LEVER))
    assert card is not None and card.substantive
    assert card.label == "levier d'essai"
    assert card.definition == "Une définition écrite pour le test."
    assert card.scheme == CONCEPT_IRI + "leviers"
    # the fiche: the section whose own subject is the lever (not the one with more passages on it)
    assert card.fiche is not None and card.fiche.section == str(SEC)
    assert card.fiche.passage == str(P[0])  # its first passage on the lever in reading order
    # the law named in a passage about the lever, with the sentence that cites it
    assert [(b.law, b.passage) for b in card.legal] == [(str(LAW), str(P[0]))]
    assert card.legal[0].sentence == "La loi d'essai de 2020 permet aux communes de faire ceci."
    # collectivités: the one with figures first (its share is stated in a passage about the lever),
    # then by name; a narrower lever counts (Alpha); two spellings of Alpha count once; three at most
    assert [u.label for u in card.users][:2] == ["Commune Beta", "Communauté Epsilon"]
    assert card.users[0].passage == str(P[2]) and len(card.users[0].figures) == 4
    assert card.users[2].label.lower() == "commune alpha" and card.users[2].passage == str(P[1])
    assert len(card.users) == 3


def test_figures_come_from_the_relation_node_and_the_key_figures_of_its_passage(store: OxigraphStore) -> None:
    card = answer_card(store, str(FORM))
    assert card is not None
    assert [u.collectivite for u in card.users] == [str(BETA)]
    use = card.users[0]
    assert use.partner == str(COOP) and use.partner_label == "Coopérative d'essai"
    assert {(f.kind, f.value, f.unit) for f in use.figures} == {
        ("montant", "5000", "€"),
        ("part", "20", "%"),
        ("annee", "2019", ""),
        ("chiffre", "12", "salariés"),
    }
    assert use.level_label == "commune" and use.departement == "02"


def test_collectivites_ranked_by_figures_then_capped(store: OxigraphStore) -> None:
    card = answer_card(store, str(LEVER), max_users=2)
    assert card is not None
    assert [u.collectivite for u in card.users] == [str(BETA), str(EPSILON)]


def test_unknown_concept_has_no_card(store: OxigraphStore) -> None:
    assert answer_card(store, CONCEPT_IRI + "leviers/absent") is None


def test_legal_sentence_needs_a_legal_marker() -> None:
    text = "Une phrase sur le sujet. Le décret de 2019 précise la règle; Fin."
    assert legal_sentence(text, "Décret de 2019") == "Le décret de 2019 précise la règle;"
    assert legal_sentence("Aucune référence ici.", "Loi") == ""


def test_bindings_refuse_what_is_not_an_iri(store: OxigraphStore) -> None:
    query = "SELECT ?coll ?label WHERE { ?coll <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    assert select_bound(store, query, {"coll": str(BETA)}) == [{"coll": str(BETA), "label": "Commune Beta"}]
    for bad in ["Commune Beta", f"{BETA}> . ?s ?p ?o . <x:", "javascript:alert(1)"]:
        with pytest.raises(BadInput):
            select_bound(store, query, {"coll": bad})
    with pytest.raises(BadInput):
        select_bound(store, query, {"bad name": str(BETA)})


def test_bound_values_give_the_rows_of_the_written_iri(store: OxigraphStore) -> None:
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    query = f"SELECT ?coll ?label WHERE {{ ?coll {label} ?label }} ORDER BY ?label"
    written = store.select(
        query.replace("?coll ?label WHERE", "?label WHERE").replace("{ ?coll", f"{{ <{GAMMA}>")
    )
    assert [row["label"] for row in select_bound(store, query, {"coll": str(GAMMA)})] == [
        r["label"] for r in written
    ]


def test_similar_collectivites_same_level_then_shared_themes(store: OxigraphStore) -> None:
    me, peers = similar(store, str(ALPHA))
    assert me is not None and me.label == "Commune Alpha"
    assert set(me.themes.values()) == {"thème A"}
    order = [p.iri for p in peers]
    # Gamma: same level, shares thème A; Beta: same level, no theme in common; Epsilon: a sibling level
    # (same broader level); Delta shares thème A but did nothing the graph states; Alpha's other
    # spelling is Alpha itself
    assert order == [str(GAMMA), str(BETA), str(EPSILON)]
    assert peers[0].same_level and peers[0].shared_themes == ["thème A"]
    assert peers[1].same_level and peers[1].shared_themes == []
    assert not peers[2].same_level
    assert [(a.verb, a.target, a.passage) for a in peers[0].actions] == [
        ("utilise le levier", str(LEVER), str(P[5]))
    ]
    assert [(a.verb, a.target_label, a.passage) for a in peers[1].actions] == [
        ("prise de participation au capital", "Coopérative d'essai", str(P[2]))
    ]


def test_similar_of_an_unknown_collectivite(store: OxigraphStore) -> None:
    assert similar(store, B + "collectivite/absente") == (None, [])


def test_departement_counts_and_entities(store: OxigraphStore) -> None:
    counts = departement_counts(store)
    assert counts["02"] == {"initiatives": 1, "collectivites": 2}
    assert counts["2A"] == {"initiatives": 0, "collectivites": 1}
    assert counts["01"] == {"initiatives": 0, "collectivites": 2}
    assert [label for _, _, label in departement_entities(store, "02")] == [
        "Commune Beta",
        "Commune Gamma",
        "Coopérative d'essai",
    ]
    assert departement_entities(store, "99") == []


def test_listings(store: OxigraphStore) -> None:
    assert card_concepts(store) == sorted([str(LEVER), str(NARROW), str(FORM)])
    assert collectivites(store) == sorted(str(c) for c in (ALPHA, ALPHA_BIS, BETA, GAMMA, DELTA, EPSILON))
