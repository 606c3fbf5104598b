"""Safe building blocks for the SPARQL the service writes itself: IRIs and literals checked/escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from essgraph.core.errors import BadInput

_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|^`\\]')
_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def iri(value: str) -> str:
    """`<value>` for use in a query; raises BadInput when `value` is not an absolute http(s) IRI
    or holds characters that could break out of the IRI (so user input can never inject SPARQL)."""
    if not value.startswith(("http://", "https://")) or _BAD_IRI_CHARS.search(value) or len(value) > 2048:
        raise BadInput(f"IRI invalide : {value[:200]!r}", f"invalid IRI: {value[:200]!r}")
    return f"<{value}>"


def literal(value: str, lang: str | None = None) -> str:
    """A quoted, escaped SPARQL string literal (with an optional language tag)."""
    text = '"' + value.translate(_LITERAL_ESCAPES) + '"'
    if lang:
        if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", lang):
            raise BadInput(f"étiquette de langue invalide : {lang!r}", f"invalid language tag: {lang!r}")
        text += "@" + lang
    return text


def values(variable: str, iris: list[str]) -> str:
    """A `VALUES ?variable { <a> <b> … }` block for `iris` (each checked with `iri`)."""
    return f"VALUES ?{variable} {{ {' '.join(iri(v) for v in iris)} }}"


def xsd_now() -> str:
    """The current UTC time as the text of an xsd:dateTime, to the microsecond (the staff histories are
    ordered by it, and two decisions of the same second must not tie)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
