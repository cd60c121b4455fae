"""The one settings class, read from environment variables prefixed `KG_`.

`kg build`, `kg serve` and the service read the same values, so the URIs a build
mints are the URIs the service answers.
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kg.namespaces import DEFAULT_BASE

ROOT = Path(__file__).resolve().parents[1]


def _workers() -> int:
    return max(2, os.cpu_count() or 1)


class Settings(BaseSettings):
    """Service and build settings (KG_HOST, KG_PORT, KG_BASE_IRI, KG_STORE, …).

    List settings (`KG_SERVICE_ALLOWLIST`, `KG_CORS_ORIGINS`) take a JSON list or a
    comma-separated string.
    """

    model_config = SettingsConfigDict(env_prefix="KG_")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    base_iri: str = DEFAULT_BASE
    # The embedded store's folder, or the query endpoint URL of an external SPARQL 1.1 server.
    store: str = str(ROOT / "var" / "store")
    # That server's SPARQL Update and Graph Store Protocol endpoints and the account allowed to write there.
    store_update: str | None = None
    store_graphs: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    data: list[Path] = Field(default_factory=lambda: [ROOT / "data"])
    query_timeout: float = Field(default=10.0, gt=0)
    max_results: int = Field(default=10_000, gt=0)
    admin_token: str | None = None
    # Query workers: processes that run queries and can be killed at the deadline.
    workers: int = Field(default_factory=_workers, ge=1, le=64)
    # Data-segment limit of each worker (MiB, 0 = none): a query that needs more dies alone.
    worker_memory_mb: int = Field(default=4096, ge=0)
    # Each worker also loads builds of up to this many quads into memory (faster queries); 0 = disk only.
    mirror_quads: int = Field(default=2_000_000, ge=0)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_query_length: int = Field(default=100_000, gt=0)
    # SERVICE endpoints a query may call (exact IRIs); empty: federation is off.
    service_allowlist: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Origins allowed to read cross-origin (no credentials); empty: no CORS headers.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])
    # Memory for answers to repeated queries (bytes, 0 = off); keyed by the served build, never stale.
    cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    access_log: bool = False
    # Fair use per client and minute (0 = off): requests, and seconds of request time (service.budget).
    budget_requests: int = Field(default=0, ge=0)
    budget_query_seconds: float = Field(default=0.0, ge=0)
    # Proxies (IPs or CIDR networks) whose X-Forwarded-For names the client; empty: the header is ignored.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @property
    def remote(self) -> bool:
        """Whether `store` names an external SPARQL server (an http or https URL) rather than a folder."""
        return self.store.startswith(("http://", "https://"))

    @field_validator("service_allowlist", "cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        """Accept `["a", "b"]` or `a,b` from the environment."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        """Each trusted proxy must be an IP address or a CIDR network."""
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # ValueError names the entry
        return value
