"""One service per test session, built on first start from the two shipped standards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.service.live import Live, running

STANDARDS = DATA / "standards"


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The service on a store it builds itself from data/standards (IIS3513-006v4, IIS3513-005)."""
    store: Path = tmp_path_factory.mktemp("live") / "store"
    with running(store, data=[STANDARDS]) as service:
        yield service
