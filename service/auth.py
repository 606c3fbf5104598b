"""Staff bearer tokens: hashed in settings, compared in constant time, checked per scope."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from essgraph.errors import ConfigError, Forbidden, Unauthorized

SCOPES: dict[str, str] = {
    "write": "SPARQL UPDATE / LOAD / CLEAR / DROP sur /sparql",
    "curate": "liens validés par l'équipe (/api/links, /curation)",
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


@dataclass(frozen=True, slots=True)
class StaffIdentity:
    """The staff member a request was authenticated as."""

    name: str
    scopes: frozenset[str]


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


class TokenVerifier:
    """Checks `Authorization: Bearer …` headers against the hashed tokens of the settings."""

    def __init__(self, entries: list[str]) -> None:
        self._tokens = parse_staff_tokens(entries)

    def identify(self, authorization: str | None) -> StaffIdentity:
        """The staff identity for an Authorization header; raises Unauthorized if absent or unknown.

        Every configured digest is compared (constant time, no early exit) so timing does not tell
        which entry, if any, matched.
        """
        if not authorization:
            raise Unauthorized(
                "Jeton d'équipe requis (en-tête Authorization: Bearer …).",
                "A staff token is required (Authorization: Bearer … header).",
            )
        scheme, _, credentials = authorization.partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            raise Unauthorized(
                "En-tête Authorization invalide : « Bearer <jeton> » attendu.",
                "Invalid Authorization header: 'Bearer <token>' expected.",
            )
        presented = hash_token(credentials).encode("ascii")
        found: StaffToken | None = None
        for token in self._tokens:
            if hmac.compare_digest(presented, token.digest.encode("ascii")) and found is None:
                found = token
        if found is None:
            raise Unauthorized("Jeton d'équipe inconnu.", "Unknown staff token.")
        return StaffIdentity(name=found.name, scopes=found.scopes)

    def require(self, authorization: str | None, scope: str) -> StaffIdentity:
        """The identity if its token carries `scope`; raises Unauthorized (no/bad token) or Forbidden."""
        identity = self.identify(authorization)
        if scope not in identity.scopes:
            raise Forbidden(
                f"Ce jeton n'a pas la portée « {scope} » nécessaire ({SCOPES.get(scope, scope)}).",
                f"This token lacks the '{scope}' scope required here.",
                required_scope=scope,
            )
        return identity


def require_scope(scope: str) -> Callable[[Request], StaffIdentity]:
    """A FastAPI dependency returning the StaffIdentity of a request whose token carries `scope`."""

    def dependency(request: Request) -> StaffIdentity:
        verifier: TokenVerifier = request.app.state.service.tokens
        return verifier.require(request.headers.get("authorization"), scope)

    return dependency
