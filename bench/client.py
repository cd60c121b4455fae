"""A minimal HTTP/1.1 load client on raw asyncio streams, and the endpoints it measures.

The client spends as little of the machine's CPU as it can, so that on a small machine
the numbers are the server's: one keep-alive connection per client, prepared request
bytes, responses read by `Content-Length` or chunks. `latency` runs one query in turn
on one connection; `load` runs one query from several clients for a fixed time.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
SELECT_JSON = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Endpoint:
    """A SPARQL endpoint on a loopback port, started by this benchmark."""

    name: str
    port: int
    pid: int | None = None  # of the server process, when this benchmark started it
    path: str = "/sparql"
    started_in: float = 0.0

    def request(self, query: str, accept: str, *, cached: bool = False) -> bytes:
        """A GET of `query`; unless `cached`, with `Cache-Control: no-cache` so every request is evaluated."""
        control = "" if cached else "Cache-Control: no-cache\r\n"
        return (
            f"GET {self.path}?query={quote(query)} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Accept: {accept}\r\n{control}User-Agent: kg-bench\r\n\r\n"
        ).encode()


@contextmanager
def started(
    name: str, command: list[str], env: dict[str, str], port: int, log: Path, *, wait: float = 300
) -> Iterator[Endpoint]:
    """Run `command` until the block ends; yields once its endpoint answers `ASK {}` (at most `wait` s)."""
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=sink, stderr=sink)
    endpoint = Endpoint(name, port, process.pid)
    try:
        endpoint.started_in = asyncio.run(ready(endpoint, wait, process, log))
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def ready(
    endpoint: Endpoint, wait: float, process: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> float:
    """Seconds until `endpoint` answers `ASK {}`; an error if `process` exits or `wait` s pass."""
    began = time.perf_counter()
    probe = endpoint.request("ASK {}", SELECT_JSON)
    while time.perf_counter() - began < wait:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{endpoint.name} exited:\n{_text(log)}")
        try:
            connection = await Connection.open(endpoint.port)
            status, _ = await connection.send(probe)
            connection.close()
            if status == 200:
                return time.perf_counter() - began
        except (OSError, asyncio.IncompleteReadError):
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError(f"{endpoint.name} did not start in {wait:g} s:\n{_text(log)}")


def _text(log: Path | None) -> str:
    return log.read_text(errors="replace")[-4000:] if log and log.exists() else ""


class Connection:
    """One keep-alive HTTP/1.1 connection that sends prepared requests and reads whole responses."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
        return cls(reader, writer)

    async def send(self, request: bytes) -> tuple[int, int]:
        """Send `request`; the response's status and body size."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lowered = head.lower()
        at = lowered.find(b"\r\ncontent-length:")
        if at >= 0:
            size = int(lowered[at + 17 : lowered.index(b"\r\n", at + 2)])
            await self.reader.readexactly(size)
            return status, size
        size = 0  # chunked
        while True:
            chunk = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
            await self.reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                return status, size

    def close(self) -> None:
        self.writer.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Latency:
    """Response times of one query (seconds), non-200 answers and requests cut at the timeout."""

    times: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.times, 0.95) if self.times else float("nan")

    @property
    def p99(self) -> float:
        return percentile(self.times, 0.99) if self.times else float("nan")


async def latency(
    endpoint: Endpoint,
    query: str,
    accept: str,
    repeats: int,
    budget: float,
    *,
    cached: bool = False,
    timeout: float | None = None,
) -> Latency:
    """Run `query` `repeats` times after one warm-up (fewer once `budget` seconds are spent, at
    least 3); a request that takes over `timeout` seconds ends the measurement."""
    connection = await Connection.open(endpoint.port)
    request = endpoint.request(query, accept, cached=cached)
    result = Latency()
    try:
        start = time.perf_counter()
        await asyncio.wait_for(connection.send(request), timeout)  # warm-up
        if time.perf_counter() - start > budget:
            result.times.append(time.perf_counter() - start)
            return result
        began = time.perf_counter()
        while len(result.times) < repeats and (time.perf_counter() - began < budget or len(result.times) < 3):
            start = time.perf_counter()
            status, _ = await asyncio.wait_for(connection.send(request), timeout)
            result.times.append(time.perf_counter() - start)
            result.errors += status != 200
    except TimeoutError:
        result.timeouts += 1
    finally:
        connection.close()
    return result


@dataclass
class Load:
    requests: int
    seconds: float
    latency: Latency

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


async def load(endpoint: Endpoint, query: str, clients: int, seconds: float, *, cached: bool) -> Load:
    """`clients` connections sending `query` back to back for `seconds`."""
    request = endpoint.request(query, SELECT_JSON, cached=cached)
    latency = Latency()
    connections = [await Connection.open(endpoint.port) for _ in range(clients)]
    for connection in connections:
        await connection.send(request)
    stop = time.perf_counter() + seconds

    async def client(connection: Connection) -> None:
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                status, _ = await connection.send(request)
            except (OSError, asyncio.IncompleteReadError):
                latency.errors += 1
                return
            latency.times.append(time.perf_counter() - start)
            latency.errors += status != 200

    began = time.perf_counter()
    await asyncio.gather(*(client(connection) for connection in connections))
    elapsed = time.perf_counter() - began
    for connection in connections:
        connection.close()
    return Load(len(latency.times), elapsed, latency)
