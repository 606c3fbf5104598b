"""The agreement a funding is paid under: « dans le cadre de notre convention pluriannuelle d'objectifs »."""

from __future__ import annotations

import re
from functools import lru_cache

from essgraph.ingest.extract.lexicon import load_lexicon
from essgraph.ingest.extract.names import FUNCTION_WORDS

# A funding sentence may say which agreement it is paid under: « dans le cadre de », « au titre de », « en
# application de », « en vertu de » followed by an agreement's name — an agreement head of lexicon.toml
# (convention, contrat, accord, charte, protocole) or the acronym of a convention of objectives (CPO, CPOM).
# A possessive or article before it is no part of the name (« notre convention » = the beneficiary's).
_LEAD = (
    r"(?:dans\s+le\s+cadre|au\s+titre|en\s+application|en\s+vertu)\s+(?:de\s+(?:la\s+|l['’])|du\s+|d['’]|de\s+)"
    r"(?:(?:notre|votre|sa|son|leur|cette|cet|ce)\s+)?"
)
_ACRONYMS = ("CPOM", "CPO")
# The name ends at punctuation or at a word that opens a clause or a new complement about something else
# (« signée en 2022 », « qui prévoit », « pour la période », « avec la Région »).
_END = re.compile(
    r"[,;:.!?()«»]|\s(?:qui|que|dont|où|pour|avec|afin|depuis|entre|à\s+hauteur|"
    r"et(?!\s+(?:de|des|du|d['’]))|sign[ée]e?s?|conclue?s?|pass[ée]e?s?|vot[ée]e?s?|adopt[ée]e?s?)\b"
)
_MAX_WORDS = 10


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    heads = sorted(
        (h for h, etype in load_lexicon().heads.items() if etype == "Agreement"), key=len, reverse=True
    )
    words = "|".join(re.escape(h) for h in heads)
    return re.compile(rf"(?i:{_LEAD})(?P<name>(?:(?i:{words})|{'|'.join(_ACRONYMS)})\b)")


def framework_agreement(sentence: str) -> str | None:
    """The name of the agreement `sentence` says a funding is paid under (« convention pluriannuelle
    d'objectifs 2023-2025 », « CPO 2021-2023 »), without its article or possessive; None when none is."""
    m = _pattern().search(sentence)
    if m is None:
        return None
    rest = sentence[m.start("name") :]
    end = _END.search(rest, len(m.group("name")))
    name = rest[: end.start() if end else len(rest)].strip()
    words = name.split()
    return " ".join(words[:_MAX_WORDS]).rstrip(" -–") or None


def acronym(name: str) -> str | None:
    """The acronym French administrations use for a long agreement name, from the initials of its content
    words, with the years kept (« convention pluriannuelle d'objectifs 2023-2025 » → « CPO 2023-2025 »,
    « … d'objectifs et de moyens » → « CPOM »); None under three content words or when `name` is one."""
    words = re.findall(r"[^\W\d_]+|\d[\d\s/-]*\d|\d", name)
    content = [w for w in words if not w[0].isdigit() and w.lower() not in FUNCTION_WORDS]
    if len(content) < 3 or any(w.isupper() and len(w) > 1 for w in content):
        return None
    initials = "".join(w[0].upper() for w in content)
    years = " ".join(w.strip() for w in words if w[0].isdigit())
    return f"{initials} {years}".strip()


def agreement_qualifiers(sentence: str) -> dict[str, str]:
    """The qualifiers of a funding told by `sentence` that name its agreement: {"agreement": name} and,
    when it has one, {"agreementAcronym": acronym}; empty when the sentence names none."""
    name = framework_agreement(sentence)
    if name is None:
        return {}
    short = acronym(name)
    return {"agreement": name, **({"agreementAcronym": short} if short else {})}


def with_agreement(quals: dict[str, str], sentence: str) -> dict[str, str]:
    """`quals` of a funding told by `sentence` with its agreement's qualifiers added; a year read only
    inside the agreement's name (« CPO 2021-2023 ») is its period, not the funding's year, so it is
    dropped. Returns a new dict."""
    framework = agreement_qualifiers(sentence)
    out = {**quals, **framework}
    year = out.get("year")
    if framework and year and year not in sentence.replace(framework["agreement"], " "):
        del out["year"]
    return out


# « au titre de son dispositif X », « dans le cadre du programme Y »: the words before the scheme a funding
# comes through, which is how the money is granted, not who receives it.
_SCHEME_BEFORE = re.compile(
    r"(?:au\s+titre|dans\s+le\s+cadre|par\s+l['’]interm[ée]diaire)\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*"
    r"(?:(?:son|sa|ses|leur|leurs|notre|nos|votre)\s+)?$",
    re.IGNORECASE,
)


def names_scheme(text: str, start: int) -> bool:
    """Whether the mention starting at `start` of `text` follows scheme words (« au titre de son »)."""
    return _SCHEME_BEFORE.search(text[max(0, start - 60) : start]) is not None
