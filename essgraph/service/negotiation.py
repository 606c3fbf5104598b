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
    "rdf+xml": "rdfxml",
    "rdf/xml": "rdfxml",
    "owl": "rdfxml",
    "n3": "ttl",  # Turtle is N3 without its rules: every N3 reader reads it
    "sparql-results+json": "json",
    "sparql-results+xml": "xml",
    "sparql-json": "json",
    "sparql-xml": "xml",
}


def format_name(
    fmt: str,
    offered: list[str],
    fallbacks: dict[str, str] | None = None,
    media_names: dict[str, str] | None = None,
) -> str | None:
    """The offered format name that `fmt` (a `format=` value, any case, any usual alias) stands for, or None.

    `fallbacks` maps a generic name to the route's own when the route does not offer the generic one
    (a CONSTRUCT asked as `json` is served as `jsonld`, as `xml` as `rdfxml`). `media_names` maps the
    route's media types to its names, so a media type given as a format (`format=text/csv`, as
    SPARQLWrapper sends for TSV and JSON-LD) is understood too.
    """
    name = fmt.strip().lower()
    if media_names and "/" in name:
        name = media_names.get(name.split(";")[0].strip(), name)
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


def _ranges(accept: str) -> list[tuple[str, str, dict[str, str]]]:
    """The media ranges of an Accept header, read by mimeparse as its own `quality` does; [] if unreadable."""
    try:
        return [mimeparse.parse_media_range(part) for part in accept.lower().split(",") if part.strip()]
    except ValueError:
        return []


def named_explicitly(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the Accept header names by its full type/subtype (no wildcard) with the
    highest q-value above 0, or None when it names none of them (only wildcards, or other types).

    This is what makes an Accept header a deliberate choice rather than a client's catch-all.
    """
    if not accept:
        return None
    ranges = _ranges(accept)
    best: tuple[float, int] | None = None
    chosen = None
    for position, media in enumerate(offered):
        quality, fitness = mimeparse.quality_and_fitness_parsed(media, ranges)
        if quality <= 0 or fitness < 110:  # 100 for the type, 10 for the subtype: no wildcard
            continue
        key = (quality, -position)
        if best is None or key > best:
            best, chosen = key, media
    return chosen


def pick_format(
    formats: list[str],
    accept: str | None,
    pairs: list[tuple[str, str]],
    fallbacks: dict[str, str] | None = None,
    allow_html: bool = False,
) -> str | None:
    """The format name to answer in, from the `format=` values and the Accept header; None means 406.

    `pairs` lists (media type, format name) in the server's order of preference. The rules, in order:
    1. an Accept header that names one of the media types outright (not through a wildcard) wins over
       `format=`, unless it also names text/html: an API client's Accept is a choice, a `format=` may be
       a library's default (SPARQLWrapper always sends one);
    2. otherwise the first `format=` value that names an offered format (alias or media type) wins — a
       browser following a download link sends text/html in Accept and means the `format=`;
    3. a `format=` naming nothing offered is refused (None), never silently replaced;
    4. without `format=`, the Accept header is negotiated, wildcards included (`negotiate`).
    """
    media_names = dict(pairs)
    names = list(dict.fromkeys(name for _, name in pairs))
    html_named = allow_html and named_explicitly(accept, [HTML]) is not None
    if not html_named:
        explicit = named_explicitly(accept, [media for media, _ in pairs])
        if explicit is not None:
            return media_names[explicit]
    for fmt in formats:
        if allow_html and fmt.strip().lower() == "html":
            return "html"
        name = format_name(fmt, names, fallbacks, media_names)
        if name is not None:
            return name
    if formats:
        return None
    offered = [media for media, _ in pairs] + ([HTML] if allow_html else [])
    chosen = negotiate(accept, offered)
    if chosen is None:
        return None
    return "html" if chosen == HTML else media_names[chosen]
