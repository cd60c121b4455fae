"""The SPARQL 1.1 Graph Store HTTP Protocol at `/store`, a mountable router.

Graphs are named indirectly (`/store?graph=<IRI>`, `/store?default`, §4.2) or
directly (`/store/<path>` is the graph whose IRI is that URL, §4.1). Reads (GET,
HEAD) are public; PUT, POST and DELETE need the admin token. `?default` is the
store's own default graph; a query's default graph is the union of all graphs.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from kg.settings import Settings
from kg.store.query import GRAPH, QueryPool
from service.body import media_type, query_params, read_body, require_utf8
from service.deps import PoolDep, SettingsDep, require_admin, served_store
from service.negotiation import HTML, TURTLE, negotiate
from service.outcomes import answer, check, content_type
from service.problems import ServiceError

router = APIRouter(tags=["Graph Store HTTP Protocol"])

PATH = "/store"
_DEFAULT = object()


def _target(request: Request, path: str | None) -> str | object | None:
    """The graph a request names: its IRI, `_DEFAULT`, or None when it names none."""
    params = query_params(request)
    graphs = params.get("graph", [])
    default = "default" in params
    if path:
        if graphs or default:
            raise ServiceError(
                400, "直接指定圖時不可再用 graph 或 default 參數 · a direct graph URL takes no graph/default"
            )
        return str(request.url.replace(query="", fragment="")).rstrip("?")
    if len(graphs) > 1 or (graphs and default):
        raise ServiceError(400, "只能指定一個圖 · name exactly one graph: one 'graph' parameter or 'default'")
    if graphs:
        return graphs[0]
    return _DEFAULT if default else None


async def _read(request: Request, settings: Settings, pool: QueryPool, target: object) -> Response:
    """GSP §5.2 GET and §5.3 HEAD: the graph in the negotiated RDF format, or 404."""
    chosen = negotiate(request.headers.get("accept"), tuple(query_params(request).get("format", [])))
    media = chosen[GRAPH]
    if media is None:
        raise ServiceError(406, "無法以要求的格式回應 · none of the accepted media types is an RDF format we write")
    action = "head" if request.method == "HEAD" else "get"
    job = {
        "op": "graph",
        "action": action,
        "graph": None if target is _DEFAULT else target,
        "store": served_store(settings),
        "accept": {GRAPH: TURTLE if media == HTML else media},
    }
    outcome = await pool.run(job, timeout=settings.query_timeout)
    if action == "head":
        check(outcome, settings)
        return Response(status_code=200, headers={"Content-Type": content_type(media), "Vary": "Accept"})
    return await answer(outcome, settings, chosen)


async def _write(request: Request, settings: Settings, pool: QueryPool, target: object, path: str | None) -> Response:
    """GSP §5.4 PUT (replace), §5.5 DELETE, §5.6 POST (merge; to the store itself: a new graph)."""
    require_admin(request, settings)
    method = request.method
    location = None
    if target is None:
        if method != "POST" or path:
            raise ServiceError(400, "需要 graph 或 default 參數 · name a graph: ?graph=<IRI> or ?default")
        base = str(request.url.replace(query="", fragment="")).rstrip("?").rstrip("/")
        target = location = f"{base}/{uuid.uuid4().hex}"
    job: dict[str, object] = {
        "op": "graph",
        "action": method.lower(),
        "graph": None if target is _DEFAULT else target,
        "store": served_store(settings),
        "folder": settings.store,
        "base": settings.base_iri,
    }
    body = b""
    if method != "DELETE":
        media, params = media_type(request)
        if media is None:
            raise ServiceError(415, "缺少 Content-Type · the RDF payload needs a Content-Type such as text/turtle")
        require_utf8(params)
        job["media"] = request.headers["content-type"] if media.startswith("multipart/") else media
        body = await read_body(request, settings.max_body_bytes)
    outcome = await pool.run(job, body, timeout=settings.query_timeout, write=True)
    check(outcome, settings)
    if location is not None:
        return Response(status_code=201, headers={"Location": location})
    return Response(status_code=201 if outcome.created else 204)


_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]


@router.api_route(PATH, methods=_METHODS, name="graph_store")
async def graph_store(request: Request, settings: SettingsDep, pool: PoolDep) -> Response:
    """Graph Store HTTP Protocol §5, indirect graph identification (§4.2)."""
    target = _target(request, None)
    if request.method in {"GET", "HEAD"}:
        if target is None:
            raise ServiceError(400, "需要 graph 或 default 參數 · name a graph: ?graph=<IRI> or ?default")
        return await _read(request, settings, pool, target)
    return await _write(request, settings, pool, target, None)


@router.api_route(PATH + "/{path:path}", methods=_METHODS, name="graph_store_direct")
async def graph_store_direct(request: Request, path: str, settings: SettingsDep, pool: PoolDep) -> Response:
    """Graph Store HTTP Protocol §5, direct graph identification (§4.1): the URL is the graph IRI."""
    target = _target(request, path)
    if request.method in {"GET", "HEAD"}:
        return await _read(request, settings, pool, target)
    return await _write(request, settings, pool, target, path)
