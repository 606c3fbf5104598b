"""Thesaurus label coverage: which searched concepts have too few labels for search to recognise them."""

from __future__ import annotations

from dataclasses import dataclass

from essgraph.ontology.namespace import SCHEME_FORMES, SCHEME_LEVIERS, SCHEME_NIVEAUX, SCHEME_THEMATIQUES
from essgraph.ontology.thesaurus import Concept, Thesaurus

# The schemes whose concepts a question names in its asker's own words (levers, themes, legal forms and
# initiative types, levels of local government). Reference organisations are names, recognised by their
# spellings and acronyms; section kinds and event statuses are structure, not what a question is about.
COVERED_SCHEMES = (SCHEME_LEVIERS, SCHEME_THEMATIQUES, SCHEME_FORMES, SCHEME_NIVEAUX)


@dataclass(frozen=True, slots=True)
class LabelCount:
    """A concept and how many distinct labels besides its preferred one it has, by kind."""

    concept: Concept
    alt: int
    hidden: int
    usage: int

    @property
    def total(self) -> int:
        """Distinct labels other than the preferred one (a label given twice counts once)."""
        c = self.concept
        return len({*c.alt_labels, *c.hidden_labels, *c.usage_labels} - {c.pref_label})


def label_counts(thesaurus: Thesaurus) -> list[LabelCount]:
    """The label counts of every concept of the covered schemes, by scheme then IRI."""
    return [
        LabelCount(c, len(c.alt_labels), len(c.hidden_labels), len(c.usage_labels))
        for c in thesaurus.concepts
        if c.scheme in COVERED_SCHEMES
    ]


def thin_concepts(thesaurus: Thesaurus, minimum: int) -> list[LabelCount]:
    """The covered concepts with fewer than `minimum` labels besides their preferred one, fewest first."""
    thin = [count for count in label_counts(thesaurus) if count.total < minimum]
    return sorted(thin, key=lambda count: (count.total, str(count.concept.iri)))
