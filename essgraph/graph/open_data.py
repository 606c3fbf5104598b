"""Open-data dumps of the graph (TriG, N-Quads, JSON-LD, CSV of the main entity types) and their catalogue."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from essgraph.core.files import atomic_write
from essgraph.graph.store import GraphStore
from essgraph.ontology.namespace import EG_IRI
from essgraph.ontology.thesaurus import parse_turtle

MANIFEST = "manifest.json"
DCAT_SHAPES_TTL = files("essgraph.ontology") / "dcat-shapes.ttl"  # SHACL shapes of the catalogue
FORMAT_VERSION = 1  # bump when the files or their columns change: the dumps are then rewritten
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
# IANA media type IRIs, as DCAT-AP recommends for dcat:mediaType
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True, slots=True)
class Dump:
    """A whole-graph dump: file name, store format name, media type, EU file-type code, French title."""

    name: str
    store_format: str
    media_type: str
    file_type: str
    title: str


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV table of one entity class: file name, class IRI, French title and description."""

    name: str
    class_iri: str
    title: str
    description: str


DUMPS: tuple[Dump, ...] = (
    Dump("essgraph.trig", "trig", "application/trig", "TRIG", "Graphe complet (TriG)"),
    Dump("essgraph.nq", "nquads", "application/n-quads", "NQUADS", "Graphe complet (N-Quads)"),
    Dump("essgraph.jsonld", "jsonld", "application/ld+json", "JSON_LD", "Graphe complet (JSON-LD)"),
)
TABLES: tuple[Table, ...] = (
    Table(
        "initiatives.csv",
        EG_IRI + "Initiative",
        "Initiatives de l'ESS",
        "Une ligne par initiative : libellé, départements, formes juridiques, leviers, thématiques.",
    ),
    Table(
        "collectivites.csv",
        EG_IRI + "Collectivite",
        "Collectivités",
        "Une ligne par collectivité : libellé, niveau, départements, leviers utilisés.",
    ),
    Table(
        "organisations.csv",
        EG_IRI + "Organisation",
        "Organisations",
        "Une ligne par organisation (réseaux, têtes de réseau, entreprises, associations).",
    ),
    Table(
        "personnes.csv",
        EG_IRI + "Person",
        "Personnes",
        "Une ligne par personne citée dans les publications (élus, responsables).",
    ),
)
COLUMNS = (
    "iri",
    "libelle",
    "niveau",
    "departements",
    "formes_juridiques",
    "leviers",
    "thematiques",
    "documents",
)
_SEPARATOR = " | "

# One row per entity of the tabled classes, with its preferred label (French first).
ENTITIES_QUERY = """
PREFIX eg: <https://w3id.org/essgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?class ?s (SAMPLE(?label) AS ?libelle) WHERE {
  VALUES ?class { eg:Initiative eg:Collectivite eg:Organisation eg:Person }
  ?s a ?class .
  OPTIONAL { ?s skos:prefLabel ?pref FILTER(LANG(?pref) IN ("fr", "")) }
  OPTIONAL { ?s rdfs:label ?plain }
  BIND(STR(COALESCE(?pref, ?plain, "")) AS ?label)
}
GROUP BY ?class ?s
ORDER BY ?class ?s
"""

# The multi-valued columns: (entity, column, readable value), the concept's French label when it has one.
ATTRIBUTES_QUERY = """
PREFIX eg: <https://w3id.org/essgraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s ?column ?value WHERE {
  VALUES ?class { eg:Initiative eg:Collectivite eg:Organisation eg:Person }
  VALUES (?column ?p) {
    ("niveau" eg:collectiviteLevel)
    ("departements" eg:departementCode)
    ("formes_juridiques" eg:legalForm)
    ("leviers" eg:illustratesLever)
    ("leviers" eg:usesLever)
    ("thematiques" eg:theme)
  }
  ?s a ?class ; ?p ?o .
  OPTIONAL { ?o skos:prefLabel ?pref FILTER(LANG(?pref) IN ("fr", "")) }
  OPTIONAL { ?o rdfs:label ?plain }
  BIND(STR(COALESCE(?pref, ?plain, ?o)) AS ?value)
}
"""

# How many source documents mention each entity (through their passages).
DOCUMENTS_QUERY = """
PREFIX eg: <https://w3id.org/essgraph/def#>
SELECT ?s (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
  VALUES ?class { eg:Initiative eg:Collectivite eg:Organisation eg:Person }
  ?s a ?class .
  ?passage eg:mentions ?s ; eg:inDocument ?doc .
}
GROUP BY ?s
"""


@dataclass(frozen=True, slots=True)
class DumpFile:
    """One file written in the data folder, as the catalogue describes it."""

    name: str
    media_type: str
    file_type: str
    title: str
    description: str
    byte_size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the data folder holds: the graph state it was written from, when, and its files."""

    state: str
    generated: str
    quads: int
    files: tuple[DumpFile, ...]

    def to_json(self) -> str:
        """The manifest as the JSON text stored beside the dumps."""
        return json.dumps({**asdict(self), "files": [asdict(f) for f in self.files]}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """A manifest read back; raises ValueError/KeyError/TypeError when the text is not one."""
        data = json.loads(text)
        return cls(
            state=str(data["state"]),
            generated=str(data["generated"]),
            quads=int(data["quads"]),
            files=tuple(DumpFile(**entry) for entry in data["files"]),
        )


_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def graph_state(store: GraphStore) -> str:
    """A fingerprint of the graph: every named graph with its quad count, the total, and the format
    version of the dumps. Cheap (no dump); a write that keeps every count is caught by the service,
    which passes `force` after its own writes."""
    lines = sorted(f"{name}\t{count}" for name, count in store.iter_graph_counts())
    lines.append(f"total\t{store.quad_count()}\tformat\t{FORMAT_VERSION}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of `folder`, or None when absent, unreadable or naming a missing file."""
    try:
        manifest = Manifest.from_json((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all((folder / f.name).is_file() for f in manifest.files):
        return None
    return manifest


def ensure_dumps(store: GraphStore, folder: Path, force: bool = False) -> Manifest:
    """The dumps of `store` in `folder`, written now when the graph changed since the manifest (or when
    `force`), else the existing ones. One writer at a time per folder; each file is written atomically
    and the manifest last, so a reader never sees a manifest naming a half-written file."""
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(folder.resolve(), threading.Lock())
    with lock:
        state = graph_state(store)
        manifest = read_manifest(folder)
        if manifest is not None and manifest.state == state and not force:
            return manifest
        return write_dumps(store, folder, state)


def write_dumps(store: GraphStore, folder: Path, state: str | None = None) -> Manifest:
    """Write every dump and table of `store` into `folder` and its manifest; returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    state = state or graph_state(store)
    files: list[DumpFile] = []
    for dump in DUMPS:
        data = store.dump(dump.store_format)
        atomic_write(folder / dump.name, data)
        files.append(_described(dump.name, dump.media_type, dump.file_type, dump.title, "", data))
    tables = entity_tables(store)
    for table in TABLES:
        data = table_csv(tables.get(table.class_iri, []))
        atomic_write(folder / table.name, data)
        files.append(_described(table.name, "text/csv", "CSV", table.title, table.description, data))
    manifest = Manifest(
        state=state,
        generated=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        quads=store.quad_count(),
        files=tuple(files),
    )
    atomic_write(folder / MANIFEST, manifest.to_json())
    return manifest


def _described(name: str, media: str, file_type: str, title: str, description: str, data: bytes) -> DumpFile:
    return DumpFile(name, media, file_type, title, description, len(data), hashlib.sha256(data).hexdigest())


def entity_tables(store: GraphStore) -> dict[str, list[dict[str, str]]]:
    """Class IRI → one row per entity (COLUMNS), multi-valued cells joined by ' | ' in sorted order."""
    rows: dict[str, dict[str, str]] = {}
    by_class: dict[str, list[dict[str, str]]] = {}
    for found in store.select(ENTITIES_QUERY):
        if found["s"] in rows:  # an entity of two tabled classes keeps its first row
            continue
        row = dict.fromkeys(COLUMNS, "")
        row["iri"] = found["s"]
        row["libelle"] = found.get("libelle", "")
        row["documents"] = "0"
        rows[found["s"]] = row
        by_class.setdefault(found["class"], []).append(row)
    values: dict[tuple[str, str], set[str]] = {}
    for found in store.select(ATTRIBUTES_QUERY):
        if found["s"] in rows and found.get("value"):
            values.setdefault((found["s"], found["column"]), set()).add(found["value"])
    for (entity, column), cell in values.items():
        rows[entity][column] = _SEPARATOR.join(sorted(cell))
    for found in store.select(DOCUMENTS_QUERY):
        if found["s"] in rows:
            rows[found["s"]]["documents"] = found["documents"]
    return by_class


def table_csv(rows: list[dict[str, str]]) -> bytes:
    """Rows as RFC 4180 CSV in UTF-8 with a byte order mark (French spreadsheet programs need it)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def catalogue_graph(manifest: Manifest, base_url: str, license_iri: str, publisher: str) -> rdflib.Graph:
    """The DCAT catalogue of the dumps: one catalogue, one dataset, one distribution per file, each
    with its licence, date, size, media type and download URL under `base_url` (…/data/<file>)."""
    base = base_url.rstrip("/")
    graph = rdflib.Graph()
    for prefix, namespace in (("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF), ("xsd", XSD)):
        graph.bind(prefix, namespace)
    catalogue = rdflib.URIRef(f"{base}/data")
    dataset = rdflib.URIRef(f"{base}/data#graphe")
    agent = rdflib.URIRef(f"{base}/data#editeur")
    licence = rdflib.URIRef(license_iri)
    modified = rdflib.Literal(manifest.generated, datatype=XSD.dateTime)
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, rdflib.Literal(publisher, lang="fr")))
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, rdflib.Literal("Données ouvertes essgraph", lang="fr")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            rdflib.Literal(
                "Catalogue des exports du graphe de connaissances de l'ESS et des collectivités.", lang="fr"
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, agent))
    graph.add((catalogue, DCTERMS.license, licence))
    graph.add((catalogue, DCTERMS.modified, modified))
    graph.add(
        (
            catalogue,
            DCTERMS.language,
            rdflib.URIRef("http://publications.europa.eu/resource/authority/language/FRA"),
        )
    )
    graph.add((catalogue, DCAT.dataset, dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    title = rdflib.Literal("Graphe de connaissances ESS et collectivités", lang="fr")
    graph.add((dataset, DCTERMS.title, title))
    graph.add(
        (
            dataset,
            DCTERMS.description,
            rdflib.Literal(
                f"Initiatives, collectivités, organisations, personnes et leurs relations extraites des "
                f"publications, avec leur provenance ({manifest.quads} quadruplets).",
                lang="fr",
            ),
        )
    )
    graph.add((dataset, DCTERMS.publisher, agent))
    graph.add((dataset, DCTERMS.license, licence))
    graph.add((dataset, DCTERMS.modified, modified))
    graph.add((dataset, DCTERMS.conformsTo, rdflib.URIRef(EG_IRI.rstrip("#"))))
    for keyword in ("économie sociale et solidaire", "collectivités", "ESS"):
        graph.add((dataset, DCAT.keyword, rdflib.Literal(keyword, lang="fr")))
    for file in manifest.files:
        distribution = rdflib.URIRef(f"{base}/data#{file.name}")
        url = rdflib.URIRef(f"{base}/data/{file.name}")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, rdflib.Literal(file.title, lang="fr")))
        if file.description:
            graph.add((distribution, DCTERMS.description, rdflib.Literal(file.description, lang="fr")))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.mediaType, rdflib.URIRef(IANA + file.media_type)))
        graph.add((distribution, DCTERMS.format, rdflib.URIRef(EU_FILE_TYPE + file.file_type)))
        size = rdflib.Literal(file.byte_size, datatype=XSD.nonNegativeInteger)
        graph.add((distribution, DCAT.byteSize, size))
        graph.add((distribution, DCTERMS.license, licence))
        graph.add((distribution, DCTERMS.modified, modified))
        graph.add((distribution, DCTERMS.issued, modified))
    return graph


def validate_catalogue(catalogue: rdflib.Graph) -> tuple[bool, str]:
    """(conforms, pyshacl's text report) of a catalogue against ontology/dcat-shapes.ttl."""
    from pyshacl import validate

    shapes = parse_turtle(rdflib.Graph(), DCAT_SHAPES_TTL)
    conforms, _, report = validate(catalogue, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), str(report)
