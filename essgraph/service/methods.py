"""HEAD and OPTIONS for every route: HEAD runs the GET and drops the body, OPTIONS lists the methods."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class MethodsMiddleware:
    """HEAD and OPTIONS on the application's routes (FastAPI routes answer only the methods they
    declare, so HEAD — which curl -I, link checkers and caches send — and OPTIONS were 405).

    HEAD is served by running the GET and sending its status and headers (Content-Length included)
    without the body. OPTIONS runs the request through the router, whose 405 answer names the
    methods of the path in `Allow`; that becomes a 204 with `Allow` (plus HEAD and OPTIONS). A path no
    route serves keeps its 404. A CORS preflight is answered before this by the CORS middleware when
    origins are configured.
    """

    def __init__(self, app: ASGIApp, routes: list[Any] | None = None) -> None:
        self.app = app
        self.routes = routes if routes is not None else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route HEAD to GET without body, answer OPTIONS with Allow; pass everything else through."""
        method = scope.get("method") if scope["type"] == "http" else None
        if method == "HEAD":
            await self.app(dict(scope, method="GET"), receive, _without_body(send))
        elif method == "OPTIONS":
            declared = declared_methods(self.routes, scope.get("path", ""))
            await self.app(scope, receive, _allow_answer(send, declared))
        else:
            await self.app(scope, receive, send)


def _leaf_routes(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if callable(contexts):  # FastAPI ≥ 0.165 keeps included routers as one entry
            yield from (context.original_route for context in contexts())
        else:
            yield route


def declared_methods(routes: list[Any], path: str) -> set[str]:
    """Every method the routes declare for `path` (the router's own 405 names only the first route's,
    and /sparql has one route for GET and another for POST)."""
    found: set[str] = set()
    for route in _leaf_routes(routes):
        regex = getattr(route, "path_regex", None)
        methods = getattr(route, "methods", None)
        if regex is not None and methods and regex.match(path):
            found |= set(methods)
    return found


def allow_header(methods: str, declared: set[str] | None = None) -> str:
    """The Allow value: the methods of the router's 405 and `declared`, HEAD with GET, OPTIONS always."""
    names = {m.strip().upper() for m in methods.split(",") if m.strip()} | set(declared or ())
    if "GET" in names:
        names.add("HEAD")
    names.add("OPTIONS")
    return ", ".join(sorted(names))


def _without_body(send: Send) -> Send:
    """A `send` that forwards the response start and replaces the body by one empty final message."""

    async def forward(message: Message) -> None:
        if message["type"] == "http.response.body":
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await send(message)

    return forward


def _allow_answer(send: Send, declared: set[str]) -> Send:
    """A `send` that turns the router's 405 (with its Allow header) into 204 with the full Allow."""
    replaced = False

    async def forward(message: Message) -> None:
        nonlocal replaced
        if message["type"] == "http.response.start" and message["status"] == 405:
            headers = dict(message.get("headers", []))
            allow = headers.get(b"allow")
            if allow is not None:
                replaced = True
                value = allow_header(allow.decode("latin-1"), declared).encode("ascii")
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [(b"allow", value), (b"content-length", b"0")],
                    }
                )
                return
        if message["type"] == "http.response.body" and replaced:
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await send(message)

    return forward
