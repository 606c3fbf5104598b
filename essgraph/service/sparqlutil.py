"""The time stamp of staff decisions (values for queries are bindings: essgraph.graph.bindings)."""

from __future__ import annotations

from datetime import UTC, datetime


def xsd_now() -> str:
    """The current UTC time as the text of an xsd:dateTime, to the microsecond (the staff histories are
    ordered by it, and two decisions of the same second must not tie)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
