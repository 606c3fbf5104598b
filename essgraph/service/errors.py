"""One error format for every failure: JSON {status, code, message, message_en, details?}, or French HTML."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from essgraph.core.errors import EssgraphError
from essgraph.service.negotiation import prefers_html

log = logging.getLogger(__name__)

_HTTP_MESSAGES: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "Requête invalide.", "Bad request."),
    401: ("unauthorized", "Authentification requise.", "Authentication required."),
    403: ("forbidden", "Accès refusé.", "Forbidden."),
    404: ("not_found", "Page ou ressource introuvable.", "Not found."),
    405: ("method_not_allowed", "Méthode HTTP non autorisée ici.", "Method not allowed."),
    406: ("not_acceptable", "Aucun format de réponse acceptable.", "Not acceptable."),
    413: ("payload_too_large", "Requête trop volumineuse.", "Payload too large."),
    415: ("unsupported_media_type", "Type de contenu non pris en charge.", "Unsupported media type."),
    422: ("validation_error", "Paramètres invalides.", "Invalid parameters."),
    500: ("internal_error", "Erreur interne du serveur.", "Internal server error."),
}

_TITLES_FR: dict[int, str] = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    406: "Format non disponible",
    413: "Envoi trop volumineux",
    422: "Paramètres invalides",
    429: "Trop de requêtes",
    503: "Service momentanément indisponible",
}


def error_body(
    status: int, code: str, message: str, message_en: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The uniform error JSON object (what every failure of the API answers)."""
    body: dict[str, Any] = {"status": status, "code": code, "message": message, "message_en": message_en}
    if details:
        body["details"] = jsonable_encoder(details)
    return body


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/openapi.json":
        return False
    return prefers_html(request.headers.get("accept"))


def render_error(request: Request, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """The error as JSON, or as a French HTML page when a browser asked for a page."""
    status = int(body["status"])
    if _wants_html(request):
        service = getattr(request.app.state, "service", None)
        templates = getattr(request.app.state, "templates", None)
        if templates is not None:
            html = templates.get_template("error.html").render(
                request=request,
                title=_TITLES_FR.get(status, "Erreur"),
                error=body,
                service=service,
            )
            return HTMLResponse(html, status_code=status, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


async def _essgraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EssgraphError)
    if exc.status >= 500:
        log.warning("%s: %s", exc.code, exc.message_en)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
    if "retry_after" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after"])
    return render_error(request, exc.to_dict(), headers or None)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"location": [str(p) for p in err.get("loc", ())], "problem": str(err.get("msg", ""))}
        for err in exc.errors()
    ]
    fields = ", ".join(".".join(p["location"][1:]) or p["location"][0] for p in problems if p["location"])
    body = error_body(
        400,
        "bad_input",
        f"Paramètres invalides : {fields}." if fields else "Paramètres invalides.",
        f"Invalid parameters: {fields}." if fields else "Invalid parameters.",
        {"errors": problems},
    )
    return render_error(request, body)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, fr, en = _HTTP_MESSAGES.get(
        exc.status_code, (f"http_{exc.status_code}", "Erreur HTTP.", "HTTP error.")
    )
    return render_error(request, error_body(exc.status_code, code, fr, en), dict(exc.headers or {}) or None)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    code, fr, en = _HTTP_MESSAGES[500]
    return render_error(request, error_body(500, code, fr, en))


VALIDATION_RESPONSE: dict[str, Any] = {
    "description": "Paramètre invalide (absent, mal typé, hors limites) : le format d'erreur uniforme, "
    "code `bad_input`, `details.errors` nommant chaque paramètre.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
}
"""What OpenAPI documents for a bad parameter: the 400 every request validation failure answers."""


def _document_validation_as_400(app: FastAPI) -> None:
    """Make /openapi.json say what the service does: FastAPI lists a 422 `HTTPValidationError` on every
    operation with parameters; bad parameters answer the uniform 400 instead (see _validation_error)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {}) if isinstance(operation, dict) else {}
                documented = responses.get("422", {})
                refs = str(documented.get("content", {}))
                if "HTTPValidationError" in refs:
                    del responses["422"]
                    responses.setdefault("400", VALIDATION_RESPONSE)
        components = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" not in str(schema.get("paths", {})):
            components.pop("HTTPValidationError", None)
            components.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the uniform error format (a request that fails
    validation, whatever the parameter, answers 400 `bad_input`, as a BadInput raised by the code does)."""
    _document_validation_as_400(app)
    app.add_exception_handler(EssgraphError, _essgraph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
