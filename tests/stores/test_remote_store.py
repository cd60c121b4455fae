"""Loading an external SPARQL server (`kg build`), and the service when that server is down or slow."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from kg.store.remote import RemoteStore, Server, batches
from tests.conftest import ROOT
from tests.service.live import running
from tests.stores.conftest import server
from tests.virtuoso import Endpoint, running_virtuoso

BASE = "http://example.org/kg/"
FOREIGN = "http://example.org/esco/graph"


@pytest.fixture(scope="module")
def spare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    """A second Virtuoso of this module's own, holding one graph that is not ours."""
    with running_virtuoso(tmp_path_factory.mktemp("spare")) as endpoint:
        Server.update(server(endpoint), f"INSERT DATA {{ GRAPH <{FOREIGN}> {{ <{FOREIGN}#a> <{FOREIGN}#b> 1 }} }}")
        yield endpoint


def _dataset(*names: str, size: int = 4) -> Dataset:
    """Graphs `{BASE}graph/<name>`, each `size` nodes with a blank-node label apiece."""
    dataset = Dataset()
    for name in names:
        graph = dataset.graph(URIRef(f"{BASE}graph/{name}"))
        for index in range(size):
            node, label = URIRef(f"{BASE}{name}/{index}"), BNode()
            graph.add((node, URIRef(f"{BASE}label"), label))
            graph.add((label, URIRef(f"{BASE}text"), Literal(f"{name} {index}", lang="zh-Hant")))
    return dataset


def _count(endpoint: Endpoint, where: str) -> int:
    _, rows = server(endpoint).select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0][0])


def test_every_triple_sharing_a_blank_node_travels_in_one_batch() -> None:
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    p = ox.NamedNode("http://example.org/p")
    triples = [ox.Triple(a, p, b), ox.Triple(b, p, c), *(ox.Triple(p, p, ox.Literal(str(i))) for i in range(5))]
    triples.insert(4, ox.Triple(c, p, ox.Literal("x")))
    parts = list(batches(triples, 2))
    assert sorted(len(part) for part in parts) == [1, 2, 2, 3]
    assert next(part for part in parts if ox.Triple(a, p, b) in part) == [
        ox.Triple(a, p, b),
        ox.Triple(b, p, c),
        ox.Triple(c, p, ox.Literal("x")),
    ]


def test_a_build_replaces_our_graphs_in_batches_and_leaves_other_graphs(spare: Endpoint) -> None:
    store = RemoteStore(server(spare), BASE, batch=3)  # 8 triples a graph: staged in batches, then moved
    assert not store.exists()
    store.replace(_dataset("one", "two"))
    assert store.graphs() == {f"{BASE}graph/one", f"{BASE}graph/two"}
    assert _count(spare, f"GRAPH <{BASE}graph/one> {{ ?s <{BASE}label> ?l . ?l <{BASE}text> ?t }}") == 4
    assert _count(spare, "GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), 'staging'))") == 0
    store.replace(_dataset("two", size=2))
    assert store.graphs() == {f"{BASE}graph/two"}
    assert _count(spare, f"GRAPH <{BASE}graph/two> {{ ?s <{BASE}label> ?l . ?l <{BASE}text> ?t }}") == 2
    assert _count(spare, f"GRAPH <{FOREIGN}> {{ ?s ?p ?o }}") == 1


def test_a_failed_build_leaves_the_served_graphs(spare: Endpoint, tmp_path: Path) -> None:
    RemoteStore(server(spare), BASE).replace(_dataset("kept"))
    before = _count(spare, "GRAPH ?g { ?s ?p ?o }")
    broken = tmp_path / "broken.txt"
    broken.write_text("這不是職能基準 not a standard\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("KG_")}
    env |= {f"KG_{name.upper()}": value for name, value in spare.settings().items()} | {"KG_BASE_IRI": BASE}
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(broken)],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not replaced" in done.stderr
    assert _count(spare, "GRAPH ?g { ?s ?p ?o }") == before
    assert RemoteStore(server(spare), BASE).graphs() == {f"{BASE}graph/kept"}


def test_a_slow_server_is_503_at_the_deadline(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with running(tmp_path / "store", STORE=url, query_timeout="1") as live:
            response = httpx.get(live.sparql, params={"query": "ASK {}"}, timeout=30)
    assert response.status_code == 503
    assert "timed out after 1 s" in response.text


def test_a_server_that_is_down_is_503_with_the_reason_and_recovery_follows(spare: Endpoint, tmp_path: Path) -> None:
    ask = {"query": f"ASK {{ GRAPH <{FOREIGN}> {{ ?s ?p ?o }} }}", "format": "json"}
    with ExitStack() as stack:
        live = stack.enter_context(running(tmp_path / "store", **{k.upper(): v for k, v in spare.settings().items()}))
        assert httpx.get(live.sparql, params=ask).json()["boolean"] is True
        subprocess.run(  # stop the server
            ["isql-vt", f"127.0.0.1:{spare.sql_port}", "dba", "dba"],
            input="shutdown;\n",
            text=True,
            check=False,
            capture_output=True,
        )
        down = httpx.get(live.sparql, params=ask, timeout=30)
        assert down.status_code == 503
        assert "cannot reach the SPARQL server" in down.text
        with running_virtuoso(spare.folder, http_port=spare.http_port, sql_port=spare.sql_port):
            back = httpx.get(live.sparql, params=ask, timeout=30)
            assert back.status_code == 200, back.text
            assert back.json()["boolean"] is True
