"""Fair use: a per-client budget of requests and of request seconds per minute, answered with 429.

Like the Wikidata Query Service's limits, each client has two token buckets that refill
continuously: `KG_BUDGET_REQUESTS` requests per minute, and `KG_BUDGET_QUERY_SECONDS`
seconds of request time per minute (the time from the request's arrival to the end of its
answer, charged when the answer is sent, so a client may run into debt and then waits it
off). A request arriving with either bucket empty is refused with 429 Too Many Requests
and `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3) giving the seconds until it would be
admitted. Either budget at 0 is off.

Clients are keyed by the peer address (IPv6 by its /64, which one host usually holds
whole). `X-Forwarded-For` is ignored unless the peer is one of `KG_TRUSTED_PROXIES`; then
the client is the rightmost address in the header that is not itself a trusted proxy
(the addresses left of it are whatever the client chose to send).
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.settings import Settings
from service.problems import problem_response

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
WINDOW = 60.0  # seconds the budgets are given per
_PRUNE_AT = 10_000  # clients kept before those with full buckets are forgotten


@dataclass
class Bucket:
    """A token bucket holding up to `capacity`, refilled at `capacity / WINDOW` per second."""

    capacity: float
    level: float = field(default=-1.0)
    stamp: float = 0.0

    def __post_init__(self) -> None:
        if self.level < 0:
            self.level = self.capacity

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.capacity / WINDOW)
        self.stamp = now

    def wait(self, need: float) -> float:
        """Seconds until the bucket holds `need` (0 when it does now)."""
        missing = need - self.level
        return 0.0 if missing <= 0 else missing * WINDOW / self.capacity

    @property
    def full(self) -> bool:
        return self.level >= self.capacity


@dataclass
class Client:
    requests: Bucket | None
    seconds: Bucket | None

    def buckets(self) -> list[Bucket]:
        return [bucket for bucket in (self.requests, self.seconds) if bucket is not None]


class Budget:
    """The buckets of every client seen, keyed by `client_key`."""

    def __init__(self, requests: int, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.requests = requests
        self.seconds = seconds
        self.clock = clock
        self.clients: dict[str, Client] = {}

    def _client(self, key: str, now: float) -> Client:
        client = self.clients.get(key)
        if client is None:
            if len(self.clients) >= _PRUNE_AT:
                self._prune(now)
            client = Client(
                Bucket(self.requests, stamp=now) if self.requests else None,
                Bucket(self.seconds, stamp=now) if self.seconds else None,
            )
            self.clients[key] = client
        for bucket in client.buckets():
            bucket.refill(now)
        return client

    def _prune(self, now: float) -> None:
        """Forget clients whose buckets have refilled: a fresh client is the same."""
        for key, client in list(self.clients.items()):
            for bucket in client.buckets():
                bucket.refill(now)
            if all(bucket.full for bucket in client.buckets()):
                del self.clients[key]

    def admit(self, key: str) -> float:
        """Take one request from `key`'s budget; 0 when admitted, else the seconds to wait."""
        client = self._client(key, self.clock())
        waits = []
        if client.requests is not None:
            waits.append(client.requests.wait(1.0))
        if client.seconds is not None:
            waits.append(client.seconds.wait(1e-9))  # admitted while not in debt
        wait = max(waits, default=0.0)
        if wait == 0 and client.requests is not None:
            client.requests.level -= 1
        return wait

    def charge(self, key: str, seconds: float) -> None:
        """Charge `seconds` of request time to `key` (the bucket may go below 0: debt)."""
        client = self._client(key, self.clock())
        if client.seconds is not None:
            client.seconds.level -= seconds


def _network(text: str) -> Network:
    return ipaddress.ip_network(text.strip(), strict=False)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class ClientKey:
    """Who a request is from: the peer address, or the forwarded one behind a trusted proxy."""

    def __init__(self, trusted: list[str]) -> None:
        self.trusted = [_network(entry) for entry in trusted]

    def _is_trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in self.trusted)

    def __call__(self, scope: Scope) -> str:
        peer = _address((scope.get("client") or ("", 0))[0])
        if peer is None:
            return "unknown"
        client = peer
        if self.trusted and self._is_trusted(peer):
            forwarded = [
                value.decode("latin-1") for name, value in scope.get("headers", []) if name == b"x-forwarded-for"
            ]
            hops = [part for value in forwarded for part in value.split(",")]
            for hop in reversed(hops):
                address = _address(hop)
                if address is None:
                    break  # unreadable: trust nothing further left
                client = address
                if not self._is_trusted(address):
                    break
        if isinstance(client, ipaddress.IPv6Address):
            if client.ipv4_mapped is not None:
                return str(client.ipv4_mapped)
            return str(ipaddress.ip_network(f"{client}/64", strict=False))
        return str(client)


class FairUse:
    """ASGI middleware that admits each HTTP request against its client's budget."""

    def __init__(self, app: ASGIApp, budget: Budget, key: ClientKey) -> None:
        self.app = app
        self.budget = budget
        self.key = key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = self.key(scope)
        wait = self.budget.admit(client)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            message = (
                f"請求過多，請於 {seconds} 秒後再試 · too many requests from {client}: "
                f"the budget is {self._limits()} per minute; retry after {seconds} s"
            )
            await problem_response(429, message, {"Retry-After": str(seconds)})(scope, receive, send)
            return
        started = time.monotonic()
        try:
            await self.app(scope, receive, send)
        finally:
            self.budget.charge(client, time.monotonic() - started)

    def _limits(self) -> str:
        parts = []
        if self.budget.requests:
            parts.append(f"{self.budget.requests} requests")
        if self.budget.seconds:
            parts.append(f"{self.budget.seconds:g} s of query time")
        return " and ".join(parts)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the fair-use middleware to `app` when a budget is set (`KG_BUDGET_*` above 0)."""
    if not (settings.budget_requests or settings.budget_query_seconds):
        return
    budget = Budget(settings.budget_requests, settings.budget_query_seconds)
    app.add_middleware(FairUse, budget=budget, key=ClientKey(settings.trusted_proxies))
