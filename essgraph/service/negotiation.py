"""HTTP content negotiation: the one place that reads an Accept header (python-mimeparse) or a format name."""

from __future__ import annotations

import mimeparse

HTML = "text/html"

# usual spellings of a `format=` value → the service's format name (SELECT: json, xml, csv, tsv;
# graphs: ttl, nt, nq, trig, jsonld, rdfxml). A name a route does not offer is refused there (406).
FORMAT_ALIASES: dict[str, str] = {
    "srj": "json",
    "srx": "xml",
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "nquads": "nq",
    "n-quads": "nq",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
}


def format_name(fmt: str, offered: list[str], fallbacks: dict[str, str] | None = None) -> str | None:
    """The offered format name that `fmt` (a `format=` value, any case, any usual alias) stands for, or None.

    `fallbacks` maps a generic name to the route's own when the route does not offer the generic one
    (a CONSTRUCT asked as `json` is served as `jsonld`, as `xml` as `rdfxml`).
    """
    name = fmt.strip().lower()
    name = FORMAT_ALIASES.get(name, name)
    if name not in offered and fallbacks:
        name = fallbacks.get(name, name)
    return name if name in offered else None


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers, `offered[0]` without a header, or None.

    mimeparse ranks by q-value, then by how specific the matching range is; among equal ones the
    order of `offered` (the server's preference) decides, so `*/*` alone yields the first offered type.
    None when nothing offered is acceptable, including a header mimeparse cannot read (a range without
    a '/'): the caller answers 406 rather than guess.
    """
    if not offered:
        return None
    if not accept or not accept.strip():
        return offered[0]
    try:
        # best_match prefers the last of equals; media types are case-insensitive (RFC 9110 §8.3.1)
        chosen: str = mimeparse.best_match(offered[::-1], accept.lower())
    except ValueError:  # MimeTypeParseException, or a q-value float() refuses
        return None
    return chosen or None


def prefers_html(accept: str | None) -> bool:
    """True when a browser-style Accept header ranks text/html above JSON (used for error pages)."""
    if not accept:
        return False
    return negotiate(accept, [HTML, "application/json"]) == HTML and "text/html" in accept.lower()
