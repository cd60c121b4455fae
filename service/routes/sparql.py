"""The SPARQL 1.1 Protocol endpoint, a mountable router: `/sparql` (query and update), `/update`.

Queries are public; updates need the admin token (see `service.deps.require_admin`).
Every query and update runs in a worker process under the deadline (`kg.store.query`).
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from starlette.responses import Response

from kg.settings import Settings
from kg.store.query import GRAPH, OK, QueryPool, served_build
from service import description
from service.body import Params, decode, form_fields, media_type, query_params, read_body, require_utf8
from service.deps import CacheDep, PoolDep, SettingsDep, require_admin, served_store
from service.negotiation import HTML, JSON, TURTLE, negotiate
from service.outcomes import answer, check, content_type
from service.problems import ServiceError
from service.result_cache import HEADER as CACHE_HEADER
from service.result_cache import ResultCache

router = APIRouter(tags=["SPARQL 1.1 Protocol"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
_INLINE = 64 * 1024  # larger forms are parsed off the event loop


def _one(params: Params, name: str) -> str | None:
    """The single value of `name`; Protocol §2.1.1/§2.2.1 allow exactly one query or update string."""
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ServiceError(
            400, f"只能有一個 {name} 參數 · exactly one '{name}' parameter is allowed, got {len(values)}"
        )
    return values[0]


def _merge(first: Params, second: Params) -> Params:
    merged = {name: list(values) for name, values in first.items()}
    for name, values in second.items():
        merged.setdefault(name, []).extend(values)
    return merged


async def _operation(request: Request, settings: Settings) -> tuple[str, str, Params]:
    """What a POST asks: ("query" or "update", its text, its parameters).

    Protocol §2.1.2/§2.2.1 (URL-encoded POST: parameters in the body and the URL) and
    §2.1.3/§2.2.2 (direct POST: the body is the query or update, parameters in the URL).
    """
    media, params = media_type(request)
    url_params = query_params(request)
    if media == FORM:
        require_utf8(params)
        body = await read_body(request, settings.max_body_bytes)
        parsed = await asyncio.to_thread(form_fields, body) if len(body) > _INLINE else form_fields(body)
        fields = _merge(url_params, parsed)
        query, update = _one(fields, "query"), _one(fields, "update")
        if query is not None and update is not None:
            raise ServiceError(400, "query 與 update 不能同時出現 · send either 'query' or 'update', not both")
        if query is not None:
            return "query", query, fields
        if update is not None:
            return "update", update, fields
        raise ServiceError(400, "缺少 query 或 update 參數 · the form has neither a 'query' nor an 'update' field")
    if media in {QUERY, UPDATE}:
        require_utf8(params)
        operation = "query" if media == QUERY else "update"
        if operation in url_params:
            raise ServiceError(
                400, f"{operation} 重複：本文與網址都有 · the {operation} is both in the body and in the URL"
            )
        text = decode(await read_body(request, settings.max_body_bytes), "本文", "body")
        return operation, text, url_params
    if media is None:
        raise ServiceError(415, f"缺少 Content-Type · a POST needs a Content-Type: {FORM}, {QUERY} or {UPDATE}")
    raise ServiceError(415, f"不支援的媒體類型 · unsupported media type {media}; use {FORM}, {QUERY} or {UPDATE}")


def _check_length(text: str, settings: Settings, status: int) -> None:
    if len(text) > settings.max_query_length:
        raise ServiceError(
            status,
            f"查詢過長 · the query or update has {len(text)} characters, over the limit of {settings.max_query_length}",
        )


async def run_query(
    request: Request,
    settings: Settings,
    pool: QueryPool,
    cache: ResultCache,
    *,
    text: str,
    params: Params,
    status_if_long: int = 413,
) -> Response:
    """Protocol §2.1: run a query on the dataset the request names (§2.1.4) or the union of all graphs.

    A repeated query on the same build is answered from the result cache unless the
    request says `Cache-Control: no-cache`.
    """
    _check_length(text, settings, status_if_long)
    formats = tuple(params.get("format", []) + params.get("output", []))
    chosen = negotiate(request.headers.get("accept"), formats)
    accept = {kind: (TURTLE if kind == GRAPH else JSON) if media == HTML else media for kind, media in chosen.items()}
    store = served_store(settings)
    default, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    key = (store, text, tuple(default), tuple(named), *accept.values())
    control = request.headers.get("cache-control", "").lower()
    cached = None if "no-cache" in control else cache.get(key)
    if cached is not None:
        return await answer(cached, settings, chosen, {CACHE_HEADER: "hit"})
    job: dict[str, object] = {"op": "query", "store": store, "text": text, "base": settings.base_iri, "accept": accept}
    if default or named:
        job["dataset"] = {"default": default, "named": named}
    outcome = await pool.run(job, timeout=settings.query_timeout)
    if outcome.status == OK and outcome.cacheable and "no-store" not in control:
        cache.put(key, outcome)
    return await answer(outcome, settings, chosen, {CACHE_HEADER: "miss"})


async def run_update(request: Request, settings: Settings, pool: QueryPool, text: str, params: Params) -> Response:
    """Protocol §2.2: run an update (admin only) with the `using-graph-uri`/`using-named-graph-uri` dataset."""
    require_admin(request, settings)
    _check_length(text, settings, 413)
    job = {
        "op": "update",
        "store": served_build(settings.store),
        "folder": settings.store,
        "text": text,
        "base": settings.base_iri,
        "using": params.get("using-graph-uri", []),
        "using_named": params.get("using-named-graph-uri", []),
    }
    check(await pool.run(job, timeout=settings.query_timeout, write=True), settings)
    return Response(status_code=204)


def _description(request: Request, settings: Settings) -> Response:
    """Service Description §2: the endpoint described in RDF, in the media type asked for."""
    media = negotiate(request.headers.get("accept"), tuple(query_params(request).get("format", [])))[GRAPH]
    endpoint = str(request.url.replace(query="", fragment="")).rstrip("?")
    if media is None:
        media = TURTLE
    if media == HTML:  # a browser: the SPARQL editor, with the description below it
        from service.routes import editor  # it lists the named queries, whose router imports this one

        return editor.page(request, description.serialize(endpoint, settings, TURTLE).decode("utf-8"))
    return Response(
        description.serialize(endpoint, settings, media), media_type=content_type(media), headers={"Vary": "Accept"}
    )


@router.api_route("/sparql", methods=["GET", "POST"], name="sparql")
async def sparql(request: Request, settings: SettingsDep, pool: PoolDep, cache: CacheDep) -> Response:
    """SPARQL 1.1 Protocol §2.1.1 query via GET, §2.1.2 via URL-encoded POST, §2.1.3 via POST directly;
    §2.2.1/§2.2.2 update via POST; without a query, the service description (SD §2), which a browser
    gets on the SPARQL editor page.
    """
    if request.method == "GET":
        params = query_params(request)
        if "update" in params:
            raise ServiceError(
                400, "更新必須以 POST 送出 · an update must be sent with POST (SPARQL 1.1 Protocol §2.2)"
            )
        query = _one(params, "query")
        if query is None:
            return _description(request, settings)
        return await run_query(request, settings, pool, cache, text=query, params=params, status_if_long=414)
    operation, text, params = await _operation(request, settings)
    if operation == "update":
        return await run_update(request, settings, pool, text, params)
    return await run_query(request, settings, pool, cache, text=text, params=params)


@router.post("/update", name="update")
async def update(request: Request, settings: SettingsDep, pool: PoolDep) -> Response:
    """SPARQL 1.1 Protocol §2.2.1 update via URL-encoded POST and §2.2.2 via POST directly."""
    operation, text, params = await _operation(request, settings)
    if operation != "update":
        raise ServiceError(400, "此端點只接受更新 · this endpoint takes updates only; send queries to /sparql")
    return await run_update(request, settings, pool, text, params)
