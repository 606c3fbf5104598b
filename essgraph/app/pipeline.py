"""The ingest pipeline: files → ParsedDocument → Extraction → named graph → search indexes → journal.

Write order per document (crash consistency, see docs/operations.md): (1) read, extract and map in
memory, nothing written; (2) journal the intent: path, sha256, doc id with status "pending"
(temp-then-rename, fsync); (3) replace the document's named graph in one store transaction; (4) upsert
its passages in the indexes (a new generation of index files, each written to a temp name then
renamed, switched by renaming meta.json); (5) journal status "ok". The graph is the truth: `reconcile`
runs at every start and re-derives the index entries of every document whose passages differ between
graph and indexes or whose journal entry is still pending; a pending file is redone by the next run.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from essgraph.core.errors import EssgraphError, IndexUnavailable, IngestFailed, StoreUnavailable
from essgraph.core.faults import CRASH_ENV, checkpoint
from essgraph.core.files import atomic_write
from essgraph.core.model import IngestSummary
from essgraph.core.settings import Settings
from essgraph.graph import names
from essgraph.graph.splits import replay_splits

if TYPE_CHECKING:
    from essgraph.core.model import Extraction, ParsedDocument
    from essgraph.graph.store import GraphStore
    from essgraph.ontology.thesaurus import Thesaurus
    from essgraph.search.engine import SearchEngine

SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}
STATUS_PENDING = "pending"  # journal status between the intent and the end of a document's writes
_checkpoint = checkpoint  # fault injection: ESSGRAPH_CRASH_AT="<phase>:<n>" (see essgraph.faults)

log = logging.getLogger(__name__)


def doc_graph_iri(settings: Settings, doc_id: str) -> str:
    """IRI of the named graph holding document `doc_id`."""
    return names.doc_graph_iri(settings.base_iri, doc_id)


def _entry_problem(path: Path) -> tuple[str | None, os.stat_result | None]:
    """(French reason, None) when `path` cannot be ingested as a regular file, else (None, its stat)."""
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "boucle de liens symboliques", None
        if exc.errno == errno.ENOENT:
            return "introuvable (ou lien symbolique cassé)", None
        if exc.errno == errno.EACCES:
            return "accès refusé", None
        return f"inaccessible ({exc.strerror or exc})", None
    if stat.S_ISDIR(st.st_mode):
        return "c'est un dossier, pas un fichier", None
    if not stat.S_ISREG(st.st_mode):
        return "ce n'est pas un fichier ordinaire (tube, socket ou périphérique)", None
    return None, st


def iter_files(paths: Iterable[Path], errors: list[str]) -> Iterator[Path]:
    """Every regular file under `paths` (sorted, hidden files skipped).

    Symbolic-link loops, dangling links, FIFOs/sockets and unreadable folders are not yielded: each
    adds one French line (path and reason) to `errors`. A file reached twice (hard or symbolic link)
    is yielded once. A companion file (`<file>.mapping.json`, `<file>.meta.json`: ingest/companions.py)
    is read with its document, not yielded.
    """
    from essgraph.ingest.companions import is_companion

    seen: set[tuple[int, int]] = set()

    def walk_error(exc: OSError) -> None:
        errors.append(f"{exc.filename} : dossier illisible ({exc.strerror or exc})")

    for root in paths:
        if not root.exists() and not root.is_symlink():
            errors.append(f"{root} : introuvable")
            continue
        if not root.is_dir():
            problem, st = _entry_problem(root)
            if problem is not None or st is None:
                errors.append(f"{root} : {problem}")
            else:
                seen.add((st.st_dev, st.st_ino))
                yield root
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=walk_error):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or name in SKIPPED_NAMES or is_companion(Path(name)):
                    continue  # read with its document (ingest/companions.py)
                path = Path(dirpath) / name
                problem, st = _entry_problem(path)
                if problem is not None or st is None:
                    errors.append(f"{path} : {problem}")
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
        raise IngestFailed(
            f"{path} : illisible ({exc.strerror or exc})", f"{path}: unreadable ({exc})"
        ) from exc
    return h.hexdigest()


def document_fingerprint(path: Path) -> str:
    """The sha256 the journal keeps for a document: its bytes, then each companion file's (a changed column
    mapping or metadata file re-reads its document; without companions it is the file's own sha256)."""
    from essgraph.ingest.companions import companions

    sha = file_sha256(path)
    for companion in companions(path):
        sha = hashlib.sha256(f"{sha}:{file_sha256(companion)}".encode()).hexdigest()
    return sha


def pipeline_version(ontology_digest: str) -> str:
    """The version of what turns a file into graph triples: the reading and extraction steps' versions
    (essgraph/ingest/versions.py), the RDF mapping's version and the ontology/thesaurus files
    (`ontology_digest`). Stored with each journal entry, so that a changed extractor re-ingests
    unchanged files, while a code change that changes no output (reformatting) does not.
    """
    from essgraph.graph.mapping import MAPPING_VERSION
    from essgraph.ingest.versions import ingest_version

    h = hashlib.sha256(f"{ontology_digest};{ingest_version()};mapping={MAPPING_VERSION}".encode())
    return h.hexdigest()[:16]


class Pipeline:
    """Holds the writer store, the search engine and the journal for a series of ingests."""

    def __init__(
        self, settings: Settings, store: GraphStore | None = None, engine: SearchEngine | None = None
    ):
        from essgraph.graph.store_factory import open_store

        self.settings = settings
        settings.home.mkdir(parents=True, exist_ok=True)
        self.store = store if store is not None else open_store(settings)  # StoreBusy before any work

        from essgraph.graph.ontology_loader import ensure_ontology
        from essgraph.ingest.journal import Journal
        from essgraph.search.engine import SearchEngine

        self._own_store = store is None
        digest_file = settings.home / "ontology.sha256"
        known = digest_file.read_text().strip() if digest_file.exists() else None
        digest = ensure_ontology(self.store, settings.base_iri, known)
        if digest != known:
            atomic_write(digest_file, digest)
        self.version = pipeline_version(digest)
        self.journal = Journal(settings.journal_path)
        self.engine = engine if engine is not None else SearchEngine.open(settings, self.store)
        self._thesaurus: Thesaurus | None = None
        try:
            self.reconcile()
        except IndexUnavailable as exc:  # a remote index down at start: repaired at the next start
            log.warning("index not reconciled with the graph: %s", exc.message_en)

    @property
    def thesaurus(self) -> Thesaurus:
        """The SKOS thesaurus, loaded once."""
        if self._thesaurus is None:
            from essgraph.ontology.thesaurus import load_thesaurus

            self._thesaurus = load_thesaurus()
        return self._thesaurus

    def graph_passages(self) -> dict[str, set[str]]:
        """{doc id: IRIs of its passages} for every document named graph in the store."""
        from essgraph.graph.queries import admin

        base = self.settings.base_iri
        out: dict[str, set[str]] = {}
        for graph in self.store.graph_names():
            doc_id = names.doc_id_of_graph(base, graph)
            if doc_id is not None:
                out[doc_id] = set()
        for row in self.store.select(admin.PASSAGES_BY_GRAPH):
            doc_id = names.doc_id_of_graph(base, row.get("g", ""))
            if doc_id is not None:
                out.setdefault(doc_id, set()).add(row["p"])
        return out

    def reconcile(self) -> list[str]:
        """Make indexes and journal agree with the graph (the truth) after a crash.

        Index entries of a document are re-derived from its named graph when their passage IRIs differ
        or its journal entry is still pending (the run died between intent and completion); index
        entries without a named graph are deleted; "ok" journal entries whose document graph is gone
        are forgotten so the next run redoes the file. Returns the doc ids repaired.
        """
        from essgraph.search.records import records_from_store

        stale = self.engine.stale_reason
        in_graph = self.graph_passages()
        entries = self.journal.entries()
        pending = {e["doc_id"] for e in entries.values() if e.get("status") == STATUS_PENDING}
        repaired: set[str] = set()
        for doc_id in set(self.engine.doc_ids()) - set(in_graph):
            self.engine.delete_document(doc_id)
            repaired.add(doc_id)
        for doc_id, passages in sorted(in_graph.items()):
            if doc_id in pending or self.engine.passage_keys(doc_id) != passages:
                self.engine.upsert_document(
                    doc_id, records_from_store(self.store, doc_id, base_iri=self.settings.base_iri)
                )
                repaired.add(doc_id)
        for key, entry in entries.items():
            if entry.get("status") != STATUS_PENDING and entry["doc_id"] not in in_graph:
                self.journal.remove(key)
                repaired.add(entry["doc_id"])
        if stale and in_graph and not self.engine.stale_reason:
            print(f"index de recherche reconstruit depuis le graphe ({stale})", file=sys.stderr)
        return sorted(repaired)

    def ingest_file(self, path: Path, summary: IngestSummary, force: bool = False) -> None:
        """Ingest one file, replacing its previous version; errors are recorded in `summary`."""
        sha = self._check(path, summary, force)
        if sha is None:
            return
        try:
            doc, extraction = read_and_extract(path, self.settings, self.thesaurus, summary)
        except EssgraphError as exc:
            summary.failed(exc)
            return
        self._write(path, sha, doc, extraction, summary)

    def _check(self, path: Path, summary: IngestSummary, force: bool) -> str | None:
        """The file's fingerprint when it must be (re-)ingested; None when it is unchanged (counted) or
        refused (too large, unreadable: recorded in `summary`)."""
        from essgraph.ingest.readers import fail

        summary.stage = "read"
        try:
            size = path.stat().st_size
            if size > self.settings.max_file_bytes:  # refused before hashing or reading it
                limit = self.settings.max_file_bytes
                raise fail(
                    path,
                    f"{size} octets, plus que la limite de {limit} octets",
                    f"{size} bytes, more than the limit of {limit} bytes",
                    max_file_bytes=limit,
                )
            sha = document_fingerprint(path)
        except OSError as exc:
            summary.failed(_unreadable(path, exc))
            return None
        except EssgraphError as exc:
            summary.failed(exc)
            return None
        if not force and self.journal.is_unchanged(path, sha, self.version):
            summary.unchanged += 1
            return None
        return sha

    def _write(
        self, path: Path, sha: str, doc: ParsedDocument, extraction: Extraction, summary: IngestSummary
    ) -> None:
        """Map a read and extracted document to its named graph and write it: journal intent, graph,
        indexes, journal "ok" (the write order of the module docstring); errors go to `summary`."""
        from essgraph.graph.mapping import document_graph
        from essgraph.search.records import records_from_store

        doc.doc_id = self._unique_doc_id(path, doc.doc_id)  # the extraction does not depend on it
        try:
            graph = document_graph(doc, extraction, self.settings.base_iri)
        except EssgraphError as exc:
            summary.failed(exc)
            return
        except Exception as exc:
            summary.failed(_unexpected(path, exc))
            return
        previous = self.journal.entry(path)
        if previous is not None and previous["doc_id"] != doc.doc_id:
            self._remove_doc(previous["doc_id"])
        self.journal.record(
            path, sha, doc.doc_id, passages=len(doc.passages), status=STATUS_PENDING, pipeline=self.version
        )
        _checkpoint("journal-intent")
        summary.stage = "store"
        try:
            # the staff's active splits (curated graph) are replayed on the new extraction before it is stored
            replay_splits(self.store, graph, names.curated_graph_iri(self.settings.base_iri))
            written = self.store.replace_graph(doc_graph_iri(self.settings, doc.doc_id), graph)
            _checkpoint("store")
            records = records_from_store(self.store, doc.doc_id, base_iri=self.settings.base_iri)
        except StoreUnavailable as exc:
            # a remote store gone under the write: the graph is the old one or the new one (one request),
            # the journal entry stays pending, so the next run redoes this file and reconciles the index
            summary.failed(exc)
            return
        summary.stage = "index"
        self.engine.upsert_document(doc.doc_id, records)
        _checkpoint("index")
        self.journal.record(path, sha, doc.doc_id, passages=len(doc.passages), pipeline=self.version)
        _checkpoint("journal")
        summary.stage = "done"
        summary.documents += 1
        summary.passages += len(doc.passages)
        summary.entities += len(extraction.entities)
        summary.statements += written
        summary.records += len(doc.records)
        summary.skipped_records += doc.skipped_records
        summary.doc_ids.append(doc.doc_id)

    def _unique_doc_id(self, path: Path, doc_id: str) -> str:
        """`doc_id`, or `doc_id-<hash of the path>` when another journalled file already owns it.

        Two files with the same stem (a/rapport.pdf, b/rapport.txt, an upload named like a corpus
        file) must never share, and so overwrite, one named graph.
        """
        mine = str(path.resolve())
        owners = {k for k, e in self.journal.entries().items() if e["doc_id"] == doc_id}
        if not owners or mine in owners:
            return doc_id
        return f"{doc_id}-{hashlib.sha256(mine.encode()).hexdigest()[:8]}"

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

    def run(
        self,
        paths: list[Path],
        prune: bool = False,
        force: bool = False,
        progress: bool = True,
        workers: int | None = None,
    ) -> IngestSummary:
        """Ingest every file under `paths`, reading and extracting in `workers` processes (None: the
        setting `ingest_workers`); returns the summary (errors listed, never raised)."""
        summary = IngestSummary()
        files = list(iter_files(paths, summary.errors))
        walk_errors = len(summary.errors)  # a missing or unreadable folder must not look like deletions
        bar = tqdm(
            files, desc="ingest", unit="doc", disable=not progress or not sys.stderr.isatty(), file=sys.stderr
        )
        workers = self.settings.ingest_workers if workers is None else workers
        if workers > 1 and len(files) > 1:
            self._run_parallel(files, summary, force, workers, bar)
        else:
            for path in bar:
                bar.set_postfix_str(path.name[:40])
                self.ingest_file(path, summary, force=force)
        if prune and walk_errors:
            summary.errors.append(
                "élagage (--prune) annulé : des dossiers ou fichiers n'ont pas pu être parcourus, "
                "rien n'a été retiré"
            )
        elif prune:
            self.prune(paths, {p.resolve() for p in files}, summary)
        return summary

    def _run_parallel(
        self, files: list[Path], summary: IngestSummary, force: bool, workers: int, bar: tqdm[Path]
    ) -> None:
        """Read and extract the changed files in `workers` processes, write them here in file order.

        At most two documents per worker are in flight (bounded memory); each result is written as soon
        as it and every file before it are ready, so the writer embeds and indexes one document while the
        workers parse the next ones. A worker that dies fails its file alone.
        """
        import multiprocessing
        from collections import deque
        from concurrent.futures import Future, ProcessPoolExecutor

        todo: deque[tuple[Path, str]] = deque()
        for path in files:
            sha = self._check(path, summary, force)
            if sha is None:
                bar.update(1)
            else:
                todo.append((path, sha))
        if not todo:
            return
        # spawn, not fork: the writer holds an open store, index files and threads
        context = multiprocessing.get_context("spawn")
        in_flight: deque[tuple[Path, str, Future[tuple[ParsedDocument, Extraction]]]] = deque()
        with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context) as pool:
            while todo or in_flight:
                while todo and len(in_flight) < 2 * workers:
                    path, sha = todo.popleft()
                    in_flight.append((path, sha, pool.submit(_worker_read_and_extract, path, self.settings)))
                path, sha, future = in_flight.popleft()
                bar.set_postfix_str(path.name[:40])
                try:
                    doc, extraction = future.result()
                except EssgraphError as exc:
                    summary.failed(exc)
                except Exception as exc:  # the worker process died (memory, a native crash)
                    summary.failed(_unexpected(path, exc))
                else:
                    self._write(path, sha, doc, extraction, summary)
                bar.update(1)

    def close(self) -> None:
        """Release the store if this pipeline opened it."""
        if self._own_store:
            self.store.close()


def read_and_extract(
    path: Path, settings: Settings, thesaurus: Thesaurus, summary: IngestSummary | None = None
) -> tuple[ParsedDocument, Extraction]:
    """Read one file and extract its entities and relations, in memory (nothing written); `summary`'s
    stage, when given, follows the work (a job's progress page shows it).

    Raises EssgraphError: the reader's own (IngestFailed for a file it cannot read), or IngestFailed
    naming the file for an OSError or for an unexpected failure of a reader or of the extractor on one odd
    file (deep nesting, a parser's bug), whose traceback goes to the log.
    """
    from essgraph.ingest.extract import extract
    from essgraph.ingest.reading import read_document

    try:
        doc = read_document(path, settings)
        _checkpoint("read")
        if summary is not None:
            summary.stage = "extract"
        extraction = extract(doc, thesaurus)
        _checkpoint("extract")
    except OSError as exc:
        raise _unreadable(path, exc) from None
    except EssgraphError:
        raise
    except Exception as exc:
        raise _unexpected(path, exc) from None
    return doc, extraction


def _unreadable(path: Path, exc: OSError) -> IngestFailed:
    """The one-line error of a file the system would not let us stat, hash or read (its reason)."""
    from essgraph.ingest.readers import fail

    reason = exc.strerror or str(exc)
    return fail(path, f"illisible ({reason})", f"unreadable ({reason})")


def _unexpected(path: Path, exc: Exception) -> IngestFailed:
    """The one-line error of a file on which a reader, the extractor, the mapping or a worker process
    failed unexpectedly (deep nesting, a parser's bug, a crash): that file fails alone, the run goes on;
    the traceback goes to the log."""
    from essgraph.ingest.readers import fail

    log.warning("%s: %s", path, exc, exc_info=True)
    kind = type(exc).__name__
    return fail(path, f"fichier illisible ({kind})", f"unreadable file ({kind})")


_worker_thesaurus: list[Thesaurus] = []  # a worker process's thesaurus, loaded at its first document


def _worker_read_and_extract(path: Path, settings: Settings) -> tuple[ParsedDocument, Extraction]:
    """`read_and_extract` in an ingest worker process (module level: pickled by name for spawn)."""
    if not _worker_thesaurus:
        from essgraph.ontology.thesaurus import load_thesaurus

        _worker_thesaurus.append(load_thesaurus())
    return read_and_extract(path, settings, _worker_thesaurus[0])


def ingest_paths(
    paths: list[Path],
    settings: Settings,
    prune: bool = False,
    force: bool = False,
    progress: bool = True,
    workers: int | None = None,
) -> IngestSummary:
    """Open the writer store, ingest `paths` (reading and extracting in `workers` processes, None: the
    setting `ingest_workers`), rewrite the open-data dumps if the graph changed (/data), close; raises
    StoreBusy when another writer holds it."""
    from essgraph.graph.open_data import ensure_dumps

    pipeline = Pipeline(settings)
    try:
        summary = pipeline.run(paths, prune=prune, force=force, progress=progress, workers=workers)
        ensure_dumps(pipeline.store, settings.data_dir)
        return summary
    finally:
        pipeline.close()


def rebuild_after_import(settings: Settings) -> None:
    """After `essgraph import`: rebuild the indexes and the journal-free state from the restored graph."""
    from essgraph.graph.store_factory import open_store
    from essgraph.search.engine import SearchEngine

    with open_store(settings) as store:
        engine = SearchEngine.open(settings, store)
        try:
            engine.rebuild_from_store()
        finally:
            engine.close()


__all__ = ["CRASH_ENV", "IngestFailed", "IngestSummary", "Pipeline", "ingest_paths"]
