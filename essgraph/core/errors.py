"""One error hierarchy: every failure carries an HTTP status, a code and a French/English message."""

from __future__ import annotations

from typing import Any


class EssgraphError(Exception):
    """Base of every error the product reports to a person.

    `status` is the HTTP status the service answers with, `code` a stable machine-readable name,
    `message_fr`/`message_en` the human texts. The CLI prints the French text on one line and exits
    with `exit_code`.
    """

    status: int = 500
    code: str = "internal_error"
    exit_code: int = 1

    def __init__(self, message_fr: str, message_en: str | None = None, **details: Any) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr
        self.message_en = message_en or message_fr
        self.details = details

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with both messages and the details (an ingest worker process hands its errors back to
        the writer; the default pickling keeps only the French text)."""
        return (_restore_error, (type(self), self.message_fr, self.message_en, self.details))

    def to_dict(self) -> dict[str, Any]:
        """The uniform JSON error body served by the API for this error."""
        body: dict[str, Any] = {
            "status": self.status,
            "code": self.code,
            "message": self.message_fr,
            "message_en": self.message_en,
        }
        if self.details:
            body["details"] = self.details
        return body


def _restore_error(
    cls: type[EssgraphError], message_fr: str, message_en: str, details: dict[str, Any]
) -> EssgraphError:
    """An error unpickled as it was raised, whatever its subclass's constructor takes."""
    error = cls.__new__(cls)
    Exception.__init__(error, message_fr)
    error.message_fr, error.message_en, error.details = message_fr, message_en, details
    return error


class BadInput(EssgraphError):
    """The request or file given by the user is not acceptable."""

    status = 400
    code = "bad_input"
    exit_code = 2


class SparqlSyntaxError(BadInput):
    """A SPARQL query or update does not parse."""

    code = "sparql_syntax"


class OntologyError(BadInput):
    """An ontology, shapes or thesaurus Turtle file is malformed (message names the file and line)."""

    code = "ontology_error"


class UnsupportedFormat(BadInput):
    """A requested serialisation or file format is not supported."""

    status = 406
    code = "unsupported_format"


class UnsupportedMediaType(BadInput):
    """A request body comes in a content type the route does not accept."""

    status = 415
    code = "unsupported_media_type"


class IngestFailed(BadInput):
    """A document could not be read or ingested; nothing of it was written."""

    code = "ingest_failed"
    status = 422


class NotFound(EssgraphError):
    """The entity, document or link does not exist."""

    status = 404
    code = "not_found"
    exit_code = 2


class Unauthorized(EssgraphError):
    """No valid staff token was presented."""

    status = 401
    code = "unauthorized"
    exit_code = 2


class Forbidden(EssgraphError):
    """The token is valid but lacks the scope the route needs."""

    status = 403
    code = "forbidden"
    exit_code = 2


class PayloadTooLarge(BadInput):
    """An upload or request body exceeds the configured limit."""

    status = 413
    code = "payload_too_large"


class QueryTimeout(EssgraphError):
    """A SPARQL query ran past the configured time limit and was stopped."""

    status = 503
    code = "query_timeout"
    exit_code = 2


class StoreBusy(EssgraphError):
    """Another process holds the store for writing."""

    status = 503
    code = "store_busy"
    exit_code = 2


class IndexUnavailable(EssgraphError):
    """The remote search index (Milvus) does not answer; the service keeps running and says so."""

    status = 503
    code = "index_unavailable"


class StoreUnavailable(EssgraphError):
    """The graph store (a remote SPARQL server) cannot be reached or failed the request."""

    status = 503
    code = "store_unavailable"
    exit_code = 2


class ConfigError(EssgraphError):
    """The settings or the data directory are inconsistent (e.g. index built by another model)."""

    status = 500
    code = "config_error"
    exit_code = 2


class TooManyRequests(EssgraphError):
    """A client already has its share of SPARQL queries running or waiting."""

    status = 429
    code = "too_many_requests"
    exit_code = 2


class QueryResourceLimit(EssgraphError):
    """A query went past the memory allowed to a SPARQL worker (the worker was replaced)."""

    status = 503
    code = "query_resource_limit"
    exit_code = 2
