"""The record fields and their header spellings (French and English), written once, with the matcher.

A CSV header or JSON key is matched to a field after folding (case, accents, ligatures), turning
every run of non-letters (spaces, `_`, `-`, `.`) into one space, dropping filler words (de, la, of,
n°…) and the plural `s`/`x` of each word. So `Forme_Juridique`, `FORME JURIDIQUE` and
`formes juridiques` all name `forme_juridique`. A `<file>.mapping.json` beside a data file maps
any other header (docs/ingest.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from essgraph.core.text import fold
from essgraph.ingest.readers.base import fail

# field -> the header spellings that name it (the field name itself is always one)
FIELDS: dict[str, tuple[str, ...]] = {
    "type": ("type", "kind", "catégorie", "category", "type de structure", "type d'acteur", "nature"),
    "nom": (
        "nom",
        "name",
        "raison sociale",
        "dénomination",
        "dénomination sociale",
        "intitulé",
        "libellé",
        "titre",
        "title",
        "nom de la structure",
        "nom de l'initiative",
        "nom de la collectivité",
        "structure",
        "organisation",
        "organization",
        "label",
    ),
    "forme_juridique": (
        "forme juridique",
        "legal form",
        "statut",
        "statut juridique",
        "status",
        "legal status",
        "forme",
    ),
    "commune": ("commune", "ville", "city", "town", "municipality", "localité", "nom de la commune"),
    "code_insee": ("code insee", "insee", "code commune", "code insee commune", "insee code", "cog"),
    "code_postal": ("code postal", "cp", "postal code", "zip", "zip code", "postcode"),
    "departement": ("département", "dept", "dpt", "dep", "department", "code département"),
    "niveau": ("niveau", "level", "échelon", "niveau de collectivité", "type de collectivité"),
    "siret": ("siret", "numéro siret", "n° siret", "siret number", "siren siret"),
    "site_web": ("site", "site web", "site internet", "website", "web site", "web", "url", "homepage"),
    "source_url": ("source", "source url", "lien source", "source link"),
    "date_creation": (
        "date de création",
        "création",
        "date création",
        "année de création",
        "créée en",
        "creation date",
        "date created",
        "founded",
        "founding date",
        "founding year",
        "year founded",
        "date de fondation",
    ),
    "annee": ("année", "year"),
    "leviers": ("leviers", "levier", "lever", "levers", "levier d'action", "leviers d'action"),
    "thematiques": (
        "thématique",
        "thème",
        "theme",
        "topic",
        "domaine",
        "secteur",
        "secteur d'activité",
        "sector",
    ),
    "description": ("description", "résumé", "présentation", "summary", "objet", "activité", "about"),
}

# entity type -> the words a type column (or a file name) uses for it
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "Initiative": ("initiative", "projet", "project", "structure ess", "entreprise", "acteur ess"),
    "Collectivite": (
        "collectivité",
        "collectivité territoriale",
        "local government",
        "municipality",
        "intercommunalité",
    ),
    "Organisation": ("organisation", "organization", "réseau", "network", "fédération", "federation"),
}

_FILLER = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "of", "the", "a", "n", "no", "numero"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """The comparison form of a header or type word: folded, one space between words, filler words
    and plural endings dropped ("Formes_Juridiques" -> "forme juridique")."""
    words = _NON_WORD.sub(" ", fold(text)).split()
    kept = [w for w in words if w not in _FILLER] or words
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in kept)


_FIELD_OF: dict[str, str] = {
    header_key(spelling): name for name, spellings in FIELDS.items() for spelling in (name, *spellings)
}
_TYPE_OF: dict[str, str] = {
    header_key(word): etype for etype, words in TYPE_WORDS.items() for word in (etype, *words)
}


def type_of_word(value: str) -> str | None:
    """The entity type a type cell names ("Collectivité" -> "Collectivite"), or None."""
    return _TYPE_OF.get(header_key(value)) if value.strip() else None


def type_of_name(stem: str) -> str | None:
    """The entity type a file name declares by one of its words ("collectivites-2024" -> "Collectivite")."""
    found = {_TYPE_OF[w] for w in header_key(stem).split() if w in _TYPE_OF}
    return found.pop() if len(found) == 1 else None


def mapping_path(path: Path) -> Path:
    """Where the optional column mapping of data file `path` lives: `<file name>.mapping.json` beside it."""
    return path.with_name(path.name + ".mapping.json")


@dataclass(slots=True)
class ColumnMapping:
    """How the headers of one file name fields: the table above plus the file's own mapping.

    `explicit` maps a header's comparison form to a field, or to "" to keep that column as a plain
    property; `kind` is the entity type the mapping file declares for every row without its own.
    """

    explicit: dict[str, str] = field(default_factory=dict)
    kind: str | None = None

    def field_of(self, header: str) -> str | None:
        """The field `header` names, or None (the column stays a property labelled with the header).

        For a flattened JSON key "adresse.commune" the last part is tried after the whole.
        """
        key = header_key(header)
        if key in self.explicit:
            return self.explicit[key] or None
        if key in _FIELD_OF:
            return _FIELD_OF[key]
        if "." in header:
            return self.field_of(header.rsplit(".", 1)[1])
        return None


def load_mapping(path: Path) -> ColumnMapping:
    """The column mapping of data file `path` (empty when no mapping file is beside it).

    The file is JSON: {"colonnes": {"<header>": "<field>" or null}, "type": "<type word>"} (the key
    "columns" is accepted for "colonnes"). Raises `IngestFailed` naming the mapping file when it is
    not valid JSON, maps to an unknown field or names an unknown type.
    """
    where = mapping_path(path)
    if not where.is_file():
        return ColumnMapping()
    try:
        data = json.loads(where.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(
            path,
            f"fichier de correspondance {where.name} illisible ({exc})",
            f"mapping file {where.name} unreadable ({exc})",
        ) from exc
    if not isinstance(data, dict):
        raise fail(
            path, f"{where.name} : un objet JSON est attendu", f"{where.name}: a JSON object is expected"
        )
    columns = data.get("colonnes", data.get("columns", {}))
    if not isinstance(columns, dict):
        raise fail(
            path,
            f"{where.name} : « colonnes » doit être un objet",
            f"{where.name}: 'columns' must be an object",
        )
    explicit: dict[str, str] = {}
    for header, target in columns.items():
        name = "" if target in (None, "") else str(target)
        if name and name not in FIELDS:
            known = ", ".join(FIELDS)
            raise fail(
                path,
                f"{where.name} : champ « {name} » inconnu (champs : {known})",
                f"{where.name}: unknown field '{name}' (fields: {known})",
            )
        explicit[header_key(str(header))] = name
    kind = None
    if data.get("type"):
        kind = type_of_word(str(data["type"]))
        if kind is None:
            raise fail(
                path,
                f"{where.name} : type « {data['type']} » inconnu",
                f"{where.name}: unknown type '{data['type']}'",
            )
    return ColumnMapping(explicit, kind)
