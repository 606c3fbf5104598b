"""Entity resolution: one Entity per real thing, keyed by `<type>/<slug of canonical name>`."""

from __future__ import annotations

import re

from essgraph.core.model import Entity
from essgraph.core.text import slugify
from essgraph.ingest.extract import gazetteer
from essgraph.ingest.extract.cache import fold

TYPE_PREFIX: dict[str, str] = {
    "Initiative": "initiative",
    "Organisation": "organisation",
    "Collectivite": "collectivite",
    "Person": "person",
    "Programme": "programme",
    "Event": "event",
    "Publication": "publication",
    "PublicationSeries": "series",
    "Law": "law",
    "Place": "place",
    "Agreement": "agreement",
    "CallForProjects": "call",
    "Label": "label",
}

# legal-form and kind words written before a name ("la SCIC X", "le réseau X", "le collectif X") are not
# part of what the name identifies: "Réseau X" and "X" resolve to one entity
_FORM_PREFIX = re.compile(
    r"^(?:la |le |l'|les )?(?:scic|scop|cae|gie|sas|sem|ptce|association|reseau|collectif|fonciere solidaire|"
    r"cooperative|creche cooperative|tiers-lieu|plateforme|entreprise d'insertion|projet|programme)\s+",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:la |le |l'|les )", re.IGNORECASE)


def name_key(label: str) -> str:
    """The resolution slug of an initiative/organisation name: articles and legal-form words removed."""
    folded = fold(label)
    stripped = _FORM_PREFIX.sub("", folded)
    stripped = _ARTICLE.sub("", stripped)
    return slugify(stripped or folded)


class Registry:
    """Entities of one document, resolved by key, with organisation aliases from gazetteer + thesaurus."""

    def __init__(self, org_aliases: dict[str, str] | None = None) -> None:
        self.entities: dict[str, Entity] = {}
        self.org_alias: dict[str, str] = {}  # folded alias -> canonical label
        for canonical, aliases in gazetteer.ORGANISATIONS.items():
            for alias in (canonical, *aliases):
                self.org_alias[fold(alias)] = canonical
        reference: dict[str, str] = {}
        for alias, canonical in (org_aliases or {}).items():
            reference[fold(alias)] = canonical
        # a gazetteer canonical name that the thesaurus knows under another label takes that label
        renamed = {c: reference[fold(c)] for c in set(self.org_alias.values()) if fold(c) in reference}
        for alias, canonical in list(self.org_alias.items()):
            self.org_alias[alias] = renamed.get(canonical, canonical)
        for alias, canonical in reference.items():
            self.org_alias.setdefault(alias, canonical)
        self.org_keys: dict[str, str] = {}  # canonical label -> key (reference organisations)

    def canonical_org(self, name: str) -> str | None:
        """The canonical label of a known organisation spelled `name`, or None."""
        return self.org_alias.get(fold(name).strip())

    def add(
        self,
        etype: str,
        label: str,
        passage: int,
        *,
        key: str | None = None,
        alt: tuple[str, ...] = (),
        confidence: float = 0.8,
        prefer_label: bool = False,
    ) -> str:
        """Register a mention of an entity; returns its key (merging with an existing entity)."""
        label = re.sub(r"\s+", " ", label).strip(" ,;:.-")
        if key is None:
            slug = name_key(label) if etype in ("Initiative", "Organisation", "Programme") else slugify(label)
            key = f"{TYPE_PREFIX[etype]}/{slug}"
        entity = self.entities.get(key)
        if entity is None:
            entity = Entity(key=key, type=etype, label=label, confidence=confidence)
            self.entities[key] = entity
        elif label != entity.label:
            if prefer_label:
                entity.alt_labels.add(entity.label)
                entity.label = label
            else:
                entity.alt_labels.add(label)
        for variant in alt:
            if variant and variant != entity.label:
                entity.alt_labels.add(variant)
        entity.passages.add(passage)
        entity.confidence = max(entity.confidence, confidence)
        return key

    def attr(self, key: str, name: str, value: str) -> None:
        """Add `value` to the attribute list `name` of entity `key` (no duplicates)."""
        values = self.entities[key].attributes.setdefault(name, [])
        if value not in values:
            values.append(value)
