"""Map a parsed document and its extraction to the RDF triples of the document's named graph."""

from __future__ import annotations

import hashlib
import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from essgraph.core.model import Entity, Extraction, ParsedDocument, Relation, Section
from essgraph.core.text import slugify
from essgraph.ontology.namespace import CONCEPT, EG, INSEE_DEP, SCHEMA

MAPPING_VERSION = "8"
"""Version of the RDF an Extraction becomes: bump it when the triples written for the same input change."""

FICHE_KINDS = frozenset({"introductive", "levier", "thematique"})
# Relation kinds carried as one triple subject --eg:kind--> object.
_SIMPLE = {
    "supports": EG.supports,
    "partnerOf": EG.partnerOf,
    "organisedBy": EG.organisedBy,
    "hostedBy": EG.hostedBy,
    "venue": EG.venue,
    "speaker": EG.speaker,
    "memberOf": EG.memberOf,
    "pilotedBy": EG.pilotedBy,
    "signatoryOf": EG.signatoryOf,
    "subsidiaryOf": EG.subsidiaryOf,
    "labelledBy": EG.labelledBy,
    "represents": EG.represents,
    "authoredBy": EG.authoredBy,
    "publishedBy": EG.publishedBy,
    "createdBy": EG.createdBy,
    "cites": EG.cites,
    "about": EG.about,
    "series": EG.series,
    "locatedIn": EG.locatedIn,
    "illustratesLever": EG.illustratesLever,
    "usesLever": EG.usesLever,
    "theme": EG.theme,
    "relatedTo": EG.relatedTo,
    "subject": DCTERMS.subject,
    "legalForm": EG.legalForm,
    "collectiviteLevel": EG.collectiviteLevel,
    "inDepartement": EG.inDepartement,
}
# Relation kinds carried as one triple subject --property--> literal (record rows: extract/records.py);
# the literal is typed by the datatype, or French text when "fr", or a plain string when None.
_LITERAL: dict[str, tuple[URIRef, URIRef | str | None]] = {
    "description": (DCTERMS.description, "fr"),
    "siret": (EG.siret, None),
    "website": (SCHEMA.url, XSD.anyURI),
    "source": (DCTERMS.source, XSD.anyURI),
    "postalCode": (SCHEMA.postalCode, None),
    "year": (EG.year, XSD.integer),
    "departementCode": (EG.departementCode, None),
    "inseeCode": (EG.inseeCode, None),
}
_CLASS = {
    "Initiative": EG.Initiative,
    "Organisation": EG.Organisation,
    "Collectivite": EG.Collectivite,
    "Person": EG.Person,
    "Programme": EG.Programme,
    "Event": EG.Event,
    "Publication": EG.Publication,
    "PublicationSeries": EG.PublicationSeries,
    "Law": EG.Law,
    "Place": EG.Place,
    "Agreement": EG.Agreement,
    "CallForProjects": EG.CallForProjects,
    "Label": EG.Label,
}
_AGENTS = {"Initiative", "Organisation", "Collectivite", "Person"}


class _Mapper:
    def __init__(self, doc: ParsedDocument, extraction: Extraction, base_iri: str) -> None:
        self.doc = doc
        self.ex = extraction
        self.base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
        self.g = Graph()
        self.doc_iri = URIRef(f"{self.base}doc/{doc.doc_id}")
        self.passage_iri = {
            p.index: URIRef(f"{self.base}doc/{doc.doc_id}/passage/{p.index}") for p in doc.passages
        }
        self.section_iri = {
            s.index: URIRef(f"{self.base}doc/{doc.doc_id}/section/{s.index}") for s in doc.sections
        }

    def iri(self, key: str) -> URIRef:
        if key.startswith("@section/"):
            return self.section_iri[int(key.split("/", 1)[1])]
        if key.startswith(("http://", "https://")):
            return URIRef(key)
        return URIRef(self.base + key)

    def passage(self, index: int) -> URIRef:
        if index in self.passage_iri:
            return self.passage_iri[index]
        return self.doc_iri

    # ------------------------------------------------------------------------------------------
    def build(self) -> Graph:
        g = self.g
        for prefix, ns in (
            ("eg", str(EG)),
            ("dcterms", str(DCTERMS)),
            ("skos", str(SKOS)),
            ("prov", str(PROV)),
        ):
            g.bind(prefix, ns)
        self._document()
        for section in self.doc.sections:
            self._section(section)
        for passage in self.doc.passages:
            self._passage(passage.index)
        for entity in self.ex.entities.values():
            self._entity(entity)
        for relation in self.ex.relations:
            self._relation(relation)
        self._section_links()
        return g

    def _document(self) -> None:
        g, d, doc = self.g, self.doc_iri, self.doc
        g.add((d, RDF.type, EG.Document))
        g.add((d, DCTERMS.title, Literal(doc.title, lang="fr")))
        g.add((d, RDFS.label, Literal(doc.title, lang="fr")))
        g.add((d, EG.sourceFile, Literal(doc.file_name)))
        g.add((d, EG.sha256, Literal(doc.sha256)))
        g.add((d, EG.mediaType, Literal(doc.media_type)))
        if doc.issued:
            g.add((d, DCTERMS.issued, Literal(doc.issued)))
        if doc.publisher:
            g.add((d, DCTERMS.publisher, Literal(doc.publisher)))
        if doc.edition:
            g.add((d, EG.edition, Literal(doc.edition)))
        if doc.url:
            g.add((d, EG.url, Literal(doc.url, datatype=XSD.anyURI)))
        if doc.records:
            g.add((d, EG.recordCount, Literal(len(doc.records))))
            g.add((d, EG.skippedRecords, Literal(doc.skipped_records)))

    def _section(self, s: Section) -> None:
        g, node = self.g, self.section_iri[s.index]
        g.add((node, RDF.type, EG.Section))
        label = s.label or s.title
        g.add((node, RDFS.label, Literal(label, lang="fr")))
        g.add((node, SKOS.prefLabel, Literal(label, lang="fr")))
        g.add((node, DCTERMS.title, Literal(s.title, lang="fr")))
        g.add((node, EG.sectionKind, CONCEPT[f"types-de-section/{s.kind}"]))
        g.add((node, EG.inDocument, self.doc_iri))
        g.add((node, EG.order, Literal(s.index)))
        g.add((node, EG.startLine, Literal(s.start_line)))
        g.add((node, EG.endLine, Literal(s.end_line)))
        if s.first_page is not None:
            g.add((node, EG.pageStart, Literal(s.first_page)))
        if s.last_page is not None:
            g.add((node, EG.pageEnd, Literal(s.last_page)))
        g.add((self.doc_iri, EG.hasSection, node))
        if s.series:
            series = URIRef(f"{self.base}series/{slugify(s.series)}")
            g.add((node, EG.series, series))
            g.add((series, RDF.type, EG.PublicationSeries))
            g.add((series, RDFS.label, Literal(s.series, lang="fr")))
            g.add((series, SKOS.prefLabel, Literal(s.series, lang="fr")))
        if s.number is not None:
            g.add((node, EG.sectionNumber, Literal(s.number)))
        if s.parent is not None and s.parent in self.section_iri:
            g.add((node, DCTERMS.isPartOf, self.section_iri[s.parent]))
        for alt in _section_alt_labels(s):
            if alt != label:
                g.add((node, SKOS.altLabel, Literal(alt, lang="fr")))
        if s.kind in FICHE_KINDS and s.number is not None:
            g.add((node, RDF.type, EG.Fiche))

    def _passage(self, index: int) -> None:
        p = next(x for x in self.doc.passages if x.index == index)
        g, node = self.g, self.passage_iri[index]
        g.add((node, RDF.type, EG.Passage))
        g.add((node, EG.text, Literal(p.text)))
        g.add((node, EG.startLine, Literal(p.start_line)))
        g.add((node, EG.endLine, Literal(p.end_line)))
        g.add((node, EG.charStart, Literal(p.char_start)))
        g.add((node, EG.charEnd, Literal(p.char_end)))
        g.add((node, EG.inDocument, self.doc_iri))
        g.add((node, EG.order, Literal(p.index)))
        if p.page is not None:
            g.add((node, EG.page, Literal(p.page)))
        if p.section is not None and p.section in self.section_iri:
            g.add((node, EG.inSection, self.section_iri[p.section]))
        for concept in sorted(self.ex.passage_concepts.get(index, ())):
            g.add((node, DCTERMS.subject, URIRef(concept)))

    def _entity(self, e: Entity) -> None:
        g, node = self.g, self.iri(e.key)
        g.add((node, RDF.type, _CLASS.get(e.type, EG.Agent)))
        if e.type in _AGENTS:
            g.add((node, RDF.type, EG.Agent))
        g.add((node, RDFS.label, Literal(e.label, lang="fr")))
        g.add((node, SKOS.prefLabel, Literal(e.label, lang="fr")))
        for alt in sorted(e.alt_labels):
            if alt and alt != e.label:
                g.add((node, SKOS.altLabel, Literal(alt, lang="fr")))
        first = min(e.passages) if e.passages else None
        for index in sorted(e.passages):
            if index in self.passage_iri:
                g.add((self.passage_iri[index], EG.mentions, node))
        where = self.passage(first) if first is not None else self.doc_iri
        attrs = e.attributes
        for form in attrs.get("legalForm", []):
            self._stmt(
                node,
                EG.legalForm,
                CONCEPT[f"formes-juridiques/{form}"],
                where,
                e.confidence,
                "rule:legal-form",
            )
        for level in attrs.get("level", []):
            self._stmt(
                node,
                EG.collectiviteLevel,
                CONCEPT[f"niveaux-collectivite/{level}"],
                where,
                e.confidence,
                "rule:level",
            )
        for code in attrs.get("departement", []):
            self._stmt(node, EG.departementCode, Literal(code), where, e.confidence, "rule:departement-code")
            self._stmt(node, EG.inDepartement, INSEE_DEP[code], where, e.confidence, "rule:departement-code")
        for date in attrs.get("eventDate", []):
            self._stmt(node, EG.eventDate, _date_literal(date), where, e.confidence, "rule:event-date")
        for count in attrs.get("participantCount", []):
            self._stmt(
                node,
                EG.participantCount,
                Literal(int(count)) if count.isdigit() else Literal(count),
                where,
                e.confidence,
                "rule:participants",
            )
        for text in attrs.get("participantText", []):
            g.add((node, RDFS.comment, Literal(text, lang="fr")))
        for status in attrs.get("eventStatus", []):
            self._stmt(
                node,
                EG.eventStatus,
                CONCEPT[f"statuts-evenement/{status}"],
                where,
                e.confidence,
                "rule:event-status",
            )
        for number in attrs.get("numberInSeries", []):
            g.add((node, EG.numberInSeries, Literal(int(number)) if number.isdigit() else Literal(number)))
        for theme in attrs.get("theme", []):
            self._stmt(
                node,
                EG.theme,
                URIRef(theme) if theme.startswith("http") else CONCEPT[theme],
                where,
                e.confidence,
                "rule:theme",
            )

    def _stmt(
        self,
        s: URIRef,
        p: URIRef,
        o: URIRef | Literal,
        passage: URIRef,
        confidence: float,
        rule: str,
        also: tuple[URIRef, ...] = (),
        year: str = "",
    ) -> None:
        """Add `s p o` and its reification (rdf:Statement with provenance and confidence); `also` are
        further passages that state it together with `passage` (a heading governing a list item); a
        four-digit `year` (the year, or start year, the passage gives the relation) goes on the statement."""
        g = self.g
        g.add((s, p, o))
        digest = hashlib.sha1(f"{s}|{p}|{o}|{passage}".encode()).hexdigest()[:16]
        st = URIRef(f"{self.base}statement/{self.doc.doc_id}/{digest}")
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, passage))
        for other in also:
            g.add((st, PROV.wasDerivedFrom, other))
        g.add((st, EG.confidence, Literal(round(confidence, 3))))
        g.add((st, EG.extractedBy, Literal(rule)))
        if re.fullmatch(r"\d{4}", year):
            g.add((st, EG.year, Literal(int(year))))

    def _relation(self, r: Relation) -> None:
        passage = self.passage(r.passage)
        rule = r.qualifiers.get("rule", f"rule:{r.kind}")
        s = self.iri(r.subject)
        if r.kind in _SIMPLE and r.object:
            target = URIRef(r.object) if r.object.startswith("http") else self.iri(r.object)
            also = tuple(self.passage(i) for i in r.also if i != r.passage)
            # "a adhéré en 2024", "membre depuis 2015": the year a relation starts or refers to
            year = r.qualifiers.get("since") or r.qualifiers.get("year") or ""
            self._stmt(s, _SIMPLE[r.kind], target, passage, r.confidence, rule, also, year)
            return
        if r.kind == "foundingDate" and r.object_literal:
            value = r.object_literal
            date = (
                Literal(value, datatype=XSD.gYear) if re.fullmatch(r"\d{4}", value) else _date_literal(value)
            )
            self._stmt(s, SCHEMA.foundingDate, date, passage, r.confidence, rule)
            return
        if r.kind in _LITERAL and r.object_literal:
            prop, kind = _LITERAL[r.kind]
            literal = (
                Literal(r.object_literal, lang=kind)
                if kind == "fr"
                else Literal(r.object_literal, datatype=URIRef(kind) if kind else None)
            )
            self._stmt(s, prop, literal, passage, r.confidence, rule)
            return
        if r.kind == "field" and r.object_literal is not None:
            self._stmt(
                s,
                self._field(r.qualifiers.get("header", "")),
                Literal(r.object_literal),
                passage,
                r.confidence,
                rule,
            )
            return
        node = self._relation_node(r)
        g = self.g
        g.add((node, PROV.wasDerivedFrom, passage))
        for other in r.also:
            if other != r.passage:
                g.add((node, PROV.wasDerivedFrom, self.passage(other)))
        g.add((node, EG.confidence, Literal(round(r.confidence, 3))))
        g.add((node, EG.extractedBy, Literal(rule)))
        q = r.qualifiers
        o: URIRef | None = self.iri(r.object) if r.object else None
        if r.kind == "Funding":
            g.add((node, RDF.type, EG.Funding))
            g.add((node, EG.funder, s))
            if o is not None:
                g.add((node, EG.beneficiary, o))
            self._amount(node, q)
            if "action" in q:
                g.add((node, EG.action, Literal(q["action"], lang="fr")))
            if q.get("agreement"):
                g.add((node, EG.underAgreement, self._framework(q, passage)))
            g.add((node, RDFS.label, Literal(_relation_label("Financement", r, self.ex), lang="fr")))
        elif r.kind == "CapitalParticipation":
            g.add((node, RDF.type, EG.CapitalParticipation))
            g.add((node, EG.holder, s))
            if o is not None:
                g.add((node, EG.company, o))
            self._amount(node, q)
            if "sharePercent" in q:
                g.add((node, EG.sharePercent, Literal(q["sharePercent"], datatype=XSD.decimal)))
            g.add(
                (
                    node,
                    RDFS.label,
                    Literal(_relation_label("Participation au capital", r, self.ex), lang="fr"),
                )
            )
        elif r.kind == "Contract":
            g.add((node, RDF.type, EG.Contract))
            g.add((node, EG.contractingAuthority, s))
            if o is not None:
                g.add((node, EG.contractor, o))
            if "contractKind" in q:
                g.add((node, EG.contractKind, CONCEPT[f"leviers/{q['contractKind']}"]))
            if "duration" in q:
                g.add((node, EG.duration, Literal(f"P{q['duration']}Y", datatype=XSD.duration)))
                g.add((node, RDFS.comment, Literal(f"durée de {q['duration']} ans", lang="fr")))
            self._amount(node, q)
            g.add(
                (
                    node,
                    RDFS.label,
                    Literal(
                        _relation_label(q.get("kindLabel", "Contrat").capitalize(), r, self.ex), lang="fr"
                    ),
                )
            )
        elif r.kind == "Role":
            g.add((node, RDF.type, EG.Role))
            g.add((node, EG.person, s))
            if o is not None:
                g.add((node, EG.organisation, o))
            if "roleTitle" in q:
                g.add((node, EG.roleTitle, Literal(q["roleTitle"], lang="fr")))
            if "action" in q:
                g.add((node, EG.action, Literal(q["action"], lang="fr")))
            if "detail" in q:
                g.add((node, RDFS.comment, Literal(q["detail"], lang="fr")))
        elif r.kind == "Agreement":
            # an unnamed agreement read from a clause ("X signe une convention avec Y"): both parties sign it
            g.add((node, RDF.type, EG.Agreement))
            g.add((s, EG.signatoryOf, node))
            if o is not None:
                g.add((o, EG.signatoryOf, node))
            kind = q.get("agreement") or "accord"
            g.add(
                (
                    node,
                    RDFS.label,
                    Literal(_relation_label(kind[:1].upper() + kind[1:], r, self.ex), lang="fr"),
                )
            )
            if q.get("year", "").isdigit():
                g.add((node, EG.year, Literal(int(q["year"]))))
        elif r.kind == "KeyFigure":
            g.add((node, RDF.type, EG.KeyFigure))
            g.add((node, EG.about, s))
            value = q.get("value", "")
            g.add(
                (
                    node,
                    EG.value,
                    Literal(value, datatype=XSD.decimal) if _is_number(value) else Literal(value),
                )
            )
            if q.get("unit"):
                g.add((node, EG.unit, Literal(q["unit"], lang="fr")))
            if r.object_literal:
                g.add((node, EG.text, Literal(r.object_literal, lang="fr")))
            if q.get("year", "").isdigit():
                g.add((node, EG.year, Literal(int(q["year"]))))
        else:
            g.add((node, RDF.type, EG.Participation))
            g.add((node, EG.participant, s))
            if o is not None:
                g.add((node, EG.object, o))

    def _field(self, header: str) -> URIRef:
        """The property minted for a record column `header` in this document (labelled with the header,
        a sub-property of eg:recordField); returns its IRI."""
        slug = slugify(header) or hashlib.sha1(header.encode()).hexdigest()[:12]
        prop = URIRef(f"{self.base}doc/{self.doc.doc_id}/field/{slug}")
        self.g.add((prop, RDF.type, RDF.Property))
        self.g.add((prop, RDFS.subPropertyOf, EG.recordField))
        self.g.add((prop, RDFS.label, Literal(header)))
        return prop

    def _framework(self, q: dict[str, str], passage: URIRef) -> URIRef:
        """The agreement a funding is paid under (qualifier "agreement", its acronym as alternative label):
        one node per name in the document, so the fundings paid under it meet there; returns its IRI."""
        name = q["agreement"].replace("’", "'")
        digest = hashlib.sha1(f"{self.doc.doc_id}|{name.lower()}".encode()).hexdigest()[:16]
        node = URIRef(f"{self.base}agreement/{digest}")
        self.g.add((node, RDF.type, EG.Agreement))
        self.g.add((node, RDFS.label, Literal(name[:1].upper() + name[1:], lang="fr")))
        if q.get("agreementAcronym"):
            self.g.add((node, SKOS.altLabel, Literal(q["agreementAcronym"], lang="fr")))
        self.g.add((node, PROV.wasDerivedFrom, passage))
        return node

    def _amount(self, node: URIRef, q: dict[str, str]) -> None:
        if "amount" in q and _is_number(q["amount"]):
            self.g.add((node, EG.amount, Literal(q["amount"], datatype=XSD.decimal)))
        if q.get("year", "").isdigit():
            self.g.add((node, EG.year, Literal(int(q["year"]))))

    def _relation_node(self, r: Relation) -> URIRef:
        prefix = {
            "Funding": "funding",
            "CapitalParticipation": "participation",
            "Contract": "contract",
            "Role": "role",
            "KeyFigure": "keyfigure",
            "Agreement": "agreement",
        }.get(r.kind, "participation")
        digest = hashlib.sha1(
            f"{self.doc.doc_id}|{r.kind}|{r.subject}|{r.object}|{sorted(r.qualifiers.items())}|{r.object_literal}".encode()
        ).hexdigest()[:16]
        return URIRef(f"{self.base}{prefix}/{digest}")

    def _section_links(self) -> None:
        by_number = {s.number: s for s in self.doc.sections if s.number is not None and s.kind in FICHE_KINDS}
        for section_index, kind, target in self.ex.section_links:
            if kind != "refersToFiche" or target not in by_number or section_index not in self.section_iri:
                continue
            source = self.section_iri[section_index]
            first = next((p.index for p in self.doc.passages if p.section == section_index), None)
            where = self.passage(first) if first is not None else self.doc_iri
            passage = _link_passage(self.doc, section_index, target)
            self._stmt(
                source,
                EG.refersToFiche,
                self.section_iri[by_number[target].index],
                self.passage(passage) if passage is not None else where,
                0.95,
                "rule:fiche-reference",
            )


def _link_passage(doc: ParsedDocument, section_index: int, target: int) -> int | None:
    pattern = re.compile(rf"n°\s*\**\s*{target}\b")
    for p in doc.passages:
        if p.section == section_index and pattern.search(p.text):
            return p.index
    return None


def _section_alt_labels(s: Section) -> list[str]:
    alts: list[str] = []
    if s.number is not None and s.kind in FICHE_KINDS:
        alts += [
            f"Fiche n°{s.number}",
            f"fiche n°{s.number} - {s.title}",
            f"Fiche n°{s.number} : {s.title}",
            f"Fiche « {s.title} »",
            s.title,
        ]
        long = (
            s.title.replace("ESS", "Économie sociale et solidaire", 1) if s.title.startswith("ESS") else None
        )
        if long:
            alts.append(long)
    elif s.number is not None and s.kind == "fiche-action":
        alts += [
            f"Fiche action n°{s.number}",
            f"Fiche-action n°{s.number}",
            f"Fiche action n°{s.number} : {s.title}",
        ]
    return alts


def _relation_label(title: str, r: Relation, ex: Extraction) -> str:
    def name(key: str | None) -> str:
        if key and key in ex.entities:
            return ex.entities[key].label
        return "?"

    extras = [v for k, v in r.qualifiers.items() if k in ("amount", "year", "sharePercent", "duration")]
    suffix = f" ({', '.join(extras)})" if extras else ""
    return f"{title} : {name(r.subject)} → {name(r.object)}{suffix}"


def _is_number(value: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", value))


def _date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value)


def document_graph(doc: ParsedDocument, extraction: Extraction, base_iri: str) -> Graph:
    """The triples of `doc`'s named graph: structure, entities, relations, reified provenance; returns it."""
    return _Mapper(doc, extraction, base_iri).build()


__all__ = ["FICHE_KINDS", "MAPPING_VERSION", "BNode", "document_graph"]
