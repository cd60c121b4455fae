"""The service's limits hold on both stores: the row cap, the deadline, SERVICE and LOAD refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.service.live import Live
from tests.stores.conftest import STORES, start
from tests.virtuoso import Endpoint

TIMEOUT = 2
MAX_RESULTS = 5
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module", params=STORES)
def limited(request: pytest.FixtureRequest, embedded: Path, virtuoso: Endpoint) -> Iterator[Live]:
    """The service on each store with a short deadline and a small row cap."""
    yield from start(
        request.param,
        embedded,
        virtuoso,
        query_timeout=str(TIMEOUT),
        max_results=str(MAX_RESULTS),
        service_allowlist="http://127.0.0.1:9/sparql",
    )


def test_results_are_capped_with_the_truncation_header(limited: Live) -> None:
    for query in ["SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"]:
        response = httpx.get(limited.sparql, params={"query": query}, headers={"Accept": "application/n-triples, */*"})
        assert response.status_code == 200, response.text
        assert response.headers["x-kg-truncated"] == str(MAX_RESULTS)
        if query.startswith("SELECT"):
            assert len(response.json()["results"]["bindings"]) == MAX_RESULTS
        else:
            assert len(response.text.strip().splitlines()) == MAX_RESULTS


def test_a_small_answer_is_not_marked_truncated(limited: Live) -> None:
    response = httpx.get(limited.sparql, params={"query": "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }"})
    assert response.status_code == 200
    assert "x-kg-truncated" not in response.headers
    assert [row["x"]["value"] for row in response.json()["results"]["bindings"]] == ["1", "2", "3"]


def test_a_runaway_query_is_503_at_the_deadline_and_the_service_answers_after(limited: Live) -> None:
    response = httpx.get(limited.sparql, params={"query": CARTESIAN}, timeout=60)
    assert response.status_code == 503
    assert f"timed out after {TIMEOUT} s" in response.text
    again = httpx.get(limited.sparql, params={"query": "ASK { ?s ?p ?o }", "format": "json"}, timeout=30)
    assert again.status_code == 200 and again.json()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "PREFIX e: <http://127.0.0.1:1/> SELECT * WHERE { SERVICE SILENT e:sparql { ?s ?p ?o } }",
    ],
)
def test_service_off_the_allowlist_is_refused(limited: Live, query: str) -> None:
    response = httpx.get(limited.sparql, params={"query": query})
    assert response.status_code == 403
    assert "allowlist" in response.text


def test_load_of_a_local_file_is_refused_even_with_the_token(limited: Live) -> None:
    update = "LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/passwd>"
    response = httpx.post(limited.sparql, data={"update": update}, headers=limited.auth())
    assert response.status_code == 403
    assert "LOAD" in response.text
    probe = httpx.get(limited.sparql, params={"query": "ASK { GRAPH <http://example.org/passwd> { ?s ?p ?o } }"})
    assert probe.json()["boolean"] is False


def test_from_a_local_file_reads_nothing(limited: Live) -> None:
    query = "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    response = httpx.get(limited.sparql, params={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []


def test_server_extensions_are_not_sparql(limited: Live) -> None:
    for query in [
        'DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:1/x> WHERE { ?s ?p ?o }',
        "SELECT (bif:getenv('HOME') AS ?home) WHERE {}",
    ]:
        response = httpx.get(limited.sparql, params={"query": query})
        assert response.status_code == 400, response.text
        assert "syntax error" in response.text
