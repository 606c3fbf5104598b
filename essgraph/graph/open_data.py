"""Open-data dumps of the graph (TriG, N-Quads, JSON-LD, CSV of the main entity types) and their catalogue."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
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

_LABEL = """
    OPTIONAL {{ ?{o} skos:prefLabel ?{o}_pref FILTER(LANG(?{o}_pref) IN ("fr", "")) }}
    OPTIONAL {{ ?{o} rdfs:label ?{o}_plain }}
    BIND(STR(COALESCE(?{o}_pref, ?{o}_plain, ?{o})) AS ?{o}_text)"""


def _column(name: str, path: str, class_curie: str) -> str:
    """An OPTIONAL sub-select giving, per entity, the readable values at `path` joined by ' | '."""
    return f"""
  OPTIONAL {{
    SELECT ?iri (GROUP_CONCAT(DISTINCT ?v_text; separator=" | ") AS ?{name}) WHERE {{
      ?iri a {class_curie} ; {path} ?v .{_LABEL.format(o="v")}
    }} GROUP BY ?iri
  }}"""


def table_query(class_iri: str) -> str:
    """The SELECT whose rows are the CSV table of one class (COLUMNS, one row per entity, by IRI).

    Each multi-valued column is its own sub-select joined on the entity, so no cross product of
    columns is ever formed."""
    curie = "eg:" + class_iri[len(EG_IRI) :]
    return (
        f"""PREFIX eg: <{EG_IRI}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT {" ".join("?" + c for c in COLUMNS)} WHERE {{
  {{
    SELECT ?iri (SAMPLE(?iri_text) AS ?libelle) WHERE {{
      ?iri a {curie} .
      OPTIONAL {{ ?iri skos:prefLabel ?iri_pref FILTER(LANG(?iri_pref) IN ("fr", "")) }}
      OPTIONAL {{ ?iri rdfs:label ?iri_plain }}
      BIND(STR(COALESCE(?iri_pref, ?iri_plain, "")) AS ?iri_text)
    }} GROUP BY ?iri
  }}"""
        + _column("niveau", "eg:collectiviteLevel", curie)
        + _column("departements", "eg:departementCode", curie)
        + _column("formes_juridiques", "eg:legalForm", curie)
        + _column("leviers", "eg:illustratesLever|eg:usesLever", curie)
        + _column("thematiques", "eg:theme", curie)
        + f"""
  OPTIONAL {{
    SELECT ?iri (COUNT(DISTINCT ?doc) AS ?cited) WHERE {{
      ?iri a {curie} . ?passage eg:mentions ?iri ; eg:inDocument ?doc .
    }} GROUP BY ?iri
  }}
  BIND(COALESCE(?cited, 0) AS ?documents)
}}
ORDER BY ?iri
"""
    )


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
    for table in TABLES:
        data = table_csv(store, table)
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


def table_csv(store: GraphStore, table: Table) -> bytes:
    """The CSV table of `table`'s class, written by the store's SPARQL results writer (W3C CSV), with a
    UTF-8 byte order mark so French spreadsheet programs read the accents."""
    results = store.query(table_query(table.class_iri))
    body = bytes(results.serialize(format=ox.QueryResultsFormat.CSV) or b"")
    return b"\xef\xbb\xbf" + body


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
