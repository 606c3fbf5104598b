"""Rows of CSV, JSON and JSON-lines files as `Record`s: columns mapped, values checked, nothing lost."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from essgraph.core.model import Record
from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, fail
from essgraph.ingest.readers.record_fields import ColumnMapping, load_mapping, type_of_word
from essgraph.ontology.geography import departement_code

YEAR_RANGE: tuple[int, int] = (1800, 2100)
LIST_SEPARATORS = re.compile(r"\s*[;|]\s*")
_INSEE = re.compile(r"^(?:[0-9]{2}|2[AB])[0-9]{3}$")
_URL = re.compile(r"^(?:https?://|www\.)\S+\.\S+$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_FRENCH_DATE = re.compile(r"^(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})$")


def _year_ok(year: str) -> bool:
    return YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]


def iso_date(value: str) -> str | None:
    """`value` as an ISO date, year-month or year ("12/03/2019" -> "2019-03-12", "2019" -> "2019"),
    or None when it is not a date of YEAR_RANGE."""
    text = value.strip()
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day = iso.groups()
    else:
        french = _FRENCH_DATE.match(text)
        if not french:
            return None
        day, month, year = french.groups()
    if not _year_ok(year) or (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return None
    return "-".join(part.zfill(2) for part in (year, month, day) if part)


def _clean(field_name: str, value: str) -> str | None:
    """The checked form of `value` for `field_name`, or None when the field refuses it (the value is
    then kept as a plain property under its header)."""
    if field_name == "departement":
        return departement_code(value)
    if field_name == "code_insee":
        code = value.upper().replace(" ", "")
        return code if _INSEE.match(code) else None
    if field_name == "code_postal":
        code = value.replace(" ", "")
        return code if len(code) == 5 and code.isdigit() else None
    if field_name == "siret":
        digits = re.sub(r"[\s.]", "", value)
        return digits if len(digits) == 14 and digits.isdigit() else None
    if field_name in ("site_web", "source_url"):
        if not _URL.match(value):
            return None
        return value if value.lower().startswith("http") else "https://" + value
    if field_name == "date_creation":
        return iso_date(value)
    if field_name == "annee":
        return value if len(value) == 4 and value.isdigit() and _year_ok(value) else None
    return value


def list_items(value: str) -> list[str]:
    """The items of a list cell (`;` or `|` separated; JSON lists arrive `;`-joined)."""
    return [v for v in LIST_SEPARATORS.split(value.strip()) if v]


@dataclass(slots=True)
class RecordBuilder:
    """Collects the rows of one file: maps their columns, skips (and counts) empty rows, bounds them.

    `add` takes the (header, value) cells of one row with its place in the source; `document` returns
    the `RawDocument`. Limits: `settings.max_records` rows, `settings.max_record_columns` columns.
    """

    path: Path
    settings: Settings
    unit: tuple[str, str] = ("lignes", "rows")
    mapping: ColumnMapping = field(init=False)
    records: list[Record] = field(default_factory=list)
    skipped: int = 0
    named: bool = False  # some row has a column mapped to the name

    def __post_init__(self) -> None:
        self.mapping = load_mapping(self.path)

    def check_width(self, columns: int, line: int) -> None:
        """Raise `IngestFailed` when a header or object has more columns than the limit."""
        bound = self.settings.max_record_columns
        if columns > bound:
            raise fail(
                self.path,
                f"ligne {line} : {columns} colonnes, plus que la limite de {bound}",
                f"line {line}: {columns} columns, more than the limit of {bound}",
                max_record_columns=bound,
                columns=columns,
            )

    def add(self, cells: list[tuple[str, str]], lines: tuple[int, int], chars: tuple[int, int]) -> None:
        """Map one row's cells to a `Record` (an empty row is only counted); raises `IngestFailed`
        past `settings.max_records` rows."""
        cells = [(h.strip() or f"colonne {k + 1}", " ".join(v.split())) for k, (h, v) in enumerate(cells)]
        if not any(v for _, v in cells):
            self.skipped += 1
            return
        bound = self.settings.max_records
        if len(self.records) >= bound:
            raise fail(
                self.path,
                f"plus de {bound} {self.unit[0]}",
                f"more than {bound} {self.unit[1]}",
                max_records=bound,
            )
        fields: dict[str, str] = {}
        headers: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        for header, value in cells:
            name = self.mapping.field_of(header)
            if name == "nom":
                self.named = True
            if not value:
                continue
            cleaned = _clean(name, value) if name else None
            if name and cleaned is not None and name not in fields:
                fields[name] = cleaned
                headers[name] = header
            else:
                extra.append((header, value))
        self.records.append(Record(fields, extra, lines[0], lines[1], chars[0], chars[1], headers))

    def document(self, source: str, media_type: str) -> RawDocument:
        """The `RawDocument` of the rows added; raises `IngestFailed` when there is none or when no
        column names the entities (then a mapping file must say which one does)."""
        if not self.records:
            raise fail(
                self.path,
                f"aucune ligne de données ({self.skipped} ligne(s) vide(s) ignorée(s))",
                f"no data row ({self.skipped} empty row(s) skipped)",
            )
        if not self.named:
            raise fail(
                self.path,
                "aucune colonne de nom (nom, name, raison sociale…) : indiquez-la dans "
                f"{self.path.name}.mapping.json (voir docs/ingest.md)",
                "no name column (nom, name, raison sociale…): declare it in "
                f"{self.path.name}.mapping.json (see docs/ingest.md)",
            )
        return RawDocument(
            source=source,
            media_type=media_type,
            records=self.records,
            skipped_records=self.skipped,
            record_kind=self.mapping.kind,
        )


def render_record(rec: Record, kind: str | None = None) -> str:
    """A French sentence-like rendering of a row, so that search finds it like prose; every column
    of the row is in it (unmapped ones as « header : value »)."""
    etype = type_of_word(rec.get("type")) or kind
    word = {"Initiative": "Initiative", "Collectivite": "Collectivité", "Organisation": "Organisation"}
    name = rec.get("nom") or "(sans nom)"
    head = f"{word[etype]} « {name} »" if etype in word else f"« {name} »"
    if rec.get("type") and not type_of_word(rec.get("type")):
        head += f", {rec.get('type')}"
    forms = list_items(rec.get("forme_juridique"))
    if forms:
        head += f" ({', '.join(forms)})"
    if rec.get("niveau"):
        head += f", de niveau {rec.get('niveau')}"
    place = rec.get("commune")
    dep = rec.get("departement")
    if place and dep:
        place += f" ({dep})"
    if place:
        head += f", à {place}"
    elif dep:
        head += f", dans le département {dep}"
    sentences = [head + "."]
    labelled = (
        ("thematiques", "Thématiques"),
        ("leviers", "Leviers"),
    )
    for key, label in labelled:
        if list_items(rec.get(key)):
            sentences.append(f"{label} : {', '.join(list_items(rec.get(key)))}.")
    if rec.get("description"):
        desc = rec.get("description")
        sentences.append(desc if desc.endswith((".", "!", "?")) else desc + ".")
    for key, label in (
        ("date_creation", "Création"),
        ("annee", "Année"),
        ("code_insee", "Code INSEE"),
        ("code_postal", "Code postal"),
        ("siret", "SIRET"),
        ("site_web", "Site"),
        ("source_url", "Source"),
    ):
        if rec.get(key):
            sentences.append(f"{label} : {rec.get(key)}.")
    for header, value in rec.extra:
        sentences.append(f"{header} : {value}" + ("" if value.endswith((".", "!", "?")) else "."))
    return " ".join(sentences)
