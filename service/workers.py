"""The job runner's life in the app: started with it, stopped with it.

`KG_STORE` names a folder (the embedded store, run by worker processes) or the URL
of an external SPARQL 1.1 server (run through `kg.store.remote_query.RemotePool`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.store.pool import Pool
from kg.store.query import QueryPool
from kg.store.remote import Server
from kg.store.remote_query import RemotePool


def _pool(settings: Settings) -> Pool:
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if settings.remote:
        return RemotePool(
            Server.of(settings),
            settings.workers,
            max_results=settings.max_results,
            allowlist=settings.service_allowlist,
            prefixes=prefixes,
        )
    return QueryPool(
        settings.workers,
        max_results=settings.max_results,
        allowlist=settings.service_allowlist,
        prefixes=prefixes,
        memory_mb=settings.worker_memory_mb,
        mirror_quads=settings.mirror_quads,
        store=settings.store,
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the job runner before the first request; stop it at shutdown."""
    settings: Settings = app.state.settings
    pool = _pool(settings)
    await pool.start()
    app.state.pool = pool
    try:
        yield
    finally:
        await pool.close()
