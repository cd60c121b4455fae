"""Real SPARQL clients, unmodified, against the running service."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import urllib.parse
import urllib.request
import warnings
from typing import Any

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import (
    ASK,
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from tests.service.live import Live
from tests.service.test_protocol import BASE, NEW, OLD, OUTLINE, PREFIXES, STANDARDS

STANDARD = URIRef(f"{BASE}standard/{NEW}")
ASK_NEW = PREFIXES + f"ASK {{ ?s skos:notation '{NEW}' }}"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def wrapper(live: Live, query: str, fmt: str) -> Any:
    client = SPARQLWrapper(live.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper warns when it sends Accept: */*
        return client.query().convert()


def _select_codes(fmt: str, result: Any) -> set[str]:
    if fmt == JSON:
        return {row["code"]["value"] for row in result["results"]["bindings"]}
    if fmt == XML:
        return {node.firstChild.data for node in result.getElementsByTagName("literal")}
    text = result.decode("utf-8")
    if fmt == CSV:
        return {row["code"] for row in csv.DictReader(io.StringIO(text))}
    return {line.strip('"') for line in text.splitlines()[1:]}


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(live: Live, fmt: str) -> None:
    assert {NEW, OLD} <= _select_codes(fmt, wrapper(live, STANDARDS, fmt))


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_ask(live: Live, fmt: str) -> None:
    result = wrapper(live, ASK_NEW, fmt)
    if fmt == JSON:
        assert result["boolean"] is True
    elif fmt == XML:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert result.decode().strip() == "true"


def _graph(fmt: str, result: Any) -> Graph:
    if isinstance(result, Graph):
        return result
    return Graph().parse(data=result, format="turtle" if fmt == TURTLE else "n3")


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, RDFXML, RDF, JSONLD])
def test_sparqlwrapper_construct(live: Live, fmt: str) -> None:
    graph = _graph(fmt, wrapper(live, OUTLINE, fmt))
    assert len(graph) >= 10
    assert STANDARD in set(graph.subjects())


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, RDFXML, RDF, JSONLD])
def test_sparqlwrapper_describe(live: Live, fmt: str) -> None:
    graph = _graph(fmt, wrapper(live, f"DESCRIBE <{STANDARD}>", fmt))
    assert (STANDARD, URIRef("http://www.w3.org/2004/02/skos/core#notation"), None) in graph


def test_sparqlwrapper_post(live: Live) -> None:
    client = SPARQLWrapper(live.sparql)
    client.setMethod(POST)
    client.setQuery(STANDARDS)
    client.setReturnFormat(JSON)
    result: Any = client.query().convert()
    assert {NEW, OLD} <= {row["code"]["value"] for row in result["results"]["bindings"]}
    assert client.queryType != ASK


def test_rdflib_sparqlstore_queries_and_lists_named_graphs(live: Live) -> None:
    store = SPARQLStore(live.sparql)
    dataset = Dataset(store=store, default_union=True)
    rows = list(dataset.query(STANDARDS))
    assert {NEW, OLD} <= {str(row[0]) for row in rows}  # type: ignore[index]
    contexts = {str(name) for name in store.contexts()}
    assert {f"{BASE}graph/{NEW}", f"{BASE}graph/{OLD}"} <= contexts
    notation = URIRef("http://www.w3.org/2004/02/skos/core#notation")
    assert list(store.objects(STANDARD, notation)) == [next(iter(store.objects(STANDARD, notation)))]
    assert str(next(iter(store.objects(STANDARD, notation)))) == NEW


def test_rdflib_sparqlstore_ask_and_construct(live: Live) -> None:
    graph = Graph(store=SPARQLStore(live.sparql))
    assert graph.query(ASK_NEW).askAnswer is True
    built = graph.query(OUTLINE).graph
    assert built is not None and len(built) >= 10


def _curl(*args: str) -> subprocess.CompletedProcess[str]:
    curl = shutil.which("curl")
    assert curl, "curl is needed for this test (apt-get install curl)"
    return subprocess.run([curl, "-sS", "-i", *args], capture_output=True, text=True, timeout=60, check=True)


def _split(response: str) -> tuple[dict[str, str], str]:
    head, _, body = response.replace("\r\n", "\n").partition("\n\n")
    headers = {}
    for line in head.splitlines()[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers, body


def test_curl_with_accept_headers(live: Live) -> None:
    encoded = urllib.parse.quote(STANDARDS)
    headers, body = _split(_curl("-H", "Accept: text/csv", f"{live.sparql}?query={encoded}").stdout)
    assert headers["content-type"].startswith("text/csv")
    assert {NEW, OLD} <= {row["code"] for row in csv.DictReader(io.StringIO(body))}
    headers, body = _split(
        _curl(
            "-H", "Accept: application/sparql-results+json", "--data-urlencode", f"query={STANDARDS}", live.sparql
        ).stdout
    )
    assert {NEW, OLD} <= {row["code"]["value"] for row in json.loads(body)["results"]["bindings"]}
    headers, body = _split(
        _curl("-H", "Accept: text/turtle", "--data-urlencode", f"query=DESCRIBE <{STANDARD}>", live.sparql).stdout
    )
    assert headers["content-type"] == "text/turtle; charset=utf-8"
    assert len(Graph().parse(data=body, format="turtle")) > 5
    status_line = _curl("-X", "DELETE", live.sparql).stdout.splitlines()[0]
    assert " 405 " in status_line


BROWSER = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "Accept-Language": "zh-TW,zh;q=0.9,en;q=0.8",
}


def test_a_browser_get_shows_an_html_table(live: Live) -> None:
    url = f"{live.sparql}?{urllib.parse.urlencode({'query': STANDARDS})}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=BROWSER), timeout=30) as response:
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        page = response.read().decode("utf-8")
    assert "<table>" in page and "<th>?code</th>" in page
    assert f"<td>{NEW}</td>" in page and f"<td>{OLD}</td>" in page
    with urllib.request.urlopen(urllib.request.Request(live.sparql, headers=BROWSER), timeout=30) as response:
        description = response.read().decode("utf-8")
    assert "sd:endpoint" in description and "<pre>" in description


def test_a_browser_get_escapes_what_the_data_says(live: Live) -> None:
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    url = f"{live.sparql}?{urllib.parse.urlencode({'query': query})}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=BROWSER), timeout=30) as response:
        page = response.read().decode("utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_sparqlwrapper_and_rdflib_update_with_the_admin_token(live: Live) -> None:
    graph = URIRef("https://example.org/client-writes")
    client = SPARQLWrapper(live.sparql)
    client.setMethod(POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {live.token}")
    client.setQuery(f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/a> <https://example.org/p> 1 }} }}")
    client.query()
    store = SPARQLUpdateStore(live.sparql, live.sparql, headers=live.auth())
    Graph(store=store, identifier=graph).add(
        (URIRef("https://example.org/b"), URIRef("https://example.org/p"), URIRef("https://example.org/c"))
    )
    count = wrapper(live, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", JSON)
    assert count["results"]["bindings"][0]["n"]["value"] == "2"
    client.setQuery(f"DROP GRAPH <{graph}>")
    client.query()
    assert wrapper(live, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", JSON)["boolean"] is False
