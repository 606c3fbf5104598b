"""Security headers on every response, and secrets kept out of the access log."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from urllib.parse import unquote_plus

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The pages load only their own scripts, styles and images; nothing may frame them.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
# The API explorer (/docs) loads Swagger UI from this service (packaged assets, no CDN) and
# starts it with an inline script: that script is allowed by its hash only (computed on the page as served).
# It injects styles at run time, so that page alone allows inline styles (never scripts).
DOCS_POLICY = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; font-src 'self'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)
DOCS_PATHS = ("/docs",)
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def script_hashes(page: bytes) -> list[str]:
    """CSP sources ('sha256-…') of the inline scripts of an HTML `page`, in order."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + "'"
        for body in _INLINE_SCRIPT.findall(page)
    ]


def docs_policy(page: bytes) -> str:
    """The Content-Security-Policy of an API explorer page: its own inline scripts allowed by hash."""
    hashes = "".join(" " + source for source in script_hashes(page))
    return DOCS_POLICY.format(hashes=hashes)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy, nosniff, frame and referrer protection to every HTTP response.

    It must wrap the whole application, the server-error handler included (see
    `essgraph.service.app.EssgraphApp`), so that 500 pages carry the headers too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; set the headers on the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if str(scope.get("path", "")).startswith(DOCS_PATHS):
            await self._docs_page(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _secure(message, PAGE_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs_page(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve an API explorer page held whole (a few kilobytes) so its policy can name its scripts."""
        start: Message | None = None
        body: list[bytes] = []

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = b"".join(body)
                _secure(start, docs_policy(page))
                await send(start)
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, hold)


def _secure(start: Message, policy: str) -> None:
    """Set the security headers on a response start message (those the route set are kept)."""
    headers = MutableHeaders(scope=start)
    for name, value in FIXED_HEADERS.items():
        headers.setdefault(name, value)
    headers.setdefault("Content-Security-Policy", policy)


# Query parameters whose value is a secret, compared after percent-decoding, in lower case, with "-"
# read as "_" (so `access%5Ftoken`, `Access-Token` and `access_token` are one name).
SECRET_PARAMETERS = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "key",
        "api_key",
        "apikey",
        "auth",
        "authorization",
        "password",
        "passwd",
        "secret",
        "client_secret",
        "jwt",
        "session",
        "signature",
        "sig",
    }
)
SECRET_ENDINGS = ("_token", "_key", "_secret", "_password")
_QUERY_END = re.compile(r"[#\s]")  # a query string ends at a fragment or, in a log line, at a space


def is_secret_parameter(raw_name: str) -> bool:
    """True when a query parameter named `raw_name` (as written in the URL) carries a secret."""
    name = unquote_plus(raw_name).strip().lower().replace("-", "_").removesuffix("[]")
    return name in SECRET_PARAMETERS or name.endswith(SECRET_ENDINGS)


def redact(url: str) -> str:
    """`url` with the values of its secret query parameters replaced by `***` (everything else kept)."""
    path, question, rest = url.partition("?")
    if not question:
        return url
    end = _QUERY_END.search(rest)
    cut = end.start() if end else len(rest)
    query, tail = rest[:cut], rest[cut:]
    pairs = []
    for pair in query.split("&"):
        name, equals, _ = pair.partition("=")
        pairs.append(f"{name}=***" if equals and is_secret_parameter(name) else pair)
    return f"{path}?{'&'.join(pairs)}{tail}"


class RedactSecrets(logging.Filter):
    """Rewrites uvicorn's access-log lines so that a secret sent in the query string is never written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact every string argument of the record; always keep the record."""
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_log_redaction(logger_name: str = "uvicorn.access") -> None:
    """Add the redaction filter to `logger_name` once (the service may be created several times)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
