"""Fixtures shared by the test packages: paths of the shipped data and one build of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import Build, build
from kg.uris import Minter

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEEDS = {
    "IIS3513-006v4": DATA / "standards" / "000_6c291be856d92341.txt",
    "IIS3513-005": DATA / "standards" / "001_6807fc9a01f5ae4e.txt",
}
BASE = "https://example.org/ocs/"


@pytest.fixture(scope="session")
def minter() -> Minter:
    return Minter(BASE)


@pytest.fixture(scope="session")
def shipped(minter: Minter) -> Build:
    """The whole of data/ parsed and mapped once per test session."""
    return build([DATA], minter)
