"""What the service asks of a store's job runner: the embedded `QueryPool` or the external `RemotePool`."""

from __future__ import annotations

from typing import Any, Protocol

from kg.store.query import Outcome


class Pool(Protocol):
    """Runs query, update and graph jobs (see `kg.store.query.Worker`) under a deadline."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def run(self, job: dict[str, Any], body: bytes = b"", *, timeout: float, write: bool = False) -> Outcome: ...
