"""Hostile input against the running service: every answer a clear 4xx (or a success), never a 500 or a hang.

Covers what the OpenAPI document lists at run time (schemathesis), oversized and deeply
nested queries, path traversal under every static mount, CR/LF meant to forge headers,
and odd Unicode in every query parameter the API declares.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import response_schema_conformance
from starlette.routing import Mount

from kg.settings import Settings
from service.main import create_app
from tests.service.live import Live

DOCUMENTED_5XX = {503}  # workers busy, the deadline passed, a worker died: always with Retry-After or a message
EXAMPLES = 6  # per operation: bounded so the whole API is covered in well under a minute
ODD = [
    "\x00",
    "a\x00b",
    "\u202e\u200fsevres\u202c",  # RTL override, RTL mark, pop
    "🧑‍🔧 職能",
    "e\u0301cole",  # unnormalised: e + combining acute
    "ｋｇ",  # full-width
    "\ufeff",
    "\ud800",  # a lone surrogate (sent as '?' or refused by the encoder)
    "%ED%A0%80",  # an encoded surrogate, decoded by the server
    "%C0%AE%C0%AE",  # overlong UTF-8 for '..'
    "x" * 5000,
]
SECRETS = ("[project]", "BaseSettings", "root:x:0:0")  # pyproject.toml, kg/settings.py, /etc/passwd


def raw_get(live: Live, target: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET `target` exactly as written (clients normalise `..`; an attacker's does not)."""
    address = urlsplit(live.url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=30)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def openapi(live: Live) -> dict[str, Any]:
    document: dict[str, Any] = httpx.get(f"{live.url}/openapi.json", timeout=30).json()
    return document


def mounts() -> list[str]:
    """The path prefixes served from folders (static files, dumps, …) in the app as built now."""
    return [route.path for route in create_app(Settings()).routes if isinstance(route, Mount)]


def _exercise(operation: Any, failures: list[str]) -> None:
    """Send generated requests to one operation; note each 5xx but 503, each answer off its schema."""
    name = f"{operation.method.upper()} {operation.path}"

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
        database=None,
    )
    def run(case: Any) -> None:
        response = case.call(timeout=30)
        if response.status_code >= 500 and response.status_code not in DOCUMENTED_5XX:
            failures.append(f"{name}: {response.status_code} for {case.path_parameters} {case.query}")
        elif response.status_code >= 500 and not response.text.strip():
            failures.append(f"{name}: {response.status_code} without a message")
        try:
            case.validate_response(response, checks=[response_schema_conformance])
        except Exception as error:  # schemathesis reports a mismatch as a failure group
            failures.append(f"{name}: {error}")

    run()


def test_every_operation_of_the_openapi_document_survives_generated_requests(live: Live) -> None:
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        _exercise(operation, failures)
    assert len(operations) >= 5  # /sparql GET and POST, /update, /store, /api/queries at least
    assert not failures, "\n".join(failures[:20])


def test_ten_thousand_nested_groups_or_parentheses_are_refused_with_400(live: Live) -> None:
    depth = 10_000
    queries = [
        "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth,
        "SELECT (" + "(" * depth + "1" + ")" * depth + " AS ?x) {}",
        "SELECT * { ?s ?p " + "[ ?p " * depth + "1" + " ]" * depth + " }",
    ]
    with httpx.Client(timeout=60) as client:
        for query in queries:
            response = client.post(live.sparql, content=query, headers={"Content-Type": "application/sparql-query"})
            assert response.status_code == 400, response.text
            assert "nested" in response.text and "at most 200" in response.text
        update = "INSERT DATA { " + "GRAPH <g:x> { " * 1 + "<s:a> <p:b> " + "(" * depth + "1" + ")" * depth + " } }"
        refused = client.post(
            live.sparql, content=update, headers={"Content-Type": "application/sparql-update", **live.auth()}
        )
        assert refused.status_code == 400 and "nested" in refused.text
        # Brackets in a string are no nesting; a normal query still runs.
        fine = client.get(live.sparql, params={"query": "ASK { FILTER(STRLEN('" + "{(" * 300 + "') > 0) }"})
        assert fine.status_code == 200 and fine.json()["boolean"] is True


def test_oversized_queries_bodies_and_headers_are_refused_with_4xx(live: Live) -> None:
    limits = Settings()
    long = "SELECT * { ?s ?p ?o } #" + "x" * limits.max_query_length
    status, _, _ = raw_get(live, "/sparql?query=" + quote(long))
    assert 400 <= status < 500  # 414 from the service, or 400 from the HTTP parser's own URL limit
    with httpx.Client(timeout=60) as client:
        assert client.post(live.sparql, data={"query": long}).status_code == 413
        body = b"query=" + b"x" * (limits.max_body_bytes + 1)
        too_big = client.post(live.sparql, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert too_big.status_code == 413 and "exceeds the limit" in too_big.text
    # uvicorn's httptools parser sets no header size limit: the proxy in front must (docs/security.md).
    status, _, _ = raw_get(live, "/sparql", {"X-Padding": "x" * 200_000})
    assert status < 500


@pytest.fixture(scope="module")
def prefixes() -> list[str]:
    found = mounts()
    assert "/static" in found
    return found


def _traversals(prefix: str) -> Iterator[str]:
    for tail in [
        "/../pyproject.toml",
        "/../../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/..%2fkg%2fsettings.py",
        "/%252e%252e/pyproject.toml",
        "/..\\..\\pyproject.toml",
        "/....//....//pyproject.toml",
        "/%c0%ae%c0%ae/pyproject.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/../../../../../../etc/passwd",
        "/site.css%00.txt",
        "/%00",
    ]:
        yield prefix + tail


def test_path_traversal_under_every_mount_never_leaves_its_folder(live: Live, prefixes: list[str]) -> None:
    for prefix in prefixes:
        for target in _traversals(prefix):
            status, _, body = raw_get(live, target)
            assert 400 <= status < 500, (target, status)
            assert not any(secret.encode() in body for secret in SECRETS), target


def test_traversal_in_path_parameters_of_the_api_reaches_no_file(live: Live) -> None:
    for path in openapi(live)["paths"]:
        if "{" not in path:
            continue
        for value in ["../../../../etc/passwd", "..%2f..%2fpyproject.toml", "%2e%2e/%2e%2e/kg/settings.py"]:
            target = path[: path.index("{")] + value
            status, _, body = raw_get(live, target)
            assert status < 500, (target, status)
            assert not any(secret.encode() in body for secret in SECRETS), target


def test_cr_lf_in_parameters_cannot_add_headers(live: Live) -> None:
    injected = "%0d%0aX-Injected:%20yes%0d%0aSet-Cookie:%20session=stolen"
    targets = [
        f"/sparql?query=ASK%20%7B%7D&format=json{injected}",
        f"/sparql?query=ASK%20%7B%7D&format=text/csv{injected}",
        f"/store?graph=https://example.org/g{injected}",
        f"/store/x{injected}",
        f"/api/queries/x{injected}",
    ]
    targets.extend(f"{path}?{name}=x{injected}" for path, name in PAGES)
    for path, item in openapi(live)["paths"].items():
        parameters = item.get("get", {}).get("parameters", [])
        base = path.split("{")[0] + ("x" if "{" in path else "")
        targets.append(f"{base}{injected}")
        targets.extend(f"{base}?{p['name']}=x{injected}" for p in parameters if p["in"] == "query")
    for target in targets:
        status, headers, _ = raw_get(live, target)
        assert status < 500, (target, status)
        assert "x-injected" not in headers and "set-cookie" not in headers, target
        assert all("\r" not in value and "\n" not in value for value in headers.values()), target


# Pages left out of the OpenAPI document (HTML for people), tested when they exist at run time.
PAGES = [("/search", "q"), ("/compare", "standard"), ("/queries/skill-frequency", "level"), ("/", "lang")]


def _query_parameters(live: Live) -> Iterator[tuple[str, str]]:
    """(path, parameter) for every GET query parameter the API declares, the SPARQL protocol's and the pages'."""
    yield "/sparql", "query"
    yield "/sparql", "default-graph-uri"
    yield "/store", "graph"
    for path, name in PAGES:
        if httpx.get(f"{live.url}{path}", timeout=30).status_code != 404:
            yield path, name
    for path, item in openapi(live)["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter["in"] == "query":
                yield path.replace("{", "").replace("}", ""), parameter["name"]
    yield "/api/queries/skill-frequency", "limit"


def test_odd_unicode_in_query_parameters_gets_an_answer_or_a_clear_4xx(live: Live) -> None:
    with httpx.Client(timeout=30) as client:
        for path, name in _query_parameters(live):
            for value in ODD:
                encoded = value if value.startswith("%") else quote(value.encode("utf-8", "replace"), safe="")
                response = client.get(f"{live.url}{path}?{name}={encoded}")
                assert response.status_code < 500 or response.status_code in DOCUMENTED_5XX, (path, name, value)
                if response.status_code >= 400:
                    assert response.text.strip(), (path, name, value)


def test_odd_unicode_inside_sparql_is_data_not_a_crash(live: Live) -> None:
    with httpx.Client(timeout=30) as client:
        for value in ODD[:7]:
            literal = value.replace("\\", "\\\\").replace('"', '\\"')
            query = f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{literal}")) }} LIMIT 1'
            response = client.post(live.sparql, data={"query": query})
            assert response.status_code in {200, 400}, (value, response.text)
