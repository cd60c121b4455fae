"""The real service on the two seed standards, a browser driving it, and the expected answers.

The browser is Debian's Chromium (`/usr/bin/chromium`, installed by `make install`)
driven by Playwright, headless, talking only to the service on 127.0.0.1. The expected
values come from the parsed seed documents and from the named queries run in memory on
the same build (`tests/queries/conftest.py` runners), never typed in by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from kg.build import Build, build
from kg.model import Standard
from kg.queries import load
from kg.uris import Minter
from tests.conftest import ROOT, SEEDS
from tests.queries.conftest import Runner, load_store, store_runner
from tests.service.live import Live, running

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="session")
def seeds(minter: Minter) -> Build:
    """The two seed standards, parsed and mapped."""
    built = build(list(SEEDS.values()), minter)
    assert built.errors == []
    return built


@pytest.fixture(scope="session")
def standards(seeds: Build) -> dict[str, Standard]:
    """The parsed seed standards by code."""
    return {document.standard.code: document.standard for document in seeds.documents}


@pytest.fixture(scope="session")
def seed_runner(seeds: Build) -> Runner:
    """The named queries run in memory on the seeds (the page shows what these return)."""
    return store_runner(load_store(seeds), load())


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The service on a store it builds itself from the seeds."""
    store = tmp_path_factory.mktemp("ui") / "store"
    with running(store, data=list(SEEDS.values())) as service:
        yield service


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium: Debian's build, launched by Playwright (which cannot download its own here)."""
    assert CHROMIUM.exists(), "Chromium is missing: run `make install` (apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live: Live, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page that may only reach the service; its last view is saved as a screenshot."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-TW")
    outside: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith((live.url + "/", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()
    yield opened
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opened.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert outside == [], f"the page tried to reach beyond the service: {outside}"
