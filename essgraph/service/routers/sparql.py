"""The SPARQL 1.1 Protocol endpoint at /sparql (query for all, update for staff) and the researchers' page."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, Request, Security
from fastapi.responses import HTMLResponse, Response

from essgraph.core.errors import BadInput, EssgraphError, UnsupportedFormat, UnsupportedMediaType
from essgraph.graph.queries import admin
from essgraph.graph.sparql import analyse_request, check_service_allowed
from essgraph.graph.sparql_check import SparqlRequest
from essgraph.service.auth import BEARER
from essgraph.service.deps import get_state
from essgraph.service.jsonld import compact_document
from essgraph.service.negotiation import FORMAT_ALIASES, HTML, negotiate, pick_format
from essgraph.service.schemas import STAFF_RESPONSES
from essgraph.service.state import ServiceState

router = APIRouter(tags=["sparql"])

# format name → (executor format, media type, file extension)
SELECT_OUT: dict[str, tuple[str, str, str]] = {
    "json": ("json", "application/sparql-results+json", "json"),
    "xml": ("xml", "application/sparql-results+xml", "xml"),
    "csv": ("csv", "text/csv", "csv"),
    "tsv": ("tsv", "text/tab-separated-values", "tsv"),
}
GRAPH_OUT: dict[str, tuple[str, str, str]] = {
    "ttl": ("turtle", "text/turtle", "ttl"),
    "nt": ("ntriples", "application/n-triples", "nt"),
    "nq": ("nquads", "application/n-quads", "nq"),
    "trig": ("trig", "application/trig", "trig"),
    "jsonld": ("jsonld", "application/ld+json", "jsonld"),
    "rdfxml": ("xml", "application/rdf+xml", "rdf"),
}
# a graph asked in a results format name is served in the RDF format of the same family
_GRAPH_FALLBACKS = {"json": "jsonld", "xml": "rdfxml"}
_SELECT_ACCEPT: list[tuple[str, str]] = [
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("text/plain", "tsv"),
]
GRAPH_ACCEPT: list[tuple[str, str]] = [
    ("text/turtle", "ttl"),
    ("application/x-turtle", "ttl"),
    ("application/turtle", "ttl"),
    ("text/n3", "ttl"),  # Turtle is N3 without rules: N3 clients read it
    ("text/rdf+n3", "ttl"),
    ("application/n3", "ttl"),
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
    ("application/n-quads", "nq"),
    ("application/trig", "trig"),
    ("application/x-json+ld", "jsonld"),
]
_GRAPH_ACCEPT = GRAPH_ACCEPT
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_FORMAT_NAMES = [*SELECT_OUT, *GRAPH_OUT, "html", *FORMAT_ALIASES]


def _query_parameter(name: str, description: str, enum: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if enum:
        schema["enum"] = enum
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


_PROTOCOL_PARAMETERS = [
    _query_parameter("format", "Format de sortie (sinon : en-tête Accept).", _FORMAT_NAMES),
    _query_parameter("download", "Non vide : réponse en pièce jointe (Content-Disposition)."),
    _query_parameter("bom", "1 : CSV/TSV précédé du BOM UTF-8 (Excel en français)."),
    _query_parameter("default-graph-uri", "Refusé (400) : nommez les graphes dans la requête."),
    _query_parameter("named-graph-uri", "Refusé (400) : nommez les graphes dans la requête."),
]
_GET_OPENAPI: dict[str, Any] = {
    "parameters": [
        _query_parameter("query", "La requête SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE)."),
        *_PROTOCOL_PARAMETERS,
    ]
}
_POST_OPENAPI: dict[str, Any] = {
    "parameters": _PROTOCOL_PARAMETERS,
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "description": "Une requête."},
                        "update": {"type": "string", "description": "Une mise à jour (jeton « write »)."},
                        "format": {"type": "string", "enum": _FORMAT_NAMES},
                    },
                }
            },
            "application/sparql-query": {"schema": {"type": "string"}},
            "application/sparql-update": {"schema": {"type": "string"}},
        },
    },
}


def query_form(text: str) -> str:
    """'select', 'ask' or 'graph' (CONSTRUCT/DESCRIBE) for a query, as the one lexer reads it."""
    form = analyse_request_unbounded(text).form
    return "select" if form == "update" else form


def analyse_request_unbounded(text: str) -> SparqlRequest:
    """The lexer's reading of `text` without the service's size limits (for texts already bounded)."""
    from essgraph.graph.sparql_check import analyse

    return analyse(text, len(text) + 1, 1 << 30)


def _client(request: Request) -> str:
    """The client a SPARQL query is counted against for its fair share: the remote address."""
    return request.client.host if request.client else "local"


def _graph_form(parsed: SparqlRequest) -> str:
    return "select" if parsed.form == "update" else parsed.form


def choose_format(form: str, fmt: str | list[str] | None, accept: str | None, allow_html: bool) -> str:
    """The output format name for a query form from `format=` and Accept ('html' for the page).

    negotiation.pick_format decides: an Accept naming a type of this form outright wins, then the
    first `format=` value (any usual alias or media type) that fits, then Accept with its wildcards.
    Raises UnsupportedFormat (406) when nothing asked can be served for this form.
    """
    table = GRAPH_OUT if form == "graph" else SELECT_OUT
    formats = [fmt] if isinstance(fmt, str) else list(fmt or [])
    pairs = _GRAPH_ACCEPT if form == "graph" else _SELECT_ACCEPT
    name = pick_format(
        formats, accept, pairs, _GRAPH_FALLBACKS if form == "graph" else None, allow_html=allow_html
    )
    if name is not None:
        return name
    if formats:
        asked = ", ".join(formats)
        raise UnsupportedFormat(
            f"Format « {asked} » impossible pour cette requête (formats : {', '.join(table)}).",
            f"Format '{asked}' not available for this query (formats: {', '.join(table)}).",
            formats=list(table),
        )
    raise UnsupportedFormat(
        "Aucun des formats demandés (en-tête Accept) n'est disponible pour cette requête "
        f"(formats : {', '.join(table)}).",
        f"None of the formats in the Accept header is available here (formats: {', '.join(table)}).",
        formats=list(table),
    )


def _flag(values: list[str] | None) -> bool:
    """A yes/no query parameter: present with a value other than 0/false/non/no."""
    if not values:
        return False
    return values[-1].strip().lower() not in ("", "0", "false", "non", "no")


def _reject_dataset_params(params: dict[str, list[str]]) -> None:
    for key in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if any(v.strip() for v in params.get(key, [])):
            raise BadInput(
                f"Le paramètre {key} n'est pas pris en charge : "
                "nommez les graphes dans la requête (FROM, GRAPH).",
                f"Parameter {key} is not supported: name graphs inside the query (FROM, GRAPH).",
            )


def run_query(state: ServiceState, parsed: SparqlRequest, name: str, client: str = "local") -> Response:
    """Execute a query in the SPARQL workers and wrap the serialised result (truncation in headers)."""
    table = GRAPH_OUT if parsed.form == "graph" else SELECT_OUT
    executor_format, media_type, _ = table[name]
    result = state.sparql.run(parsed, executor_format, client)
    headers = {"X-Essgraph-Rows": str(result.rows)}
    if result.truncated:
        headers["X-Essgraph-Truncated"] = "true"
        headers["Warning"] = (
            f'199 essgraph "results truncated at {state.settings.max_rows} rows or '
            f'{state.settings.max_result_bytes} bytes"'
        )
    body = result.body
    if name == "jsonld" and body.strip():
        body = compact_document(body, {"id": state.settings.base_iri})
    return Response(content=body, media_type=result.media_type or media_type, headers=headers)


def run_update(state: ServiceState, request: Request, text: str) -> Response:
    """Run a staff SPARQL update (scope 'write'); LOAD/SERVICE only towards allow-listed hosts."""
    identity = state.tokens.require(request.headers.get("authorization"), "write")
    if not text.strip():
        raise BadInput("Mise à jour SPARQL vide.", "Empty SPARQL update.")
    parsed = analyse_request(text, state.settings)
    check_service_allowed(parsed.text, state.settings.service_allowlist)
    state.apply_update(parsed.text)
    return Response(status_code=204, headers={"X-Essgraph-Staff": identity.name})


UTF8_BOM = b"\xef\xbb\xbf"


def with_bom(response: Response) -> Response:
    """The same CSV/TSV answer preceded by the UTF-8 byte order mark, so spreadsheet programs (Excel in
    French) read the accents as UTF-8 rather than in the local code page."""
    body = bytes(response.body)
    response.body = body if body.startswith(UTF8_BOM) else UTF8_BOM + body
    response.headers["content-length"] = str(len(response.body))
    return response


def _download_links(text: str, form: str) -> list[tuple[str, str]]:
    table = GRAPH_OUT if form == "graph" else SELECT_OUT
    links = [
        (name.upper(), "/sparql?" + urlencode({"query": text, "format": name, "download": "1"}))
        for name in table
    ]
    if form != "graph":
        excel = urlencode({"query": text, "format": "csv", "download": "1", "bom": "1"})
        links.append(("CSV pour Excel", "/sparql?" + excel))
    return links


def render_page(request: Request, state: ServiceState, text: str | None) -> HTMLResponse:
    """The researchers' page: editor with the example queries, results table, download links."""
    context: dict[str, Any] = {
        "request": request,
        "examples": state.examples,
        "query": text or (state.examples[0][2] if state.examples else admin.FIRST_TRIPLES),
        "ran": False,
        "columns": [],
        "rows": [],
        "boolean": None,
        "graph_text": None,
        "truncated": False,
        "error": None,
        "downloads": [],
        "max_rows": state.settings.max_rows,
        "page_rows": state.settings.sparql_page_rows,
        "reader": state.reader,
    }
    status = 200
    if text:
        context["ran"] = True
        try:
            parsed = analyse_request(text, state.settings)
            form = _graph_form(parsed)
            context["downloads"] = _download_links(text, form)
            if parsed.kind == "update":
                raise BadInput(
                    "Cette page n'exécute que des requêtes (SELECT, ASK, CONSTRUCT, DESCRIBE).",
                    "This page runs queries only.",
                )
            if form == "graph":
                result = state.sparql.run(parsed, "turtle", _client(request))
                context["graph_text"] = result.body.decode("utf-8")
            else:
                result = state.sparql.run(parsed, "json", _client(request))
                data = json.loads(result.body)
                if "boolean" in data:
                    context["boolean"] = bool(data["boolean"])
                else:
                    columns = data["head"]["vars"]
                    context["columns"] = columns
                    context["rows"] = [
                        [binding.get(c) for c in columns]
                        for binding in data["results"]["bindings"][: state.settings.sparql_page_rows]
                    ]
                    context["row_count"] = len(data["results"]["bindings"])
            context["truncated"] = result.truncated
        except EssgraphError as exc:
            context["error"] = exc.to_dict()
            status = exc.status
    html = request.app.state.templates.get_template("sparql.html").render(context)
    return HTMLResponse(html, status_code=status)


def _respond_query(
    request: Request, state: ServiceState, text: str, formats: list[str], download: bool, bom: bool = False
) -> Response:
    parsed = analyse_request(text, state.settings)
    form = _graph_form(parsed)
    name = choose_format(form, formats, request.headers.get("accept"), allow_html=True)
    if name == "html":
        return render_page(request, state, text)
    if parsed.kind == "update":
        raise BadInput(
            "Une mise à jour SPARQL s'envoie par POST dans le paramètre « update ».",
            "A SPARQL update must be POSTed in the 'update' parameter.",
        )
    response = run_query(state, parsed, name, _client(request))
    if bom and name in ("csv", "tsv"):
        response = with_bom(response)
    if download:
        extension = (GRAPH_OUT if form == "graph" else SELECT_OUT)[name][2]
        response.headers["Content-Disposition"] = f'attachment; filename="resultats.{extension}"'
    return response


@router.get(
    "/sparql",
    responses={
        **STAFF_RESPONSES,
        406: {"description": "Format non disponible."},
        503: {"description": "Limite de temps."},
    },
    openapi_extra=_GET_OPENAPI,
)
def sparql_get(request: Request, state: Annotated[ServiceState, Depends(get_state)]) -> Response:
    """SPARQL 1.1 Protocol query by GET (`?query=`; `?format=` json, xml, csv, tsv, ttl, nt, nq, trig,
    jsonld, rdfxml, html or an alias).

    Without a query, a browser gets the researchers' page. Results are capped at the configured row
    count (header `X-Essgraph-Truncated: true`) and cut at the configured time limit (503).
    """
    params = parse_qs(request.url.query, keep_blank_values=True)
    _reject_dataset_params(params)
    if params.get("update"):
        raise BadInput(
            "Une mise à jour SPARQL s'envoie par POST (paramètre « update »).",
            "A SPARQL update must be sent by POST ('update' parameter).",
        )
    queries = params.get("query", [])
    formats = [value for value in params.get("format", []) if value.strip()]
    if len(queries) > 1:
        raise BadInput("Un seul paramètre « query » est permis.", "Only one 'query' parameter is allowed.")
    text = queries[0] if queries else ""
    if not text.strip():
        if (
            set(formats) <= {"html"}
            and negotiate(request.headers.get("accept"), ["application/json", HTML]) == HTML
        ):
            return render_page(request, state, None)
        raise BadInput("Paramètre « query » manquant.", "Missing 'query' parameter.")
    return _respond_query(
        request, state, text, formats, bool(params.get("download")), _flag(params.get("bom"))
    )


@router.post(
    "/sparql",
    responses={
        **STAFF_RESPONSES,
        406: {"description": "Format non disponible."},
        415: {"description": "Type de contenu non pris en charge."},
        503: {"description": "Limite de temps."},
    },
    status_code=200,
    openapi_extra=_POST_OPENAPI,
    dependencies=[Security(BEARER)],
)
async def sparql_post(request: Request, state: Annotated[ServiceState, Depends(get_state)]) -> Response:
    """SPARQL 1.1 Protocol by POST: form (`query=` or `update=`), `application/sparql-query` or
    `application/sparql-update` body. Updates (INSERT/DELETE/LOAD/CLEAR/DROP…) need a staff token with
    the 'write' scope: 401 without one, 403 with the wrong scope. Answers 204 after an update."""
    from starlette.concurrency import run_in_threadpool

    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = parse_qs(request.url.query, keep_blank_values=True)
    _reject_dataset_params(params)
    formats = [value for value in params.get("format", []) if value.strip()]
    if content_type in _FORM_TYPES:
        form = await request.form()
        fields = {key: [str(v) for v in form.getlist(key)] for key in form}
        _reject_dataset_params(fields)
        if len(fields.get("query", [])) + len(fields.get("update", [])) != 1:
            raise BadInput(
                "Le formulaire doit contenir exactement un champ « query » ou « update ».",
                "The form must hold exactly one 'query' or 'update' field.",
            )
        formats = [value for value in fields.get("format", []) if value.strip()] or formats
        if fields.get("update"):
            return await run_in_threadpool(run_update, state, request, fields["update"][0])
        text = fields["query"][0]
    elif content_type in ("application/sparql-query", "application/sparql-update"):
        body = await request.body()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput("Le corps doit être en UTF-8.", "The body must be UTF-8.") from exc
        if content_type == "application/sparql-update":
            return await run_in_threadpool(run_update, state, request, text)
    else:
        raise UnsupportedMediaType(
            "Type de contenu non pris en charge : formulaire, application/sparql-query ou "
            "application/sparql-update attendu.",
            "Unsupported content type: form, application/sparql-query or application/sparql-update expected.",
        )
    if not text.strip():
        raise BadInput("Requête SPARQL vide.", "Empty SPARQL query.")
    return await run_in_threadpool(
        _respond_query, request, state, text, formats, bool(params.get("download")), _flag(params.get("bom"))
    )
