"""Rule family "projects": projects and works an actor funds, carries or works on, named by a noun phrase."""

from __future__ import annotations

import re

from essgraph.core.text import fold
from essgraph.ingest.extract.clauses import parse_units
from essgraph.ingest.extract.projects import load_projects, project_objects
from essgraph.ingest.extract.rules.context import DocumentContext

VERSION = "2"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class ProjectRules(DocumentContext):
    """Programme entities for project phrases ("une étude de …") and their funder or carrier."""

    def _projects(self) -> None:
        """Parse the units holding an actor and a project noun; add each asserted project, typed Programme,
        with a Funding relation from its funder or a pilotedBy relation to its carrier."""
        nouns = load_projects().nouns
        cue = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, nouns))) + r")s?\b")
        chosen = [
            i
            for i, u in enumerate(self.units)
            if not u.is_heading
            and self.mentions[i]
            and len(u.text) <= self.settings.clause_max_chars
            and cue.search(fold(u.text))
        ]
        parsed = parse_units(
            [self.units[i].text for i in chosen],
            [self.mentions[i] for i in chosen],
            self.settings.spacy_model,
            self.settings.ner_batch_size,
        )
        confidence = self.settings.clause_relation_confidence
        for i, (doc, found) in zip(chosen, parsed, strict=True):
            passage = self.units[i].passage
            for p in project_objects(doc, found):
                if not p.asserted:
                    continue
                key = self.reg.add("Programme", p.label, passage, confidence=confidence)
                rule = p.qualifiers.pop("rule")
                if p.kind == "Funding":
                    p.qualifiers = self._framework_of(i, p.actor, p.qualifiers)
                subject, obj = (p.actor, key) if p.kind == "Funding" else (key, p.actor)
                self._rel(p.kind, subject, obj, passage, confidence, qualifiers=p.qualifiers, rule=rule)
