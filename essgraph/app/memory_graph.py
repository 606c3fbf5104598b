"""An in-memory knowledge graph read, extracted and mapped from files, without embedding or index."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from essgraph.app.pipeline import doc_graph_iri, iter_files
from essgraph.core.errors import IngestFailed
from essgraph.core.settings import Settings
from essgraph.graph.mapping import document_graph
from essgraph.graph.ontology_loader import ontology_graph_iri
from essgraph.ingest.extract import extract
from essgraph.ingest.reading import read_document
from essgraph.ontology.thesaurus import load_ontology_graph, load_thesaurus


def memory_store(
    paths: Iterable[Path], settings: Settings, *, ontology: bool = True, errors: list[str] | None = None
) -> ox.Store:
    """A pyoxigraph Store holding one named graph per file under `paths`, as `essgraph ingest` writes it.

    Each file is read, extracted and mapped exactly as the ingest pipeline does (same named graph IRIs),
    but nothing is embedded, indexed or written to disk: the example queries, benches and tests run on
    it in about a minute. With `ontology`, the ontology, thesaurus and geography graph is loaded too (the
    labels of levers, legal forms and départements). A file that cannot be read is skipped and one French
    line naming it is appended to `errors` when given; the store is returned.
    """
    problems: list[str] = [] if errors is None else errors
    thesaurus = load_thesaurus()
    store = ox.Store()
    seen: set[str] = set()
    for path in iter_files(paths, problems):
        try:
            doc = read_document(path, settings)
        except IngestFailed as exc:
            problems.append(f"{path} : {exc}")
            continue
        if doc.doc_id in seen:
            problems.append(f"{path} : identifiant « {doc.doc_id} » déjà pris, fichier ignoré")
            continue
        seen.add(doc.doc_id)
        graph = document_graph(doc, extract(doc, thesaurus, settings), settings.base_iri)
        store.load(
            graph.serialize(format="nt").encode("utf-8"),
            ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(doc_graph_iri(settings, doc.doc_id)),
        )
    if ontology:
        store.load(
            load_ontology_graph().serialize(format="nt").encode("utf-8"),
            ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(ontology_graph_iri(settings.base_iri)),
        )
    return store
