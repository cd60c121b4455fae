"""Fair use: per-client request and query-time budgets answered with 429 and Retry-After."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.budget import Budget, ClientKey
from tests.conftest import SEEDS
from tests.service.live import Live, running

SIMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_request_budget_refills_at_its_rate_per_minute() -> None:
    clock = Clock()
    budget = Budget(requests=3, seconds=0, clock=clock)
    assert [budget.admit("a") for _ in range(3)] == [0, 0, 0]
    assert budget.admit("a") == pytest.approx(20.0)  # one request every 60/3 s
    assert budget.admit("b") == 0  # another client has its own budget
    clock.now += 20
    assert budget.admit("a") == 0
    assert budget.admit("a") > 0


def test_query_seconds_are_charged_after_the_answer_and_debt_must_be_waited_off() -> None:
    clock = Clock()
    budget = Budget(requests=0, seconds=6, clock=clock)
    assert budget.admit("a") == 0
    budget.charge("a", 9.0)  # 3 s over the 6 s per minute
    assert budget.admit("a") == pytest.approx(30.0)  # refills at 0.1 s per s
    clock.now += 30.5
    assert budget.admit("a") == 0


def test_forgotten_clients_are_only_those_with_full_buckets() -> None:
    clock = Clock()
    budget = Budget(requests=2, seconds=0, clock=clock)
    budget.admit("busy")
    budget.admit("idle")
    clock.now += 60
    budget.admit("busy")
    budget._prune(clock.now)
    assert set(budget.clients) == {"busy"}


def _scope(peer: str, forwarded: str | None = None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"type": "http", "client": (peer, 5000), "headers": headers}


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy() -> None:
    key = ClientKey([])
    assert key(_scope("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() -> None:
    key = ClientKey(["10.0.0.0/8"])
    assert key(_scope("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"  # 1.2.3.4 may be forged
    assert key(_scope("10.0.0.2")) == "10.0.0.2"
    assert key(_scope("10.0.0.2", "not-an-ip")) == "10.0.0.2"
    assert key(_scope("203.0.113.9", "198.51.100.7")) == "203.0.113.9"  # not from the proxy: ignored


def test_ipv6_clients_are_keyed_by_their_64_and_mapped_ipv4_as_ipv4() -> None:
    key = ClientKey([])
    assert key(_scope("2001:db8:1:2::1")) == key(_scope("2001:db8:1:2:ffff::9")) == "2001:db8:1:2::/64"
    assert key(_scope("::ffff:192.0.2.1")) == "192.0.2.1"


@pytest.fixture(scope="module")
def budgeted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """5 requests and 1 s of query time per client and minute; loopback is a trusted proxy."""
    store: Path = tmp_path_factory.mktemp("budget") / "store"
    with running(
        store,
        data=[SEEDS["IIS3513-006v4"]],
        budget_requests="5",
        budget_query_seconds="1",
        trusted_proxies="127.0.0.1",
        query_timeout="2",
    ) as service:
        yield service


def test_a_client_over_its_request_budget_gets_429_with_retry_after(budgeted: Live) -> None:
    client = {"X-Forwarded-For": "198.51.100.1"}
    with httpx.Client(timeout=30) as http:
        statuses = [http.get(budgeted.sparql, params={"query": SIMPLE}, headers=client).status_code for _ in range(5)]
        refused = http.get(budgeted.sparql, params={"query": SIMPLE}, headers=client)
        other = http.get(budgeted.sparql, params={"query": SIMPLE}, headers={"X-Forwarded-For": "198.51.100.2"})
    assert statuses == [200] * 5
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 12  # one request every 12 s
    assert "198.51.100.1" in refused.text and "too many requests" in refused.text
    assert other.status_code == 200


def test_a_client_over_its_query_time_budget_waits_it_off(budgeted: Live) -> None:
    client = {"X-Forwarded-For": "198.51.100.3"}
    with httpx.Client(timeout=30) as http:
        slow = http.get(budgeted.sparql, params={"query": CARTESIAN}, headers=client)
        refused = http.get(budgeted.sparql, params={"query": SIMPLE}, headers=client)
    assert slow.status_code == 503  # stopped at the 2 s deadline: 2 s charged against 1 s per minute
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 50
    assert "query time" in refused.text
