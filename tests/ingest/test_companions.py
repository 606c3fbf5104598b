"""Companion files: a document's .meta.json (title, publisher, date, edition, address) and its mapping are
read with it, refused clearly when wrong, never ingested alone, and part of its fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from essgraph.app.pipeline import document_fingerprint, file_sha256, iter_files
from essgraph.core.errors import IngestFailed
from essgraph.core.settings import Settings
from essgraph.ingest import read_document
from essgraph.ingest.companions import DocumentMeta, is_companion, read_meta

GUIDE = """# Guide des achats responsables de Valmont-sur-Orge

La commune de Valmont-sur-Orge réserve des lots de ses marchés aux structures d'insertion.

## Les clauses sociales

Une clause d'insertion demande au titulaire d'un marché des heures de travail
pour des personnes éloignées de l'emploi.
"""


def _doc(tmp_path: Path, meta: object | None = None, name: str = "guide-achats.md") -> Path:
    path = tmp_path / name
    path.write_text(GUIDE, encoding="utf-8")
    if meta is not None:
        text = meta if isinstance(meta, str) else json.dumps(meta, ensure_ascii=False)
        (tmp_path / f"{name}.meta.json").write_text(text, encoding="utf-8")
    return path


def test_metadata_wins_over_what_the_text_says(tmp_path: Path, settings: Settings) -> None:
    meta = {
        "title": "Guide des achats responsables",
        "publisher": "Réseau des collectivités de l'Orge",
        "issued": "2024-05",
        "edition": "2e édition",
        "url": "https://example.org/publications/guide-achats.pdf",
    }
    doc = read_document(_doc(tmp_path, meta), settings)
    assert (doc.title, doc.publisher, doc.issued, doc.edition, doc.url) == tuple(meta.values())


def test_without_metadata_the_text_decides(tmp_path: Path, settings: Settings) -> None:
    path = _doc(tmp_path)
    assert read_meta(path) == DocumentMeta()
    doc = read_document(path, settings)
    assert doc.title.startswith("Guide des achats responsables de Valmont")
    assert doc.url is None


@pytest.mark.parametrize(
    ("meta", "named"),
    [
        ({"auteur": "X"}, "auteur"),  # an unknown field, named with the known ones
        ({"url": "ftp://example.org/guide.pdf"}, "ftp://example.org/guide.pdf"),
        ({"url": "javascript:alert(1)"}, "javascript:alert(1)"),
        ({"url": "https://example.org/a b"}, "https://example.org/a b"),
        ({"issued": "mai 2024"}, "mai 2024"),
        ({"title": ""}, "title"),
        ({"title": ["a", "b"]}, "title"),
        ('["title"]', "objet JSON"),
        ('{"title": "Guide"', "JSON illisible"),
    ],
)
def test_a_wrong_metadata_file_refuses_its_document_clearly(
    tmp_path: Path, settings: Settings, meta: object, named: str
) -> None:
    path = _doc(tmp_path, meta)
    with pytest.raises(IngestFailed) as info:
        read_document(path, settings)
    message = info.value.message_fr
    assert "guide-achats.md" in message and "guide-achats.md.meta.json" in message
    assert named in message
    assert "\n" not in message


def test_an_oversized_metadata_file_is_refused(tmp_path: Path, settings: Settings) -> None:
    path = _doc(tmp_path, {"title": "x" * 70_000})
    with pytest.raises(IngestFailed, match="octets"):
        read_document(path, settings)


def test_an_html_page_gives_its_own_address(tmp_path: Path, settings: Settings) -> None:
    page = tmp_path / "actualite.html"
    body = (
        "<main><h1>Une recyclerie ouvre</h1><p>La recyclerie du quartier ouvre ses portes en mai.</p></main>"
    )
    page.write_text(
        '<html><head><title>Actualité</title><link rel="canonical" href="https://example.org/actu/recyclerie">'
        f"</head><body>{body}</body></html>",
        encoding="utf-8",
    )
    assert read_document(page, settings).url == "https://example.org/actu/recyclerie"
    page.write_text(
        f'<html><head><link rel="canonical" href="/actu/recyclerie"></head><body>{body}</body></html>'
    )
    assert read_document(page, settings).url is None  # a relative address says nothing about the host
    page.write_text(
        '<html><head><meta property="og:url" content="https://example.org/actu/2"></head>'
        f"<body>{body}</body></html>"
    )
    assert read_document(page, settings).url == "https://example.org/actu/2"
    _doc(tmp_path, {"url": "https://example.org/officiel"}, name="actualite.html")  # metadata wins
    page.write_text(
        f'<html><head><link rel="canonical" href="https://example.org/actu/3"></head><body>{body}</body></html>'
    )
    assert read_document(page, settings).url == "https://example.org/officiel"


def test_companions_are_read_with_their_document_never_alone(tmp_path: Path) -> None:
    path = _doc(tmp_path, {"title": "Guide"})
    (tmp_path / "guide-achats.md.mapping.json").write_text("{}", encoding="utf-8")
    errors: list[str] = []
    assert list(iter_files([tmp_path], errors)) == [path]
    assert not errors
    assert is_companion(tmp_path / "x.csv.mapping.json") and is_companion(tmp_path / "x.pdf.META.JSON")
    assert not is_companion(path)


def test_a_changed_companion_changes_the_fingerprint(tmp_path: Path) -> None:
    path = _doc(tmp_path)
    bare = document_fingerprint(path)
    assert bare == file_sha256(path)  # without companions: the file's own hash, as journals recorded it
    _doc(tmp_path, {"title": "Guide"})
    first = document_fingerprint(path)
    _doc(tmp_path, {"title": "Guide des achats"})
    second = document_fingerprint(path)
    assert len({bare, first, second}) == 3
