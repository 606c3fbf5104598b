"""Uploads: scope, size limit (413 before reading it all), safe file names, ingest through the pipeline."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from essgraph.core.errors import BadInput, UnsupportedMediaType
from essgraph.core.settings import Settings
from essgraph.service.state import NamedTurns
from essgraph.service.uploads import accepted_extensions, inside, safe_filename
from tests.service.conftest import StaffTokens, assert_error, bearer, copy_home, make_settings
from tests.service.server import running_server

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
    response = client.post("/api/documents?wait=true", files=files, headers=bearer(staff_tokens.uploader))
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
    response = client.post("/api/documents?wait=true", files=files, headers=bearer(staff_tokens.uploader))
    assert_error(response, 413, "payload_too_large")
    uploads: Path = client.app.state.settings.uploads_dir  # type: ignore[attr-defined]
    assert not (uploads / "gros.txt").exists()


def test_upload_of_an_unknown_type_is_415(client: TestClient, staff_tokens: StaffTokens) -> None:
    files = {"file": ("outil.exe", b"MZ\x90\x00", "application/octet-stream")}
    response = client.post("/api/documents?wait=true", files=files, headers=bearer(staff_tokens.uploader))
    assert_error(response, 415, "unsupported_media_type")


def test_upload_that_cannot_be_ingested_is_422(client: TestClient, staff_tokens: StaffTokens) -> None:
    files = {"file": ("binaire.txt", bytes(range(256)) * 8, "text/plain")}
    response = client.post("/api/documents?wait=true", files=files, headers=bearer(staff_tokens.uploader))
    assert_error(response, 422, "ingest_failed")


def test_failed_upload_keeps_the_earlier_file_of_that_name(
    client: TestClient, api_settings: Settings, staff_tokens: StaffTokens
) -> None:
    good = b"# Note de quartier\n\nLa commune soutient une recyclerie solidaire de quartier.\n"
    files = {"file": ("note-quartier.md", good, "text/markdown")}
    sent = client.post("/api/documents?wait=true", files=files, headers=bearer(staff_tokens.uploader))
    assert sent.status_code == 201
    bad = {"file": ("note-quartier.md", bytes(range(256)) * 8, "text/markdown")}
    refused = client.post("/api/documents?wait=true", files=bad, headers=bearer(staff_tokens.uploader))
    assert_error(refused, 422)
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
        response = client.post("/api/documents?wait=true", files=files, headers=bearer(staff_tokens.uploader))
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
    response = client.post("/api/documents?wait=true", files=files, headers=bearer(staff_tokens.uploader))
    body = assert_error(response, 422, "ingest_failed")
    assert "trop imbriqué" in body["message"]
    assert (
        body["message_en"]
        == "Cannot read 'profond.json': JSON nested too deeply for records (see docs/ingest.md)."
    )
    assert body["details"]["file"] == "profond.json"  # the stored name, never a path of the server


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


def test_a_leftover_upload_that_cannot_be_ingested_is_set_aside_not_retried(
    samples_home: Settings, tmp_path: Path, staff_tokens: StaffTokens
) -> None:
    from essgraph.app.web import create_app

    settings = make_settings(copy_home(samples_home.home, tmp_path / "home"), staff_tokens)
    uploads = settings.uploads_dir
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "casse.txt").write_bytes(bytes(range(256)) * 8)  # stored whole, then killed: never accepted
    with TestClient(create_app(settings), raise_server_exceptions=False) as own:
        assert own.get("/health").json()["recovered_uploads"]["failed"] == 1
    assert sorted(p.name for p in uploads.iterdir()) == [".casse.txt.failed"]  # kept for the operator
    with TestClient(create_app(settings), raise_server_exceptions=False) as own:
        assert not any(own.get("/health").json()["recovered_uploads"].values())


def test_named_turns_run_one_holder_per_name_and_forget_names() -> None:
    turns = NamedTurns()
    inside: dict[str, int] = {}
    most: dict[str, int] = {}

    async def hold(name: str) -> None:
        async with turns.turn(name):
            inside[name] = inside.get(name, 0) + 1
            most[name] = max(most.get(name, 0), inside[name])
            await asyncio.sleep(0)
            inside[name] -= 1

    async def main() -> None:
        await asyncio.gather(*(hold(f"nom-{i % 7}") for i in range(70)))

    asyncio.run(main())
    assert most == {f"nom-{i}": 1 for i in range(7)}
    assert len(turns) == 0  # no lock left behind for names no longer in use


SMALL_TEXT_BOUND = 4000  # max_document_chars of the upload server: the notes below are far shorter


@pytest.fixture(scope="module")
def upload_server(
    samples_home: Settings, tmp_path_factory: pytest.TempPathFactory, staff_tokens: StaffTokens
) -> Iterator[tuple[str, Settings]]:
    """uvicorn on a copy of the sample-corpus home, with a small extracted-text bound."""
    home = copy_home(samples_home.home, tmp_path_factory.mktemp("uploads-server") / "home")
    settings = make_settings(home, staff_tokens, max_document_chars=SMALL_TEXT_BOUND)
    with running_server(settings) as url:
        yield url, settings


def test_fifty_concurrent_uploads_ten_of_one_name_each_get_a_clean_answer(
    upload_server: tuple[str, Settings], staff_tokens: StaffTokens
) -> None:
    url, settings = upload_server
    before = len(httpx.get(f"{url}/api/documents").json())

    def send(i: int) -> tuple[str, httpx.Response]:
        name = "meme-nom.md" if i % 5 == 0 else f"note-{i}.md"
        body = f"# Note {i}\n\nLa commune soutient la recyclerie numéro {i} du quartier.\n".encode()
        response = httpx.post(
            f"{url}/api/documents?wait=true",
            files={"file": (name, body, "text/markdown")},
            headers=bearer(staff_tokens.uploader),
            timeout=600,
        )
        return name, response

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(send, range(50)))
    assert [r.status_code for _, r in answers] == [201] * 50, [
        r.text for _, r in answers if r.status_code != 201
    ]
    same = sorted(r.json()["replaced"] for name, r in answers if name == "meme-nom.md")
    assert same == [False] + [True] * 9  # each replacement of the one name said so
    assert not any(r.json()["replaced"] for name, r in answers if name != "meme-nom.md")
    assert not list(settings.uploads_dir.glob(".*"))  # no temporary or set-aside file left
    assert len(list(settings.uploads_dir.iterdir())) == 41
    assert len(httpx.get(f"{url}/api/documents").json()) == before + 41


def _pdf_bomb() -> bytes:
    """One page drawing 3 000 lines: a few kilobytes, 456 000 characters once extracted."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    content = DecodedStreamObject()
    line = b"BT /F1 10 Tf 20 700 Td (" + b"Une commune soutient une cooperative. " * 4 + b") Tj ET\n"
    content.set_data(line * 3000)
    page[NameObject("/Contents")] = writer._add_object(content.flate_encode(level=9))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_upload_of_a_pdf_bomb_is_refused_with_the_limit_in_both_languages(
    upload_server: tuple[str, Settings], staff_tokens: StaffTokens
) -> None:
    url, settings = upload_server
    data = _pdf_bomb()
    assert len(data) < 20_000
    response = httpx.post(
        f"{url}/api/documents?wait=true",
        files={"file": ("Rapport gonflé.pdf", data, "application/pdf")},
        headers=bearer(staff_tokens.uploader),
        timeout=600,
    )
    body = assert_error(response, 422, "ingest_failed")
    assert "texte extrait trop long" in body["message"] and "extraction arrêtée" in body["message"]
    assert "extracted text too long" in body["message_en"] and "extraction stopped" in body["message_en"]
    details = body["details"]
    assert details["max_document_chars"] == SMALL_TEXT_BOUND and details["page"] == 1
    assert details["extracted_chars"] <= SMALL_TEXT_BOUND + 200
    assert details["file"] == "rapport-gonfle.pdf" and details["uploaded_by"] == "depot"
    assert not (settings.uploads_dir / "rapport-gonfle.pdf").exists()
