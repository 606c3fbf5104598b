"""The ingest pipeline: files → ParsedDocument → Extraction → named graph → search indexes → journal.

Write order per document (crash consistency): (1) read, extract and map in memory, nothing written;
(2) replace the document's named graph in one store transaction; (3) upsert its passages in the
indexes (each index file written to a temp name then renamed); (4) record path + sha256 in the
journal (temp-then-rename). A crash before (4) only makes the next run redo the document; `reconcile`
runs at every start and re-derives the indexes from the graph wherever they disagree.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from essgraph.errors import EssgraphError, IngestFailed
from essgraph.settings import Settings

if TYPE_CHECKING:
    from graph.store import GraphStore
    from search.engine import SearchEngine

SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}
CRASH_ENV = "ESSGRAPH_CRASH_AT"  # fault injection for the crash-consistency tests: "<phase>:<n>"


def _checkpoint(phase: str) -> None:
    """Kill this process with SIGKILL at the n-th pass through `phase` when CRASH_ENV asks for it."""
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != phase:
        return
    remaining = int(count or "1") - 1
    os.environ[CRASH_ENV] = f"{name}:{remaining}"
    if remaining <= 0:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class IngestSummary:
    """What one ingest run did, printed at the end and returned to the service."""

    documents: int = 0
    unchanged: int = 0
    removed: int = 0
    passages: int = 0
    entities: int = 0
    statements: int = 0
    errors: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The French summary printed by `essgraph ingest`."""
        out = [
            f"documents ingérés : {self.documents} (inchangés : {self.unchanged}, retirés : {self.removed})",
            f"passages : {self.passages} · entités : {self.entities} · triplets : {self.statements}",
            f"erreurs : {len(self.errors)}",
        ]
        out += [f"  ✗ {e}" for e in self.errors]
        return out


def doc_graph_iri(settings: Settings, doc_id: str) -> str:
    """IRI of the named graph holding document `doc_id`."""
    return f"{settings.base_iri}graph/doc/{doc_id}"


def iter_files(paths: Iterable[Path], errors: list[str]) -> Iterator[Path]:
    """Every regular file under `paths` (sorted, hidden files skipped, symlink loops reported once)."""
    seen: set[tuple[int, int]] = set()
    for root in paths:
        if not root.exists():
            errors.append(f"{root} : introuvable")
            continue
        if root.is_file():
            yield root
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or name in SKIPPED_NAMES:
                    continue
                path = Path(dirpath) / name
                try:
                    st = path.stat()
                except OSError as exc:
                    errors.append(f"{path} : illisible ({exc.strerror or exc})")
                    continue
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    continue
                seen.add(key)
                yield path


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes (raises IngestFailed when it cannot be read)."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        raise IngestFailed(f"{path} : illisible ({exc.strerror or exc})", f"{path}: unreadable ({exc})") from exc
    return h.hexdigest()


class Pipeline:
    """Holds the writer store, the search engine and the journal for a series of ingests."""

    def __init__(self, settings: Settings, store: GraphStore | None = None, engine: SearchEngine | None = None):
        from graph.store import open_store

        self.settings = settings
        settings.home.mkdir(parents=True, exist_ok=True)
        self.store = store if store is not None else open_store(settings)  # StoreBusy before any work

        from graph.ontology_loader import ensure_ontology
        from ingest.journal import Journal
        from search.engine import SearchEngine

        self._own_store = store is None
        digest_file = settings.home / "ontology.sha256"
        known = digest_file.read_text().strip() if digest_file.exists() else None
        digest = ensure_ontology(self.store, settings.base_iri, known)
        if digest != known:
            _atomic_write(digest_file, digest)
        self.journal = Journal(settings.journal_path)
        self.engine = engine if engine is not None else SearchEngine.open(settings, self.store)
        self._thesaurus = None
        self.reconcile()

    @property
    def thesaurus(self):  # type: ignore[no-untyped-def]
        """The SKOS thesaurus, loaded once."""
        if self._thesaurus is None:
            from ontology.thesaurus import load_thesaurus

            self._thesaurus = load_thesaurus()
        return self._thesaurus

    def reconcile(self) -> list[str]:
        """Make graph, indexes and journal agree after a crash; returns the doc ids repaired."""
        from search.records import records_from_store

        prefix = f"{self.settings.base_iri}graph/doc/"
        in_graph = {g.removeprefix(prefix) for g in self.store.graph_names() if g.startswith(prefix)}
        in_index = set(self.engine.doc_ids())
        in_journal = {e["doc_id"] for e in self.journal.entries().values()}
        repaired: list[str] = []
        for doc_id in sorted(in_index - in_graph):
            self.engine.delete_document(doc_id)
            repaired.append(doc_id)
        for doc_id in sorted(in_graph - in_journal):
            # graph written but journal not: the run died mid-document; drop it, the next run redoes it
            self.store.drop_graph(f"{prefix}{doc_id}")
            self.engine.delete_document(doc_id)
            repaired.append(doc_id)
        for doc_id in sorted((in_graph & in_journal) - in_index):
            self.engine.upsert_document(doc_id, records_from_store(self.store, doc_id))
            repaired.append(doc_id)
        return repaired

    def ingest_file(self, path: Path, summary: IngestSummary, force: bool = False) -> None:
        """Ingest one file, replacing its previous version; errors are recorded in `summary`."""
        from graph.mapping import document_graph
        from ingest.extract import extract
        from ingest.reading import read_document
        from search.records import records_from_store

        try:
            sha = file_sha256(path)
            if not force and self.journal.is_unchanged(path, sha):
                summary.unchanged += 1
                return
            doc = read_document(path, self.settings)
            _checkpoint("read")
            extraction = extract(doc, self.thesaurus)
            _checkpoint("extract")
            graph = document_graph(doc, extraction, self.settings.base_iri)
        except EssgraphError as exc:
            summary.errors.append(exc.message_fr)
            return
        previous = self.journal.entry(path)
        if previous is not None and previous["doc_id"] != doc.doc_id:
            self._remove_doc(previous["doc_id"])
        written = self.store.replace_graph(doc_graph_iri(self.settings, doc.doc_id), graph)
        _checkpoint("store")
        self.engine.upsert_document(doc.doc_id, records_from_store(self.store, doc.doc_id))
        _checkpoint("index")
        self.journal.record(path, sha, doc.doc_id, passages=len(doc.passages))
        _checkpoint("journal")
        summary.documents += 1
        summary.passages += len(doc.passages)
        summary.entities += len(extraction.entities)
        summary.statements += written
        summary.doc_ids.append(doc.doc_id)

    def _remove_doc(self, doc_id: str) -> None:
        self.store.drop_graph(doc_graph_iri(self.settings, doc_id))
        self.engine.delete_document(doc_id)

    def prune(self, roots: list[Path], seen: set[Path], summary: IngestSummary) -> None:
        """Remove every journalled document under `roots` whose file was not seen in this run."""
        resolved_roots = [r.resolve() for r in roots]
        for key, entry in list(self.journal.entries().items()):
            path = Path(key)
            if path in seen or not any(path.is_relative_to(r) for r in resolved_roots):
                continue
            self._remove_doc(entry["doc_id"])
            self.journal.remove(path)
            summary.removed += 1

    def run(self, paths: list[Path], prune: bool = False, force: bool = False, progress: bool = True) -> IngestSummary:
        """Ingest every file under `paths`; returns the summary (errors listed, never raised)."""
        summary = IngestSummary()
        files = list(iter_files(paths, summary.errors))
        bar = tqdm(files, desc="ingest", unit="doc", disable=not progress or not sys.stderr.isatty(), file=sys.stderr)
        for path in bar:
            bar.set_postfix_str(path.name[:40])
            self.ingest_file(path, summary, force=force)
        if prune:
            self.prune(paths, {p.resolve() for p in files}, summary)
        return summary

    def close(self) -> None:
        """Release the store if this pipeline opened it."""
        if self._own_store:
            self.store.close()


def ingest_paths(
    paths: list[Path], settings: Settings, prune: bool = False, force: bool = False, progress: bool = True
) -> IngestSummary:
    """Open the writer store, ingest `paths`, close; raises StoreBusy when another writer holds it."""
    pipeline = Pipeline(settings)
    try:
        return pipeline.run(paths, prune=prune, force=force, progress=progress)
    finally:
        pipeline.close()


def rebuild_after_import(settings: Settings) -> None:
    """After `essgraph import`: rebuild the indexes and the journal-free state from the restored graph."""
    from graph.store import open_store
    from search.engine import SearchEngine
    from search.records import records_from_store

    with open_store(settings) as store:
        engine = SearchEngine.open(settings, store)
        engine.rebuild(records_from_store(store))


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


__all__ = ["IngestFailed", "IngestSummary", "Pipeline", "ingest_paths"]
