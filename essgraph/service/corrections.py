"""Staff corrections of entities (label, type, legal form, département, owl:sameAs) in the curated graph.

A correction is one eg:CuratedLink (the new statement, status "added" or "confirmed") plus parts
(`dcterms:isPartOf` the correction), each an eg:CuratedLink too: statements it adds alongside (the new
rdfs:label, the old label kept as skos:altLabel, the INSEE département IRI) and extracted statements it
declares wrong (status "rejected"). Added statements are asserted in the curated named graph, which
ingest never touches; rejected ones stay in their document graph and are hidden by the service's views.
Every part carries who (eg:curatedBy, prov:wasAttributedTo), when (prov:generatedAtTime) and why
(eg:reason); withdrawing dates them all with prov:invalidatedAtTime and removes the assertions.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier

from essgraph.core.errors import BadInput, NotFound
from essgraph.core.settings import Settings
from essgraph.graph.bindings import Triple, checked_iri, lang_literal
from essgraph.graph.queries import curated as q
from essgraph.graph.store import GraphStore
from essgraph.ontology.namespace import CONCEPT, EG, INSEE_DEP, SCHEME_FORMES
from essgraph.service.curation import (
    STATUS_ADDED,
    STATUS_CONFIRMED,
    STATUS_REJECTED,
    StaffDecision,
    curated_graph_iri,
)
from essgraph.service.repository import KINDS, GraphReader, kind_for
from essgraph.service.sparqlutil import xsd_now

_ENTITY_KEYS = {"initiative", "collectivite", "organisation", "personne", "programme", "evenement"}
_ENTITY_KEYS |= {"publication", "loi", "lieu"}
ENTITY_KINDS = [k for k in KINDS if k.cls and k.key in _ENTITY_KEYS]
"""The kinds of entity a correction may target (and the types it may give)."""
ENTITY_CLASSES = {str(k.cls) for k in ENTITY_KINDS}

KIND_LABEL = "label"
KIND_TYPE = "type"
KIND_LEGAL_FORM = "legal_form"
KIND_DEPARTEMENT = "departement"
KIND_SAME_AS = "same_as"
CORRECTION_KINDS: dict[str, str] = {
    KIND_LABEL: "libellé",
    KIND_TYPE: "type",
    KIND_LEGAL_FORM: "forme juridique",
    KIND_DEPARTEMENT: "département",
    KIND_SAME_AS: "même entité que",
}
"""Correction kinds with their French names."""
CORRECTION_HINTS: dict[str, str] = {
    KIND_LABEL: "Le nouveau libellé ; l'ancien reste comme variante (skos:altLabel).",
    KIND_TYPE: "Un type : "
    + ", ".join(k.key for k in ENTITY_KINDS)
    + " ; les types extraits sont déclarés erronés.",
    KIND_LEGAL_FORM: "Une forme juridique du thésaurus (ex. scic, scop, association) ou son IRI.",
    KIND_DEPARTEMENT: "Un code de département : 01 à 95, 2A, 2B, 971 à 976.",
    KIND_SAME_AS: "L'IRI de l'entité identique, qui est conservée : cette entité y est fusionnée.",
}
"""What each correction kind expects, shown next to the form (French)."""
_MAIN_PREDICATE = {
    KIND_LABEL: str(SKOS.prefLabel),
    KIND_TYPE: str(RDF.type),
    KIND_LEGAL_FORM: str(EG.legalForm),
    KIND_DEPARTEMENT: str(EG.departementCode),
    KIND_SAME_AS: str(OWL.sameAs),
}
_KIND_OF_PREDICATE = {predicate: kind for kind, predicate in _MAIN_PREDICATE.items()}
_DEPARTEMENT = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_LABEL_CHARS = 300


@dataclass(slots=True)
class Term:
    """One statement of a correction: its predicate, its object (an IRI or literal term), its status."""

    predicate: str
    object: Identifier
    status: str


@dataclass(slots=True, kw_only=True)
class Correction(StaffDecision):
    """A staff correction of an entity, with who, when and why, and what it replaced."""

    entity: str
    kind: str
    value: str
    entity_label: str | None = None
    value_label: str | None = None
    replaced: list[str] = field(default_factory=list)


class Corrections:
    """Writes, lists and withdraws entity corrections in the curated graph."""

    def __init__(self, store: GraphStore, reader: GraphReader, settings: Settings) -> None:
        self.store = store
        self.reader = reader
        self.settings = settings
        self.graph = curated_graph_iri(settings)
        self._lock = threading.Lock()

    # --- checks ------------------------------------------------------------------------------------
    def _entity_types(self, entity: str) -> list[str]:
        """The entity classes `entity` has (any graph); raises NotFound when it is not an entity."""
        rows = self.store.select(q.ENTITY_TYPES, {"node": checked_iri(entity)})
        types = sorted({r["t"] for r in rows} & ENTITY_CLASSES)
        if not types:
            raise NotFound(
                f"Entité inconnue : {entity} (initiative, collectivité, organisation… attendue).",
                f"Unknown entity: {entity} (an initiative, collectivité, organisation… is expected).",
                entity=entity,
            )
        return types

    def _values(self, entity: str, predicate: str, literal_lang: bool = False) -> list[Identifier]:
        """Terms of the current objects of `entity predicate` outside the curated graph (literals as
        plain strings, with their language when `literal_lang`), in their SPARQL text order."""
        rows = self.store.select(
            q.CURRENT_VALUES,
            {"node": checked_iri(entity), "p": checked_iri(predicate), "curated": URIRef(self.graph)},
        )
        terms: set[Identifier] = set()
        for row in rows:
            if row.get("isiri") == "true":
                terms.add(checked_iri(row["o"]))
            elif literal_lang and row.get("lang"):
                terms.add(lang_literal(row["o"], row["lang"]))
            else:
                terms.add(Literal(row["o"]))
        return sorted(terms, key=lambda term: term.n3())

    def _extracted(self, entity: str, predicate: str, term: Identifier) -> bool:
        statement = {"s": checked_iri(entity), "p": checked_iri(predicate), "o": term}
        return bool(self.store.select(q.STATED_OUTSIDE, {**statement, "curated": URIRef(self.graph)}))

    def _plan(self, entity: str, kind: str, value: str) -> tuple[Identifier, list[Term], str]:
        """(main object term, extra statements, value label) of a correction; raises BadInput/NotFound."""
        value = value.strip()
        if not value:
            raise BadInput("La nouvelle valeur est obligatoire.", "A new value is required.")
        if kind == KIND_LABEL:
            if len(value) > _MAX_LABEL_CHARS or _CONTROL.search(value):
                raise BadInput(
                    f"Libellé invalide (au plus {_MAX_LABEL_CHARS} caractères, sans caractère de contrôle).",
                    f"Invalid label (at most {_MAX_LABEL_CHARS} characters, no control character).",
                )
            new: Identifier = Literal(value, lang="fr")
            old_pref = self._values(entity, str(SKOS.prefLabel), literal_lang=True)
            old_label = self._values(entity, str(RDFS.label), literal_lang=True)
            extra = [Term(str(RDFS.label), new, STATUS_ADDED)]
            extra += [Term(str(SKOS.altLabel), t, STATUS_ADDED) for t in sorted(set(old_pref + old_label))]
            extra += [Term(str(SKOS.prefLabel), t, STATUS_REJECTED) for t in old_pref if t != new]
            extra += [Term(str(RDFS.label), t, STATUS_REJECTED) for t in old_label if t != new]
            extra = [t for t in extra if not (t.predicate == str(SKOS.altLabel) and t.object == new)]
            return new, extra, value
        if kind == KIND_TYPE:
            wanted = kind_for(value)
            if wanted is None or wanted not in ENTITY_KINDS:
                raise BadInput(
                    f"Type inconnu « {value[:80]} » ; types possibles : "
                    f"{', '.join(k.key for k in ENTITY_KINDS)}.",
                    f"Unknown type {value[:80]!r}.",
                    valid=[k.key for k in ENTITY_KINDS],
                )
            new = URIRef(str(wanted.cls))
            old = [t for t in self._values(entity, str(RDF.type)) if str(t) in ENTITY_CLASSES]
            return new, [Term(str(RDF.type), t, STATUS_REJECTED) for t in old if t != new], wanted.label
        if kind == KIND_LEGAL_FORM:
            concept = (
                value
                if value.startswith(("http://", "https://"))
                else str(CONCEPT[f"formes-juridiques/{value}"])
            )
            rows = self.store.select(
                q.CONCEPT_IN_SCHEME, {"node": checked_iri(concept), "scheme": SCHEME_FORMES}
            )
            if not rows:
                raise NotFound(
                    f"Forme juridique inconnue : {value[:200]} (concept du schéma « formes juridiques »).",
                    f"Unknown legal form: {value[:200]}.",
                )
            new = checked_iri(concept)
            old = self._values(entity, str(EG.legalForm))
            return (
                new,
                [Term(str(EG.legalForm), t, STATUS_REJECTED) for t in old if t != new],
                rows[0].get("l", concept),
            )
        if kind == KIND_DEPARTEMENT:
            code = value.upper()
            if not _DEPARTEMENT.match(code):
                raise BadInput(
                    f"Code de département invalide « {value[:20]} » (01 à 95, 2A, 2B, 971 à 976).",
                    f"Invalid département code {value[:20]!r}.",
                )
            new = Literal(code)
            new_place = URIRef(str(INSEE_DEP[code]))
            extra = [Term(str(EG.inDepartement), new_place, STATUS_ADDED)]
            extra += [
                Term(str(EG.departementCode), t, STATUS_REJECTED)
                for t in self._values(entity, str(EG.departementCode))
                if t != new
            ]
            extra += [
                Term(str(EG.inDepartement), t, STATUS_REJECTED)
                for t in self._values(entity, str(EG.inDepartement))
                if t != new_place
            ]
            return new, extra, code
        if kind == KIND_SAME_AS:
            other = value
            if other == entity:
                raise BadInput(
                    "Une entité ne peut être fusionnée avec elle-même.", "Cannot merge an entity with itself."
                )
            self._entity_types(other)
            view = self.reader.curated_view()
            if view.canonical.get(entity, entity) == view.canonical.get(other, other):
                raise BadInput(
                    "Ces deux entités sont déjà fusionnées.", "These two entities are already merged."
                )
            return checked_iri(other), [], self.reader.labels([other]).get(other, other)
        raise BadInput(
            f"Correction inconnue « {kind} » ; possibles : {', '.join(CORRECTION_KINDS)}.",
            f"Unknown correction kind {kind!r}.",
        )

    # --- writes ----------------------------------------------------------------------------------------
    def create(self, entity: str, kind: str, value: str, reason: str, staff: str) -> Correction:
        """Record a correction of `entity` by `staff`; returns it.

        An earlier active correction of the same kind on the same entity (for same_as: on the same
        pair) is withdrawn first. Raises NotFound for an unknown entity, legal form or merge target,
        BadInput for an empty reason, an unknown kind or an invalid value.
        """
        reason = reason.strip()
        if not reason:
            raise BadInput("Le motif est obligatoire.", "A reason is required.")
        if kind not in CORRECTION_KINDS:
            raise BadInput(
                f"Correction inconnue « {kind} » ; possibles : {', '.join(CORRECTION_KINDS)}.",
                f"Unknown correction kind {kind!r}.",
            )
        self._entity_types(entity)
        entity_label = self.reader.labels([entity]).get(entity, entity)
        with self._lock:
            self._plan(entity, kind, value)  # validate before undoing anything
            now = xsd_now()
            for previous in self.list(entity=entity):
                if (
                    previous.active
                    and previous.kind == kind
                    and (kind != KIND_SAME_AS or previous.value == value)
                ):
                    self._withdraw_unlocked(previous.iri, now)
            self.reader.invalidate()
            main, extra, value_label = self._plan(entity, kind, value)
            predicate = _MAIN_PREDICATE[kind]
            status = STATUS_CONFIRMED if self._extracted(entity, predicate, main) else STATUS_ADDED
            correction_id = uuid.uuid4().hex[:16]
            record = f"{self.settings.base_iri}curation/{correction_id}"
            staff_iri = f"{self.settings.base_iri}staff/{staff}"
            summary = f"{entity_label} : {CORRECTION_KINDS[kind]} → {value_label}"
            node, agent, record_node = checked_iri(entity), checked_iri(staff_iri), checked_iri(record)

            def described(subject: URIRef, predicate_iri: str, obj: Identifier, state: str) -> list[Triple]:
                return [
                    (subject, RDF.type, EG.CuratedLink),
                    (subject, RDF.type, RDF.Statement),
                    (subject, RDF.type, PROV.Entity),
                    (subject, RDF.subject, node),
                    (subject, RDF.predicate, checked_iri(predicate_iri)),
                    (subject, RDF.object, obj),
                    (subject, EG.status, Literal(state)),
                    (subject, EG.reason, Literal(reason, lang="fr")),
                    (subject, EG.curatedBy, Literal(staff)),
                    (subject, PROV.wasAttributedTo, agent),
                    (subject, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime, normalize=False)),
                ]

            triples: list[Triple] = [(node, checked_iri(predicate), main)]
            triples += described(record_node, predicate, main, status)
            triples += [
                (record_node, RDFS.label, Literal(summary, lang="fr")),
                (agent, RDF.type, PROV.Agent),
                (agent, RDFS.label, Literal(staff)),
            ]
            for number, term in enumerate(extra, start=1):
                part = checked_iri(f"{record}/{number}")
                if term.status != STATUS_REJECTED:
                    triples.append((node, checked_iri(term.predicate), term.object))
                triples += described(part, term.predicate, term.object, term.status)
                triples.append((part, DCTERMS.isPartOf, record_node))
            self.store.change_triples(self.graph, add=triples)
        self.reader.invalidate()
        found = [c for c in self.list(entity=entity) if c.id == correction_id]
        if not found:
            raise NotFound("Correction introuvable après écriture.", "Correction not found after writing.")
        return found[0]

    def _withdraw_unlocked(self, record: str, when: str) -> None:
        """Remove the statements `record` (and its parts) assert, unless another active curated
        statement asserts them too, and date the records with prov:invalidatedAtTime."""
        self.store.update(
            q.WITHDRAW_CORRECTION,
            {
                "curated": URIRef(self.graph),
                "rec": checked_iri(record),
                "when": Literal(when, datatype=XSD.dateTime, normalize=False),
                "rejected": Literal(STATUS_REJECTED),
            },
        )

    def withdraw(self, correction_id: str) -> Correction:
        """Undo an active correction: its statements leave the graph, its records stay, dated.

        Returns the correction as it now stands; raises NotFound for an unknown or withdrawn id.
        """
        if not correction_id.isalnum() or len(correction_id) > 64:
            raise NotFound(
                f"Correction inconnue : {correction_id[:64]}", f"Unknown correction: {correction_id[:64]}"
            )
        with self._lock:
            found = [c for c in self.list() if c.id == correction_id]
            if not found or not found[0].active:
                raise NotFound(
                    f"Correction inconnue ou déjà retirée : {correction_id}",
                    f"Unknown or withdrawn correction: {correction_id}",
                )
            self._withdraw_unlocked(found[0].iri, xsd_now())
        self.reader.invalidate()
        return next(c for c in self.list(entity=found[0].entity) if c.id == correction_id)

    # --- reads -------------------------------------------------------------------------------------------
    def list(self, entity: str | None = None) -> list[Correction]:
        """Every correction (newest first), optionally those about `entity`."""
        graph = {"curated": URIRef(self.graph)}
        bindings: dict[str, Identifier | list[Identifier]] = {
            **graph,
            "p": [URIRef(p) for p in _MAIN_PREDICATE.values()],
        }
        if entity:
            bindings["s"] = checked_iri(entity)
        rows = self.store.select(q.CORRECTIONS, bindings)
        replaced: dict[str, list[str]] = {}
        for row in self.store.select(q.REPLACED, {**graph, "rejected": Literal(STATUS_REJECTED)}):
            replaced.setdefault(row["main"], []).append(row["o"])
        prefix = f"{self.settings.base_iri}curation/"
        out = [
            Correction(
                **StaffDecision.row_fields(row, "c", prefix),
                entity=row["s"],
                kind=_KIND_OF_PREDICATE[row["p"]],
                value=row["o"],
                replaced=sorted(set(replaced.get(row["c"], []))),
            )
            for row in rows
        ]
        kinds = {str(k.cls): k.label for k in ENTITY_KINDS}
        labels = self.reader.labels([x for c in out for x in (c.entity, c.value)])
        for correction in out:
            correction.entity_label = labels.get(correction.entity)
            if correction.kind == KIND_TYPE:
                correction.value_label = kinds.get(correction.value)
                correction.replaced = [kinds.get(r, r) for r in correction.replaced]
            elif correction.kind in (KIND_LEGAL_FORM, KIND_SAME_AS):
                correction.value_label = labels.get(correction.value)
            else:
                correction.value_label = correction.value
        return out
