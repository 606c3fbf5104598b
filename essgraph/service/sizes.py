"""The sizes a route parameter or a request field accepts at most, defined once for every router and schema.

FastAPI and pydantic read these when a route or a model is declared, before any settings object exists, so
they are constants; a value over one of them gets the one documented 400 answer naming the parameter.
"""

from __future__ import annotations

from essgraph.core.settings import QUERY_CHARS_CEILING

IRI_CHARS = 2048
"""An IRI (entity, initiative, lever, passage, document, collectivité): the usual URL limit of browsers."""

REASON_CHARS = 2000
"""The reason a curator gives for a link, a correction or a split (shown in the history)."""

LABEL_CHARS = 300
"""The label of an entity a curator creates (a split's new entity)."""

KIND_CHARS = 40
"""A kind key (collectivite, organisation, initiative…)."""

TYPED_NAME_CHARS = 200
"""What is typed in a name box (autocomplete of entities and collectivités)."""

DEPARTEMENT_CHARS = 3
"""A département code (« 29 », « 2A », « 974 »)."""

CORRECTION_VALUE_CHARS = IRI_CHARS
"""The new value of an entity correction: a label, a code or an IRI."""

CHOSEN_ITEMS = 2000
"""Passages or documents chosen for one split."""

COLLECTIVITE_SUGGESTIONS = 50
"""Collectivités proposed at most while a name is typed (« comme la mienne »)."""

PAGE_QUERY_CHARS = QUERY_CHARS_CEILING
"""The search page's question: the ceiling of the `max_query_chars` setting, which the engine enforces."""
