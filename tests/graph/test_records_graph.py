"""Record rows in the store: typed entities with their columns, cited rows, a folder with bad files."""

from __future__ import annotations

import json

import pytest

from essgraph.app.pipeline import ingest_paths
from essgraph.core.model import IngestSummary
from essgraph.core.settings import Settings
from essgraph.graph.store_factory import open_store

PREFIXES = """
PREFIX eg: <https://w3id.org/essgraph/def#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def _select(settings: Settings, query: str) -> list[dict[str, str]]:
    with open_store(settings) as store:
        return store.select(PREFIXES + query)


@pytest.fixture(scope="module")
def folder_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, IngestSummary]:
    """A folder of record files written here (one with a mapping file, two bad ones) ingested once."""
    folder = tmp_path_factory.mktemp("records")
    (folder / "annuaire.csv").write_text(
        "Raison sociale;Statut;Ville;Code postal;SIRET;Date de création;Salariés\n"
        "Les Jardins du Lavoir;SCOP;Figeac;46100;123 456 789 00012;2012;14\n"
        ";;;;;;\n"
        "Pôle Territorial Ouest;EPCI;;;;;\n",
        encoding="utf-8",
    )
    (folder / "export.csv").write_text("Appellation,Cp\nLa Recyclerie du Causse,12000\n", encoding="utf-8")
    (folder / "export.csv.mapping.json").write_text(
        json.dumps({"colonnes": {"Appellation": "nom"}, "type": "initiative"}), encoding="utf-8"
    )
    (folder / "flux.jsonl").write_text(
        '{"name": "Café Solidaire Tournesol", "legal form": "association", "insee": "31555"}\n',
        encoding="utf-8",
    )
    (folder / "large.csv").write_text(
        ";".join(["nom", *(f"c{k}" for k in range(10_000))]) + "\nX" + ";1" * 10_000 + "\n", encoding="utf-8"
    )
    (folder / "casse.csv").write_bytes(b"nom;ville\n" + bytes(range(128, 256)) * 8 + b"\n")
    settings = Settings(home=tmp_path_factory.mktemp("records-home") / "home")
    return settings, ingest_paths([folder], settings, progress=False)


def test_bad_files_fail_alone(folder_home: tuple[Settings, IngestSummary]) -> None:
    settings, summary = folder_home
    assert summary.documents == 3 and summary.records == 4 and summary.skipped_records == 1
    assert len(summary.errors) == 2, summary.errors  # the mapping file is not a document
    assert any("large.csv" in e and "10001 colonnes" in e for e in summary.errors)
    assert any("casse.csv" in e and "encodage" in e for e in summary.errors)
    assert all(f.details.get("file") for f in summary.failures)
    graphs = {
        r["g"].rsplit("/", 1)[1]
        for r in _select(settings, "SELECT DISTINCT ?g { GRAPH ?g { ?d a eg:Document } }")
    }
    assert graphs == {"annuaire", "export", "flux"}


def test_rows_become_typed_entities_with_their_columns(folder_home: tuple[Settings, IngestSummary]) -> None:
    settings, _ = folder_home
    rows = _select(
        settings,
        "SELECT DISTINCT ?label ?type { ?e a ?type ; rdfs:label ?label . "
        '?x rdf:subject ?e ; eg:extractedBy "record:row" . VALUES ?type { eg:Initiative eg:Collectivite } }',
    )
    kinds = {r["label"]: r["type"].rsplit("#", 1)[1] for r in rows}
    assert kinds == {
        "Les Jardins du Lavoir": "Initiative",
        "Pôle Territorial Ouest": "Collectivite",
        "La Recyclerie du Causse": "Initiative",  # declared by the mapping file
        "Café Solidaire Tournesol": "Initiative",
    }
    (row,) = _select(
        settings,
        """SELECT ?siret ?cp ?founded ?dep ?place ?placeDep ?header ?value {
          ?e rdfs:label "Les Jardins du Lavoir"@fr ; eg:siret ?siret ; schema:postalCode ?cp ;
             schema:foundingDate ?founded ; eg:inDepartement ?dep ; eg:locatedIn ?place ; ?p ?value .
          ?place rdfs:label ?placeLabel ; eg:inDepartement ?placeDep .
          ?p rdfs:subPropertyOf eg:recordField ; rdfs:label ?header }""",
    )
    assert row["siret"] == "12345678900012" and row["cp"] == "46100" and row["founded"] == "2012"
    assert row["dep"] == row["placeDep"] == "http://id.insee.fr/geo/departement/46"
    assert (row["header"], row["value"]) == ("Salariés", "14")
    (level,) = _select(
        settings, 'SELECT ?l { ?e rdfs:label "Pôle Territorial Ouest"@fr ; eg:collectiviteLevel ?l }'
    )
    assert level["l"].endswith("/niveaux-collectivite/epci")
    (insee,) = _select(
        settings,
        'SELECT ?dep ?form { ?e rdfs:label "Café Solidaire Tournesol"@fr ; '
        "eg:inDepartement ?dep ; eg:legalForm ?form }",
    )
    assert insee["dep"].endswith("/31") and insee["form"].endswith("/association")


def test_each_fact_cites_its_row(folder_home: tuple[Settings, IngestSummary]) -> None:
    settings, _ = folder_home
    rows = _select(
        settings,
        """SELECT ?label ?start ?end ?doc {
          ?st rdf:subject ?e ; prov:wasDerivedFrom ?row ; eg:extractedBy "record:row" .
          ?e a eg:Agent ; rdfs:label ?label .
          ?row eg:startLine ?start ; eg:endLine ?end ; eg:inDocument/eg:sourceFile ?doc }""",
    )
    lines = {(r["label"], r["doc"], int(r["start"]), int(r["end"])) for r in rows}
    assert lines == {
        ("Les Jardins du Lavoir", "annuaire.csv", 2, 2),
        ("Pôle Territorial Ouest", "annuaire.csv", 4, 4),
        ("La Recyclerie du Causse", "export.csv", 2, 2),
        ("Café Solidaire Tournesol", "flux.jsonl", 1, 1),
    }
    (skipped,) = _select(
        settings,
        'SELECT ?n ?k { ?d eg:sourceFile "annuaire.csv" ; eg:recordCount ?n ; eg:skippedRecords ?k }',
    )
    assert (skipped["n"], skipped["k"]) == ("2", "1")


def test_shipped_samples_give_their_initiatives_and_collectivites(samples_home: Settings) -> None:
    rows = _select(
        samples_home,
        """SELECT ?file ?type (COUNT(DISTINCT ?e) AS ?n) {
          GRAPH ?g { ?d eg:sourceFile ?file . ?e a ?type . ?x rdf:subject ?e ; eg:extractedBy "record:row" .
                     VALUES ?type { eg:Initiative eg:Collectivite } } } GROUP BY ?file ?type""",
    )
    counts = {(r["file"], r["type"].rsplit("#", 1)[1]): int(r["n"]) for r in rows}
    assert counts == {
        ("initiatives-exemple.csv", "Initiative"): 6,
        ("collectivites-exemple.json", "Collectivite"): 3,
    }
    forms = _select(
        samples_home,
        """SELECT ?label ?form ?theme ?dep { ?e a eg:Initiative ; rdfs:label ?label ; eg:legalForm ?form ;
             eg:theme ?theme ; eg:inDepartement ?dep ; eg:locatedIn ?place . ?place a eg:Place }""",
    )
    garage = {
        (r["form"].rsplit("/", 1)[1], r["dep"].rsplit("/", 1)[1])
        for r in forms
        if r["label"].startswith("Garage")
    }
    assert garage == {("scic", "61")}
    levers = _select(
        samples_home,
        'SELECT DISTINCT ?lever { ?e a eg:Collectivite ; rdfs:label "Commune de Belvès-sur-Loire"@fr ; '
        "eg:usesLever ?lever }",
    )
    assert {r["lever"].rsplit("/", 1)[1] for r in levers} >= {
        "coconstruction",
        "commande-publique-responsable",
    }
