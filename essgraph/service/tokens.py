"""Staff tokens without the web stack: scopes, hashing, parsing of settings entries, new tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from essgraph.core.errors import ConfigError

SCOPES: dict[str, str] = {
    "write": "SPARQL UPDATE / LOAD / CLEAR / DROP sur /sparql",
    "curate": "liens validés et corrections d'entités par l'équipe (/api/links, /api/corrections, /curation)",
    "upload": "dépôt et ingestion de documents (POST /api/documents)",
}
"""Every scope a staff token can carry, with what it opens."""

_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_HEX = re.compile(r"^[0-9a-f]{64}$")
_TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class StaffToken:
    """One configured token: who holds it, what it may do, and the sha256 of the secret."""

    name: str
    scopes: frozenset[str]
    digest: str


def hash_token(token: str) -> str:
    """The lowercase sha256 hex digest of a clear token (what settings store)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_staff_tokens(entries: list[str]) -> list[StaffToken]:
    """Parse `settings.staff_tokens` ('name:scope1,scope2:sha256hex'); raises ConfigError on a bad entry.

    The error names the entry's position, never its content (it holds a hash, but still).
    """
    tokens: list[StaffToken] = []
    for position, entry in enumerate(entries, start=1):
        parts = entry.strip().split(":")
        if len(parts) != 3:
            raise ConfigError(
                f"staff_tokens n°{position} : format attendu 'nom:portée1,portée2:sha256hex'.",
                f"staff_tokens #{position}: expected 'name:scope1,scope2:sha256hex'.",
            )
        name, scope_text, digest = parts
        scopes = frozenset(s.strip() for s in scope_text.split(",") if s.strip())
        unknown = scopes - SCOPES.keys()
        if not _NAME.match(name) or not _HEX.match(digest.lower()) or unknown or not scopes:
            raise ConfigError(
                f"staff_tokens n°{position} : nom, portées ({', '.join(sorted(SCOPES))}) ou empreinte "
                "sha256 invalides.",
                f"staff_tokens #{position}: invalid name, scopes or sha256 digest.",
            )
        tokens.append(StaffToken(name=name, scopes=scopes, digest=digest.lower()))
    return tokens


def new_token() -> str:
    """A fresh random clear token (URL-safe, 256 bits)."""
    return secrets.token_urlsafe(_TOKEN_BYTES)


def settings_entry(name: str, scopes: list[str], token: str) -> str:
    """The `staff_tokens` entry to configure for `token`; raises ConfigError on an unknown scope or name."""
    entry = f"{name}:{','.join(scopes)}:{hash_token(token)}"
    parse_staff_tokens([entry])
    return entry
