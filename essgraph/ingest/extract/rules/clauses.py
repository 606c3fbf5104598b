"""Rule family "clauses": relations read from parsed clauses (spaCy dependencies)."""

from __future__ import annotations

from essgraph.ingest.extract.clauses import clause_relations, document_subject, parse_units, subject_mentions
from essgraph.ingest.extract.entries import subject_roles
from essgraph.ingest.extract.frameworks import names_scheme
from essgraph.ingest.extract.rules.context import DocumentContext

VERSION = "9"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class ClauseRules(DocumentContext):
    """Relations read from parsed clauses (spaCy dependencies), with the document subject."""

    def _clauses(self) -> None:
        """Relations read from the parsed clauses of every unit (rule family `clause`, see clauses.py)."""
        title = next(
            (i for i, u in enumerate(self.units[:2]) if u.is_heading or u.raw.startswith("# ")), None
        )
        labels = {k: e.label for k, e in self.reg.entities.items()}
        subject = (
            document_subject(self.units[title].text, self.mentions[title], labels)
            if title is not None
            else None
        )
        subject_roles(self.units, self.mentions, subject.key if subject else None, self._rel)
        ments = [
            [*m, *subject_mentions(u.text, m, subject, back_references=False)] if i != title else m
            for i, (u, m) in enumerate(zip(self.units, self.mentions, strict=True))
        ]
        chosen = [
            i
            for i, u in enumerate(self.units)
            if not u.is_heading and len(ments[i]) >= 2 and len(u.text) <= self.settings.clause_max_chars
        ]
        parsed = parse_units(
            [self.units[i].text for i in chosen],
            [ments[i] for i in chosen],
            self.settings.spacy_model,
            self.settings.ner_batch_size,
        )
        confidence = self.settings.clause_relation_confidence
        denied: set[tuple[int, str, str]] = set()
        for i, (doc, found) in zip(chosen, parsed, strict=True):
            for rel in clause_relations(doc, found):
                if not rel.asserted:
                    denied.add((self.units[i].passage, rel.subject, rel.object))
                    denied.add((self.units[i].passage, rel.object, rel.subject))
                    continue
                if rel.kind == "hostedBy" and any(
                    m.key == rel.object and m.bare_place for m in self.mentions[i]
                ):
                    continue  # "Vierzon a accueilli le forum": where it is (events family), not who hosts
                quals = {k: v for k, v in rel.qualifiers.items() if k != "rule"}
                if rel.kind == "Funding":
                    text = self.units[i].text
                    if any(m.key == rel.object and names_scheme(text, m.start) for m in self.mentions[i]):
                        continue  # « a accordé … au titre de son dispositif X »: the scheme, not the receiver
                    quals = self._framework_of(i, rel.subject, quals)
                self._rel(
                    rel.kind,
                    rel.subject,
                    rel.object,
                    self.units[i].passage,
                    confidence,
                    qualifiers=quals,
                    rule=rel.qualifiers.get("rule", "clause"),
                )
        # a clause that denies a relation (negated, conditional, intended) vetoes the other rule families'
        # reading of the same sentence: their trigger patterns cannot see the negation
        self.out.relations = [
            r
            for r in self.out.relations
            if r.object is None
            or (r.passage, r.subject, r.object) not in denied
            or r.qualifiers.get("rule", "").startswith("clause:")
        ]
