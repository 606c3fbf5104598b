"""Amounts, shares and years as the network writes them ("30 000 €", "12 %", "en 2019"), written once."""

from __future__ import annotations

import re

AMOUNT = re.compile(r"(\d{1,3}(?:[\s\u202f\u00a0.]\d{3})*(?:,\d+)?)\s*(?:€|euros?\b|EUR\b)")
PERCENT = re.compile(r"(\d+(?:,\d+)?)\s*%")
YEAR = re.compile(r"\b(19[89]\d|20[0-3]\d)\b")


def num(value: str) -> str:
    """The digits of a written number as a decimal literal ("30 000" -> "30000", "2,5" -> "2.5")."""
    return re.sub(r"[\s\u202f\u00a0.]", "", value).replace(",", ".")
