"""French administrative geography used by search facets: département code -> région slug (2016 map)."""

from __future__ import annotations

import re

_REGIONS: dict[str, str] = {
    "auvergne-rhone-alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "bourgogne-franche-comte": "21 25 39 58 70 71 89 90",
    "bretagne": "22 29 35 56",
    "centre-val-de-loire": "18 28 36 37 41 45",
    "corse": "2A 2B",
    "grand-est": "08 10 51 52 54 55 57 67 68 88",
    "hauts-de-france": "02 59 60 62 80",
    "ile-de-france": "75 77 78 91 92 93 94 95",
    "normandie": "14 27 50 61 76",
    "nouvelle-aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "pays-de-la-loire": "44 49 53 72 85",
    "provence-alpes-cote-d-azur": "04 05 06 13 83 84",
    "guadeloupe": "971",
    "martinique": "972",
    "guyane": "973",
    "la-reunion": "974",
    "mayotte": "976",
}
_REGION_OF = {code: region for region, codes in _REGIONS.items() for code in codes.split()}
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
