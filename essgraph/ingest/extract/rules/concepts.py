"""Rule family "concepts": the lever of each fiche and the concepts of each passage from the thesaurus."""

from __future__ import annotations

import re
from typing import Any

from essgraph.core.model import Section
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.rules.common import concept_iris
from essgraph.ingest.extract.rules.context import DocumentContext


def section_concept(
    thesaurus: Any, section: Section, body_counts: dict[str, int] | None = None
) -> str | None:
    """The lever (fiche levier) or theme (fiche thématique) concept IRI of a Kit fiche, or None.

    1. Thesaurus matches of the fiche's title (then of its other titles) in the right scheme: a concept
       whose ancestor is also matched gives way to it ("Finance solidaire & monnaies locales" → finance
       solidaire), then the longest matched text wins.
    2. Concepts of another scheme matched by the title lead to their skos:related concepts in the
       scheme (fiche "SCIC" → forme juridique SCIC → lever "entrée au capital").
    3. Otherwise the concept with the label best covered by the title's words, ties broken by how often
       the concept is matched in the fiche's body (`body_counts`).
    """
    if thesaurus is None or not hasattr(thesaurus, "match"):
        return None
    scheme = {"levier": "leviers", "thematique": "thematiques"}.get(section.kind)
    if scheme is None:
        return None
    marker = f"/concept/{scheme}/"
    titles = [section.title, *section.aliases]
    for title in titles:
        spans: dict[str, int] = {}
        for match in thesaurus.match(title) or []:
            iri = str(getattr(match, "iri", ""))
            if marker in iri:
                spans[iri] = max(spans.get(iri, 0), len(str(getattr(match, "text", ""))))
        if spans:
            ancestors = {iri: {str(c.iri) for c in _ancestors(thesaurus, iri)} for iri in spans}
            kept = [iri for iri in spans if not (ancestors[iri] & set(spans))]
            return max(sorted(kept), key=lambda iri: spans[iri])
    counts = body_counts or {}
    related: list[str] = []
    for title in titles:
        for match in thesaurus.match(title) or []:
            concept = thesaurus.get(str(match.iri)) if hasattr(thesaurus, "get") else None
            related += [str(r) for r in getattr(concept, "related", ()) if marker in str(r)]
    if related:
        return max(sorted(set(related)), key=lambda iri: counts.get(iri, 0))
    title_words = _content_words(" ".join(titles))
    best: tuple[float, int, str] | None = None
    for concept in getattr(thesaurus, "concepts", None) or []:
        iri = str(concept.iri)
        if marker not in iri:
            continue
        coverage = 0.0
        for label in (concept.pref_label, *concept.alt_labels, *getattr(concept, "hidden_labels", ())):
            words = _content_words(str(label))
            if words:
                coverage = max(coverage, len(words & title_words) / len(words))
        score = (coverage, counts.get(iri, 0), iri)
        if coverage and (best is None or score[:2] > best[:2]):
            best = score
    return best[2] if best else None


def _ancestors(thesaurus: Any, iri: str) -> list[Any]:
    return list(thesaurus.ancestors(iri)) if hasattr(thesaurus, "ancestors") else []


_STOPWORDS = frozenset(
    (
        "de du des la le les l d et a au aux en pour par sur un une dans son sa ses leur leurs entre avec ess"
    ).split()
)


def _content_words(text: str) -> set[str]:
    """Folded words of `text` without stop words, plural "s"/"x" removed; returns the set."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    return {re.sub(r"(?<=\w{3})[sx]$", "", w) for w in words if w not in _STOPWORDS and len(w) > 1}


VERSION = "1"  # bump when what this family extracts changes (essgraph/ingest/versions.py)


class ConceptRules(DocumentContext):
    """The lever of each fiche and the concepts of each passage from the thesaurus."""

    def _levers(self) -> None:
        """Initiatives of a fiche levier illustrate its lever, those of a fiche thématique get its theme.

        Every initiative named in the fiche (outside its resource lists) is linked, with a higher
        confidence inside an example box; the collectivités of the fiche's example boxes use its lever.
        """
        concepts: dict[int, str] = {}
        for section in self.doc.sections:
            if section.number is None or section.kind not in ("levier", "thematique"):
                continue
            concept = section_concept(self.thesaurus, section, self._section_body_concepts(section.index))
            if concept is not None:
                concepts[section.index] = concept
                first = next((p.index for p in self.doc.passages if p.section == section.index), 0)
                self._rel(
                    "subject",
                    f"@section/{section.index}",
                    concept,
                    first,
                    0.9,
                    rule="structure:fiche-concept",
                )
        self.section_concepts = concepts
        box_conf = self.settings.box_relation_confidence
        for idx, unit in enumerate(self.units):
            concept = concepts.get(unit.section) if unit.section is not None else None
            if concept is None or unit.in_resources:
                continue
            fiche = self.sections.get(unit.section) if unit.section is not None else None
            levier = fiche is not None and fiche.kind == "levier"
            kind = "illustratesLever" if levier else "theme"
            in_box = unit.box is not None
            initiatives = {m.key for m in self.mentions[idx] if m.etype == "Initiative"}
            if idx in self.box_initiative:
                initiatives.add(self.box_initiative[idx])
            for init in sorted(initiatives):
                conf = box_conf if in_box else box_conf * 0.8
                self._rel(kind, init, concept, unit.passage, conf, rule="structure:initiative-in-fiche")
            if levier and in_box:
                for m in self.mentions[idx]:
                    if m.etype == "Collectivite":
                        self._rel(
                            "usesLever",
                            m.key,
                            concept,
                            unit.passage,
                            box_conf * 0.8,
                            rule="structure:box-in-fiche",
                        )

    def _section_body_concepts(self, section: int) -> dict[str, int]:
        """How many passages of section `section` each thesaurus concept is matched in; returns the counts."""
        counts: dict[str, int] = {}
        if self.thesaurus is None or not hasattr(self.thesaurus, "match"):
            return counts
        for passage in self.doc.passages:
            if passage.section != section:
                continue
            for iri in concept_iris(self.thesaurus.match(passage.text)):
                counts[iri] = counts.get(iri, 0) + 1
        return counts

    def _passage_concepts(self) -> None:
        if self.thesaurus is None or not hasattr(self.thesaurus, "match"):
            return
        for passage in self.doc.passages:
            concepts = concept_iris(self.thesaurus.match(passage.text))
            if concepts:
                self.out.passage_concepts[passage.index] = concepts
