"""The column schema of structured records (initiatives and collectivités) shared by CSV and JSON."""

from __future__ import annotations

import re
from pathlib import Path

from essgraph.ingest.readers.base import fail

COLUMNS: tuple[str, ...] = (
    "type",
    "nom",
    "forme_juridique",
    "commune",
    "departement",
    "niveau",
    "thematiques",
    "leviers",
    "description",
    "source_url",
    "annee",
    "code_insee",
)
REQUIRED: tuple[str, ...] = ("type", "nom")
TYPES: tuple[str, ...] = ("initiative", "collectivite")
NIVEAUX: tuple[str, ...] = ("commune", "epci", "metropole", "agglomeration", "departement", "region")
YEAR_RANGE: tuple[int, int] = (1800, 2100)
_DEPARTEMENT = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])$")
_INSEE = re.compile(r"^([0-9]{2}|2[AB])[0-9]{3}$")
_LIST_SEP = ";"


def check_columns(path: Path, columns: list[str], where: str) -> None:
    """Raise `IngestFailed` if required columns are missing or unknown ones present (`where` locates it)."""
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise fail(path, f"{where} : colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}")
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise fail(path, f"{where} : colonne(s) inconnue(s) : {', '.join(unknown)} (voir docs/ingest.md)")


def normalise_record(path: Path, raw: dict[str, str], line: int) -> dict[str, str]:
    """A validated record (every schema column, stripped, `line` added); raises `IngestFailed` naming it."""
    rec = {c: " ".join((raw.get(c) or "").split()) for c in COLUMNS}
    rec["type"] = rec["type"].lower().replace("é", "e")
    if rec["type"] not in TYPES:
        raise fail(
            path, f"ligne {line} : type « {raw.get('type', '')} » inconnu (initiative ou collectivite)"
        )
    if not rec["nom"]:
        raise fail(path, f"ligne {line} : nom vide")
    if rec["annee"]:
        if not rec["annee"].isdigit() or not YEAR_RANGE[0] <= int(rec["annee"]) <= YEAR_RANGE[1]:
            raise fail(path, f"ligne {line} : année « {rec['annee']} » invalide (nombre entier attendu)")
    if rec["departement"]:
        rec["departement"] = (
            rec["departement"].upper().zfill(2)
            if rec["departement"].isdigit()
            else (rec["departement"].upper())
        )
        if not _DEPARTEMENT.match(rec["departement"]):
            raise fail(path, f"ligne {line} : code département « {rec['departement']} » invalide")
    if rec["code_insee"] and not _INSEE.match(rec["code_insee"].upper()):
        raise fail(path, f"ligne {line} : code INSEE « {rec['code_insee']} » invalide (5 caractères)")
    if rec["niveau"]:
        rec["niveau"] = rec["niveau"].lower().replace("é", "e")
        if rec["niveau"] not in NIVEAUX:
            raise fail(path, f"ligne {line} : niveau « {rec['niveau']} » inconnu ({', '.join(NIVEAUX)})")
    rec["line"] = str(line)
    return rec


def _items(value: str) -> list[str]:
    """The `;`-separated items of a list cell."""
    return [v.strip() for v in value.split(_LIST_SEP) if v.strip()]


def render_record(rec: dict[str, str]) -> str:
    """A French sentence-like rendering of a record, so that search finds it like prose."""
    kind = "Initiative" if rec["type"] == "initiative" else "Collectivité"
    head = f"{kind} « {rec['nom']} »"
    forms = _items(rec.get("forme_juridique", ""))
    if forms:
        head += f" ({', '.join(forms)})"
    if rec.get("niveau"):
        head += f", de niveau {rec['niveau']}"
    place = rec.get("commune", "")
    if place and rec.get("departement"):
        place += f" ({rec['departement']})"
    if place:
        head += f", à {place}"
    elif rec.get("departement"):
        head += f", dans le département {rec['departement']}"
    sentences = [head + "."]
    if _items(rec.get("thematiques", "")):
        sentences.append(f"Thématiques : {', '.join(_items(rec['thematiques']))}.")
    if _items(rec.get("leviers", "")):
        sentences.append(f"Leviers : {', '.join(_items(rec['leviers']))}.")
    if rec.get("description"):
        desc = rec["description"]
        sentences.append(desc if desc.endswith((".", "!", "?")) else desc + ".")
    if rec.get("annee"):
        sentences.append(f"Année : {rec['annee']}.")
    if rec.get("source_url"):
        sentences.append(f"Source : {rec['source_url']}.")
    return " ".join(sentences)
