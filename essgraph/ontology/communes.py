"""French communes and EPCI (INSEE Code officiel géographique), read from the bundled data files.

The régions and départements stay in geography.py; this module reads the two generated tables of
ontology/data (see its README for source, licence and date; `python -m essgraph.ontology.build_communes`
rebuilds them) and answers "is this a commune, in which département" and "which EPCI names exist".
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from essgraph.core.text import fold
from essgraph.ontology import geography
from essgraph.ontology.geography import DEPARTEMENTS, REGIONS


@dataclass(frozen=True, slots=True)
class Commune:
    """One current commune: INSEE code, official name, département code, population, and whether its
    one-word name is also an ordinary French word ("Port", "Falaise")."""

    code: str
    name: str
    departement: str
    population: int
    common: bool


@dataclass(frozen=True, slots=True)
class Epci:
    """One EPCI (or établissement public territorial): SIREN, official name, the name as documents write
    it (without the "CA "/"CC "/"CU " prefix and trailing acronym), level slug, département or ""."""

    code: str
    name: str
    written: str
    level: str
    departement: str


def _data(name: str) -> bytes:
    return resources.files("essgraph.ontology").joinpath("data", name).read_bytes()


@lru_cache(maxsize=1)
def data_digest() -> str:
    """A digest of the two data files' content (part of the ingest version: new data re-extracts)."""
    h = hashlib.sha256()
    for name in ("communes.tsv.gz", "epci.tsv"):
        h.update(_data(name))
    return h.hexdigest()[:12]


@lru_cache(maxsize=1)
def communes_by_name() -> dict[str, tuple[Commune, ...]]:
    """Official commune name (exact case and accents) -> the communes of that name, most populous first.
    Raises OSError if the packaged data file is missing (a packaging fault)."""
    rows: dict[str, list[Commune]] = {}
    lines = gzip.decompress(_data("communes.tsv.gz")).decode("utf-8").splitlines()
    for line in lines[1:]:
        code, name, dep, population, common = line.split("\t")
        rows.setdefault(name, []).append(Commune(code, name, dep, int(population), common == "1"))
    return {name: tuple(sorted(cs, key=lambda c: -c.population)) for name, cs in rows.items()}


def commune_named(name: str, departement: str | None = None) -> Commune | None:
    """The commune called exactly `name` (in `departement` when given; else the most populous of that
    name), or None."""
    found = communes_by_name().get(name, ())
    if departement:
        found = tuple(c for c in found if c.departement == departement)
    return found[0] if found else None


_EPCI_PREFIX = re.compile(r"^(?:CA|CC|CU|EPT)\s+")
_EPCI_ACRONYM = re.compile(r"\s*\([^)]*\)\s*$")
_EPCI_OF = re.compile(r"^(?:du|des|de la|de l'|de|d')\s*")
LEVEL_WORDS = {
    "communaute-de-communes": "Communauté de communes",
    "communaute-d-agglomeration": "Communauté d'agglomération",
    "communaute-urbaine": "Communauté urbaine",
    "metropole": "Métropole",
}
"""Level slug -> the words written before or after an EPCI's name ("Grand Poitiers Communauté urbaine")."""


@lru_cache(maxsize=1)
def epcis() -> tuple[Epci, ...]:
    """Every EPCI of the bundled table; raises OSError if the packaged data file is missing."""
    out = []
    for line in _data("epci.tsv").decode("utf-8").splitlines()[1:]:
        code, name, level, dep = line.split("\t")
        written = _EPCI_ACRONYM.sub("", _EPCI_PREFIX.sub("", name)).strip()
        # "CA du Grand Annecy" is written "Grand Annecy"
        written = _EPCI_OF.sub("", written) if _EPCI_OF.sub("", written)[:1].isupper() else written
        out.append(Epci(code, name, written, level, dep))
    return tuple(out)


def _place_words() -> frozenset[str]:
    return frozenset(
        {n for n, alts in REGIONS.values() for n in (n, *alts)} | {n for n, _ in DEPARTEMENTS.values()}
    )


@lru_cache(maxsize=1)
def standalone_epci_names() -> dict[str, Epci]:
    """EPCI names that stand on their own in a text ("Mulhouse Alsace Agglomération", "Lannion-Trégor
    Communauté"): at least two words or a hyphenated compound, capitalised, neither a commune, a
    département nor a région name. "CC de la Vallée de X" is left to the "Communauté de communes …"
    pattern, which reads it with its level word."""
    communes = communes_by_name()
    places = _place_words()
    out: dict[str, Epci] = {}
    for e in epcis():
        name = e.written
        if not name[:1].isupper() or name in communes or name in places:
            continue
        if len(re.findall(r"[\w']+", name)) < 2:
            continue
        out.setdefault(name, e)
    return out


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every région, département, EPCI and commune name, folded (communes whose one-word name is an
    ordinary French word left out): a phrase equal to one names a place, never a person, whatever a NER
    model says of "Lannion-Trégor Communauté" or "Chalonnes-sur-Loire"."""
    names = set(geography.place_names())
    names |= {fold(n) for n in standalone_epci_names()}
    names |= {fold(n) for n, cs in communes_by_name().items() if not any(c.common for c in cs)}
    return frozenset(names)
