"""Readers: hostile files fail cleanly, legitimate encodings read with right lines, samples, real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from essgraph.core.errors import IngestFailed
from essgraph.core.settings import Settings
from essgraph.ingest import ParsedDocument, read_document
from essgraph.ingest.readers import registered

SAMPLES = Path(__file__).resolve().parents[2] / "essgraph" / "ingest" / "samples"


def test_every_format_has_one_reader() -> None:
    extensions = [ext for reader in registered() for ext in reader.extensions]
    assert len(extensions) == len(set(extensions))
    assert {".txt", ".md", ".pdf", ".html", ".csv", ".json"} <= set(extensions)


def test_hostile_files(hostile: tuple[Path, list], settings: Settings) -> None:
    folder, manifest = hostile
    assert len(manifest) >= 30
    for item in manifest:
        path = folder / item.name
        if item.expect == "fail":
            with pytest.raises(IngestFailed) as info:
                read_document(path, settings)
            message = info.value.message_fr
            assert item.name in message, message
            assert "\n" not in message, message
            if item.reason:
                assert item.reason in message, (item.name, message)
        else:
            doc = read_document(path, settings)
            lines = doc.source.split("\n")
            for number, fragment in item.lines.items():
                assert fragment in lines[number - 1], (item.name, number, lines[number - 1])
            assert "\r" not in doc.source
            for passage in doc.passages:
                assert doc.source[passage.char_start : passage.char_end].strip()


def test_mixed_line_endings_keep_original_line_numbers(
    hostile: tuple[Path, list], settings: Settings
) -> None:
    folder, _ = hostile
    doc = read_document(folder / "mixed-endings.txt", settings)
    raw = (folder / "mixed-endings.txt").read_bytes().decode()
    assert doc.source.split("\n")[:7] == raw.splitlines()[:7]
    (passage,) = doc.passages
    assert (passage.start_line, passage.end_line) == (1, 7)
    assert doc.source[passage.char_start : passage.char_end].split("\n") == raw.splitlines()[:7]


def test_pdf_passages_carry_pages(hostile: tuple[Path, list], settings: Settings) -> None:
    folder, _ = hostile
    doc = read_document(folder / "valid.pdf", settings)
    assert doc.media_type == "application/pdf"
    pages = {p.page for p in doc.passages}
    assert pages <= {1, 2} and 1 in pages
    second = [p for p in doc.passages if "Deuxieme" in p.text]
    assert second and second[0].page in (1, 2)
    first = [p for p in doc.passages if p.text.startswith("Premiere")]
    assert first[0].page == 1


def test_html_drops_scripts_and_navigation(hostile: tuple[Path, list], settings: Settings) -> None:
    folder, _ = hostile
    doc = read_document(folder / "scripts.html", settings)
    assert "NE PAS INDEXER" not in doc.source
    assert "Menu du site" not in doc.source and "Pied de page" not in doc.source
    assert doc.title == "Titre visible"


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    small = Settings(home=tmp_path, max_file_bytes=1024)
    path = tmp_path / "gros.txt"
    path.write_text("mot " * 600)
    with pytest.raises(IngestFailed, match=r"gros\.txt"):
        read_document(path, small)


def test_pdf_page_limit_is_a_setting(hostile: tuple[Path, list], tmp_path: Path) -> None:
    folder, _ = hostile
    with pytest.raises(IngestFailed, match="2 pages"):
        read_document(folder / "valid.pdf", Settings(home=tmp_path, max_pdf_pages=1))


def test_samples_read(settings: Settings) -> None:
    docs = {p.name: read_document(p, settings) for p in sorted(SAMPLES.iterdir())}
    assert len(docs) >= 3
    csv = docs["initiatives-exemple.csv"]
    assert len(csv.records) == 6 and len(csv.passages) == 6
    lines = csv.source.split("\n")
    for record, passage in zip(csv.records, csv.passages, strict=True):
        assert record.get("nom") in passage.text
        assert passage.start_line == record.start_line
        assert record.get("nom") in lines[passage.start_line - 1]
    tiers = next(r for r in csv.records if r.get("nom").startswith("Tiers-lieu"))
    assert tiers.get("forme_juridique") == "tiers-lieu;association"
    js = docs["collectivites-exemple.json"]
    assert [r.get("niveau") for r in js.records] == ["commune", "epci", "departement"]
    for record, passage in zip(js.records, js.passages, strict=True):
        assert record.get("nom") in js.source[passage.char_start : passage.char_end]
        assert record.get("nom") in js.source.split("\n")[passage.start_line - 1]
    guide = docs["guide-leviers-ess.md"]
    fiches = [s for s in guide.sections if s.number is not None]
    assert [(s.number, s.kind) for s in fiches] == [(1, "introductive"), (2, "levier"), (3, "thematique")]
    assert fiches[1].label == f"{guide.title} — fiche n°2 : Des achats publics responsables"
    assert {link.title for link in guide.links} == {
        "Guide de la co-construction",
        "Charte des achats solidaires",
    }
    html = docs["page-ess-quartiers.html"]
    assert [s.title for s in html.sections][1:] == [
        "Repérer les envies d'entreprendre",
        "Ouvrir des locaux en pied d'immeuble",
        "Mobiliser les marchés publics",
    ]


def test_corpus_titles_are_derived_from_text(corpus_docs: dict[str, ParsedDocument]) -> None:
    titles = {name: doc.title for name, doc in corpus_docs.items()}
    assert titles["rtes-kit-municipaless-2020.txt"] == "Kit MunicipalESS"
    assert titles["rtes-rapport-activite-2023.txt"] == "Rapport d'activité 2023"
    assert titles["rtes-fiches-action-2022.txt"] == "Fiches action 2022"
    assert titles["rtes-cpo-anct-2020-2022.txt"] == "Compte rendu CPO ANCT 2020-2022"
    assert titles["rtes-ess-politique-de-la-ville.txt"] == "ESS et politique de la ville"
    for name, doc in corpus_docs.items():
        assert doc.doc_id == name.removesuffix(".txt")
        assert len(doc.sha256) == 64


def test_corpus_source_is_the_file_text(corpus_dir: Path, corpus_docs: dict[str, ParsedDocument]) -> None:
    for name, doc in corpus_docs.items():
        raw = (corpus_dir / name).read_text(encoding="utf-8").splitlines()
        lines = doc.source.split("\n")
        assert lines[: len(raw)] == raw
