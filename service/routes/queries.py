"""The named-query API, a mountable router: `/api/queries` lists them, `/api/queries/{name}` runs one.

A named query is a product surface (like Datasette's stored queries): its parameters
come from the query file's header (`kg.queries`), are validated (422 naming the
parameter) and bound as RDF terms; the bound query runs through the same workers,
deadline and result cache as `/sparql`. The answer is plain JSON (`columns`, `rows`)
by default, and CSV, TSV or SPARQL JSON results by `Accept` or `format`.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from kg.queries import NamedQuery, ParameterError, load
from service.body import query_params
from service.deps import CacheDep, PoolDep, SettingsDep
from service.negotiation import JSON
from service.problems import ServiceError
from service.routes.sparql import run_query

router = APIRouter(prefix="/api/queries", tags=["Named queries"])

PLAIN_JSON = "application/json"
DEFAULT_LIMIT = 100
# Parameters of the API itself, never passed to a query.
_PAGING = ("limit", "offset", "format")


@cache
def catalogue() -> dict[str, NamedQuery]:
    """The named queries of `queries/`, read once."""
    return load()


@router.get("", name="queries")
async def list_queries() -> list[dict[str, object]]:
    """Every named query with its titles, description and typed parameters."""
    return [query.metadata() for query in catalogue().values()]


def _count(params: dict[str, list[str]], name: str, default: int, ceiling: int) -> int:
    values = params.get(name, [])
    if not values:
        return default
    value = values[-1]
    if not value.isdigit() or int(value) > ceiling:
        raise ServiceError(422, f"參數錯誤 · invalid parameter {name}: a whole number from 0 to {ceiling}")
    return int(value)


def _plain(body: bytes) -> dict[str, Any]:
    """SPARQL JSON results as `{"columns": [...], "rows": [{column: value}]}` (values as text)."""
    results = json.loads(body)
    columns = results["head"].get("vars", [])
    rows = [{name: cell["value"] for name, cell in binding.items()} for binding in results["results"]["bindings"]]
    return {"columns": columns, "rows": rows}


@router.get("/{name}", name="query")
async def run_named(name: str, request: Request, settings: SettingsDep, pool: PoolDep, cache: CacheDep) -> Response:
    """Run the named query with the request's parameters (`limit`, `offset` for SELECT queries)."""
    query = catalogue().get(name)
    if query is None:
        raise ServiceError(404, f"沒有這個查詢 · no named query {name!r}; GET /api/queries lists them")
    params = query_params(request)
    limit = _count(params, "limit", DEFAULT_LIMIT, settings.max_results)
    offset = _count(params, "offset", 0, 10**9)
    try:
        text = query.bind({k: v for k, v in params.items() if k not in _PAGING}, limit, offset)
    except ParameterError as error:
        raise ServiceError(422, f"參數錯誤 · invalid parameter {error}") from None
    accept = request.headers.get("accept") or PLAIN_JSON
    formats = params.get("format", [])
    plain = not formats and (PLAIN_JSON in accept or accept.strip() in {"*/*", ""})
    forwarded = {"format": ["json"]} if plain else {"format": formats}
    response = await run_query(request, settings, pool, cache, text=text, params=forwarded)
    if not plain or not (response.media_type or "").startswith(JSON):
        return response
    document = {"query": name, "limit": limit if query.paged else None, "offset": offset} | _plain(bytes(response.body))
    headers = {key: value for key, value in response.headers.items() if key.lower().startswith(("x-", "vary"))}
    return Response(json.dumps(document, ensure_ascii=False), media_type=PLAIN_JSON, headers=headers)
