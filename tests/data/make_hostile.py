"""Generate hostile input files for the ingest readers (python tests/data/make_hostile.py [folder]).

Every file is described in the returned manifest: `expect` is "fail" (the reader must raise
IngestFailed with a one-line message naming the file) or "ok" (legitimately readable: `lines` maps
1-based line numbers to a fragment that line of `source` must contain). Tests run as root, for whom
chmod 000 does not stop reading, so "unreadable" is simulated by a FIFO, a directory named like a
file, a symbolic-link loop and a dangling link.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

HUGE_BYTES = 50 * 1024 * 1024
BOMB_PAGES = 5000
NESTING = 10_000
SEED = 20240601


@dataclass(slots=True)
class Hostile:
    """One generated file and what reading it must give."""

    name: str
    expect: str  # "fail" | "ok"
    why: str
    lines: dict[int, str] = field(default_factory=dict)
    reason: str | None = None  # a word the failure message must contain


def _pdf_with_text(pages: list[str]) -> bytes:
    """A small valid PDF with one line of Helvetica text per page."""
    writer = PdfWriter()
    for text in pages:
        page = writer.add_blank_page(width=595, height=842)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def generate(folder: Path) -> list[Hostile]:
    """Write every hostile file into `folder` (created; existing files replaced); returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    out: list[Hostile] = []

    def put(name: str, data: bytes, expect: str, why: str, **kw: object) -> None:
        path = folder / name
        if path.is_symlink() or path.exists():
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
        path.write_bytes(data)
        out.append(Hostile(name, expect, why, **kw))  # type: ignore[arg-type]

    junk = bytes(rng.randrange(256) for _ in range(4096))
    put("empty.txt", b"", "fail", "empty file", reason="vide")
    put("empty.pdf", b"", "fail", "empty PDF", reason="vide")
    put("whitespace.txt", b"  \n\t\n\r\n   \n", "fail", "whitespace only", reason="espaces")
    put("junk.txt", junk, "fail", "random bytes named .txt")
    put("junk.pdf", junk, "fail", "random bytes named .pdf", reason="PDF")
    put("junk.html", junk, "fail", "random bytes named .html")
    high = bytes(rng.randrange(128, 256) for _ in range(4096))
    put("undecodable.txt", high, "fail", "high bytes only: neither UTF-8 nor text", reason="encodage")
    put("nul-bytes.txt", b"Bonjour\x00\x00ESS\n" * 20, "fail", "NUL bytes inside text", reason="NUL")
    put(
        "control-chars.txt",
        b"texte\x01\x02\x03\x04\x05\x06 " * 50,
        "fail",
        "control characters",
        reason="binaire",
    )
    put("unknown.xyz", b"du texte ordinaire\n", "fail", "unknown extension", reason="extension")

    good_pdf = _pdf_with_text(["Premiere page : economie sociale", "Deuxieme page : SCIC et commune"])
    put("valid.pdf", good_pdf, "ok", "two-page text PDF", lines={1: "Premiere page", 2: "Deuxieme page"})
    put("truncated.pdf", good_pdf[: len(good_pdf) // 2], "fail", "PDF cut in half", reason="tronqué")
    corrupt = b"%PDF-1.7\n" + junk.replace(b"%%EOF", b"") + b"\n%%EOF\n"
    put("corrupt-body.pdf", corrupt, "fail", "PDF header and EOF around junk", reason="PDF")
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    put("encrypted.pdf", buf.getvalue(), "fail", "password-protected PDF", reason="chiffré")
    bomb = PdfWriter()
    for _ in range(BOMB_PAGES):
        bomb.add_blank_page(width=10, height=10)
    buf = io.BytesIO()
    bomb.write(buf)
    put("bomb.pdf", buf.getvalue(), "fail", f"{BOMB_PAGES} blank pages", reason="pages")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as archive:
        archive.writestr("doc.txt", "pas un pdf")
    put("zip-renamed.pdf", zbuf.getvalue(), "fail", "zip archive renamed .pdf", reason="ZIP")

    text = "Première ligne : économie\nDeuxième ligne : cœur des compétences\nTroisième ligne\n"
    put(
        "latin1.txt",
        text.replace("œ", "oe").encode("latin-1"),
        "ok",
        "latin-1 text",
        lines={1: "Première", 2: "Deuxième ligne : coeur"},
    )
    put(
        "cp1252.txt",
        text.replace("économie", "l’économie").encode("cp1252"),
        "ok",
        "cp1252 text",
        lines={1: "l’économie", 2: "cœur"},
    )
    put("utf16-le.txt", text.encode("utf-16"), "ok", "UTF-16 with BOM", lines={2: "cœur", 3: "Troisième"})
    put(
        "utf16-be.txt",
        b"\xfe\xff" + text.encode("utf-16-be"),
        "ok",
        "UTF-16 BE with BOM",
        lines={3: "Troisième"},
    )
    put(
        "utf8-bom.md",
        b"\xef\xbb\xbf# Titre\n\n" + text.encode("utf-8"),
        "ok",
        "UTF-8 with BOM",
        lines={1: "# Titre", 3: "Première"},
    )
    mixed = b"ligne un\r\nligne deux\nligne trois\r\n\r\nligne cinq\rligne six\nligne sept\r\n"
    put(
        "mixed-endings.txt",
        mixed,
        "ok",
        "CRLF, LF and CR mixed",
        lines={1: "ligne un", 3: "ligne trois", 4: "", 5: "ligne cinq", 6: "ligne six", 7: "ligne sept"},
    )

    line = "L'économie sociale et solidaire dans les territoires, ligne de remplissage.\n".encode()
    huge = folder / "huge-50mb.txt"
    with huge.open("wb") as handle:
        block = line * (1024 * 1024 // len(line) + 1)
        written = 0
        while written < HUGE_BYTES:
            handle.write(block)
            written += len(block)
    out.append(Hostile("huge-50mb.txt", "fail", "50 MB of text (over max_file_bytes)", reason="octets"))

    deep = "<html><body>" + "<div>" * NESTING + "profond" + "</div>" * NESTING + "</body></html>"
    put("deep-nesting.html", deep.encode(), "fail", f"{NESTING} nested divs", reason="imbriqué")
    scripts = (
        "<html><head><title>Page</title><script>var secret = 'NE PAS INDEXER';</script></head>"
        "<body><nav>Menu du site</nav><main><h1>Titre visible</h1><p>Texte de la page sur les SCIC.</p>"
        "<script>document.write('NE PAS INDEXER')</script></main><footer>Pied de page</footer></body></html>"
    )
    put(
        "scripts.html",
        scripts.encode(),
        "ok",
        "scripts, nav and footer dropped",
        lines={1: "# Titre visible", 3: "Texte de la page"},
    )
    put(
        "scripts-only.html",
        b"<html><body><script>alert(1)</script><style>p{}</style></body></html>",
        "fail",
        "nothing but scripts",
        reason="texte",
    )

    header = "type;nom;forme_juridique;commune;departement;annee\n"
    put(
        "csv-no-name-column.csv",
        b"commune;couleur\nAngers;bleu\n",
        "fail",
        "no column names the entities",
        reason="nom",
    )
    put(
        "csv-unknown-column.csv",
        b"type;nom;couleur\ninitiative;Garage;bleu\n",
        "ok",
        "an unknown column is kept as a property",
        lines={2: "bleu"},
    )
    put(
        "csv-extra-values.csv",
        (header + "initiative;Garage;SCIC;Angers;49;2019;en trop\n").encode(),
        "fail",
        "row longer than header",
        reason="ligne 2",
    )
    put(
        "csv-bad-number.csv",
        (header + "initiative;A;SCIC;Angers;49;2019\ninitiative;B;SCOP;Brest;29;deux mille\n").encode(),
        "ok",
        "a year that is not one is kept as a property",
        lines={3: "deux mille"},
    )
    put(
        "csv-ten-thousand-columns.csv",
        (";".join(["nom", *(f"c{k}" for k in range(10_000))]) + "\nGarage" + ";x" * 10_000 + "\n").encode(),
        "fail",
        "10 000 columns, over max_record_columns",
        reason="colonnes",
    )
    put(
        "csv-broken-encoding.csv",
        b"nom;commune\n" + bytes(rng.randrange(128, 256) for _ in range(2048)) + b"\n",
        "fail",
        "bytes that are neither UTF-8 nor text in Windows-1252",
        reason="encodage",
    )
    put("csv-header-only.csv", header.encode(), "fail", "no data row", reason="aucune")
    put(
        "json-not-schema.json",
        json.dumps({"total": 3, "pages": [1, 2]}).encode(),
        "fail",
        "no list of objects",
        reason="liste",
    )
    put(
        "json-items-wrapper.json",
        json.dumps({"total": 1, "items": [{"name": "X", "kind": "entreprise"}]}, indent=1).encode(),
        "ok",
        "the one list of objects of a wrapper object",
        lines={3: "items"},
    )
    put(
        "json-scalar-item.json",
        json.dumps([{"nom": "X"}, 3]).encode(),
        "fail",
        "a number where an object is expected",
        reason="int",
    )
    put("json-syntax.json", b'[{"type": "initiative", "nom": "X",}\n', "fail", "invalid JSON", reason="JSON")

    loop_a, loop_b = folder / "loop-a.txt", folder / "loop-b.txt"
    for p in (loop_a, loop_b):
        if p.is_symlink() or p.exists():
            p.unlink()
    os.symlink(loop_b.name, loop_a)
    os.symlink(loop_a.name, loop_b)
    out.append(Hostile("loop-a.txt", "fail", "symbolic link loop", reason="boucle"))
    dangling = folder / "dangling.txt"
    if dangling.is_symlink() or dangling.exists():
        dangling.unlink()
    os.symlink("nowhere-at-all.txt", dangling)
    out.append(Hostile("dangling.txt", "fail", "dangling symbolic link", reason="introuvable"))
    directory = folder / "dossier.txt"
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        directory.unlink()
    directory.mkdir(exist_ok=True)
    out.append(
        Hostile(
            "dossier.txt", "fail", "a directory named like a file (unreadable as a file)", reason="dossier"
        )
    )
    fifo = folder / "fifo.txt"
    if fifo.exists() or fifo.is_symlink():
        fifo.unlink()
    os.mkfifo(fifo)
    out.append(
        Hostile("fifo.txt", "fail", "a FIFO (reading would block): not a regular file", reason="ordinaire")
    )
    return out


def main() -> None:
    """Generate into the folder given on the command line (default tests/data/hostile/)."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "hostile"
    manifest = generate(folder)
    for item in manifest:
        print(f"{item.expect:4}  {item.name:28} {item.why}")
    print(f"{len(manifest)} fichiers dans {folder}")


if __name__ == "__main__":
    main()
