"""Limits that hold: the deadline, the row cap, sizes, SERVICE, LOAD/FROM of files, CORS, no token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SEEDS
from tests.service.live import Live, free_port, running

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }"
TIMEOUT = 2
MAX_RESULTS = 5


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A service with a short deadline, small caps, no admin token and itself on the SERVICE allowlist."""
    port = free_port()
    store: Path = tmp_path_factory.mktemp("limited") / "store"
    with running(
        store,
        data=[SEEDS["IIS3513-006v4"]],
        token=None,
        port=port,
        query_timeout=str(TIMEOUT),
        max_results=str(MAX_RESULTS),
        max_body_bytes="4096",
        max_query_length="2000",
        worker_memory_mb="400",
        service_allowlist=f"http://127.0.0.1:{port}/sparql",
    ) as service:
        yield service


def _count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_runaway_query_is_stopped_at_the_deadline_while_others_are_served(limited: Live) -> None:
    expected = _count(httpx.get(limited.sparql, params={"query": SIMPLE}))
    runaway: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: runaway.append(httpx.get(limited.sparql, params={"query": CARTESIAN}, timeout=60))
    )
    thread.start()
    answered = 0
    with httpx.Client(timeout=30) as client:
        while thread.is_alive():
            assert _count(client.get(limited.sparql, params={"query": SIMPLE})) == expected
            answered += 1
    thread.join()
    assert answered > 0
    assert runaway[0].status_code == 503
    assert "查詢逾時" in runaway[0].text and f"timed out after {TIMEOUT} s" in runaway[0].text
    for _ in range(3):  # the killed worker was replaced: the service keeps answering
        assert _count(httpx.get(limited.sparql, params={"query": SIMPLE})) == expected


def test_a_query_that_needs_too_much_memory_stops_alone(limited: Live) -> None:
    expected = _count(httpx.get(limited.sparql, params={"query": SIMPLE}))
    hungry = "SELECT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
    response = httpx.get(limited.sparql, params={"query": hungry}, timeout=30)
    assert response.status_code == 503
    assert "out of memory" in response.text
    again = httpx.get(limited.sparql, params={"query": SIMPLE}, headers={"Cache-Control": "no-cache"})
    assert _count(again) == expected


def test_results_are_capped_at_max_results(limited: Live) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    response = httpx.get(limited.sparql, params={"query": query})
    assert len(response.json()["results"]["bindings"]) == MAX_RESULTS
    assert response.headers["x-kg-truncated"] == str(MAX_RESULTS)
    as_csv = httpx.get(limited.sparql, params={"query": query}, headers={"Accept": "text/csv"})
    assert len(as_csv.text.strip().splitlines()) == MAX_RESULTS + 1
    graph = httpx.get(
        limited.sparql,
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert len(graph.text.strip().splitlines()) == MAX_RESULTS
    assert graph.headers["x-kg-truncated"] == str(MAX_RESULTS)
    small = httpx.get(limited.sparql, params={"query": "SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 } }"})
    assert len(small.json()["results"]["bindings"]) == MAX_RESULTS
    assert "x-kg-truncated" not in small.headers


def test_a_body_over_the_cap_is_413(limited: Live) -> None:
    body = ("SELECT * WHERE { ?s ?p ?o } " + "#" * 5000).encode()
    response = httpx.post(limited.sparql, content=body, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert "4096" in response.text


def test_a_query_over_the_length_cap_is_refused(limited: Live) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } " + " " * 2100
    assert httpx.get(limited.sparql, params={"query": query}).status_code == 414
    posted = httpx.post(limited.sparql, data={"query": query})
    assert posted.status_code == 413
    assert "2000" in posted.text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICEex:sparql { ?s ?p ?o } }",
        "PREFIX : <http://example.org/> SELECT * WHERE { SERVICE:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { VALUES ?e { <http://example.org/sparql> } SERVICE ?e { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    ],
)
def test_service_to_a_host_off_the_allowlist_is_refused(limited: Live, query: str) -> None:
    response = httpx.get(limited.sparql, params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text


def test_a_prefix_redefined_without_a_space_cannot_sneak_past_the_allowlist(limited: Live) -> None:
    allowed = limited.sparql.removesuffix("sparql")
    query = (
        f"PREFIX ex: <{allowed}> PREFIXex: <http://example.org/> SELECT * WHERE {{ SERVICE ex:sparql {{ ?s ?p ?o }} }}"
    )
    assert httpx.get(limited.sparql, params={"query": query}).status_code == 403


def test_service_on_the_allowlist_is_called(limited: Live) -> None:
    query = f"SELECT ?n WHERE {{ SERVICE <{limited.sparql}> {{ {SIMPLE} }} }}"
    direct = _count(httpx.get(limited.sparql, params={"query": SIMPLE}))
    assert _count(httpx.get(limited.sparql, params={"query": query}, timeout=30)) == direct


def test_from_a_local_file_reads_nothing(limited: Live) -> None:
    response = httpx.get(limited.sparql, params={"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    assert "root:" not in response.text


def test_writes_are_refused_when_no_admin_token_is_set(limited: Live) -> None:
    update = httpx.post(
        limited.sparql,
        content=b"INSERT DATA { <http://a> <http://b> <http://c> }",
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer guess"},
    )
    put = httpx.put(f"{limited.url}/store?default", content=b"<http://a> <http://b> <http://c> .")
    assert (update.status_code, put.status_code) == (403, 403)
    assert "KG_ADMIN_TOKEN" in update.text


def test_reads_allow_cross_origin_requests_without_credentials(limited: Live) -> None:
    origin = {"Origin": "https://researcher.example"}
    response = httpx.get(limited.sparql, params={"query": SIMPLE}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = httpx.options(
        limited.sparql,
        headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    with_authorization = httpx.options(
        limited.sparql,
        headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"},
    )
    assert with_authorization.status_code == 400
