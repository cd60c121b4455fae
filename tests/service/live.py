"""The real service for tests: `python -m service` as a subprocess on a free loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import ROOT

TOKEN = "test-admin-token-7f3a9c"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Live:
    """A running service: its base URL, store folder, admin token and log file."""

    url: str
    store: Path
    token: str | None
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

    def auth(self) -> dict[str, str]:
        assert self.token is not None
        return {"Authorization": f"Bearer {self.token}"}


@contextmanager
def running(
    store: Path,
    *,
    data: list[Path] | None = None,
    token: str | None = TOKEN,
    port: int | None = None,
    **settings: str,
) -> Iterator[Live]:
    """Start the service on `store` (built from `data` when absent), yield it, stop it."""
    port = port or free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("KG_")}
    env |= {"KG_HOST": "127.0.0.1", "KG_PORT": str(port), "KG_STORE": str(store), "KG_WORKERS": "2"}
    if data is not None:
        env["KG_DATA"] = json.dumps([str(path) for path in data])
    if token is not None:
        env["KG_ADMIN_TOKEN"] = token
    env |= {f"KG_{name.upper()}": value for name, value in settings.items()}
    log = store.parent / f"service-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "service"], cwd=ROOT, env=env, stdout=sink, stderr=sink)
    live = Live(f"http://127.0.0.1:{port}", store, token, log, process)
    try:
        _wait_until_ready(live)
        yield live
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(live: Live) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if live.process.poll() is not None:
            raise RuntimeError(f"the service exited with {live.process.returncode}:\n{live.log.read_text()}")
        try:
            if httpx.get(live.sparql, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the service did not start in time:\n{live.log.read_text()}")
