"""Reads the graph for the service: entity descriptions with provenance, documents, concepts, labels."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from essgraph.core.errors import NotFound
from essgraph.core.settings import Settings
from essgraph.core.text import fold, int_or_none
from essgraph.graph.bindings import checked_iri
from essgraph.graph.names import curated_graph_iri
from essgraph.graph.queries import entities as q
from essgraph.graph.store import GraphStore
from essgraph.ontology.namespace import (
    CONCEPT_IRI,
    EG,
    SCHEMA,
    SCHEME_FORMES,
    SCHEME_LEVIERS,
    SCHEME_THEMATIQUES,
)
from essgraph.service.views import (
    ConceptNode,
    DocumentView,
    EntityHit,
    EntityView,
    Link,
    PassageRef,
    SchemeView,
    SectionView,
    Statement,
)


@dataclass(slots=True)
class CuratedView:
    """What the staff's active curated statements change in the views (cached until the next write).

    `rejected`: (subject, predicate, object lexical form) of statements declared wrong — hidden from
    pages and autocomplete; `labels`: corrected preferred labels; `canonical`: entity → the entity it
    is merged into (owl:sameAs, transitively; members of no merge are absent); `members`: canonical
    entity → every entity merged into it (itself included).
    """

    rejected: set[tuple[str, str, str]] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)

    def canonical_of(self, entity: str) -> str:
        """The entity `entity` is shown as (itself when not merged)."""
        return self.canonical.get(entity, entity)


def merge_clusters(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Entity → canonical entity for `a owl:sameAs b` pairs: clusters are the connected components;
    the canonical member is one never stated as the subject of a merge (the entity kept), else the
    smallest IRI (deterministic)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    subjects = {a for a, _ in pairs}
    clusters: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        clusters[find(x)].append(x)
    out: dict[str, str] = {}
    for members in clusters.values():
        kept = sorted(m for m in members if m not in subjects) or sorted(members)
        for member in members:
            out[member] = kept[0]
    return out


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of entity the pages and the autocomplete know: a class or a concept scheme."""

    key: str
    label: str
    cls: str | None = None
    scheme: str | None = None


KINDS: list[Kind] = [
    Kind("initiative", "Initiative", cls=str(EG.Initiative)),
    Kind("collectivite", "Collectivité", cls=str(EG.Collectivite)),
    Kind("organisation", "Organisation", cls=str(EG.Organisation)),
    Kind("personne", "Personne", cls=str(EG.Person)),
    Kind("programme", "Programme", cls=str(EG.Programme)),
    Kind("evenement", "Événement", cls=str(EG.Event)),
    Kind("publication", "Publication", cls=str(EG.Publication)),
    Kind("loi", "Texte de loi", cls=str(EG.Law)),
    Kind("lieu", "Lieu", cls=str(EG.Place)),
    Kind("fiche", "Fiche", cls=str(EG.Fiche)),
    Kind("section", "Section", cls=str(EG.Section)),
    Kind("document", "Document", cls=str(EG.Document)),
    Kind("financement", "Financement", cls=str(EG.Funding)),
    Kind("participation-capital", "Participation au capital", cls=str(EG.CapitalParticipation)),
    Kind("contrat", "Contrat", cls=str(EG.Contract)),
    Kind("participation", "Participation", cls=str(EG.Participation)),
    Kind("role", "Rôle", cls=str(EG.Role)),
    Kind("chiffre-cle", "Chiffre clé", cls=str(EG.KeyFigure)),
    Kind("lien-valide", "Lien validé par l'équipe", cls=str(EG.CuratedLink)),
    Kind("passage", "Passage", cls=str(EG.Passage)),
    Kind("levier", "Levier", scheme=str(SCHEME_LEVIERS)),
    Kind("thematique", "Thématique", scheme=str(SCHEME_THEMATIQUES)),
    Kind("forme-juridique", "Forme juridique", scheme=str(SCHEME_FORMES)),
    Kind("concept", "Concept", cls=str(SKOS.Concept)),
]
"""Kinds in the order a page picks the one to show (most specific first)."""

_KIND_BY_KEY = {k.key: k for k in KINDS}
_KIND_ALIASES = {
    **{k.cls.rsplit("#", 1)[-1].lower(): k for k in KINDS if k.cls},
    **{k.key: k for k in KINDS},
}
# rank of label predicates: lower is preferred
_LABEL_PREDICATES = [str(SKOS.prefLabel), str(RDFS.label), str(SCHEMA.name), str(DCTERMS.title)]
_HIDDEN_OUT: set[str] = set()
_ATTRIBUTE_SKIP = {str(RDFS.label), str(SKOS.prefLabel), str(SKOS.altLabel), str(RDF.type)}
_DESCRIPTION_PREDICATES = {str(SKOS.definition), str(RDFS.comment), str(DCTERMS.description), str(EG.text)}
_PREDICATE_FALLBACK_FR = {
    str(RDF.type): "est de type",
    str(SKOS.broader): "est un cas particulier de",
    str(SKOS.narrower): "a pour cas particulier",
    str(SKOS.related): "est lié à",
    str(SKOS.inScheme): "appartient au schéma",
    str(DCTERMS.subject): "a pour sujet",
    str(DCTERMS.title): "a pour titre",
    str(PROV.wasDerivedFrom): "est tiré de",
    str(PROV.wasAttributedTo): "est attribué à",
    str(PROV.generatedAtTime): "créé le",
    str(RDFS.seeAlso): "voir aussi",
}
_LABEL_PREDICATE_TERMS = [URIRef(p) for p in _LABEL_PREDICATES]
_MAX_PASSAGES_PER_STATEMENT = 5


def kind_for(key: str | None) -> Kind | None:
    """The Kind named `key` (French key such as 'initiative' or class local name), or None."""
    if not key:
        return None
    return _KIND_ALIASES.get(key.strip().lower())


def citation(
    section_label: str | None,
    document_title: str,
    start: int | None,
    end: int | None,
    pages: tuple[int | None, int | None] = (None, None),
) -> str:
    """The citation of a span: "Kit MunicipalESS, fiche n°9, p. 19-20 — l. 884-912" (series and number,
    the printed pages when known, the lines of the source file). `pages` is the passage's own page (PDF)
    as `(page, page)`, or its section's range from the table of contents (`(19, None)`: "p. 19 et suiv.")."""
    head = document_title
    if section_label:
        head = section_label.split(" : ", 1)[0].replace(" — ", ", ", 1).strip() or document_title
    first, last = pages
    if first is not None:
        head += (
            f", p. {first}"
            if last == first
            else f", p. {first} et suiv."
            if last is None
            else f", p. {first}-{last}"
        )
    if start is None:
        return head
    lines = f"l. {start}" if end is None or end == start else f"l. {start}-{end}"
    return f"{head} — {lines}"


class GraphReader:
    """Read-side of the service over the store: every method runs bounded SELECTs."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.base = settings.base_iri
        self._index_lock = threading.Lock()
        self._index: list[tuple[str, str, str, str | None]] | None = None  # (folded, label, iri, kind)
        self._predicate_labels: dict[str, str] | None = None
        self._display_labels: dict[str, str] = {}
        self._doc_titles: dict[str, str] | None = None
        self._curated: CuratedView | None = None
        self._curated_lock = threading.Lock()

    # --- IRIs and paths ------------------------------------------------------------------------
    def path_for(self, target: str) -> str | None:
        """The local /id/… path dereferencing `target`, or None for an IRI the service does not mint."""
        if target.startswith(self.base):
            return "/id/" + target[len(self.base) :]
        if target.startswith(CONCEPT_IRI):
            return "/id/concept/" + target[len(CONCEPT_IRI) :]
        return None

    def candidates_for_path(self, path: str) -> list[str]:
        """The IRIs a local /id/{path} may stand for (minted base first, then the concept namespace)."""
        out = [self.base + path]
        if path.startswith("concept/") and CONCEPT_IRI + path[len("concept/") :] not in out:
            out.append(CONCEPT_IRI + path[len("concept/") :])
        return out

    def exists(self, target: str) -> bool:
        """True when `target` is the subject of a triple or the object of one outside the audit records
        (a PROV activity's triples, such as an undone split's, name an IRI without making it live)."""
        return bool(self.store.select(q.EXISTS, {"node": checked_iri(target)}))

    def resolve_path(self, path: str) -> str:
        """The IRI behind /id/{path}; raises NotFound when the graph does not know it."""
        for candidate in self.candidates_for_path(path):
            if self.exists(candidate):
                return candidate
        raise NotFound(
            f"Aucune entité « {path} » dans le graphe.", f"No entity '{path}' in the graph.", path=path
        )

    # --- labels ----------------------------------------------------------------------------------
    def labels(self, iris: list[str]) -> dict[str, str]:
        """A French label for each IRI that has one (prefLabel, rdfs:label, schema:name, dcterms:title)."""
        result: dict[str, str] = {}
        unique = sorted({i for i in iris if i.startswith(("http://", "https://"))})
        for start in range(0, len(unique), 200):
            chunk = unique[start : start + 200]
            rows = self.store.select(
                q.LABELS, {"x": [checked_iri(x) for x in chunk], "p": _LABEL_PREDICATE_TERMS}
            )
            best: dict[str, tuple[int, str]] = {}
            for row in rows:
                rank = _LABEL_PREDICATES.index(row["p"])
                label = row["l"]
                current = best.get(row["x"])
                if current is None or (rank, len(label)) < (current[0], len(current[1])):
                    best[row["x"]] = (rank, label)
            result.update({x: label for x, (_, label) in best.items()})
        corrected = self.curated_view().labels
        result.update({x: corrected[x] for x in unique if x in corrected})
        return result

    def curated_view(self) -> CuratedView:
        """The active staff corrections as the views apply them (see CuratedView); cached."""
        current = self._curated
        if current is not None:
            return current
        graph = {"curated": URIRef(curated_graph_iri(self.base))}
        rejected = {
            (r["s"], r["p"], r["o"])
            for r in self.store.select(q.CURATED_REJECTED, {**graph, "status": Literal("rejected")})
        }
        labels = {r["x"]: r["l"] for r in self.store.select(q.CURATED_LABELS, graph)}
        pairs = [(r["a"], r["b"]) for r in self.store.select(q.CURATED_SAME_AS, graph)]
        canonical = merge_clusters(pairs)
        members: dict[str, list[str]] = defaultdict(list)
        for member, kept in sorted(canonical.items()):
            members[kept].append(member)
        view = CuratedView(rejected=rejected, labels=labels, canonical=canonical, members=dict(members))
        with self._curated_lock:
            self._curated = view
        return view

    def predicate_labels(self) -> dict[str, str]:
        """French labels of the ontology's properties (read once from the ontology graph)."""
        if self._predicate_labels is None:
            rows = self.store.select(q.PREDICATE_LABELS)
            labels = dict(_PREDICATE_FALLBACK_FR)
            labels.update({row["p"]: row["l"] for row in rows})
            self._predicate_labels = labels
        return self._predicate_labels

    def predicate_label(self, predicate: str) -> str:
        """The French phrase for a predicate (ontology label, else its local name)."""
        label = self.predicate_labels().get(predicate)
        if label:
            return label
        return predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def link(self, target: str, labels: dict[str, str]) -> Link:
        """A Link to `target` with its label (or its last IRI segment)."""
        label = labels.get(target) or target.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return Link(iri=target, label=label, path=self.path_for(target))

    # --- passages -----------------------------------------------------------------------------------
    def passages(self, iris: list[str]) -> dict[str, PassageRef]:
        """Passage details with citations for the given passage IRIs (unknown IRIs are left out)."""
        out: dict[str, PassageRef] = {}
        unique = sorted(set(iris))
        for start in range(0, len(unique), 200):
            chunk = unique[start : start + 200]
            rows = self.store.select(q.PASSAGES, {"p": [checked_iri(p) for p in chunk]})
            for row in rows:
                if row["p"] in out:
                    continue
                start_line, end_line = int_or_none(row.get("sl")), int_or_none(row.get("el"))
                title = row.get("dtitle") or row.get("file") or ""
                out[row["p"]] = PassageRef(
                    iri=row["p"],
                    text=row["text"],
                    start_line=start_line,
                    end_line=end_line,
                    document=row.get("file", ""),
                    document_title=title,
                    section_label=row.get("slabel"),
                    section_iri=row.get("sec"),
                    citation=citation(row.get("slabel"), title, start_line, end_line),
                )
        return out

    # --- entities -------------------------------------------------------------------------------------
    def describe(self, target: str, max_mentions: int = 20) -> EntityView:
        """The entity page of `target` as the staff's corrections show it: statements declared wrong
        left out, the corrected label, and every entity merged with it (owl:sameAs) folded in (use
        `curated_view().canonical_of` to find the entity a merged one is shown as).

        Raises NotFound when the graph holds nothing about it.
        """
        view = self.curated_view()
        kept = view.canonical_of(target)
        page = self._describe_one(target, max_mentions)
        others = [m for m in view.members.get(kept, []) if m != target]
        if not others:
            return page
        labels = self.labels([target, *others])
        same = {target, *others}
        page.relations = [
            st
            for st in page.relations
            if not (st.predicate == str(OWL.sameAs) and self._other_end(st) in same)
        ]
        for other in others:
            try:
                extra = self._describe_one(other, max_mentions)
            except NotFound:
                continue
            page.same_as.append(self.link(other, labels))
            page.alt_labels = sorted({*page.alt_labels, extra.label, *extra.alt_labels} - {page.label})
            page.descriptions += [d for d in extra.descriptions if d not in page.descriptions]
            page.types += [t for t in extra.types if t.iri not in {x.iri for x in page.types}]
            me = self.link(target, labels)
            seen_attributes = {
                (st.predicate, st.literal, st.object.iri if st.object else None) for st in page.attributes
            }
            for st in extra.attributes:
                key = (st.predicate, st.literal, st.object.iri if st.object else None)
                if key not in seen_attributes:
                    st.subject = me
                    page.attributes.append(st)
                    seen_attributes.add(key)
            for st in extra.relations:
                if st.predicate == str(OWL.sameAs) and self._other_end(st) in same:
                    continue
                if st.incoming:
                    st.object = me
                else:
                    st.subject = me
                page.relations.append(st)
            known = {p.iri for p in page.mentions}
            page.mentions += [p for p in extra.mentions if p.iri not in known]
            page.mention_count += extra.mention_count
            page.graphs = sorted({*page.graphs, *extra.graphs})
        page.relations.sort(key=lambda s: (s.incoming, s.predicate_label, (s.object or s.subject).label))
        return page

    @staticmethod
    def _other_end(statement: Statement) -> str | None:
        end = statement.subject if statement.incoming else statement.object
        return end.iri if end is not None else None

    def _describe_one(self, target: str, max_mentions: int) -> EntityView:
        """The page of one IRI, statements declared wrong by the staff left out."""
        rejected = self.curated_view().rejected
        node = {"node": checked_iri(target)}
        out_rows = self.store.select(q.OUTGOING, node)
        in_rows = self.store.select(q.INCOMING, node)
        if not out_rows and not in_rows:
            raise NotFound(
                f"Aucune entité {target} dans le graphe.", f"No entity {target} in the graph.", iri=target
            )
        if rejected:
            out_rows = [r for r in out_rows if (target, r["p"], r["o"]) not in rejected]
            in_rows = [r for r in in_rows if (r["s"], r["p"], target) not in rejected]
        graphs = sorted({r["g"] for r in out_rows if "g" in r})
        types = sorted({r["o"] for r in out_rows if r["p"] == str(RDF.type)})
        schemes = {r["o"] for r in out_rows if r["p"] == str(SKOS.inScheme)}
        kind = self._kind_of(types, schemes)

        provenance = self._provenance(node)
        node_passages = [r["o"] for r in out_rows if r["p"] == str(PROV.wasDerivedFrom)]
        incoming_node_passages = self._incoming_node_passages(node)
        mention_rows = self.store.select(q.mentioning_passages(max_mentions), node)
        count_rows = self.store.select(q.MENTION_COUNT, node)
        passage_iris = [p for ps in provenance.values() for p in ps] + node_passages
        passage_iris += [p for ps in incoming_node_passages.values() for p in ps]
        passage_iris += [r["p"] for r in mention_rows]
        passages = self.passages(passage_iris)

        neighbours = [target, *types, *schemes]
        neighbours += [r["o"] for r in out_rows if r.get("isiri") == "true"]
        neighbours += [r["s"] for r in in_rows]
        labels = self.labels(neighbours)
        curated_graph = curated_graph_iri(self.base)

        attributes: list[Statement] = []
        relations: list[Statement] = []
        seen: set[tuple[str, str, bool]] = set()
        me = self.link(target, labels)
        for row in out_rows:
            predicate, obj = row["p"], row["o"]
            if predicate in _HIDDEN_OUT or predicate in _DESCRIPTION_PREDICATES:
                continue
            if (predicate, obj, False) in seen:
                if row.get("g") == curated_graph:
                    for st in relations:
                        if st.predicate == predicate and st.object is not None and st.object.iri == obj:
                            st.curated = True
                continue
            seen.add((predicate, obj, False))
            support = [passages[p] for p in provenance.get((predicate, obj, False), []) if p in passages]
            statement = Statement(
                predicate=predicate,
                predicate_label=self.predicate_label(predicate),
                subject=me,
                object=self.link(obj, labels) if row.get("isiri") == "true" else None,
                literal=None if row.get("isiri") == "true" else obj,
                incoming=False,
                passages=support[:_MAX_PASSAGES_PER_STATEMENT],
                curated=row.get("g") == curated_graph,
            )
            if statement.object is None or predicate == str(RDF.type):
                if predicate not in _ATTRIBUTE_SKIP or predicate == str(RDF.type):
                    attributes.append(statement)
            elif predicate != str(PROV.wasDerivedFrom):
                relations.append(statement)
        for row in in_rows:
            subject, predicate = row["s"], row["p"]
            if (predicate, subject, True) in seen:
                continue
            seen.add((predicate, subject, True))
            keys = provenance.get((predicate, subject, True), []) + incoming_node_passages.get(subject, [])
            support = [passages[p] for p in dict.fromkeys(keys) if p in passages]
            relations.append(
                Statement(
                    predicate=predicate,
                    predicate_label=self.predicate_label(predicate),
                    subject=self.link(subject, labels),
                    object=me,
                    literal=None,
                    incoming=True,
                    passages=support[:_MAX_PASSAGES_PER_STATEMENT],
                )
            )
        relations.sort(key=lambda s: (s.incoming, s.predicate_label, (s.object or s.subject).label))
        alt = sorted({r["o"] for r in out_rows if r["p"] == str(SKOS.altLabel)})
        descriptions = sorted({r["o"] for r in out_rows if r["p"] in _DESCRIPTION_PREDICATES})
        mentions = [passages[r["p"]] for r in mention_rows if r["p"] in passages]
        for p in node_passages:
            if p in passages and passages[p] not in mentions:
                mentions.insert(0, passages[p])
        return EntityView(
            iri=target,
            label=me.label,
            kind=kind.key if kind else None,
            kind_label=kind.label if kind else "Ressource",
            types=[self.link(t, labels) for t in types],
            alt_labels=alt,
            descriptions=descriptions,
            attributes=attributes,
            relations=relations,
            mentions=mentions,
            mention_count=int_or_none(count_rows[0].get("n")) or 0 if count_rows else 0,
            graphs=graphs,
            label_corrected=target in self.curated_view().labels,
        )

    def _kind_of(self, types: list[str], schemes: set[str]) -> Kind | None:
        for kind in KINDS:
            if (kind.cls and kind.cls in types) or (kind.scheme and kind.scheme in schemes):
                return kind
        return None

    def _provenance(self, node: dict[str, URIRef]) -> dict[tuple[str, str, bool], list[str]]:
        """(predicate, other end, incoming) → passages stated by reified statements about `node`
        (the binding of ?node)."""
        out: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
        for row in self.store.select(q.PROVENANCE_OUT, node):
            out[(row["p"], row["o"], False)].append(row["src"])
        for row in self.store.select(q.PROVENANCE_IN, node):
            out[(row["p"], row["s"], True)].append(row["src"])
        return out

    def _incoming_node_passages(self, node: dict[str, URIRef]) -> dict[str, list[str]]:
        """Relation nodes pointing at `node` (the binding of ?node) → the passages they were derived from."""
        out: dict[str, list[str]] = defaultdict(list)
        for row in self.store.select(q.INCOMING_NODE_PASSAGES, node):
            out[row["s"]].append(row["src"])
        return out

    # --- autocomplete ----------------------------------------------------------------------------------
    def invalidate(self) -> None:
        """Forget cached labels after a write (upload, curation, SPARQL update)."""
        with self._index_lock:
            self._index = None
            self._doc_titles = None
        with self._curated_lock:
            self._curated = None

    def _entity_index(self) -> list[tuple[str, str, str, str | None]]:
        with self._index_lock:
            if self._index is not None:
                return self._index
            classes = [URIRef(k.cls) for k in KINDS if k.cls and k.key not in ("passage", "section")]
            rows = self.store.select(q.ENTITY_INDEX, {"t": classes})
            scheme_rows = self.store.select(q.SCHEME_MEMBERS)
            scheme_of = {r["e"]: r["s"] for r in scheme_rows}
            curated = self.curated_view()
            type_predicate = str(RDF.type)
            rows = [
                r
                for r in rows
                if (r["e"], type_predicate, r["t"]) not in curated.rejected
                and (r["e"], str(SKOS.prefLabel), r["l"]) not in curated.rejected
            ]
            by_entity: dict[str, list[str]] = defaultdict(list)
            for r in rows:
                by_entity[r["e"]].append(r["t"])
            labels = self.labels(list(by_entity))
            index: list[tuple[str, str, str, str | None]] = []
            for r in rows:
                schemes = {scheme_of[r["e"]]} if r["e"] in scheme_of else set()
                kind = self._kind_of(by_entity[r["e"]], schemes)
                index.append((fold(r["l"]), r["l"], r["e"], kind.key if kind else None))
            self._index = index
            self._display_labels = labels
            return index

    def autocomplete(self, text: str, kind: str | None, limit: int) -> list[EntityHit]:
        """Entities whose label contains `text` (accent- and case-insensitive), best matches first.

        Prefix matches rank before inner matches, then shorter labels; `kind` filters by Kind key.
        """
        needle = fold(text.strip())
        wanted = kind_for(kind)
        scored: dict[str, tuple[tuple[int, int, str], EntityHit]] = {}
        index = self._entity_index()
        curated = self.curated_view()
        kinds = {entity: entity_kind for _, _, entity, entity_kind in index}
        for folded, label, member, _ in index:
            entity = curated.canonical_of(member)  # merged entities answer as the one they are merged into
            entity_kind = kinds.get(entity)
            if wanted is not None and entity_kind != wanted.key:
                continue
            position = folded.find(needle) if needle else 0
            if position < 0:
                continue
            key = (0 if position == 0 else 1, len(label), label)
            current = scored.get(entity)
            if current is None or key < current[0]:
                display = self._display_labels.get(entity, label)
                scored[entity] = (
                    key,
                    EntityHit(
                        iri=entity, label=display, kind=entity_kind, path=self.path_for(entity), matched=label
                    ),
                )
        ranked = sorted(scored.values(), key=lambda item: item[0])
        return [hit for _, hit in ranked[:limit]]

    def entity_names(self) -> dict[str, tuple[str, str | None, set[str]]]:
        """Every entity as the views show it (merged ones as the entity they are merged into): IRI →
        (displayed label, kind key, every label of it and of its merged members)."""
        index = self._entity_index()
        curated = self.curated_view()
        kinds = {entity: kind for _, _, entity, kind in index}
        out: dict[str, tuple[str, str | None, set[str]]] = {}
        for _, label, member, _ in index:
            entity = curated.canonical_of(member)
            if entity not in out:
                out[entity] = (self._display_labels.get(entity, label), kinds.get(entity), set())
            out[entity][2].add(label)
        return out

    # --- documents and concepts -------------------------------------------------------------------------
    def documents(self) -> list[DocumentView]:
        """Every ingested document with its sections in reading order."""
        docs = self.store.select(q.DOCUMENTS)
        counts = {r["d"]: int_or_none(r.get("n")) or 0 for r in self.store.select(q.PASSAGE_COUNTS)}
        sections: dict[str, list[tuple[int, SectionView]]] = defaultdict(list)
        for r in self.store.select(q.SECTIONS):
            if any(existing.iri == r["s"] for _, existing in sections[r["d"]]):
                continue
            sections[r["d"]].append(
                (
                    int_or_none(r.get("order")) or int_or_none(r.get("sl")) or 0,
                    SectionView(
                        iri=r["s"],
                        label=r.get("label") or r.get("title") or r["s"],
                        title=r.get("title"),
                        number=int_or_none(r.get("num")),
                        kind=r.get("kindl"),
                        start_line=int_or_none(r.get("sl")),
                        end_line=int_or_none(r.get("el")),
                    ),
                )
            )
        out: list[DocumentView] = []
        seen: set[str] = set()
        for r in docs:
            if r["d"] in seen:
                continue
            seen.add(r["d"])
            out.append(
                DocumentView(
                    iri=r["d"],
                    title=r.get("title") or r.get("file") or r["d"],
                    source_file=r.get("file"),
                    passages=counts.get(r["d"], 0),
                    sections=[s for _, s in sorted(sections.get(r["d"], []), key=lambda item: item[0])],
                )
            )
        return out

    def document_titles(self) -> dict[str, str]:
        """Source file name → document title, for citations (cached until the next write)."""
        titles = self._doc_titles
        if titles is None:
            titles = {d.source_file: d.title for d in self.documents() if d.source_file}
            self._doc_titles = titles
        return titles

    def concepts(self) -> list[SchemeView]:
        """The thesaurus: every concept scheme with its concept tree (skos:broader within the scheme)."""
        rows = self.store.select(q.CONCEPTS)
        broader_rows = self.store.select(q.BROADER)
        alt_rows = self.store.select(q.ALT_LABELS)
        alts: dict[str, set[str]] = defaultdict(set)
        for r in alt_rows:
            alts[r["c"]].add(r["alt"])
        broader: dict[str, set[str]] = defaultdict(set)
        for r in broader_rows:
            broader[r["c"]].add(r["b"])
        nodes: dict[str, ConceptNode] = {}
        scheme_of: dict[str, str] = {}
        for r in rows:
            if r["c"] in nodes:
                continue
            nodes[r["c"]] = ConceptNode(
                iri=r["c"], label=r["label"], alt_labels=sorted(alts.get(r["c"], ())), definition=r.get("def")
            )
            scheme_of[r["c"]] = r["scheme"]
        roots: dict[str, list[ConceptNode]] = defaultdict(list)
        for concept, node in nodes.items():
            parents = [
                b for b in broader.get(concept, ()) if b in nodes and scheme_of.get(b) == scheme_of[concept]
            ]
            if parents:
                nodes[sorted(parents)[0]].narrower.append(node)
            else:
                roots[scheme_of[concept]].append(node)
        for node in nodes.values():
            node.narrower.sort(key=lambda n: fold(n.label))
        labels = self.labels(list(roots))
        return [
            SchemeView(
                iri=scheme,
                label=labels.get(scheme) or scheme.rstrip("/").rsplit("/", 1)[-1],
                concepts=sorted(concepts, key=lambda n: fold(n.label)),
            )
            for scheme, concepts in sorted(roots.items())
        ]

    def concepts_in(self, scheme: str) -> list[tuple[str, str, list[str], str | None]]:
        """(IRI, prefLabel, altLabels, definition) of every concept in `scheme`."""
        for view in self.concepts():
            if view.iri == scheme:
                flat: list[tuple[str, str, list[str], str | None]] = []
                stack = list(view.concepts)
                while stack:
                    node = stack.pop()
                    flat.append((node.iri, node.label, node.alt_labels, node.definition))
                    stack.extend(node.narrower)
                return flat
        return []

    def kind_label(self, key: str | None) -> str:
        """The French label of a kind key ("Initiative", "Levier"…)."""
        kind = _KIND_BY_KEY.get(key or "")
        return kind.label if kind else "Ressource"
