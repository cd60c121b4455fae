"""Every URI under the base IRI dereferences: a crawler over a build of the two seed standards
and a sample of one corpus standard, in HTML and in every RDF form.

Each RDF answer must parse and hold every triple the built graph states about the URI
(for a named graph: the graph itself, compared as graphs); hash IRIs of the ontology
are answered by the ontology document.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.build import build
from kg.namespaces import DEFAULT_BASE
from kg.uris import Minter
from tests.conftest import DATA, SEEDS
from tests.service.live import Live, running

CORPUS_SAMPLE = [
    DATA / "corpus" / "3D列印設備配修人員-職能基準.json",
    # Its job-category cell holds line breaks: codes with percent-encoded newlines in their URIs.
    DATA / "corpus" / "保健食品研發工程師-職能基準.json",
]
FORMS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".rdf": "xml"}
PER_KIND = 3  # URIs of each kind taken from the corpus standard


def kind(iri: str) -> str:
    """The kind of a URI, from its path: `standard/…/task/…/block/1` → `block`."""
    path = iri[len(DEFAULT_BASE) :]
    parts = path.split("#")[0].split("/")
    named = [part for part in parts[::2] if part]
    return "/".join(named[-1:]) if not path.startswith("classification/") else f"classification/{parts[1]}"


def iris(dataset: Dataset) -> set[str]:
    """Every IRI under the base that the dataset uses: subjects, objects and graph names."""
    found = {str(g.identifier) for g in dataset.graphs() if str(g.identifier).startswith(DEFAULT_BASE)}
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        for term in (s, p, o):
            if isinstance(term, URIRef) and str(term).startswith(DEFAULT_BASE):
                found.add(str(term))
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Live, Dataset, list[str]]]:
    """The service on seeds + one corpus standard, the dataset it was built from, and the URIs to crawl."""
    sources = [*SEEDS.values(), *CORPUS_SAMPLE]
    built = build(sources, Minter(DEFAULT_BASE)).dataset()
    # As the store holds it: loaded into pyoxigraph, which keeps typed literals in canonical form ("1.0" → "1").
    canonical = ox.Store()
    canonical.load(built.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    dataset = Dataset()
    dataset.parse(data=canonical.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    seed_only = iris(build(list(SEEDS.values()), Minter(DEFAULT_BASE)).dataset())
    by_kind: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(iris(dataset) - seed_only):
        by_kind[kind(iri)].append(iri)
    sample = [iri for group in by_kind.values() for iri in group[:PER_KIND]]
    sample += [iri for group in by_kind.values() for iri in group[PER_KIND:] if "%" in iri]
    store: Path = tmp_path_factory.mktemp("crawl") / "store"
    with running(store, data=sources) as live:
        yield live, dataset, sorted(seed_only) + sample


def expected(dataset: Dataset, iri: str) -> Graph:
    """What the build states about `iri`: its named graph, or the triples with it as subject."""
    named = dataset.graph(URIRef(iri))
    if len(named):
        return named
    graph = Graph()
    for s, p, o, _ in dataset.quads((URIRef(iri), None, None, None)):
        graph.add((s, p, o))
    return graph


def holds(served: Graph, wanted: Graph) -> list[tuple[object, ...]]:
    """The triples of `wanted` that `served` lacks (a graph with blank nodes must be isomorphic)."""
    if any(isinstance(term, BNode) for triple in wanted for term in triple):
        return [] if isomorphic(served, wanted) else [("not isomorphic",)]
    return [triple for triple in wanted if triple not in served]


def location(iri: str) -> str:
    path = iri[len(DEFAULT_BASE) :]
    return "/" + (path.split("#")[0] if "#" in path else path)


async def crawl(live: Live, dataset: Dataset, targets: list[str]) -> list[str]:
    """Fetch every target's document in HTML and each RDF form by Accept (the first of each kind
    also by suffix) and check it holds what the build states about each target; the problems found.
    Hash IRIs share their document (the ontology), which is fetched once."""
    problems: list[str] = []
    documents: dict[str, list[str]] = defaultdict(list)
    for iri in targets:
        documents[location(iri)].append(iri)
    first = {kind(iri): location(iri) for iri in reversed(targets) if "#" not in iri}
    limit = asyncio.Semaphore(4)
    async with httpx.AsyncClient(base_url=live.url, timeout=60) as client:

        async def one(path: str, described: list[str]) -> None:
            async with limit:
                page = await client.get(path, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
                if page.status_code != 200 or "text/html" not in page.headers["content-type"]:
                    problems.append(f"{path} html: {page.status_code}")
                requests = [(path, {"Accept": media}, fmt) for media, fmt in FORMS.items()]
                if path in first.values():
                    requests += [(path + suffix, {}, fmt) for suffix, fmt in SUFFIXES.items()]
                for url, headers, fmt in requests:
                    answer = await client.get(url, headers=headers)
                    if answer.status_code != 200:
                        problems.append(f"{url} {headers}: {answer.status_code}")
                        continue
                    if "accept" not in answer.headers.get("vary", "").lower() or not answer.headers.get("etag"):
                        problems.append(f"{url}: no Vary/ETag")
                    served = Graph().parse(data=answer.content, format=fmt, publicID=DEFAULT_BASE)
                    for iri in described:
                        missing = holds(served, expected(dataset, iri))
                        if missing:
                            problems.append(f"{iri} {url} {fmt}: {len(missing)} triples missing, e.g. {missing[:2]}")

        await asyncio.gather(*(one(path, described) for path, described in documents.items()))
    return problems


def test_every_uri_dereferences_in_every_form(world: tuple[Live, Dataset, list[str]]) -> None:
    live, dataset, targets = world
    kinds = {kind(iri) for iri in targets}
    assert {"standard", "duty", "task", "indicator", "output", "block", "knowledge", "skill", "attitude"} <= kinds
    assert {"classification/occupation", "classification/industry", "classification/job-category", "graph"} <= kinds
    assert any("#" in iri for iri in targets), "ontology terms are crawled too"
    assert any("%0A" in iri for iri in targets), "codes with line breaks are crawled too"
    problems = asyncio.run(crawl(live, dataset, targets))
    assert problems == [], "\n".join(problems[:20])


def test_unknown_uri_is_a_helpful_404(world: tuple[Live, Dataset, list[str]]) -> None:
    live, _, _ = world
    unknown = ["/standard/IIS3513-006v9/task/T1.1", "/skill/ffffffffffff", "/classification/occupation/%3Cx%3E"]
    for path in [*unknown, "/standard/%ZZ", "/graph/%", "/attitude/a%20b"]:
        answer = httpx.get(live.url + path, headers={"Accept": "text/html"})
        assert answer.status_code == 404, path
        assert 'action="/search"' in answer.text and 'name="q"' in answer.text
    other_version = httpx.get(live.url + "/standard/IIS3513-006v9", headers={"Accept": "text/html"})
    assert 'href="/standard/IIS3513-006v4"' in other_version.text, "the versions that exist are offered"
    near = httpx.get(live.url + "/standard/IIS3513-006v4/task/T9.9", headers={"Accept": "text/html"})
    assert near.status_code == 404
    assert re.search(r'href="/standard/IIS3513-006v4"', near.text), "the standard of the path is offered"


def test_validators_and_conditional_get(world: tuple[Live, Dataset, list[str]]) -> None:
    live, _, _ = world
    url = f"{live.url}/standard/IIS3513-006v4"
    first = httpx.get(url, headers={"Accept": "text/turtle"})
    other = httpx.get(url, headers={"Accept": "application/ld+json"})
    assert first.headers["etag"] != other.headers["etag"], "each form has its own ETag"
    assert first.headers["last-modified"].endswith("GMT")
    again = httpx.get(url, headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    preferred = httpx.get(url, headers={"Accept": "application/rdf+xml;q=0.5, text/turtle;q=0.9"})
    assert preferred.headers["content-type"].startswith("text/turtle")
    refused = httpx.get(url, headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_standard_page_lists_the_most_similar_standards(world: tuple[Live, Dataset, list[str]]) -> None:
    from kg.queries import load
    from kg.store.embedded import EmbeddedStore

    live, _, _ = world
    columns, rows = EmbeddedStore(live.store).select(load()["similar-standards"].bind({"standard": ["IIS3513-006v4"]}))
    assert rows, "the corpus sample shares concepts with the seed"
    page = httpx.get(f"{live.url}/standard/IIS3513-006v4", headers={"Accept": "text/html"}).text
    section = page.split("最相似的職能基準", 1)[1]
    for row in rows[:10]:
        values = dict(zip(columns, row, strict=True))
        assert f'href="/standard/{values["other"]}"' in section
        assert values["concepts"].split(" | ")[0] in section
