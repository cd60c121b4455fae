"""Reading and running the W3C HTTP test manifests (the `ht:` / `mf:` vocabulary).

Each test is a list of HTTP requests sent in order on one connection, each with
the response it expects: a status (exact or a class), a result format, an ASK
answer, response headers, a graph the response body must be isomorphic to, and a
`Location` to remember as a template variable for the later requests.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.term import Node

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "text/n3": "n3",
}


@dataclass
class Expected:
    statuses: list[str]
    result_format: str | None = None
    boolean: bool | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    location: str | None = None


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    encoding: str
    expected: Expected


@dataclass
class Case:
    name: str
    title: str
    requests: list[Request]
    graph_data: list[tuple[Path, str]]


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    return next(iter(graph.objects(subject, predicate)), None)


def _headers(graph: Graph, subject: Node) -> dict[str, str]:
    node = _one(graph, subject, HT.headers)
    if node is None:
        return {}
    return {
        str(_one(graph, header, HT.fieldName)).lower(): str(_one(graph, header, HT.fieldValue))
        for header in Collection(graph, node)
    }


def _body(graph: Graph, subject: Node) -> tuple[str | None, str]:
    node = _one(graph, subject, HT.body)
    if node is None:
        return None, "UTF-8"
    return str(_one(graph, node, CNT.chars)), str(_one(graph, node, CNT.characterEncoding) or "UTF-8")


def _request(graph: Graph, node: Node) -> Request:
    response = _one(graph, node, HT.resp)
    assert response is not None
    boolean = _one(graph, response, MF.expectedBoolean)
    result_format = _one(graph, response, MF.expectedFormat)
    location = _one(graph, response, MF.expectedLocation)
    expected = Expected(
        statuses=sorted(str(status).removeprefix(HTS) for status in graph.objects(response, MF.expectedStatus)),
        result_format=None if result_format is None else str(result_format),
        boolean=None if boolean is None else bool(boolean.toPython()),  # type: ignore[attr-defined]
        headers=_headers(graph, response),
        body=_body(graph, response)[0],
        location=None if location is None else str(location),
    )
    body, encoding = _body(graph, node)
    return Request(
        method=str(_one(graph, node, HT.methodName)),
        path=str(_one(graph, node, HT.absolutePath)),
        headers=_headers(graph, node),
        body=body,
        encoding=encoding,
        expected=expected,
    )


def load(manifest: Path) -> list[Case]:
    """The tests of `manifest` in their listed order, following `mf:include`."""
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    root = URIRef(manifest.resolve().as_uri())
    cases: list[Case] = []
    for included in graph.objects(root, MF.include):
        for item in Collection(graph, included):
            cases += load(manifest.parent / Path(str(item)).name)
    for entries in graph.objects(root, MF.entries):
        for entry in Collection(graph, entries):
            action = _one(graph, entry, MF.action)
            requests = _one(graph, action, HT.requests) if action is not None else None
            assert requests is not None, entry
            data = [
                (Path(str(_one(graph, item, UT.graph)).removeprefix("file://")), str(_one(graph, item, RDFS.label)))
                for item in graph.objects(entry, UT.graphData)
            ]
            cases.append(
                Case(
                    name=str(entry).rsplit("#", 1)[-1],
                    title=str(_one(graph, entry, MF.name)),
                    requests=[_request(graph, node) for node in Collection(graph, requests)],
                    graph_data=data,
                )
            )
    return cases


def _status_matches(status: int, expected: list[str]) -> bool:
    for name in expected:
        if name.startswith("StatusCode") and name.endswith("xx") and str(status)[0] == name[len("StatusCode")]:
            return True
        if STATUS.get(name) == status:
            return True
        assert name in STATUS or name.startswith("StatusCode"), f"unknown status {name}"
    return False


def _boolean(response: httpx.Response) -> bool:
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media == "application/sparql-results+json":
        return bool(json.loads(response.text)["boolean"])
    root = ET.fromstring(response.text)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None, response.text
    return node.text == "true"


def run(case: Case, client: httpx.Client, paths: dict[str, str], auth: dict[str, str]) -> None:
    """Send the case's requests in order and check every response against the manifest."""
    variables: dict[str, str] = {}
    for index, request in enumerate(case.requests):
        path = request.path
        for prefix, replacement in paths.items():
            if path.startswith(prefix):
                path = replacement + path[len(prefix) :]
                break
        body = request.body
        for name, value in variables.items():
            path = path.replace(name, value)
            body = body.replace(name, value) if body is not None else None
        content = body.encode(request.encoding.lower()) if body is not None else None
        url = path if path.startswith("http") else str(client.base_url).rstrip("/") + path
        response = client.request(request.method, url, content=content, headers={**request.headers, **auth})
        where = (
            f"{case.name} request {index + 1}: {request.method} {path} -> {response.status_code} {response.text[:300]}"
        )
        expected = request.expected
        assert _status_matches(response.status_code, expected.statuses), where
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if expected.result_format == "boolean":
            assert media in {"application/sparql-results+json", "application/sparql-results+xml"}, where
        elif expected.result_format == "tabular":
            assert media in RESULT_TYPES, where
        elif expected.result_format == "RDF":
            assert media in RDF_TYPES, where
            Graph().parse(data=response.text, format=RDF_TYPES[media])
        if expected.boolean is not None:
            assert _boolean(response) is expected.boolean, where
        for name, value in expected.headers.items():
            assert response.headers.get(name, "").replace(" ", "").lower() == value.replace(" ", "").lower(), where
        if expected.body is not None:
            actual = Graph().parse(data=response.text, format=RDF_TYPES[media], publicID=url)
            wanted = Graph().parse(data=expected.body, format="turtle", publicID=url)
            assert isomorphic(actual, wanted), f"{where}\nexpected:\n{expected.body}"
        if expected.location is not None:
            assert "location" in response.headers, where
            variables[expected.location] = response.headers["location"]
