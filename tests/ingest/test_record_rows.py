"""Record files (CSV, JSON, JSON lines): header matching, mapping files, kept columns, typing, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from essgraph.core.errors import IngestFailed
from essgraph.core.model import ParsedDocument
from essgraph.core.settings import Settings
from essgraph.ingest import read_document
from essgraph.ingest.extract import extract
from essgraph.ingest.readers.record_fields import FIELDS, ColumnMapping, header_key, type_of_name
from essgraph.ingest.readers.records import iso_date
from essgraph.ontology.geography import (
    departement_code,
    departement_of_commune_code,
    departement_of_postal_code,
)
from essgraph.ontology.thesaurus import load_thesaurus


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def test_every_spelling_names_one_field() -> None:
    seen: dict[str, str] = {}
    for name, spellings in FIELDS.items():
        for spelling in (name, *spellings):
            key = header_key(spelling)
            assert seen.setdefault(key, name) == name, (spelling, seen[key], name)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Forme_Juridique", "forme_juridique"),
        ("FORMES JURIDIQUES", "forme_juridique"),
        ("Statut", "forme_juridique"),
        ("legal-form", "forme_juridique"),
        ("Raison sociale", "nom"),
        ("Name", "nom"),
        ("Code INSEE", "code_insee"),
        ("code_postal", "code_postal"),
        ("CP", "code_postal"),
        ("Département", "departement"),
        ("N° SIRET", "siret"),
        ("Site internet", "site_web"),
        ("Date de création", "date_creation"),
        ("Thématiques", "thematiques"),
        ("Levier", "leviers"),
        ("adresse.ville", "commune"),
        ("Couleur préférée", None),
    ],
)
def test_header_matcher_is_tolerant(header: str, field: str | None) -> None:
    assert ColumnMapping().field_of(header) == field


def test_type_words_and_file_names() -> None:
    assert type_of_name("collectivites-2024") == "Collectivite"
    assert type_of_name("Initiatives_ESS") == "Initiative"
    assert type_of_name("export") is None


def test_geography_helpers() -> None:
    assert departement_code("rhone") == "69" and departement_code("1") == "01"
    assert departement_code("Côtes d'Armor") == "22" and departement_code("2a") == "2A"
    assert departement_code("999") is None and departement_code("Atlantide") is None
    assert departement_of_commune_code("97411") == "974" and departement_of_commune_code("2B033") == "2B"
    assert departement_of_postal_code("20090") == "2A" and departement_of_postal_code("20200") == "2B"
    assert departement_of_postal_code("35000") == "35" and departement_of_postal_code("3500") is None


def test_iso_dates() -> None:
    assert iso_date("03/04/2011") == "2011-04-03"
    assert iso_date("2011-04") == "2011-04" and iso_date("1999") == "1999"
    assert iso_date("31/13/2011") is None and iso_date("bientôt") is None


def test_english_csv_other_headers_unmapped_columns_kept(tmp_path: Path, settings: Settings) -> None:
    path = _write(
        tmp_path,
        "export.csv",
        "Name,Legal status,City,Postcode,Website,Founded,Volunteers\n"
        "Atelier Vélo Pivert,association,Quimperlé,29300,www.pivert.example,12/05/2014,35\n"
        "\n"
        ",,,,,,\n"
        "Épicerie Coquelicot,SCOP,Morlaix,29600,not a url,2019,\n",
    )
    doc = read_document(path, settings)
    assert doc.skipped_records == 2
    first, second = doc.records
    assert first.fields["nom"] == "Atelier Vélo Pivert"
    assert first.fields["forme_juridique"] == "association"
    assert first.fields["code_postal"] == "29300"
    assert first.fields["site_web"] == "https://www.pivert.example"
    assert first.fields["date_creation"] == "2014-05-12"
    assert first.extra == [("Volunteers", "35")]
    assert (first.start_line, second.start_line) == (2, 5)
    assert second.extra == [("Website", "not a url")]  # refused by the field, kept under its header
    assert "Volunteers : 35" in doc.passages[0].text and "Website : not a url" in doc.passages[1].text
    assert doc.source.split("\n")[doc.passages[1].start_line - 1].startswith("Épicerie")


def test_mapping_file_beside_the_data(tmp_path: Path, settings: Settings) -> None:
    path = _write(tmp_path, "base.csv", "Appellation;Ville;Couleur\nLa Roue Libre;Nantes;vert\n")
    (tmp_path / "base.csv.mapping.json").write_text(
        json.dumps({"colonnes": {"Appellation": "nom", "Ville": None}, "type": "collectivité"}),
        encoding="utf-8",
    )
    doc = read_document(path, settings)
    (rec,) = doc.records
    assert rec.fields == {"nom": "La Roue Libre"}
    assert rec.extra == [("Ville", "Nantes"), ("Couleur", "vert")]
    assert doc.record_kind == "Collectivite"
    (tmp_path / "base.csv.mapping.json").write_text(json.dumps({"colonnes": {"X": "couleur"}}))
    with pytest.raises(IngestFailed, match="couleur"):
        read_document(path, settings)


def test_json_wrappers_nested_objects_and_jsonl(tmp_path: Path, settings: Settings) -> None:
    wrapped = {
        "count": 2,
        "items": [
            {"nom": "Ressourcerie du Pont", "adresse": {"ville": "Tulle", "cp": "19000"}, "actif": True},
            {"nom": "Cantine des Prés", "tags": ["bio", "local"]},
        ],
    }
    doc = read_document(_write(tmp_path, "liste.json", json.dumps(wrapped, indent=2)), settings)
    first, second = doc.records
    assert first.fields["commune"] == "Tulle" and first.fields["code_postal"] == "19000"
    assert ("actif", "oui") in first.extra and ("tags", "bio;local") in second.extra
    assert "Ressourcerie du Pont" in doc.source[first.char_start : first.char_end]
    assert "Cantine" in doc.source.split("\n")[second.start_line - 1 + 1]
    lines = '{"name": "Jardin Partagé Nord", "code insee": "59350"}\n\n{"name": "Bricothèque"}\n'
    doc = read_document(_write(tmp_path, "flux.jsonl", lines), settings)
    assert [r.start_line for r in doc.records] == [1, 3] and doc.skipped_records == 1
    assert doc.records[0].fields["code_insee"] == "59350"
    with pytest.raises(IngestFailed, match="ligne 2"):
        read_document(_write(tmp_path, "casse.jsonl", '{"name": "A"}\n{"name": \n'), settings)


def test_bad_record_files_fail_with_french_and_english(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", max_record_columns=50)
    wide = ";".join(["nom", *(f"c{k}" for k in range(60))]) + "\nA" + ";x" * 60 + "\n"
    with pytest.raises(IngestFailed) as info:
        read_document(_write(tmp_path, "large.csv", wide), settings)
    assert "61 colonnes" in info.value.message_fr and "61 columns" in info.value.message_en
    assert info.value.details["max_record_columns"] == 50
    with pytest.raises(IngestFailed) as info:
        read_document(_write(tmp_path, "sans-nom.csv", "ville;couleur\nBrest;rouge\n"), settings)
    assert "nom" in info.value.message_fr and "name column" in info.value.message_en
    broken = tmp_path / "casse.csv"
    broken.write_bytes(b"nom;ville\n" + bytes(range(128, 256)) * 8 + b"\n")
    with pytest.raises(IngestFailed) as info:
        read_document(broken, settings)
    assert "encodage" in info.value.message_fr and "encoding" in info.value.message_en
    latin = _write(tmp_path, "latin.csv", "nom;ville\nCafé des Âges;Sées\n", encoding="cp1252")
    assert read_document(latin, settings).records[0].fields["nom"] == "Café des Âges"


@pytest.fixture(scope="module")
def thesaurus():  # type: ignore[no-untyped-def]
    return load_thesaurus()


def _extracted(doc: ParsedDocument, thesaurus: object, settings: Settings) -> dict[str, tuple[str, str]]:
    """{entity label: (type, key)} of the entities the record rows gave."""
    out = extract(doc, thesaurus, settings)
    names = {r.get("nom") for r in doc.records}
    return {e.label: (e.type, e.key) for e in out.entities.values() if e.label in names}


def test_entity_types_from_type_legal_form_level_and_dominant_kind(
    tmp_path: Path, settings: Settings, thesaurus: object
) -> None:
    path = _write(
        tmp_path,
        "annuaire.csv",
        "nom;statut;niveau;catégorie\n"
        "Coop Les Ruches;SCIC;;\n"
        "Pays de Caux;;EPCI;\n"
        "Mairie de Brébant;commune;;\n"
        "Réseau Alpha;;;réseau\n"
        "Atelier Sans Statut;;;\n",
    )
    kinds = {
        label: etype
        for label, (etype, _) in _extracted(read_document(path, settings), thesaurus, settings).items()
    }
    assert kinds["Coop Les Ruches"] == "Initiative"  # a legal form of the thesaurus
    assert kinds["Pays de Caux"] == "Collectivite"  # a level
    assert kinds["Mairie de Brébant"] == "Collectivite"  # a level written as the status
    assert kinds["Réseau Alpha"] == "Organisation"  # the type column
    # no evidence of its own: the dominant kind of the typed rows (two collectivités)
    assert kinds["Atelier Sans Statut"] == "Collectivite"


def test_row_facts_cite_the_row_and_keep_unknown_values(
    tmp_path: Path, settings: Settings, thesaurus: object
) -> None:
    path = _write(
        tmp_path,
        "initiatives-bretagne.csv",
        "nom,forme juridique,commune,code insee,leviers,budget\n"
        "Ferme des Quatre Vents,SCIC;holding imaginaire,Pontivy,56178,commande publique,12000\n",
    )
    doc = read_document(path, settings)
    out = extract(doc, thesaurus, settings)
    (entity,) = [e for e in out.entities.values() if e.type == "Initiative"]
    (place,) = [e for e in out.entities.values() if e.type == "Place"]
    assert place.label == "Pontivy" and place.key.endswith("-56")
    facts = {
        (r.kind, r.object or r.object_literal, r.qualifiers.get("header"))
        for r in out.relations
        if r.subject == entity.key
    }
    assert ("legalForm", "https://w3id.org/essgraph/id/concept/formes-juridiques/scic", None) in facts
    assert ("field", "holding imaginaire", "forme juridique") in facts
    assert ("field", "12000", "budget") in facts
    assert ("inDepartement", "http://id.insee.fr/geo/departement/56", None) in facts
    assert ("locatedIn", place.key, None) in facts
    assert {r.passage for r in out.relations if r.subject == entity.key} == {0}
    assert any(
        r.kind == "inseeCode" and r.object_literal == "56178" for r in out.relations if r.subject == place.key
    )
