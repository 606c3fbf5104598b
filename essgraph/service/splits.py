"""Staff splits of an entity (« Scinder »): the inverse of a merge, recorded in PROV, undone exactly.

An IRI that wrongly conflates two things (a commune and a homonymous association) is split: the staff
name a new entity (label, type) and choose the passages (or whole documents) whose mentions and
statements move to it. The document graphs are rewritten and the record is written in the curated
graph in one update (graph/splits.py); the record (eg:EntitySplit, a prov:Activity: prov:used the
entity, prov:generated the new one, eg:movedPassage each passage, who, when, why) is replayed when a
document is ingested again; withdrawing it renames the new IRI back everywhere and dates the record.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from essgraph.core.errors import BadInput, NotFound
from essgraph.core.settings import Settings
from essgraph.core.text import slugify
from essgraph.graph.bindings import Triple, checked_iri
from essgraph.graph.names import doc_id_of_graph, doc_iri
from essgraph.graph.queries import splits as q
from essgraph.graph.splits import (
    GraphChange,
    SplitPlan,
    dataset_update,
    graphs_using,
    involved_passages,
    split_changes,
    undo_changes,
)
from essgraph.graph.store import GraphStore
from essgraph.ontology.namespace import EG
from essgraph.service.corrections import ENTITY_CLASSES, ENTITY_KINDS
from essgraph.service.curation import curated_graph_iri
from essgraph.service.repository import GraphReader, kind_for
from essgraph.service.sparqlutil import xsd_now

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_LABEL_CHARS = 300
_ID = re.compile(r"^[0-9a-f]{1,64}$")
_SEGMENT = {str(k.cls): str(k.cls).rsplit("#", 1)[-1].lower() for k in ENTITY_KINDS}
"""Class IRI → the first segment of the instance IRIs of that class (initiative/…, person/…)."""


@dataclass(slots=True)
class Involvement:
    """A passage in which an entity is involved, with its document (what a split may move)."""

    passage: str
    document: str
    graph: str
    text: str = ""
    citation: str = ""
    document_title: str = ""


@dataclass(slots=True, kw_only=True)
class Split:
    """A split as stored: the entity split, the new one, the passages moved, who, when, why."""

    id: str
    iri: str
    entity: str
    new_entity: str
    summary: str
    reason: str
    curated_by: str
    created: str
    withdrawn: str | None = None
    passages: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """True while the split has not been withdrawn."""
        return self.withdrawn is None

    def to_dict(self) -> dict[str, Any]:
        """The split as the API returns it (its fields and `active`)."""
        return {**asdict(self), "active": self.active}


class Splits:
    """Plans, writes, lists and withdraws entity splits (callers hold the service's write lock)."""

    def __init__(self, store: GraphStore, reader: GraphReader, settings: Settings) -> None:
        self.store = store
        self.reader = reader
        self.settings = settings
        self.graph = curated_graph_iri(settings)

    def involvements(self, entity: str) -> list[Involvement]:
        """The passages `entity` is involved in (mentions, evidence of its statements), with their
        document and citation; raises NotFound when it is not an entity."""
        self._check_entity(entity)
        rows = involved_passages(self.store, entity, self.graph)
        refs = self.reader.passages([p for p, _ in rows])
        out: list[Involvement] = []
        for passage, graph in rows:
            doc_id = doc_id_of_graph(self.settings.base_iri, graph) or ""
            ref = refs.get(passage)
            out.append(
                Involvement(
                    passage=passage,
                    document=doc_iri(self.settings.base_iri, doc_id) if doc_id else graph,
                    graph=graph,
                    text=ref.text if ref else "",
                    citation=ref.citation if ref else "",
                    document_title=ref.document_title if ref else "",
                )
            )
        return out

    def _check_entity(self, entity: str) -> None:
        rows = self.store.select(q.ENTITY_TYPES, {"node": checked_iri(entity)})
        if not {r["t"] for r in rows} & ENTITY_CLASSES:
            raise NotFound(
                f"Entité inconnue : {entity[:300]} (initiative, collectivité, organisation… attendue).",
                f"Unknown entity: {entity[:300]}.",
                entity=entity[:300],
            )

    def _new_iri(self, cls: str, label: str) -> URIRef:
        """A fresh IRI `<base><class segment>/<slug of label>[-n]` that no graph names yet."""
        stem = f"{self.settings.base_iri}{_SEGMENT[cls]}/{slugify(label)}"
        for number in range(1, 1000):
            candidate = stem if number == 1 else f"{stem}-{number}"
            if not self.store.select(q.NAMED, {"node": checked_iri(candidate)}):
                return checked_iri(candidate)
        raise BadInput("Trop d'entités portent déjà ce nom.", "Too many entities already bear this name.")

    def create(
        self,
        entity: str,
        label: str,
        kind: str,
        passages: list[str],
        documents: list[str],
        reason: str,
        staff: str,
    ) -> Split:
        """Split `entity`: a new entity (`label`, `kind`) receives what the chosen `passages` and every
        passage of the chosen `documents` (document IRIs) state about it. Returns the split.

        Raises BadInput (nothing written) for an empty reason or label, an unknown kind, no passage
        chosen, or a passage or document in which the entity is not involved; NotFound for an
        unknown entity.
        """
        reason, label = reason.strip(), label.strip()
        if not reason:
            raise BadInput("Le motif est obligatoire.", "A reason is required.")
        if not label or len(label) > _MAX_LABEL_CHARS or _CONTROL.search(label):
            raise BadInput(
                f"Libellé de la nouvelle entité invalide (1 à {_MAX_LABEL_CHARS} caractères, sans "
                "caractère de contrôle).",
                f"Invalid label for the new entity (1 to {_MAX_LABEL_CHARS} characters, no control "
                "character).",
            )
        wanted = kind_for(kind)
        if wanted is None or wanted not in ENTITY_KINDS or wanted.cls is None:
            raise BadInput(
                f"Type inconnu « {kind[:80]} » ; types possibles : {', '.join(k.key for k in ENTITY_KINDS)}.",
                f"Unknown type {kind[:80]!r}.",
                valid=[k.key for k in ENTITY_KINDS],
            )
        if not passages and not documents:
            raise BadInput(
                "Choisissez au moins un passage ou un document à déplacer.",
                "Choose at least one passage or document to move.",
            )
        self._check_entity(entity)
        involved = involved_passages(self.store, entity, self.graph)
        graph_of = dict(involved)
        by_document: dict[str, set[str]] = {}
        for passage, graph in involved:
            doc_id = doc_id_of_graph(self.settings.base_iri, graph)
            if doc_id:
                by_document.setdefault(doc_iri(self.settings.base_iri, doc_id), set()).add(passage)
        unknown = [p for p in passages if p not in graph_of] + [d for d in documents if d not in by_document]
        if unknown:
            raise BadInput(
                f"L'entité n'apparaît pas dans : {', '.join(u[:200] for u in unknown[:5])}.",
                f"The entity does not appear in: {', '.join(u[:200] for u in unknown[:5])}.",
                unknown=[u[:300] for u in unknown[:20]],
            )
        chosen = set(passages) | {p for d in documents for p in by_document[d]}
        new = self._new_iri(str(wanted.cls), label)
        plan = SplitPlan(checked_iri(entity), new, frozenset(checked_iri(p) for p in chosen))
        changes: list[GraphChange] = []
        for graph in sorted({graph_of[p] for p in chosen}):
            removed, added = split_changes(self.store.to_rdflib(graph), plan)
            changes.append((graph, removed, added))
        split_id = uuid.uuid4().hex[:16]
        record = checked_iri(f"{self.settings.base_iri}curation/{split_id}")
        agent = checked_iri(f"{self.settings.base_iri}staff/{staff}")
        now = Literal(xsd_now(), datatype=XSD.dateTime, normalize=False)
        old_label = self.reader.labels([entity]).get(entity, entity)
        summary = f"Scission de {old_label} : {label} ({wanted.label})"
        curated: list[Triple] = [
            (new, RDF.type, URIRef(str(wanted.cls))),
            (new, RDFS.label, Literal(label, lang="fr")),
            (record, RDF.type, EG.EntitySplit),
            (record, RDF.type, PROV.Activity),
            (record, PROV.used, plan.old),
            (record, PROV.generated, new),
            (record, PROV.startedAtTime, now),
            (record, PROV.wasAssociatedWith, agent),
            (record, EG.reason, Literal(reason, lang="fr")),
            (record, EG.curatedBy, Literal(staff)),
            (record, RDFS.label, Literal(summary, lang="fr")),
            (agent, RDF.type, PROV.Agent),
            (agent, RDFS.label, Literal(staff)),
        ]
        curated += [(record, EG.movedPassage, p) for p in sorted(plan.passages)]
        changes.append((self.graph, [], curated))
        self.store.update(dataset_update(changes))
        self.reader.invalidate()
        return self.get(split_id)

    def withdraw(self, split_id: str) -> Split:
        """Undo an active split: the new IRI is renamed back to the entity in every graph, its type
        and label leave the curated graph, the record stays, dated. Raises NotFound for an unknown or
        withdrawn id."""
        split = self.get(split_id)
        if not split.active:
            raise NotFound(f"Scission déjà annulée : {split_id}", f"Split already withdrawn: {split_id}")
        old, new = checked_iri(split.entity), checked_iri(split.new_entity)
        changes: list[GraphChange] = []
        for graph in graphs_using(self.store, split.new_entity, self.graph):
            changes.append((graph, *undo_changes(self.store.to_rdflib(graph), old, new)))
        own: list[Triple] = [
            (new, checked_iri(row["p"]), self._term(row))
            for row in self.store.select(q.CURATED_ABOUT, {"node": new, "curated": URIRef(self.graph)})
        ]
        dated: Triple = (
            checked_iri(split.iri),
            PROV.invalidatedAtTime,
            Literal(xsd_now(), datatype=XSD.dateTime, normalize=False),
        )
        changes.append((self.graph, own, [dated]))
        self.store.update(dataset_update(changes))
        self.reader.invalidate()
        return self.get(split_id)

    @staticmethod
    def _term(row: dict[str, str]) -> URIRef | Literal:
        if row.get("isiri") == "true":
            return checked_iri(row["o"])
        return Literal(row["o"], lang=row.get("lang") or None)

    def get(self, split_id: str) -> Split:
        """One split by id; raises NotFound."""
        if not _ID.match(split_id):
            raise NotFound(f"Scission inconnue : {split_id[:64]}", f"Unknown split: {split_id[:64]}")
        found = [s for s in self.list() if s.id == split_id]
        if not found:
            raise NotFound(f"Scission inconnue : {split_id}", f"Unknown split: {split_id}")
        return found[0]

    def list(self, entity: str | None = None) -> list[Split]:
        """Every split (newest first), optionally those of `entity` (split or created by it)."""
        graph = {"curated": URIRef(self.graph)}
        prefix = f"{self.settings.base_iri}curation/"
        out: list[Split] = []
        for row in self.store.select(q.SPLITS, graph):
            if entity and entity not in (row["old"], row["new"]):
                continue
            moved = self.store.select(q.SPLIT_PASSAGES, {**graph, "rec": checked_iri(row["rec"])})
            out.append(
                Split(
                    id=row["rec"].removeprefix(prefix),
                    iri=row["rec"],
                    entity=row["old"],
                    new_entity=row["new"],
                    summary=row.get("summary", ""),
                    reason=row.get("reason", ""),
                    curated_by=row.get("by", ""),
                    created=row["at"],
                    withdrawn=row.get("gone"),
                    passages=[r["src"] for r in moved],
                )
            )
        return out
