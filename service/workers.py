"""The query worker pool's life in the app: started with it, stopped with it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.store.query import QueryPool


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start `settings.workers` query workers before the first request; kill them at shutdown."""
    settings: Settings = app.state.settings
    pool = QueryPool(
        settings.workers,
        max_results=settings.max_results,
        allowlist=settings.service_allowlist,
        prefixes={prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
        memory_mb=settings.worker_memory_mb,
        mirror_quads=settings.mirror_quads,
        store=settings.store,
    )
    await pool.start()
    app.state.pool = pool
    try:
        yield
    finally:
        await pool.close()
