"""The dataset describes itself: VoID/DCAT matches the dump files, dumps have fixed names,
JSON-LD reads as plain JSON through the published context."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT

from kg import dumps
from tests.conftest import SEEDS
from tests.service.live import Live, running

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A service of its own, built by `kg build`'s path: the shared one is revised by update tests,
    and a build revised by SPARQL Update is described without dumps."""
    store: Path = tmp_path_factory.mktemp("dataset") / "store"
    with running(store, data=list(SEEDS.values())) as service:
        yield service


def test_void_matches_the_dumps(live: Live) -> None:
    answer = httpx.get(f"{live.url}/.well-known/void", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    description = Graph().parse(data=answer.text, format="turtle")
    dataset = next(description.subjects(VOID.sparqlEndpoint, None))
    triples = int(description.value(dataset, VOID.triples))
    names = set()
    for distribution in description.objects(dataset, DCAT.distribution):
        url = str(description.value(distribution, DCAT.downloadURL))
        name = url.rsplit("/", 1)[-1]
        names.add(name)
        body = httpx.get(f"{live.url}/dumps/{name}").content
        assert int(description.value(distribution, DCAT.byteSize)) == len(body), name
        checksum = description.value(distribution, SPDX.checksum)
        assert str(description.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest(), name
        if name.endswith(".nt.gz"):
            lines = [line for line in gzip.decompress(body).decode().splitlines() if line.strip()]
            assert len(lines) == triples
        elif name.endswith(".ttl"):
            assert len(Graph().parse(data=body, format="turtle")) == triples
        else:
            assert len(Graph().parse(data=body, format="json-ld")) == triples
    assert names == set(dumps.NAMES)
    classes = sum(1 for _ in description.objects(dataset, VOID.classPartition))
    assert int(description.value(dataset, VOID.classes)) == classes > 0
    for example in description.objects(dataset, VOID.exampleResource):
        path = str(example).split("/tw-ocs", 1)[1]
        assert httpx.get(live.url + path).status_code == 200
    assert description.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None


def test_dump_names_are_fixed(live: Live) -> None:
    listing = httpx.get(f"{live.url}/dumps/")
    assert listing.status_code == 200
    for name in dumps.NAMES:
        assert f'href="/dumps/{name}"' in listing.text
    for name in ["manifest.json", "tw-ocs.nq", "%2E%2E", "tw-ocs.ttl%00"]:
        refused = httpx.get(f"{live.url}/dumps/{name}")
        assert refused.status_code == 404, name
        assert "tw-ocs.ttl" in refused.text, "the message names the dumps there are"
    assert httpx.get(f"{live.url}/dumps/..%2Fcurrent").status_code == 404


def test_jsonld_reads_as_plain_json(live: Live) -> None:
    context = httpx.get(f"{live.url}/context.jsonld")
    assert context.status_code == 200
    assert json.loads(context.text)["@context"]["prefLabel"]["@id"] == "skos:prefLabel"
    answer = httpx.get(f"{live.url}/standard/IIS3513-006v4/duty/T1", headers={"Accept": "application/ld+json"})
    document = answer.json()
    nodes = document.get("@graph", [document])
    duty = next(node for node in nodes if node.get("id", node.get("@id", "")).endswith("/duty/T1"))
    assert duty["notation"] == "T1"
    assert isinstance(duty["hasTask"], list)


def test_a_build_changed_by_update_is_described_without_dumps(tmp_path: Path) -> None:
    with running(tmp_path / "store", data=[SEEDS["IIS3513-005"]]) as service:
        before = httpx.get(f"{service.url}/.well-known/void", headers={"Accept": "text/turtle"})
        assert VOID.dataDump in {p for _, p, _ in Graph().parse(data=before.text, format="turtle")}
        update = (
            "INSERT DATA { <https://w3id.org/tw-ocs/standard/X> <http://www.w3.org/2004/02/skos/core#notation> 'X' }"
        )
        changed = httpx.post(service.sparql, data={"update": update}, headers=service.auth())
        assert changed.status_code == 204
        after = httpx.get(f"{service.url}/.well-known/void", headers={"Accept": "text/turtle"})
        assert after.status_code == 200
        assert VOID.dataDump not in {p for _, p, _ in Graph().parse(data=after.text, format="turtle")}
        gone = httpx.get(f"{service.url}/dumps/tw-ocs.ttl")
        assert gone.status_code == 404
        assert "kg build" in gone.text
        assert httpx.get(f"{service.url}/standard/X", headers={"Accept": "text/turtle"}).status_code == 200
