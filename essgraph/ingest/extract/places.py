"""Communes and EPCI named bare in a text, typed from the INSEE gazetteer (ontology/communes.py).

"Basée à Mont-de-Marsan", "(Sélestat, Lunéville et Verdun)", "Mulhouse Alsace Agglomération": names no
level word announces. Each becomes a collectivité mention (a commune's label is its official name, with
"Ville de X" as alternative label, so the same entity serves as a place and as an actor).
"""

from __future__ import annotations

from essgraph.core.text import fold
from essgraph.ingest.extract import gazetteer as gz
from essgraph.ingest.extract.mentions import Mention, Recogniser
from essgraph.ontology.communes import LEVEL_WORDS, Epci


def place_mentions(rec: Recogniser, text: str, passage: int, known: list[Mention]) -> list[Mention]:
    """Mentions of the communes and EPCI of `text` outside the `known` mentions, registered with `rec`."""
    skip = [(m.start, m.end) for m in known]
    found: list[Mention] = []
    for start, end, epci in gz.epci_spans(text):
        if any(s < end and start < e for s, e in skip):
            continue
        written = text[start:end]
        key = rec.reg.add(
            "Collectivite",
            epci.written,
            passage,
            key=f"collectivite/{_slug(epci.written)}",
            alt=(written, epci.name, *_level_forms(epci)),
            prefer_label=True,
        )
        rec.reg.attr(key, "level", epci.level)
        if epci.departement:
            rec.reg.attr(key, "departement", epci.departement)
        found.append(Mention(key, "Collectivite", start, end, written))
        skip.append((start, end))
    for place in gz.commune_spans(text, skip):
        key = rec.commune(place.name, passage, code=place.departement)
        entity = rec.reg.entities[key]
        written = text[place.start : place.end]
        if written != place.name:
            entity.alt_labels.add(written)
        rec.reg.attr(key, "inseeCode", place.code)
        found.append(Mention(key, "Collectivite", place.start, place.end, written))
    return found


def _level_forms(epci: Epci) -> tuple[str, ...]:
    """The EPCI's name with its level word after it and before it ("Grand Poitiers Communauté urbaine",
    "Communauté urbaine du Grand Poitiers"), when the name does not already carry one."""
    words = LEVEL_WORDS.get(epci.level)
    if not words or any(w in fold(epci.written) for w in ("communaute", "agglo", "metropole", "intercom")):
        return ()
    of = epci.name.split(" ", 1)[1] if " " in epci.name else epci.written
    return (f"{epci.written} {words}", f"{words} {of}")


def _slug(label: str) -> str:
    from essgraph.core.text import slugify

    return slugify(label.replace("'", " "))
