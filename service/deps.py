"""What the routes depend on, as `Annotated` aliases: the settings, the worker pool, admin access."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Request

from kg.settings import Settings
from kg.store.query import QueryPool, served_build
from service.problems import ServiceError
from service.result_cache import ResultCache


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _pool(request: Request) -> QueryPool:
    pool: QueryPool = request.app.state.pool
    return pool


async def _cache(request: Request) -> ResultCache:
    cache: ResultCache = request.app.state.cache
    return cache


SettingsDep = Annotated[Settings, Depends(_settings)]
PoolDep = Annotated[QueryPool, Depends(_pool)]
CacheDep = Annotated[ResultCache, Depends(_cache)]


def served_store(settings: Settings) -> str:
    """The build folder the service reads now (an external server: its URL); 503 before the first build."""
    if settings.remote:
        return settings.store
    build = served_build(settings.store)
    if build is None:
        raise ServiceError(503, "資料庫尚未建置 · the store has not been built yet (run `kg build`)")
    return build


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def require_admin(request: Request, settings: Settings) -> None:
    """Writes need `KG_ADMIN_TOKEN` set and `Authorization: Bearer <token>` (RFC 6750 §2.1).

    The token is compared in constant time (digests of equal length, `hmac.compare_digest`).
    """
    token = settings.admin_token
    if not token:
        raise ServiceError(403, "寫入已停用：未設定 KG_ADMIN_TOKEN · writes are disabled: KG_ADMIN_TOKEN is not set")
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise ServiceError(
            401,
            "寫入需要管理權杖 · writes need the header `Authorization: Bearer <admin token>`",
            {"WWW-Authenticate": 'Bearer realm="kg"'},
        )
    if not hmac.compare_digest(_digest(presented.strip()), _digest(token)):
        raise ServiceError(
            403,
            "管理權杖不符 · the admin token does not match",
            {"WWW-Authenticate": 'Bearer realm="kg", error="invalid_token"'},
        )
