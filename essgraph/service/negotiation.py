"""HTTP content negotiation: pick the best offered media type for an Accept header (q-values)."""

from __future__ import annotations

from dataclasses import dataclass

HTML = "text/html"


@dataclass(frozen=True, slots=True)
class _Range:
    kind: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        kind, _, subtype = media_type.partition("/")
        return self.kind in ("*", kind) and self.subtype in ("*", subtype)

    @property
    def specificity(self) -> int:
        return (self.kind != "*") + (self.subtype != "*")


def _parse(accept: str) -> list[_Range]:
    ranges: list[_Range] = []
    for order, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        kind, _, subtype = media.lower().partition("/")
        ranges.append(_Range(kind, subtype, q, order))
    return ranges


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers, `offered[0]` if there is no header, or None.

    Among equal q-values the most specific range wins, then the order of `offered` (the server's
    preference) — so `*/*` alone yields the first offered type.
    """
    if not offered:
        return None
    if not accept or not accept.strip():
        return offered[0]
    ranges = _parse(accept)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for position, media_type in enumerate(offered):
        matching = [r for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        top = max(matching, key=lambda r: (r.specificity, -r.order))
        if top.q <= 0:
            continue
        key = (top.q, top.specificity, -position)
        if best is None or key > best:
            best, chosen = key, media_type
    return chosen


def prefers_html(accept: str | None) -> bool:
    """True when a browser-style Accept header ranks text/html above JSON (used for error pages)."""
    if not accept:
        return False
    return negotiate(accept, [HTML, "application/json"]) == HTML and "text/html" in accept.lower()
