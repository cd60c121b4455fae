"""Writes: SPARQL Update and the Graph Store Protocol behind the admin token; atomic swaps of the store."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.store.embedded import EmbeddedStore
from tests.service.live import Live, running

EX = "https://example.org/"
BIG = URIRef(f"{EX}graph/big")
SIZE = 4000
UPDATE = {"Content-Type": "application/sparql-update"}
TURTLE = {"Content-Type": "text/turtle; charset=utf-8"}
PERSON = b"""@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.org/person/1> a foaf:Person ; foaf:name "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e" ;
    foaf:knows [ foaf:name "Anon" ] .
"""


def _dataset(size: int) -> Dataset:
    dataset = Dataset()
    graph = dataset.graph(BIG)
    for i in range(size):
        graph.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(i)))
    return dataset


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    store: Path = tmp_path_factory.mktemp("writable") / "store"
    EmbeddedStore(store).replace(_dataset(SIZE))
    with running(store) as service:
        yield service


def ask(live: Live, query: str) -> bool:
    response = httpx.post(live.sparql, data={"query": query})
    assert response.status_code == 200, response.text
    answer: bool = response.json()["boolean"]
    return answer


def test_an_update_needs_the_admin_token(writable: Live) -> None:
    update = f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}a> <{EX}p> 1 }} }}"
    missing = httpx.post(writable.sparql, content=update.encode(), headers=UPDATE)
    wrong = httpx.post(writable.sparql, content=update.encode(), headers={**UPDATE, "Authorization": "Bearer nope"})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert wrong.status_code == 403
    assert not ask(writable, f"ASK {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}")
    done = httpx.post(writable.sparql, content=update.encode(), headers={**UPDATE, **writable.auth()})
    assert done.status_code == 204
    assert ask(writable, f"ASK {{ GRAPH <{EX}g1> {{ <{EX}a> <{EX}p> 1 }} }}")


def test_updates_by_form_and_on_the_update_endpoint(writable: Live) -> None:
    form = httpx.post(
        writable.sparql,
        data={"update": f"INSERT DATA {{ GRAPH <{EX}g2> {{ <{EX}a> <{EX}p> 2 }} }}"},
        headers=writable.auth(),
    )
    direct = httpx.post(
        f"{writable.url}/update",
        content=f"INSERT DATA {{ GRAPH <{EX}g2> {{ <{EX}a> <{EX}p> 3 }} }}".encode(),
        headers={**UPDATE, **writable.auth()},
    )
    query_there = httpx.post(f"{writable.url}/update", data={"query": "ASK {}"}, headers=writable.auth())
    assert (form.status_code, direct.status_code, query_there.status_code) == (204, 204, 400)
    assert ask(writable, f"ASK {{ GRAPH <{EX}g2> {{ <{EX}a> <{EX}p> 2, 3 }} }}")


def test_load_of_a_local_file_is_refused_even_with_the_token(writable: Live) -> None:
    for update in [
        "LOAD <file:///etc/passwd>",
        f"LOAD <file:///etc/passwd> INTO GRAPH <{EX}passwd>",
        "load<http://x/>",
    ]:
        response = httpx.post(writable.sparql, content=update.encode(), headers={**UPDATE, **writable.auth()})
        assert response.status_code == 403, update
        assert "LOAD" in response.text
    assert not ask(writable, f"ASK {{ GRAPH <{EX}passwd> {{ ?s ?p ?o }} }}")


def test_service_in_an_update_is_held_to_the_allowlist(writable: Live) -> None:
    update = (
        f"INSERT {{ GRAPH <{EX}g3> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <http://example.org/sparql> {{ ?s ?p ?o }} }}"
    )
    response = httpx.post(writable.sparql, content=update.encode(), headers={**UPDATE, **writable.auth()})
    assert response.status_code == 403


def test_a_failing_update_changes_nothing(writable: Live) -> None:
    before = httpx.get(writable.sparql, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    syntax = httpx.post(
        writable.sparql,
        content=f"INSERT DATA {{ GRAPH <{EX}g4> {{ <{EX}a> <{EX}p> 1 }} }} ; CLEAR XYZ".encode(),
        headers={**UPDATE, **writable.auth()},
    )
    semantic = httpx.post(
        writable.sparql,
        content=f"INSERT DATA {{ GRAPH <{EX}g4> {{ <{EX}a> <{EX}p> 1 }} }} ; CREATE GRAPH <{BIG}>".encode(),
        headers={**UPDATE, **writable.auth()},
    )
    assert syntax.status_code == 400 and "syntax error" in syntax.text
    assert semantic.status_code == 400 and "already exists" in semantic.text
    after = httpx.get(writable.sparql, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    assert before == after


def test_using_graph_uri_sets_the_dataset_of_the_where_clause(writable: Live) -> None:
    update = f"INSERT {{ GRAPH <{EX}g5> {{ ?s <{EX}copied> ?o }} }} WHERE {{ ?s <{EX}p> ?o }}"
    response = httpx.post(
        f"{writable.sparql}?using-graph-uri={EX}g2", content=update.encode(), headers={**UPDATE, **writable.auth()}
    )
    assert response.status_code == 204
    rows = httpx.get(
        writable.sparql, params={"query": f"SELECT ?o WHERE {{ GRAPH <{EX}g5> {{ ?s ?p ?o }} }} ORDER BY ?o"}
    ).json()["results"]["bindings"]
    assert [row["o"]["value"] for row in rows] == ["2", "3"]


def test_graph_store_put_get_post_delete(writable: Live) -> None:
    url = f"{writable.url}/store"
    target = {"graph": f"{EX}person"}
    assert httpx.put(url, params=target, content=PERSON, headers=TURTLE).status_code == 401
    assert httpx.put(url, params=target, content=PERSON, headers={**TURTLE, **writable.auth()}).status_code == 201
    got = httpx.get(url, params=target, headers={"Accept": "text/turtle"})
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/turtle; charset=utf-8"
    assert isomorphic(Graph().parse(data=got.text, format="turtle"), Graph().parse(data=PERSON, format="turtle"))
    assert httpx.put(url, params=target, content=PERSON, headers={**TURTLE, **writable.auth()}).status_code == 204
    extra = b'<https://example.org/person/1> <http://xmlns.com/foaf/0.1/nick> "ming" .'
    merged = httpx.post(
        url, params=target, content=extra, headers={"Content-Type": "application/n-triples", **writable.auth()}
    )
    assert merged.status_code == 204
    assert len(Graph().parse(data=httpx.get(url, params=target).text, format="turtle")) == 5
    assert httpx.head(url, params=target).status_code == 200
    assert httpx.delete(url, params=target).status_code == 401
    assert httpx.delete(url, params=target, headers=writable.auth()).status_code == 204
    assert httpx.get(url, params=target).status_code == 404
    assert httpx.head(url, params=target).status_code == 404
    assert httpx.delete(url, params=target, headers=writable.auth()).status_code == 404


def test_graph_store_post_to_the_store_creates_a_graph(writable: Live) -> None:
    created = httpx.post(f"{writable.url}/store", content=PERSON, headers={**TURTLE, **writable.auth()})
    assert created.status_code == 201
    location = created.headers["location"]
    assert location.startswith(f"{writable.url}/store/")
    direct = httpx.get(location, headers={"Accept": "application/n-triples"})
    indirect = httpx.get(f"{writable.url}/store", params={"graph": location})
    assert direct.status_code == indirect.status_code == 200
    assert isomorphic(Graph().parse(data=direct.text, format="nt"), Graph().parse(data=indirect.text, format="turtle"))


def test_graph_store_rejects_bad_payloads_with_4xx(writable: Live) -> None:
    url = f"{writable.url}/store"
    auth = writable.auth()
    bad_turtle = httpx.put(url, params={"graph": f"{EX}bad"}, content=b"<a> <b> .", headers={**TURTLE, **auth})
    quads = httpx.put(
        url, params={"graph": f"{EX}bad"}, content=b"", headers={"Content-Type": "application/n-quads", **auth}
    )
    unknown = httpx.put(url, params={"graph": f"{EX}bad"}, content=b"x", headers={"Content-Type": "image/png", **auth})
    bad_iri = httpx.get(url, params={"graph": "not an iri"})
    nothing = httpx.get(url)
    both = httpx.get(url, params={"graph": f"{EX}x", "default": ""})
    assert bad_turtle.status_code == 400 and "syntax error" in bad_turtle.text
    assert (quads.status_code, unknown.status_code) == (415, 415)
    assert (bad_iri.status_code, nothing.status_code, both.status_code) == (400, 400, 400)
    assert httpx.get(url, params={"graph": f"{EX}bad"}).status_code == 404


def test_an_external_rebuild_is_swapped_in_while_queries_in_flight_finish_on_the_old_data(writable: Live) -> None:
    heavy = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BIG}> {{ ?a ?p ?b }} GRAPH <{BIG}> {{ ?c ?q ?d }} }}"
    results: list[httpx.Response] = []
    started = threading.Event()

    def run() -> None:
        started.set()
        results.append(httpx.get(writable.sparql, params={"query": heavy}, timeout=60))

    thread = threading.Thread(target=run)
    thread.start()
    started.wait()
    time.sleep(0.5)  # the query (over a second of work) is running now
    EmbeddedStore(writable.store).replace(_dataset(10))  # what `kg build` does
    thread.join()
    assert results[0].status_code == 200
    assert results[0].json()["results"]["bindings"][0]["n"]["value"] == str(SIZE * SIZE)
    after = httpx.get(writable.sparql, params={"query": heavy}).json()
    assert after["results"]["bindings"][0]["n"]["value"] == "100"


def test_a_failed_rebuild_leaves_the_old_data_served(writable: Live) -> None:
    broken = _dataset(3)
    broken.graph(BIG).add((URIRef("relative/iri"), URIRef(f"{EX}p"), Literal(1)))  # N-Quads needs absolute IRIs
    with pytest.raises(SyntaxError):
        EmbeddedStore(writable.store).replace(broken)
    count = httpx.get(
        writable.sparql, params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BIG}> {{ ?s ?p ?o }} }}"}
    )
    assert count.json()["results"]["bindings"][0]["n"]["value"] == "10"
