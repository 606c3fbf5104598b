"""French administrative geography used by search facets: département code -> région slug (2016 map)."""

from __future__ import annotations

import re

from essgraph.ontology.geography import REGION_OF_DEPARTEMENT, region_slug

_REGION_OF = {code: region_slug(region) for code, region in REGION_OF_DEPARTEMENT.items()}
_CODE = re.compile(r"(?:^|[/#-])(2[AB]|97\d|\d{2})$", re.IGNORECASE)


def departement_code(value: str) -> str | None:
    """The département code in a literal ("69") or an IRI ending with it (INSEE, /place/…-69), else None."""
    value = value.strip()
    if re.fullmatch(r"\d{1,3}|2[AB]", value, re.IGNORECASE):
        code = value.upper().zfill(2)
        return code if code in _REGION_OF else None
    match = _CODE.search(value)
    if match and match.group(1).upper() in _REGION_OF:
        return match.group(1).upper()
    return None


def region_of(code: str) -> str | None:
    """The région slug of a département code, None if unknown."""
    return _REGION_OF.get(code.upper())
