"""Patterns and small text helpers shared by several rule families of the extractor."""

from __future__ import annotations

import re
from typing import Any

from essgraph.core.text import FRENCH_MONTHS
from essgraph.ingest.extract.cache import fold

MONTHS = {fold(name): number for number, name in enumerate(FRENCH_MONTHS, 1)}  # "fevrier" -> 2

T_ORGANISED = re.compile(r"\b(?:co-?)?organis[ée]e?s?\s+(?:par|avec)\b", re.IGNORECASE)

ROLE_WORD = (
    r"(?:vice-pr[ée]sidente?|pr[ée]sidente?|adjointe?(?: au maire)?|maire|conseill[eè]re?(?: municipale?| "
    r"r[ée]f[ée]rente?)?|[ée]lue?|d[ée]l[ée]gu[ée]e?(?: g[ée]n[ée]rale?)?|directeur|directrice|"
    r"administrat(?:eur|rice)|tr[ée]sori[eè]re?|secr[ée]taire|charg[ée]e? de mission|repr[ée]sentante?)"
)

# an incidental clause, set off by commas, opens with a relative pronoun (« auquel X a versé … », « qui
# ouvrira … ») or a past participle with its complement (« financée par X », « créée en 2019 »): the date it
# gives is its own event's, and a date outside it is not its event's
_INCIDENTAL = re.compile(
    r"(?:(?:[àa]\s+|au|aux|par\s+|pour\s+|avec\s+)?(?:qui|que|qu['’]|dont|où|laquelle|lequel|lesquel(?:le)?s|"
    r"auquel|auxquel(?:le)?s)\b"
    r"|[a-zàâçéèêëîïôûü]+(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ites|ert|erte)\s+"
    r"(?:par|en|pour|avec|dans|à|au|aux|sur|depuis|de|du|des|d['’])\b)",
    re.IGNORECASE,
)


def _clause_at(sentence: str, pos: int) -> tuple[int, bool]:
    """The comma-delimited segment of `sentence` holding character `pos`: (its start, whether it opens an
    incidental clause)."""
    start = sentence.rfind(",", 0, pos) + 1
    return start, _INCIDENTAL.match(sentence[start:].lstrip()) is not None


def same_clause(sentence: str, head: int, other: int) -> bool:
    """Whether what is written at character `other` of `sentence` may belong to the clause of what is
    written at `head`: both in one comma-delimited segment, or neither inside an incidental clause. A date
    dates its own clause's event (« En 2023, X a accordé … » dates the grant; « X, financée par Y à
    hauteur de Z €, ouvrira en 2026 » does not), and an actor named in an incidental phrase is none of the
    main verb's arguments (« La Ville de Lyon, située à 400 km de Paris, soutient … »)."""
    head_start, head_incidental = _clause_at(sentence, head)
    other_start, other_incidental = _clause_at(sentence, other)
    return head_start == other_start or not (head_incidental or other_incidental)


PERSON_SHAPE = re.compile(r"\b[A-ZÉ][a-zéèëï]+(?:-[A-ZÉ][a-zéèëï]+)?\s+(?:[A-ZÉ][a-zéèëï]+|[A-Z]{3,})\b")

LOW = "a-zàâäçéèêëîïôöùûü"

AMOUNT_OR_COUNT = re.compile(
    r"(?:t[ée]l[ée]charg[ée]e?s?|consult[ée]e?s?|[ée]dit[ée]e? [àa]|imprim[ée]e? en)\s+(?:\w+\s+)?"
    r"(\d[\d\s]*)\s*"
    r"(fois|exemplaires|vues)",
    re.IGNORECASE,
)


PERSON_STOP = {
    # a firm named after its founder ("X Y Conseils") is no person
    "Conseils",
    "Consulting",
    "Associés",
    "Partenaires",
    "Ville",
    "Commune",
    "Région",
    "Département",
    "Métropole",
    "Maire",
    "Conseil",
    "Fiche",
    "Points",
    "Lettre",
    "Mois",
    "Pacte",
    "Mesure",
    "Loi",
    "Kit",
    "Plan",
    "Club",
    "Centre",
    "Réseau",
    "Pôle",
    "Projet",
    "SCIC",
    "Scic",
    "Fondation",
    "Association",
    "Chambre",
    "Agence",
    "Banque",
    "Caisse",
    "Labo",
    "Territoires",
    "France",
}

# What a collectivité does for an initiative, said in an example box's body.
SUPPORT_CUE = re.compile(
    r"\b(?:soutien\w*|soutient|soutenu\w*|accompagn\w*|financ\w*|subvention\w*|cofinanc\w*|"
    r"(?:mise?|met|mettent) [àa] disposition|appui\w*|aid[ée]\w*|h[ée]berg\w*|impuls\w*|initi[ée]\w*|"
    r"missionn\w*|port[ée]e? par|lauréat\w*|partenaire\w*|convention\w*|capital)\b",
    re.IGNORECASE,
)

# An organisation's production verb right after its name: "le réseau produit / publie / édite / réalise …"
PRODUCES = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:a\s+|avait\s+)?(?:produit|publi[ée]?|publie|[ée]dit[ée]?|[ée]dite|r[ée]alis[ée]?|"
    r"r[ée]alise|diffuse|[ée]labor[ée]?|[ée]labore)\b",
    re.IGNORECASE,
)


def sentence_spans(text: str) -> list[tuple[int, str]]:
    """The sentences of `text` with their start offsets."""
    spans, start = [], 0
    for found in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"])", text):
        spans.append((start, text[start : found.start()]))
        start = found.end()
    spans.append((start, text[start:]))
    return spans


def sentence_at(text: str, at: int) -> str:
    """The sentence of `text` (as `sentence_spans` cuts it) holding the character at `at`."""
    return next(sentence for start, sentence in reversed(sentence_spans(text)) if start <= at)


def is_person_name(name: str) -> bool:
    tokens = name.split()
    if not 2 <= len(tokens) <= 4:
        return False
    if any(t in PERSON_STOP or t.isdigit() for t in tokens):
        return False
    return all(t[:1].isupper() for t in tokens) and all(re.fullmatch(r"[\wÀ-ÿ'-]+", t) for t in tokens)


def concept_iris(matches: Any) -> set[str]:
    out: set[str] = set()
    for item in matches or []:
        value = item
        if isinstance(item, tuple):
            value = item[0]
        for attr in ("iri", "concept", "uri"):
            if hasattr(value, attr):
                value = getattr(value, attr)
                break
        if value is not None:
            out.add(str(value))
    return out


def thesaurus_org_aliases(thesaurus: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(alias -> canonical label, canonical label -> key) of the thesaurus's reference organisations."""
    aliases: dict[str, str] = {}
    keys: dict[str, str] = {}
    orgs = getattr(thesaurus, "organisations", None)
    if callable(orgs):
        orgs = orgs()
    for org in orgs or []:
        iri = str(getattr(org, "iri", ""))
        label = getattr(org, "label", None) or getattr(org, "pref_label", None)
        if not label or "/organisation/" not in iri:
            continue
        label = str(label)
        keys[label] = "organisation/" + iri.rsplit("/organisation/", 1)[1]
        for alias in (*(getattr(org, "alt_labels", ()) or ()), *(getattr(org, "hidden_labels", ()) or ())):
            aliases[str(alias)] = label
        aliases[label] = label
    return aliases, keys
