"""Faults the service must survive: a killed worker, a rebuild that cannot write, a broken store, SIGTERM.

Disk full is a real tiny tmpfs under the store when this machine lets the tests mount one,
and otherwise a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored) on the build process: the
build's writes fail either way (ENOSPC or EFBIG). An unwritable store folder is mode 0555;
when the tests run as root the build process also drops CAP_DAC_OVERRIDE, so the mode holds.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from kg.store.embedded import EmbeddedStore
from tests.conftest import ROOT, SEEDS
from tests.service.live import Live, running

ONE = SEEDS["IIS3513-006v4"]
BOTH = [SEEDS["IIS3513-006v4"], SEEDS["IIS3513-005"]]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) { VALUES ?x { 1 2 3 4 5 6 } ?a ?b ?c . ?d ?e ?f }"  # seconds, not minutes
Preexec = Callable[[], None] | None
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def count(live: Live) -> int:
    response = httpx.get(live.sparql, params={"query": COUNT}, headers={"Cache-Control": "no-cache"}, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def workers(pid: int) -> list[int]:
    """The query worker processes of the service process `pid`."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def in_background(call: Callable[[], httpx.Response]) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(call()))
    thread.start()
    return thread, answers


def kg_build(store: Path, *sources: Path, preexec: Preexec = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KG_")} | {"KG_STORE": str(store)}
    command = [sys.executable, "-m", "kg.cli", "build", *map(str, sources)]
    return subprocess.run(
        command, cwd=ROOT, env=env, preexec_fn=preexec, capture_output=True, text=True, timeout=300, check=False
    )


def _without_dac_override() -> None:
    """In the child, as root: lose the capability to ignore file modes (prctl PR_CAPBSET_DROP)."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _file_size_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


@contextlib.contextmanager
def small_disk() -> Iterator[tuple[Path, Callable[[], None] | None]]:
    """A folder on a 2 MiB tmpfs (no limit needed), or a plain folder and the file-size limit."""
    folder = Path(tempfile.mkdtemp(prefix="kg-disk-"))
    command = ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)]
    try:
        mounted = subprocess.run(command, capture_output=True, check=False).returncode == 0
    except OSError:  # no mount command at all
        mounted = False
    try:
        yield folder, None if mounted else _file_size_limit
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _fill(folder: Path) -> None:
    """Write until the file system is full."""
    with (folder / "filler").open("wb") as sink, contextlib.suppress(OSError):
        while True:
            sink.write(b"\0" * 65536)
            sink.flush()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    store: Path = tmp_path_factory.mktemp("faults") / "store"
    with running(store, data=[ONE], query_timeout="20") as live:
        yield live


def test_a_worker_killed_mid_query_fails_that_query_with_503_and_the_next_ones_succeed(service: Live) -> None:
    expected = count(service)
    thread, answers = in_background(lambda: httpx.get(service.sparql, params={"query": ENDLESS}, timeout=60))
    time.sleep(1.0)  # the query is running in one worker now
    for pid in workers(service.process.pid):  # the busy worker and the idle one
        os.kill(pid, signal.SIGKILL)
    thread.join(timeout=30)
    assert answers and answers[0].status_code == 503
    assert "query worker stopped" in answers[0].text
    assert [count(service) for _ in range(6)] == [expected] * 6
    deadline = time.monotonic() + 30
    while len(workers(service.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers(service.process.pid)) == 2  # both replaced


def test_a_rebuild_into_an_unwritable_store_fails_clearly_and_the_old_data_stays_served(service: Live) -> None:
    before = count(service)
    folders = [service.store, service.store / "builds"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        result = kg_build(service.store, *BOTH, preexec=_without_dac_override)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot write the store" in result.stderr and "Permission denied" in result.stderr
    assert count(service) == before


def test_a_rebuild_on_a_full_disk_fails_clearly_and_the_old_data_stays_served(tmp_path: Path) -> None:
    with small_disk() as (disk, limit):
        store = disk / "store"
        assert kg_build(store, ONE).returncode == 0
        with running(store, data=[ONE]) as live:
            before = count(live)
            if limit is None:
                _fill(disk)
            result = kg_build(store, *BOTH, preexec=limit)
            assert result.returncode == 1
            assert "Traceback" not in result.stderr
            assert "cannot write the store" in result.stderr
            assert "No space left on device" in result.stderr or "File too large" in result.stderr
            assert count(live) == before
            assert len(list((store / "builds").iterdir())) == 1  # the failed build left nothing behind


def test_a_store_whose_build_is_gone_is_rebuilt_from_the_sources_at_start(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kg_build(store, ONE).returncode == 0
    shutil.rmtree(EmbeddedStore(store).link.resolve())  # `current` now names nothing
    with running(store, data=[ONE]) as live:
        assert count(live) > 0
    assert "first start: building the store" in live.log.read_text()


def test_a_corrupted_store_at_start_is_reported_and_rebuilt_from_the_sources(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kg_build(store, ONE).returncode == 0
    corrupted = EmbeddedStore(store).link.resolve()
    for part in corrupted.iterdir():
        if part.is_file() and (part.suffix == ".sst" or part.name.startswith(("MANIFEST", "CURRENT"))):
            part.write_bytes(b"\x00garbage" * 10)
    with running(store, data=[ONE]) as live:
        assert count(live) > 0
        log = live.log.read_text()
    assert f"{corrupted}" in log and "cannot be opened" in log
    assert EmbeddedStore(store).link.resolve() != corrupted


def test_sigterm_lets_queries_in_flight_finish_then_the_service_exits_cleanly(tmp_path: Path) -> None:
    with running(tmp_path / "store", data=[ONE], query_timeout="60") as live:
        thread, answers = in_background(lambda: httpx.get(live.sparql, params={"query": SLOW}, timeout=60))
        time.sleep(0.5)  # the query is running now
        pool = workers(live.process.pid)
        # What a service manager does (systemd's control group, Ctrl-C's process group): signal every process.
        for pid in [live.process.pid, *pool]:
            os.kill(pid, signal.SIGTERM)
        thread.join(timeout=60)
        code = live.process.wait(timeout=30)
    assert answers and answers[0].status_code == 200, answers[0].text if answers else "no answer"
    assert int(answers[0].json()["results"]["bindings"][0]["n"]["value"]) > 0
    assert code in {0, -signal.SIGTERM}  # uvicorn re-raises the signal once shut down: a clean stop
    log = live.log.read_text()
    assert "Application shutdown complete" in log and "Traceback" not in log
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pool) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in pool)  # no worker outlives the service
