"""One node per event of a document: undated event nodes merged into the one dated node of the same name."""

from __future__ import annotations

import re

from essgraph.core.model import Entity, Relation
from essgraph.ingest.extract.cache import fold
from essgraph.ingest.extract.mentions import Mention


def _names(entity: Entity) -> set[str]:
    """The comparable forms of an event's names: folded, quotes and punctuation dropped."""
    return {
        " ".join(re.sub(r"[«»\"“”'’:,.()-]", " ", fold(name)).split())
        for name in (entity.label, *entity.alt_labels)
        if len(name) >= 4
    }


def merge_duplicate_events(
    entities: dict[str, Entity], relations: list[Relation], mentions: list[list[Mention]]
) -> dict[str, str]:
    """Merge each undated Event whose name (label or alternative label) is a name of exactly one dated
    Event into that one: the clause and phrase layers name an event where the events family dates it,
    and both made a node. Two dated events of one name are editions and stay apart; an undated event
    matching several editions stays alone (which one?). Relations, mentions and labels move to the kept
    node, in place. Returns {merged key: kept key}."""
    events = {k: e for k, e in entities.items() if e.type == "Event"}
    dated = {k: _names(e) for k, e in events.items() if e.attributes.get("eventDate")}
    moved: dict[str, str] = {}
    for key, entity in events.items():
        if key in dated:
            continue
        names = _names(entity)
        targets = [k for k, n in dated.items() if n & names]
        if len(targets) != 1:
            continue
        target = entities[targets[0]]
        target.alt_labels |= {entity.label, *entity.alt_labels} - {target.label}
        target.passages |= entity.passages
        target.confidence = max(target.confidence, entity.confidence)
        for name, values in entity.attributes.items():
            present = target.attributes.setdefault(name, [])
            present.extend(v for v in values if v not in present and name != "eventStatus")
        moved[key] = target.key
    if not moved:
        return moved
    kept: dict[tuple[str, str, str | None, int, str | None], list[Relation]] = {}
    kept_relations: list[Relation] = []
    for rel in relations:
        rel.subject = moved.get(rel.subject, rel.subject)
        if rel.object is not None:
            rel.object = moved.get(rel.object, rel.object)
        if rel.object is not None and rel.subject == rel.object:
            continue
        sig = (rel.kind, rel.subject, rel.object, rel.passage, rel.object_literal)
        same = kept.setdefault(sig, [])
        new = {k: v for k, v in rel.qualifiers.items() if k != "rule"}.items()
        # the same statement read by two rules (one may add a qualifier): one relation citing both rules
        first = next(
            (
                r
                for r in same
                if {k: v for k, v in r.qualifiers.items() if k != "rule"}.items() <= new
                or new <= {k: v for k, v in r.qualifiers.items() if k != "rule"}.items()
            ),
            None,
        )
        if first is None:
            same.append(rel)
            kept_relations.append(rel)
            continue
        rules = [r for r in (first.qualifiers.get("rule"), rel.qualifiers.get("rule")) if r]
        first.qualifiers = {**rel.qualifiers, **first.qualifiers}
        if rules:
            first.qualifiers["rule"] = ",".join(dict.fromkeys(",".join(rules).split(",")))
        first.confidence = max(first.confidence, rel.confidence)
    relations[:] = kept_relations
    for unit_mentions in mentions:
        for i, m in enumerate(unit_mentions):
            if m.key in moved:
                unit_mentions[i] = Mention(moved[m.key], m.etype, m.start, m.end, m.text)
    for key in moved:
        del entities[key]
    return moved


def drop_partnering_organisers(relations: list[Relation]) -> None:
    """Remove (in place) each partnerOf of an event whose partner the document also reads as its
    organiser: an actor organising an event is not also its partner, and the partner reading comes
    from a cue word before the name (« avec X, la Ville organise … » reads the Ville as a partner
    after « avec ») where the organiser reading comes from the clause or a participle."""
    organisers = {(r.subject, r.object) for r in relations if r.kind == "organisedBy"}
    relations[:] = [r for r in relations if r.kind != "partnerOf" or (r.subject, r.object) not in organisers]
