"""Staff curation: curated initiative→lever links (PROV-O, curated named graph) and lever suggestions."""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from essgraph.core.errors import BadInput, NotFound
from essgraph.core.settings import Settings
from essgraph.graph.bindings import Triple, checked_iri
from essgraph.graph.names import curated_graph_iri as graph_name
from essgraph.graph.queries import curated as q
from essgraph.graph.store import GraphStore
from essgraph.ontology.namespace import EG, SCHEME_LEVIERS
from essgraph.search.lexical.bm25s_index import score_texts
from essgraph.service.repository import GraphReader
from essgraph.service.sparqlutil import xsd_now

STATUS_ADDED = "added"
STATUS_CONFIRMED = "confirmed"
STATUS_REJECTED = "rejected"
STATUSES = (STATUS_ADDED, STATUS_CONFIRMED, STATUS_REJECTED)
STATUS_LABELS_FR = {STATUS_ADDED: "ajouté", STATUS_CONFIRMED: "confirmé", STATUS_REJECTED: "rejeté"}

EmbedQuery = Callable[[str], npt.NDArray[np.float32]]
EmbedPassages = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@dataclass(slots=True, kw_only=True)
class StaffDecision:
    """What the curated graph keeps of every staff decision (a curated link, a correction): its id and
    IRI, its status, why, who and when, and when it was withdrawn if it was."""

    id: str
    iri: str
    status: str
    reason: str
    curated_by: str
    created: str
    withdrawn: str | None = None

    @property
    def active(self) -> bool:
        """True while the decision has not been withdrawn."""
        return self.withdrawn is None

    def to_dict(self) -> dict[str, Any]:
        """The decision as the API returns it (its fields and `active`)."""
        return {**asdict(self), "active": self.active}

    @staticmethod
    def row_fields(row: dict[str, str], node: str, prefix: str) -> dict[str, Any]:
        """The fields above, from a row of a history query that binds the decision to `?<node>` and
        its status, reason, author, time and withdrawal to ?status ?reason ?by ?at ?gone."""
        return {
            "id": row[node].removeprefix(prefix),
            "iri": row[node],
            "status": row["status"],
            "reason": row.get("reason", ""),
            "curated_by": row.get("by", ""),
            "created": row["at"],
            "withdrawn": row.get("gone"),
        }


@dataclass(slots=True, kw_only=True)
class CuratedLink(StaffDecision):
    """One staff decision about `initiative eg:illustratesLever lever`, with who, when and why."""

    initiative: str
    lever: str
    initiative_label: str | None = None
    lever_label: str | None = None


@dataclass(slots=True)
class Suggestion:
    """A lever proposed for an initiative: its score, the parts of it, and the reasons in French."""

    lever: str
    label: str
    score: float
    text_score: float
    evidence: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    decided: str | None = None


def curated_graph_iri(settings: Settings) -> str:
    """The named graph of staff statements (never touched by ingest)."""
    return graph_name(settings.base_iri)


class Curation:
    """Writes and reads curated links; computes lever suggestions from text and graph evidence."""

    def __init__(
        self,
        store: GraphStore,
        reader: GraphReader,
        settings: Settings,
        embed_query: EmbedQuery | None = None,
        embed_passages: EmbedPassages | None = None,
    ) -> None:
        self.store = store
        self.reader = reader
        self.settings = settings
        self.graph = curated_graph_iri(settings)
        self.embed_query = embed_query
        self.embed_passages = embed_passages
        self._lever_vectors: dict[str, npt.NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    # --- links ------------------------------------------------------------------------------
    def _check_initiative(self, initiative: str) -> str:
        rows = self.store.select(q.INITIATIVE, {"node": checked_iri(initiative)})
        if not rows:
            raise NotFound(
                f"Initiative inconnue : {initiative}",
                f"Unknown initiative: {initiative}",
                initiative=initiative,
            )
        return rows[0].get("l", initiative)

    def _check_lever(self, lever: str) -> str:
        rows = self.store.select(q.CONCEPT_IN_SCHEME, {"node": checked_iri(lever), "scheme": SCHEME_LEVIERS})
        if not rows:
            raise NotFound(
                f"Levier inconnu : {lever} (concept du schéma « leviers » attendu).",
                f"Unknown lever: {lever} (a concept of the 'leviers' scheme is expected).",
                lever=lever,
            )
        return rows[0].get("l", lever)

    def _extracted(self, initiative: str, lever: str) -> bool:
        statement = {"s": checked_iri(initiative), "p": EG.illustratesLever, "o": checked_iri(lever)}
        return bool(self.store.select(q.STATED_OUTSIDE, {**statement, "curated": URIRef(self.graph)}))

    def create(self, initiative: str, lever: str, reason: str, staff: str, decision: str) -> CuratedLink:
        """Record a staff decision ('accept' or 'reject') in the curated graph; returns the new link.

        Accepting asserts `initiative eg:illustratesLever lever` in the curated graph (status
        'added', or 'confirmed' when extraction already stated it); rejecting records the decision only.
        Any earlier active decision on the same pair is withdrawn. Raises NotFound for an unknown
        initiative or lever, BadInput for an empty reason or unknown decision.
        """
        reason = reason.strip()
        if not reason:
            raise BadInput("Le motif est obligatoire.", "A reason is required.")
        if decision not in ("accept", "reject"):
            raise BadInput(
                "Décision inconnue : « accept » ou « reject » attendu.",
                "Unknown decision: 'accept' or 'reject'.",
            )
        initiative_label = self._check_initiative(initiative)
        lever_label = self._check_lever(lever)
        if decision == "reject":
            status = STATUS_REJECTED
        else:
            status = STATUS_CONFIRMED if self._extracted(initiative, lever) else STATUS_ADDED
        link_id = uuid.uuid4().hex[:16]
        link_iri = f"{self.settings.base_iri}curation/{link_id}"
        now = xsd_now()
        staff_iri = f"{self.settings.base_iri}staff/{staff}"
        summary = f"{initiative_label} → {lever_label} ({STATUS_LABELS_FR[status]})"
        with self._lock:
            for previous in self.links(initiative=initiative, lever=lever):
                if previous.active:
                    self._withdraw_unlocked(previous, now)
            node, target = checked_iri(initiative), checked_iri(lever)
            link, agent = checked_iri(link_iri), checked_iri(staff_iri)
            triples: list[Triple] = [(node, EG.illustratesLever, target)] if status != STATUS_REJECTED else []
            triples += [
                (link, RDF.type, EG.CuratedLink),
                (link, RDF.type, RDF.Statement),
                (link, RDF.type, PROV.Entity),
                (link, RDF.subject, node),
                (link, RDF.predicate, EG.illustratesLever),
                (link, RDF.object, target),
                (link, EG.status, Literal(status)),
                (link, EG.reason, Literal(reason, lang="fr")),
                (link, EG.curatedBy, Literal(staff)),
                (link, PROV.wasAttributedTo, agent),
                (link, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime, normalize=False)),
                (link, RDFS.label, Literal(summary, lang="fr")),
                (agent, RDF.type, PROV.Agent),
                (agent, RDFS.label, Literal(staff)),
            ]
            self.store.change_triples(self.graph, add=triples)
        self.reader.invalidate()
        return CuratedLink(
            id=link_id,
            iri=link_iri,
            initiative=initiative,
            lever=lever,
            status=status,
            reason=reason,
            curated_by=staff,
            created=now,
            initiative_label=initiative_label,
            lever_label=lever_label,
        )

    def _withdraw_unlocked(self, link: CuratedLink, when: str) -> None:
        assertion: list[Triple] = []
        if link.status != STATUS_REJECTED:
            others = [
                o
                for o in self.links(initiative=link.initiative, lever=link.lever)
                if o.active and o.id != link.id and o.status != STATUS_REJECTED
            ]
            if not others:
                assertion = [(checked_iri(link.initiative), EG.illustratesLever, checked_iri(link.lever))]
        dated = (
            checked_iri(link.iri),
            PROV.invalidatedAtTime,
            Literal(when, datatype=XSD.dateTime, normalize=False),
        )
        self.store.change_triples(self.graph, remove=assertion, add=[dated])

    def withdraw(self, link_id: str) -> CuratedLink:
        """Withdraw an active decision (its statement leaves the graph, the record stays as history).

        Returns the link as it now stands; raises NotFound for an unknown or already withdrawn id.
        """
        if not link_id.isalnum() or len(link_id) > 64:
            raise NotFound(f"Lien inconnu : {link_id[:64]}", f"Unknown link: {link_id[:64]}")
        with self._lock:
            matches = [link for link in self.links() if link.id == link_id]
            if not matches or not matches[0].active:
                raise NotFound(
                    f"Lien inconnu ou déjà retiré : {link_id}", f"Unknown or withdrawn link: {link_id}"
                )
            now = xsd_now()
            self._withdraw_unlocked(matches[0], now)
            link = matches[0]
            link.withdrawn = now
        self.reader.invalidate()
        return link

    def links(self, initiative: str | None = None, lever: str | None = None) -> list[CuratedLink]:
        """Every curated decision (newest first), optionally for one initiative and/or lever."""
        bindings: dict[str, URIRef] = {"curated": URIRef(self.graph)}
        if initiative:
            bindings["s"] = checked_iri(initiative)
        if lever:
            bindings["o"] = checked_iri(lever)
        rows = self.store.select(q.LINKS, bindings)
        prefix = f"{self.settings.base_iri}curation/"
        links: list[CuratedLink] = []
        for row in rows:
            links.append(
                CuratedLink(**StaffDecision.row_fields(row, "l", prefix), initiative=row["s"], lever=row["o"])
            )
        labels = self.reader.labels([x for link in links for x in (link.initiative, link.lever)])
        for link in links:
            link.initiative_label = labels.get(link.initiative)
            link.lever_label = labels.get(link.lever)
        return links

    # --- suggestions --------------------------------------------------------------------------------
    def _initiative_passages(self, initiative: str) -> list[tuple[str, str, str | None]]:
        """(passage IRI, text, section IRI) of every passage mentioning the initiative."""
        rows = self.store.select(q.INITIATIVE_PASSAGES, {"node": checked_iri(initiative)})
        return [(r["p"], r["text"], r.get("sec")) for r in rows]

    @staticmethod
    def _bm25(query: str, docs: dict[str, str]) -> dict[str, float]:
        """BM25 of the (stemmed, French) query tokens against each lever description."""
        keys = list(docs)
        scores = score_texts(query, [docs[key] for key in keys])
        return {key: float(score) for key, score in zip(keys, scores, strict=True)}

    @staticmethod
    def _lever_descriptions(levers: list[tuple[str, str, list[str], str | None]]) -> dict[str, str]:
        """Lever IRI → the text its suggestions are compared with: label, other labels, definition."""
        return {
            lever: " ".join([label, *alts, definition or ""]) for lever, label, alts, definition in levers
        }

    def _embed_levers(self, docs: dict[str, str]) -> None:
        missing = [key for key in docs if key not in self._lever_vectors]
        if missing and self.embed_passages is not None:
            vectors = self.embed_passages([docs[key] for key in missing])
            for key, vector in zip(missing, vectors, strict=True):
                self._lever_vectors[key] = np.asarray(vector, dtype=np.float32)

    def warm_levers(self) -> None:
        """Embed every lever description now (the service does it in the background at start), so that
        the first suggestions a staff member asks for do not wait for it (tens of seconds on 2 cores)."""
        self._embed_levers(self._lever_descriptions(self.reader.concepts_in(str(SCHEME_LEVIERS))))

    def _dense(self, query: str, docs: dict[str, str]) -> dict[str, float]:
        """Cosine similarity of the initiative's text with each lever description (embedder), or {}."""
        if self.embed_query is None or self.embed_passages is None or not query.strip():
            return {}
        self._embed_levers(docs)
        q = np.asarray(self.embed_query(query[: self.settings.max_query_chars]), dtype=np.float32)
        return {key: float(np.dot(q, self._lever_vectors[key])) for key in docs}

    @staticmethod
    def _unit(scores: dict[str, float]) -> dict[str, float]:
        if not scores:
            return {}
        low, high = min(scores.values()), max(scores.values())
        if high <= low:
            return {key: (1.0 if high > 0 else 0.0) for key in scores}
        return {key: (value - low) / (high - low) for key, value in scores.items()}

    def suggestions(self, initiative: str) -> list[Suggestion]:
        """Levers ranked for `initiative` by text similarity and graph evidence, with French reasons.

        Text: BM25 (and the search embedder when available) between the passages that mention the
        initiative and each lever's labels and definition, scaled to 0..1. Graph: the lever fiche
        the initiative is cited in, its legal form related to the lever in the thesaurus, a lever the
        extraction already links it to, and passages about the lever that cite it. Raises NotFound
        for an unknown initiative.
        """
        self._check_initiative(initiative)
        levers = self.reader.concepts_in(str(SCHEME_LEVIERS))
        if not levers:
            return []
        descriptions = self._lever_descriptions(levers)
        labels = {lever: label for lever, label, _, _ in levers}
        passages = self._initiative_passages(initiative)
        text = " ".join(t for _, t, _ in passages) or self.reader.labels([initiative]).get(initiative, "")
        lexical = self._unit(self._bm25(text, descriptions))
        dense = self._unit(self._dense(text, descriptions))
        evidence = self._evidence(initiative, [p for p, _, _ in passages], [s for _, _, s in passages if s])
        decided = {link.lever: link.status for link in self.links(initiative=initiative) if link.active}
        out: list[Suggestion] = []
        for lever in descriptions:
            parts = [lexical.get(lever, 0.0)] + ([dense[lever]] if dense else [])
            text_score = sum(parts) / len(parts)
            reasons: list[str] = []
            if text_score > 0:
                how = "le sens (plongements) et les mots" if dense else "les mots employés"
                reasons.append(
                    "Les passages qui citent l'initiative sont proches de la description du levier "
                    f"par {how} (proximité {text_score:.2f} ; 1 = le levier le plus proche).".replace(
                        ".", ",", 1
                    )
                )
            found = evidence.get(lever, [])
            reasons.extend(found)
            score = self.settings.suggest_weight_text * text_score + self.settings.suggest_weight_graph * len(
                found
            )
            out.append(
                Suggestion(
                    lever=lever,
                    label=labels[lever],
                    score=round(score, 4),
                    text_score=round(text_score, 4),
                    evidence=found,
                    reasons=reasons,
                    decided=decided.get(lever),
                )
            )
        out.sort(key=lambda s: (-s.score, s.label))
        return out[: self.settings.max_suggestions]

    def _evidence(self, initiative: str, passages: list[str], sections: list[str]) -> dict[str, list[str]]:
        """Lever → French sentences naming the graph evidence linking the initiative to it."""
        evidence: dict[str, list[str]] = defaultdict(list)
        node = {"node": checked_iri(initiative), "scheme": SCHEME_LEVIERS}
        for row in self.store.select(q.EXTRACTED_LEVERS, node):
            if row["g"] == self.graph:
                continue
            evidence[row["lever"]].append("L'extraction automatique relie déjà l'initiative à ce levier.")
        if sections:
            section_terms = [checked_iri(s) for s in sorted(set(sections))]
            for row in self.store.select(q.SECTION_LEVERS, {"sec": section_terms, "scheme": SCHEME_LEVIERS}):
                where = row.get("label", "une fiche levier")
                evidence[row["lever"]].append(
                    f"L'initiative est citée dans « {where} », qui traite de ce levier."
                )
        for row in self.store.select(q.LEGAL_FORM_LEVERS, node):
            form = row.get("formLabel", "sa forme juridique")
            evidence[row["lever"]].append(
                f"Sa forme juridique « {form} » est liée à ce levier dans le thésaurus."
            )
        if passages:
            passage_terms = [checked_iri(p) for p in sorted(set(passages))[:200]]
            for row in self.store.select(q.PASSAGE_LEVERS, {"p": passage_terms, "scheme": SCHEME_LEVIERS}):
                count = int(float(row.get("n", "0")))
                plural = "s" if count > 1 else ""
                evidence[row["lever"]].append(
                    f"{count} passage{plural} citant l'initiative "
                    f"traite{'nt' if count > 1 else ''} de ce levier."
                )
        return evidence
