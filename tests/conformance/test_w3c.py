"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests, run against the live service.

The manifests are vendored unchanged in `w3c/` with their licence. Every test starts
from an empty store (`DROP ALL`) with its `ut:graphData` loaded through the Graph
Store Protocol; requests carry the admin token, as the update tests need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef

from kg.store.embedded import EmbeddedStore
from tests.conformance.manifest import Case, load, run
from tests.service.live import Live, running

W3C = Path(__file__).parent / "w3c"
PROTOCOL = load(W3C / "protocol" / "manifest.ttl")
GRAPH_STORE = load(W3C / "graph-store-protocol" / "manifest.ttl")
PATHS = {"/sparql/": "/sparql", "/gsp": "/store"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    store: Path = tmp_path_factory.mktemp("w3c") / "store"
    EmbeddedStore(store).replace(Dataset())
    with running(store) as service:
        yield service


@pytest.fixture
def client(endpoint: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=endpoint.url, timeout=30) as session:
        reset = session.post("/sparql", data={"update": "DROP ALL"}, headers=endpoint.auth())
        assert reset.status_code == 204, reset.text
        yield session


def _load_graph_data(case: Case, client: httpx.Client, endpoint: Live) -> None:
    for path, graph in case.graph_data:
        response = client.put(
            "/store",
            params={"graph": graph},
            content=path.read_bytes(),
            headers={"Content-Type": "application/n-triples", **endpoint.auth()},
        )
        assert response.status_code in {201, 204}, response.text


def test_the_manifests_hold_every_test() -> None:
    assert len(PROTOCOL) == 34
    assert len(GRAPH_STORE) == 13


@pytest.mark.parametrize("case", PROTOCOL, ids=[case.name for case in PROTOCOL])
def test_protocol(case: Case, client: httpx.Client, endpoint: Live) -> None:
    _load_graph_data(case, client, endpoint)
    run(case, client, PATHS, endpoint.auth())


@pytest.mark.parametrize("case", GRAPH_STORE, ids=[case.name for case in GRAPH_STORE])
def test_graph_store_protocol(case: Case, client: httpx.Client, endpoint: Live) -> None:
    _load_graph_data(case, client, endpoint)
    run(case, client, PATHS, endpoint.auth())


def test_service_description_has_a_matching_endpoint_triple(endpoint: Live) -> None:
    """Service description manifest: `returns-rdf` and `has-endpoint-triple`."""
    response = httpx.get(endpoint.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(endpoint.sparql)) in graph
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) in graph
