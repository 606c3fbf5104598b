"""The record rule family: each row of a CSV/JSON/JSON-lines file becomes one typed entity.

Every fact of a row is a relation whose evidence is the row's passage (its lines in the file), so the
graph cites the row like a sentence. Typing, in order: the row's type column (a type word, or a
collectivité level or legal form of the thesaurus), its level column, its legal form (a level of the
niveaux-collectivite scheme means a collectivité, a legal form of formes-juridiques an initiative),
the kind the file declares (mapping file, else file name), the dominant kind of the file's typed
rows, else Organisation. Values the thesaurus does not know (a legal form, a lever, a theme) and the
columns no field took stay on the entity as properties labelled with their header.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from essgraph.core.model import ParsedDocument, Record
from essgraph.core.text import slugify
from essgraph.ingest.extract.mentions import Recogniser
from essgraph.ingest.extract.registry import Registry
from essgraph.ingest.readers.record_fields import type_of_word
from essgraph.ingest.readers.records import list_items
from essgraph.ontology.geography import departement_of_commune_code, departement_of_postal_code
from essgraph.ontology.namespace import (
    INSEE_DEP,
    SCHEME_FORMES,
    SCHEME_LEVIERS,
    SCHEME_NIVEAUX,
    SCHEME_THEMATIQUES,
)

CONFIDENCE = 0.95  # a row states its facts; the rest of the doubt is the column matching
MIN_COVER = 0.6  # share of a cell's characters a thesaurus label must cover to stand for it
# field -> (relation kind, rule) of the literal facts a row states about its entity
_LITERALS: dict[str, str] = {
    "description": "description",
    "siret": "siret",
    "site_web": "website",
    "source_url": "source",
    "code_postal": "postalCode",
    "annee": "year",
    "date_creation": "foundingDate",
}
# field -> French label of a value kept as a property when its header is unknown
_FIELD_LABELS: dict[str, str] = {
    "type": "type",
    "forme_juridique": "forme juridique",
    "niveau": "niveau",
    "leviers": "leviers",
    "thematiques": "thématiques",
    "code_insee": "code INSEE",
}

Rel = Callable[..., None]


def _concept(thesaurus: Any, text: str, scheme: Any) -> Any | None:
    """The concept of `scheme` whose label covers most of `text` (at least MIN_COVER), or None."""
    if thesaurus is None or not text.strip():
        return None
    matches = thesaurus.match(text, schemes=[scheme], fold_acronyms=True)
    if not matches:
        return None
    best = max(matches, key=lambda m: m.end - m.start)
    if (best.end - best.start) / len(text.strip()) < MIN_COVER:
        return None
    return thesaurus.concept(best.iri)


class RecordRules:
    """Turns `doc.records` into entities and relations through the extractor's registry and `rel`."""

    def __init__(self, doc: ParsedDocument, thesaurus: Any, recogniser: Recogniser, rel: Rel) -> None:
        self.doc = doc
        self.thesaurus = thesaurus
        self.rec = recogniser
        self.reg: Registry = recogniser.reg
        self.rel = rel

    def run(self) -> None:
        """One entity per named row (a row without a name stays a searchable passage only)."""
        own = [self.row_type(rec) for rec in self.doc.records]
        counts = Counter(t for t in own if t)
        dominant = counts.most_common(1)[0][0] if counts else None
        default = self.doc.record_kind or dominant or "Organisation"
        for index, (rec, etype) in enumerate(zip(self.doc.records, own, strict=True)):
            if rec.get("nom"):
                self.row(index, rec, etype or default)

    # --- typing --------------------------------------------------------------------------------
    def row_type(self, rec: Record) -> str | None:
        """The type the row's own columns give (see the module docstring), or None."""
        for value in list_items(rec.get("type")):
            etype = type_of_word(value) or self._type_of_value(value)
            if etype:
                return etype
        if any(_concept(self.thesaurus, v, SCHEME_NIVEAUX) for v in list_items(rec.get("niveau"))):
            return "Collectivite"
        for value in list_items(rec.get("forme_juridique")):
            etype = self._type_of_value(value)
            if etype:
                return etype
        return None

    def _type_of_value(self, value: str) -> str | None:
        if _concept(self.thesaurus, value, SCHEME_NIVEAUX):
            return "Collectivite"
        if _concept(self.thesaurus, value, SCHEME_FORMES):
            return "Initiative"
        return None

    # --- one row -----------------------------------------------------------------------------------
    def row(self, index: int, rec: Record, etype: str) -> str:
        """Register the row's entity and state its facts, each with the row as evidence; returns its key."""
        rule = "record:row"
        key = self.entity_key(index, rec.get("nom"), etype)

        def fact(kind: str, obj: str | None = None, literal: str | None = None, **quals: str) -> None:
            self.rel(kind, key, obj, index, CONFIDENCE, literal=literal, qualifiers=quals or None, rule=rule)

        def keep(name: str, value: str) -> None:
            fact("field", literal=value, header=rec.headers.get(name, _FIELD_LABELS.get(name, name)))

        for value in list_items(rec.get("type")):
            if not type_of_word(value) and not self._type_of_value(value):
                keep("type", value)
        self._concepts(rec, "forme_juridique", SCHEME_FORMES, "legalForm", fact, keep, also=SCHEME_NIVEAUX)
        self._concepts(rec, "niveau", SCHEME_NIVEAUX, "collectiviteLevel", fact, keep)
        levers = "usesLever" if etype == "Collectivite" else "illustratesLever"
        self._concepts(rec, "leviers", SCHEME_LEVIERS, levers, fact, keep)
        self._concepts(rec, "thematiques", SCHEME_THEMATIQUES, "theme", fact, keep)
        self._place(index, rec, etype, key, fact)
        for name, kind in _LITERALS.items():
            if rec.get(name):
                fact(kind, literal=rec.get(name))
        for header, value in rec.extra:
            fact("field", literal=value, header=header)
        return key

    def entity_key(self, index: int, name: str, etype: str) -> str:
        """Register the row's entity under the key the text rules give the same name (so a row and a
        sentence of any document naming it meet on one entity); returns the key.

        A collectivité whose whole name the recogniser reads ("Communauté de communes de X") takes its
        key and level; a known organisation (gazetteer, thesaurus) its reference key.
        """
        key: str | None = None
        if etype == "Collectivite":
            for m in self.rec.collectivites(name, index):
                if m.start == 0 and m.end >= 0.9 * len(name.rstrip(" .")):
                    key = m.key
        elif self.reg.canonical_org(name):
            key = self.rec.org(self.reg.canonical_org(name) or name, index, written=name)
            etype = self.reg.entities[key].type
        return self.reg.add(etype, name, index, key=key, confidence=CONFIDENCE, prefer_label=True)

    def _concepts(
        self,
        rec: Record,
        name: str,
        scheme: Any,
        kind: str,
        fact: Callable[..., None],
        keep: Callable[[str, str], None],
        also: Any = None,
    ) -> None:
        """Link each item of list field `name` to its concept of `scheme` by `kind`; an item of scheme
        `also` (a level written in the legal-form column) is linked as a level; others are kept."""
        for value in list_items(rec.get(name)):
            concept = _concept(self.thesaurus, value, scheme)
            if concept is not None:
                fact(kind, str(concept.iri))
                continue
            level = _concept(self.thesaurus, value, also) if also is not None else None
            if level is not None:
                fact("collectiviteLevel", str(level.iri))
            else:
                keep(name, value)

    def _place(self, index: int, rec: Record, etype: str, key: str, fact: Callable[..., None]) -> None:
        """The row's département (its column, else its INSEE or postal code) and its commune as a
        place located in that département, with the INSEE code when the row gives one (a collectivité
        without a commune column carries the code itself; any other entity keeps it as a property)."""
        insee = rec.get("code_insee")
        dep = (
            rec.get("departement")
            or departement_of_commune_code(insee)
            or departement_of_postal_code(rec.get("code_postal"))
        )
        commune = rec.get("commune")
        if dep:
            fact("departementCode", literal=dep)
            fact("inDepartement", str(INSEE_DEP[dep]))
        if commune:
            place = self.reg.add(
                "Place",
                commune,
                index,
                key=f"place/{slugify(commune)}" + (f"-{slugify(dep)}" if dep else ""),
                alt=(f"{commune} ({dep})",) if dep else (),
                confidence=CONFIDENCE,
            )
            fact("locatedIn", place)
            if dep:
                self.rel("departementCode", place, None, index, CONFIDENCE, literal=dep, rule="record:row")
                self.rel("inDepartement", place, str(INSEE_DEP[dep]), index, CONFIDENCE, rule="record:row")
            if insee:
                self.rel("inseeCode", place, None, index, CONFIDENCE, literal=insee, rule="record:row")
        elif insee and etype == "Collectivite":  # the collectivité's own code
            fact("inseeCode", literal=insee)
        elif insee:
            fact("field", literal=insee, header=rec.headers.get("code_insee", "code INSEE"))
