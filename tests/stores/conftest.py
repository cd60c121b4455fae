"""The service on both stores over the same data: the embedded store and a real Virtuoso server.

Virtuoso starts once per session (`tests.virtuoso`), and the shipped data is built once
and loaded into both stores; `served` runs a test once on each.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.build import build
from kg.namespaces import DEFAULT_BASE
from kg.store.embedded import EmbeddedStore
from kg.store.remote import RemoteStore, Server
from kg.uris import Minter
from tests.conftest import DATA
from tests.service.live import Live, running
from tests.virtuoso import Endpoint, running_virtuoso

STORES = ["embedded", "virtuoso"]


def server(endpoint: Endpoint) -> Server:
    return Server(endpoint.query_url, endpoint.update_url, endpoint.graphs_url, endpoint.user, endpoint.password)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The whole of data/ with the service's own IRIs, built once."""
    return build([DATA], Minter(DEFAULT_BASE)).dataset()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Iterator[Endpoint]:
    """A Virtuoso server holding `dataset`, loaded as `kg build` loads it."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as endpoint:
        started = time.perf_counter()
        RemoteStore(server(endpoint), DEFAULT_BASE).replace(dataset)
        print(f"\nloaded {len(dataset)} quads into Virtuoso in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        yield endpoint


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Path:
    """An embedded store folder holding `dataset`."""
    folder = tmp_path_factory.mktemp("embedded") / "store"
    EmbeddedStore(folder).replace(dataset)
    return folder


def start(store: str, embedded: Path, virtuoso: Endpoint, **settings: str) -> Iterator[Live]:
    """The service on the embedded store or on Virtuoso, with `settings`."""
    if store == "embedded":
        with running(embedded, **settings) as live:
            yield live
    else:
        remote = {name.upper(): value for name, value in (virtuoso.settings() | settings).items()}
        # (upper-case names: `running` takes `store` for the embedded folder; KG_STORE is the URL here)
        with running(embedded.parent / "remote", **remote) as live:
            yield live


@pytest.fixture(scope="session")
def on_embedded(embedded: Path, virtuoso: Endpoint) -> Iterator[Live]:
    yield from start("embedded", embedded, virtuoso)


@pytest.fixture(scope="session")
def on_virtuoso(embedded: Path, virtuoso: Endpoint) -> Iterator[Live]:
    yield from start("virtuoso", embedded, virtuoso)


@pytest.fixture(params=STORES)
def served(request: pytest.FixtureRequest) -> Live:
    """The service on each store in turn."""
    live: Live = request.getfixturevalue(f"on_{request.param}")
    return live
