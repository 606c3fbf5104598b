"""Uploads: scope, size limit (413 before reading it all), safe file names, ingest through the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from essgraph.core.errors import BadInput, UnsupportedMediaType
from essgraph.core.settings import Settings
from essgraph.service.uploads import accepted_extensions, inside, safe_filename
from tests.service.conftest import StaffTokens, assert_error, bearer

NOTE = (
    "Compte rendu de test\n\n"
    "La commune de Testville a ouvert une recyclerie coopérative nommée Ressourcerie Quokka, "
    "gérée avec les habitants du quartier et financée par un budget participatif.\n"
)


def test_upload_needs_the_upload_scope(client: TestClient, staff_tokens: StaffTokens) -> None:
    files = {"file": ("note.txt", NOTE.encode(), "text/plain")}
    assert_error(client.post("/api/documents", files=files), 401, "unauthorized")
    assert_error(
        client.post("/api/documents", files=files, headers=bearer(staff_tokens.curator)), 403, "forbidden"
    )


def test_upload_is_ingested_and_searchable(client: TestClient, staff_tokens: StaffTokens) -> None:
    files = {"file": ("../../../../etc/Compte Rendu Quokka.txt", NOTE.encode(), "text/plain")}
    response = client.post("/api/documents", files=files, headers=bearer(staff_tokens.uploader))
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["file"] == "compte-rendu-quokka.txt"
    assert data["documents"] == 1 and data["passages"] >= 1
    uploads = client.app.state.settings.uploads_dir  # type: ignore[attr-defined]
    assert (uploads / "compte-rendu-quokka.txt").read_text(encoding="utf-8") == NOTE
    hits = client.get("/api/search", params={"q": "Ressourcerie Quokka recyclerie"}).json()["hits"]
    assert hits[0]["document"] == "compte-rendu-quokka.txt"
    docs = {d["source_file"] for d in client.get("/api/documents").json()}
    assert "compte-rendu-quokka.txt" in docs


def test_upload_over_the_limit_is_413(client: TestClient, staff_tokens: StaffTokens) -> None:
    limit = client.app.state.settings.max_upload_bytes  # type: ignore[attr-defined]
    files = {"file": ("gros.txt", b"a" * (limit + 10), "text/plain")}
    response = client.post("/api/documents", files=files, headers=bearer(staff_tokens.uploader))
    assert_error(response, 413, "payload_too_large")
    uploads: Path = client.app.state.settings.uploads_dir  # type: ignore[attr-defined]
    assert not (uploads / "gros.txt").exists()


def test_upload_of_an_unknown_type_is_415(client: TestClient, staff_tokens: StaffTokens) -> None:
    files = {"file": ("outil.exe", b"MZ\x90\x00", "application/octet-stream")}
    response = client.post("/api/documents", files=files, headers=bearer(staff_tokens.uploader))
    assert_error(response, 415, "unsupported_media_type")


def test_upload_that_cannot_be_ingested_is_422(client: TestClient, staff_tokens: StaffTokens) -> None:
    files = {"file": ("binaire.txt", bytes(range(256)) * 8, "text/plain")}
    response = client.post("/api/documents", files=files, headers=bearer(staff_tokens.uploader))
    assert_error(response, 422, "ingest_failed")


def test_failed_upload_keeps_the_earlier_file_of_that_name(
    client: TestClient, api_settings: Settings, staff_tokens: StaffTokens
) -> None:
    good = b"# Note de quartier\n\nLa commune soutient une recyclerie solidaire de quartier.\n"
    files = {"file": ("note-quartier.md", good, "text/markdown")}
    assert (
        client.post("/api/documents", files=files, headers=bearer(staff_tokens.uploader)).status_code == 201
    )
    bad = {"file": ("note-quartier.md", bytes(range(256)) * 8, "text/markdown")}
    assert_error(client.post("/api/documents", files=bad, headers=bearer(staff_tokens.uploader)), 422)
    assert (api_settings.uploads_dir / "note-quartier.md").read_bytes() == good
    assert not list(api_settings.uploads_dir.glob(".*"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\système.PDF", "systeme.pdf"),
        ("/absolute/path/Fiche n°9.md", "fiche-n-9.md"),
        ("....txt", "x-ab5df625.txt"),
        (".hidden.html", "hidden.html"),
    ],
)
def test_safe_filename(raw: str, expected: str) -> None:
    assert safe_filename(raw, accepted_extensions()) == expected


@pytest.mark.parametrize("raw", ["", "   ", "noextension", "archive.tar.gz", "x.exe", "dossier/"])
def test_safe_filename_refuses(raw: str) -> None:
    with pytest.raises((BadInput, UnsupportedMediaType)):
        safe_filename(raw, accepted_extensions())


@given(st.text(min_size=1, max_size=80))
def test_any_name_stays_inside_the_uploads_folder(raw: str) -> None:
    folder = Path("/tmp/essgraph-uploads-property")
    try:
        name = safe_filename(raw + ".txt", {".txt"})
    except BadInput:
        return
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert inside(folder, name).parent == folder.resolve()


def test_names_in_other_scripts_are_transliterated_and_kept_apart() -> None:
    first = safe_filename("報告.txt", {".txt"})
    second = safe_filename("报告.txt", {".txt"})
    russian = safe_filename("Доклад 2023.txt", {".txt"})
    assert first.startswith("baogao-") and second.startswith("baogao-") and first != second
    assert russian.startswith("doklad-2023-")
    assert safe_filename("Fiche n°9 école.md", {".md"}) == "fiche-n-9-ecole.md"


def test_concurrent_uploads_of_one_name_take_turns_and_say_they_replaced(
    client: TestClient, staff_tokens: StaffTokens
) -> None:
    import threading

    statuses: list[int] = []
    replaced: list[bool] = []

    def send(i: int) -> None:
        body = f"# Note {i}\n\nLa commune soutient la recyclerie numéro {i}.\n".encode()
        files = {"file": ("meme-nom.md", body, "text/markdown")}
        response = client.post("/api/documents", files=files, headers=bearer(staff_tokens.uploader))
        statuses.append(response.status_code)
        if response.status_code == 201:
            replaced.append(response.json()["replaced"])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert statuses == [201] * 6
    assert sorted(replaced) == [False] + [True] * 5
    uploads: Path = client.app.state.settings.uploads_dir  # type: ignore[attr-defined]
    assert not list(uploads.glob(".*"))


def test_upload_of_a_deeply_nested_json_is_422_not_500(client: TestClient, staff_tokens: StaffTokens) -> None:
    files = {"file": ("profond.json", ("[" * 100_000 + "]" * 100_000).encode(), "application/json")}
    response = client.post("/api/documents", files=files, headers=bearer(staff_tokens.uploader))
    assert_error(response, 422, "ingest_failed")


def test_start_up_finishes_what_a_killed_upload_left(
    samples_home: Settings, tmp_path: Path, staff_tokens: StaffTokens
) -> None:
    from essgraph.app.web import create_app
    from tests.service.conftest import copy_home, make_settings

    settings = make_settings(copy_home(samples_home.home, tmp_path / "home"), staff_tokens)
    uploads = settings.uploads_dir
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / ".note-coupee.md.1234.part").write_bytes(b"# moitie d'un fich")
    (uploads / "fiche-complete.md").write_text(
        "# Fiche complète\n\nLa commune prête un local à la ressourcerie Pangolin du quartier.\n", "utf-8"
    )
    (uploads / ".ancienne.md.previous").write_text("# Ancienne\n\nUne régie de quartier.\n", "utf-8")
    with TestClient(create_app(settings), raise_server_exceptions=False) as own:
        health = own.get("/health").json()
        assert health["recovered_uploads"] == {
            "temporary_files_removed": 1,
            "earlier_files_restored": 1,
            "ingested": 2,
            "failed": 0,
        }
        hits = own.get("/api/search", params={"q": "ressourcerie Pangolin"}).json()["hits"]
        assert hits and hits[0]["document"] == "fiche-complete.md"
    assert sorted(p.name for p in uploads.iterdir()) == ["ancienne.md", "fiche-complete.md"]
