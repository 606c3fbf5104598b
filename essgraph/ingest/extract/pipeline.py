"""The extraction pass over one document: the rule families run in order over a shared context."""

from __future__ import annotations

from essgraph.core.model import Extraction
from essgraph.ingest.extract.entries import member_lists, signatory_lists
from essgraph.ingest.extract.ner import person_spans
from essgraph.ingest.extract.records import RecordRules
from essgraph.ingest.extract.rules.anaphora import AnaphoraRules
from essgraph.ingest.extract.rules.backers import BackerRules
from essgraph.ingest.extract.rules.boxes import BoxRules
from essgraph.ingest.extract.rules.clauses import ClauseRules
from essgraph.ingest.extract.rules.common import PERSON_SHAPE
from essgraph.ingest.extract.rules.concepts import ConceptRules
from essgraph.ingest.extract.rules.event_merge import drop_partnering_organisers, merge_duplicate_events
from essgraph.ingest.extract.rules.events import EventRules
from essgraph.ingest.extract.rules.fiches import FicheRules
from essgraph.ingest.extract.rules.fields import FieldRules
from essgraph.ingest.extract.rules.figures import FigureRules
from essgraph.ingest.extract.rules.projects import ProjectRules
from essgraph.ingest.extract.rules.publications import PublicationRules
from essgraph.ingest.extract.rules.recognition import RecognitionRules
from essgraph.ingest.extract.rules.roles import RoleRules
from essgraph.ingest.extract.rules.triggers import TriggerRules
from essgraph.ingest.extract.units import build_units


class Extractor(
    RecognitionRules,
    BoxRules,
    AnaphoraRules,
    TriggerRules,
    RoleRules,
    EventRules,
    PublicationRules,
    FicheRules,
    ConceptRules,
    FigureRules,
    ClauseRules,
    ProjectRules,
    BackerRules,
    FieldRules,
):
    """Runs every rule family over one document and fills an Extraction."""

    def run(self) -> Extraction:
        """Extract everything; returns the Extraction."""
        self.units = build_units(self.doc)
        for unit in self.units:
            self._fix_ocr(unit)
        publisher = self.doc.publisher or self.settings.default_publisher
        first_passage = self.doc.passages[0].index if self.doc.passages else 0
        canonical = self.reg.canonical_org(publisher) or publisher
        self.publisher_key = self.rec.org(canonical, first_passage)
        candidates = [i for i, u in enumerate(self.units) if PERSON_SHAPE.search(u.text)]
        spans = person_spans(
            [self.units[i].text for i in candidates], self.settings.spacy_model, self.settings.ner_batch_size
        )
        persons: dict[int, list[tuple[int, int, str]]] = dict(zip(candidates, spans, strict=True))
        for i, unit in enumerate(self.units):
            self.mentions.append(self._recognise(unit, persons.get(i, [])))
        self._propagate_names()
        self._boxes()
        self._resolve_anaphora()
        RecordRules(self.doc, self.thesaurus, self.rec, self._rel).run()
        for idx, unit in enumerate(self.units):
            self._fiche_refs(unit)
            self._mesures(unit)
            self._relations(idx, unit)
            self._roles(idx, unit)
            self._events(idx, unit)
            self._resources(idx, unit)
            self._deniche(idx, unit)
            self._named_publications(idx, unit)
            self._publication_figures(idx, unit)
            self._clubs(idx, unit)
            self._local_currencies(idx, unit)
            self._timeline(idx, unit)
            self._key_figures(idx, unit)
        self._role_blocks()
        member_lists(self.units, self.mentions, self.rec, self._rel)
        signatory_lists(self.units, self.mentions, self._rel, self.rec.org)
        self._backers()
        self._fields()
        self._series_publishers()
        self._clauses()
        self._projects()
        merge_duplicate_events(self.reg.entities, self.out.relations, self.mentions)
        drop_partnering_organisers(self.out.relations)
        self._levers()
        self._passage_concepts()
        for idx, mentions in enumerate(self.mentions):
            for m in mentions:
                self.reg.entities[m.key].passages.add(self.units[idx].passage)
        self.out.entities = self.reg.entities
        return self.out
