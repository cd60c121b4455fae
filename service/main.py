"""The app factory and `serve`: wiring only (settings, routers, middleware, the worker pool)."""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware

from kg import dumps
from kg.settings import Settings
from kg.store.embedded import EmbeddedStore
from service import budget, problems
from service.outcomes import TRUNCATED
from service.pages import STATIC
from service.result_cache import HEADER as CACHE_HEADER
from service.result_cache import ResultCache
from service.routes import compare, editor, graph_store, home, queries, query_pages, sparql
from service.routes.dataset import router as dataset_router
from service.routes.exchange import router as exchange_router
from service.routes.resources import router as resource_router
from service.workers import lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service for `settings` (default: from the `KG_` environment variables)."""
    settings = settings or Settings()
    app = FastAPI(
        title="職能基準知識圖譜 SPARQL 服務 · Competency-standards SPARQL service",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.cache = ResultCache(settings.cache_bytes)
    budget.install(app, settings)  # inside CORS: browsers can read a 429
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=False,
            allow_methods=["GET", "POST", "HEAD"],
            allow_headers=["Accept", "Content-Type", "Cache-Control"],
            expose_headers=[TRUNCATED, CACHE_HEADER],
            max_age=3600,
        )
    problems.install(app)
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(queries.router)
    app.include_router(home.router)
    app.include_router(compare.router)
    app.include_router(query_pages.router)
    app.include_router(editor.router)
    app.include_router(resource_router)
    app.include_router(dataset_router)
    app.include_router(exchange_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def build_if_absent(settings: Settings) -> None:
    """Build the embedded store from `settings.data` unless a build is already served.

    An external SPARQL server (`KG_STORE` is a URL) is loaded by `kg build`, never on start.
    """
    if settings.remote:
        return
    store = EmbeddedStore(settings.store)
    if store.exists():
        try:
            store.open()
            return
        except (OSError, RuntimeError) as problem:  # pyoxigraph: RuntimeError for a corrupted build
            print(
                f"資料庫無法開啟，改由來源重建 · the served build {store.link.resolve()} cannot be opened ({problem}); "
                "rebuilding from the sources",
                file=sys.stderr,
            )
    from kg.build import build
    from kg.uris import Minter

    print(f"首次啟動：建置資料庫 · first start: building the store in {settings.store}", file=sys.stderr)
    result = build(settings.data, Minter(settings.base_iri))
    for error in result.errors:
        print(f"錯誤 error: {error}", file=sys.stderr)
    report = result.validate()
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise SystemExit("違反資料模型，未建置資料庫 violations found; run kg validate, fix the sources, start again")
    store.replace(result.dataset(), dumps.attach)


def serve(settings: Settings) -> None:
    """`kg serve`: build the store on first start, then serve on settings.host:settings.port."""
    build_if_absent(settings)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=settings.access_log,
        log_level="info",
    )
