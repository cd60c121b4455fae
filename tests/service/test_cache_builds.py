"""The result cache is keyed by the served build: every kind of rebuild changes the answer at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import ROOT, SEEDS
from tests.service.live import Live, running

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPH = "https://example.org/graph/extra"


def ask(live: Live) -> tuple[int, str]:
    response = httpx.get(live.sparql, params={"query": COUNT}, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"]), response.headers["x-kg-cache"]


def test_a_cached_answer_never_outlives_a_rebuild(tmp_path: Path) -> None:
    with running(tmp_path / "store", data=[SEEDS["IIS3513-006v4"]]) as live:
        first, _ = ask(live)
        assert ask(live) == (first, "hit")

        # Graph Store Protocol with the admin token: a revised build.
        turtle = b"<https://example.org/a> <https://example.org/p> 1, 2, 3 ."
        put = httpx.put(
            f"{live.url}/store",
            params={"graph": GRAPH},
            content=turtle,
            headers={"Content-Type": "text/turtle", **live.auth()},
        )
        assert put.status_code in {201, 204}, put.text
        assert ask(live) == (first + 3, "miss")
        assert ask(live) == (first + 3, "hit")

        # SPARQL Update with the admin token.
        update = f"DELETE WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p 3 }} }}"
        done = httpx.post(
            live.sparql, content=update, headers={"Content-Type": "application/sparql-update", **live.auth()}
        )
        assert done.status_code == 204, done.text
        assert ask(live) == (first + 2, "miss")

        # `kg build` into the served store folder: a new build from other sources.
        env = {key: value for key, value in os.environ.items() if not key.startswith("KG_")}
        built = subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", str(SEEDS["IIS3513-005"])],
            cwd=ROOT,
            env=env | {"KG_STORE": str(live.store)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert built.returncode == 0, built.stderr
        rebuilt, cache = ask(live)
        assert cache == "miss" and rebuilt not in {first, first + 2}
