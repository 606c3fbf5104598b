"""Staff bearer tokens: hashed in settings, compared in constant time, checked per scope."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from essgraph.core.errors import Forbidden, Unauthorized
from essgraph.service.tokens import (
    SCOPES,
    StaffToken,
    hash_token,
    new_token,
    parse_staff_tokens,
    settings_entry,
)

__all__ = [
    "BEARER",
    "SCOPES",
    "StaffIdentity",
    "StaffToken",
    "TokenVerifier",
    "hash_token",
    "new_token",
    "parse_staff_tokens",
    "require_scope",
    "settings_entry",
]


@dataclass(frozen=True, slots=True)
class StaffIdentity:
    """The staff member a request was authenticated as."""

    name: str
    scopes: frozenset[str]


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


BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="jeton",
    description="Jeton d'équipe : `Authorization: Bearer <jeton>` (portées : " + ", ".join(SCOPES) + ").",
)
"""The bearer scheme as declared in the OpenAPI description (the check itself is TokenVerifier's)."""


def require_scope(scope: str) -> Callable[..., StaffIdentity]:
    """A FastAPI dependency returning the StaffIdentity of a request whose token carries `scope`."""

    def dependency(
        request: Request, _declared: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]
    ) -> StaffIdentity:
        verifier: TokenVerifier = request.app.state.service.tokens
        return verifier.require(request.headers.get("authorization"), scope)

    return dependency
