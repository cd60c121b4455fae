"""The same answers from both stores: every named query (its defaults and each competency question's parameters),
each query form in each format, errors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from service.routes.queries import catalogue
from tests.queries.cases import CASES, Case
from tests.service.live import Live

PREFIXES = """PREFIX ocs: <https://w3id.org/tw-ocs/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
STANDARDS = (
    PREFIXES + "SELECT ?code ?name WHERE { ?s a ocs:CompetencyStandard ; skos:notation ?code ; skos:prefLabel ?name }"
)
STANDARD = "IIS3513-006v4"
OUTLINE = (
    PREFIXES
    + f"CONSTRUCT {{ ?s ocs:hasDuty ?d . ?d skos:prefLabel ?l }} WHERE {{ ?s skos:notation '{STANDARD}' ; "
    + "ocs:hasDuty ?d . ?d skos:prefLabel ?l }"
)
SRX = "{http://www.w3.org/2005/sparql-results#}"
NO_CACHE = {"Cache-Control": "no-cache"}
Rows = Counter[tuple[tuple[str, str], ...]]


def _rows(media: str, body: str) -> Rows:
    """SELECT results in any of the four formats as a multiset of rows of (variable, value)."""
    rows: list[dict[str, str]]
    if media == "json":
        rows = [{name: cell["value"] for name, cell in row.items()} for row in json.loads(body)["results"]["bindings"]]
    elif media == "xml":
        rows = [
            {str(b.get("name")): "".join(b.itertext()) for b in result.iter(f"{SRX}binding")}
            for result in ET.fromstring(body).iter(f"{SRX}result")
        ]
    elif media == "csv":
        rows = [{k: v for k, v in row.items() if v} for row in csv.DictReader(io.StringIO(body))]
    else:  # TSV: terms in SPARQL syntax; the lexical forms are compared
        lines = body.splitlines()
        names = [name.lstrip("?") for name in lines[0].split("\t")]
        rows = [{n: _lexical(v) for n, v in zip(names, line.split("\t"), strict=True) if v} for line in lines[1:]]
    return Counter(tuple(sorted(row.items())) for row in rows)


def _lexical(term: str) -> str:
    if term.startswith("<"):
        return term[1:-1]
    if term.startswith('"'):
        return json.loads(term[: term.rindex('"') + 1])
    return term


def _both(on_embedded: Live, on_virtuoso: Live, path: str, **kwargs: object) -> tuple[httpx.Response, httpx.Response]:
    embedded = httpx.get(on_embedded.url + path, timeout=60, **kwargs)  # type: ignore[arg-type]
    virtuoso = httpx.get(on_virtuoso.url + path, timeout=60, **kwargs)  # type: ignore[arg-type]
    assert embedded.status_code == 200, embedded.text
    assert virtuoso.status_code == 200, virtuoso.text
    return embedded, virtuoso


def _same_rows(on_embedded: Live, on_virtuoso: Live, name: str, params: dict[str, list[str]]) -> None:
    """The named query gives the same columns and the same rows (values as text) on both stores."""
    query = {"limit": "10000", **params}
    embedded, virtuoso = _both(on_embedded, on_virtuoso, f"/api/queries/{name}", params=query)
    first, second = embedded.json(), virtuoso.json()
    assert first["columns"] == second["columns"]
    assert Counter(json.dumps(row, sort_keys=True) for row in first["rows"]) == Counter(
        json.dumps(row, sort_keys=True) for row in second["rows"]
    )


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_named_query_gives_the_same_rows_on_both_stores(name: str, on_embedded: Live, on_virtuoso: Live) -> None:
    _same_rows(on_embedded, on_virtuoso, name, {})


@pytest.mark.parametrize("case", [case for case in CASES if case.data == "shipped"], ids=lambda case: case.id)
def test_every_competency_question_gives_the_same_rows_on_both_stores(
    case: Case, on_embedded: Live, on_virtuoso: Live
) -> None:
    _same_rows(on_embedded, on_virtuoso, case.query, case.params)


def test_the_named_queries_have_answers_to_compare(on_virtuoso: Live) -> None:
    answered = [
        name for name in catalogue() if httpx.get(f"{on_virtuoso.url}/api/queries/{name}", timeout=60).json()["rows"]
    ]
    assert len(answered) >= 3, answered


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_in_each_format_gives_the_same_rows(fmt: str, on_embedded: Live, on_virtuoso: Live) -> None:
    embedded, virtuoso = _both(on_embedded, on_virtuoso, "/sparql", params={"query": STANDARDS, "format": fmt})
    assert embedded.headers["content-type"] == virtuoso.headers["content-type"]
    rows = _rows(fmt, embedded.text)
    assert len(rows) > 50
    assert rows == _rows(fmt, virtuoso.text)


@pytest.mark.parametrize(
    ("query", "expected"), [(f"ASK {{ ?s ?p '{STANDARD}' }}", True), ("ASK { ?s ?p 'none' }", False)]
)
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_in_each_format(fmt: str, query: str, expected: bool, served: Live) -> None:
    response = httpx.get(served.sparql, params={"query": query, "format": fmt})
    assert response.status_code == 200, response.text
    if fmt == "json":
        assert response.json()["boolean"] is expected
    elif fmt == "xml":
        assert ET.fromstring(response.text).findtext(f"{SRX}boolean") == str(expected).lower()
    else:
        assert str(expected).lower() in response.text.lower()


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_gives_the_same_graph_in_each_rdf_format(
    accept: str, rdflib_format: str, on_embedded: Live, on_virtuoso: Live
) -> None:
    headers = {"Accept": accept}
    embedded, virtuoso = _both(on_embedded, on_virtuoso, "/sparql", params={"query": OUTLINE}, headers=headers)
    assert embedded.headers["content-type"].startswith(accept)
    assert virtuoso.headers["content-type"].startswith(accept)
    first = Graph().parse(data=embedded.text, format=rdflib_format)
    second = Graph().parse(data=virtuoso.text, format=rdflib_format)
    assert len(first) > 5
    assert isomorphic(first, second)


def test_describe_returns_the_resource_in_each_format(served: Live) -> None:
    query = PREFIXES + f"DESCRIBE ?s WHERE {{ ?s a ocs:CompetencyStandard ; skos:notation '{STANDARD}' }}"
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]:
        response = httpx.get(served.sparql, params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        graph = Graph().parse(data=response.text, format=fmt)
        assert any(str(o) == STANDARD for o in graph.objects())


def test_the_default_graph_is_the_union_unless_the_request_names_a_dataset(
    on_embedded: Live, on_virtuoso: Live
) -> None:
    graph = f"https://w3id.org/tw-ocs/graph/{STANDARD}"
    query = PREFIXES + "SELECT ?code WHERE { ?s a ocs:CompetencyStandard ; skos:notation ?code }"
    named = {"query": query, "default-graph-uri": graph, "format": "json"}
    embedded, virtuoso = _both(on_embedded, on_virtuoso, "/sparql", params=named)
    assert _rows("json", embedded.text) == _rows("json", virtuoso.text)
    in_graph = {row[0][1] for row in _rows("json", virtuoso.text)}
    assert STANDARD in in_graph
    from_clause = query.replace("WHERE", f"FROM <{graph}> WHERE")
    embedded, virtuoso = _both(on_embedded, on_virtuoso, "/sparql", params={"query": from_clause, "format": "json"})
    assert _rows("json", embedded.text) == _rows("json", virtuoso.text)
    union = httpx.get(on_virtuoso.sparql, params={"query": query, "format": "json"})
    assert len({row[0][1] for row in _rows("json", union.text)}) > len(in_graph)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ],
    ids=["default-graph", "named-graphs"],
)
def test_the_dataset_holds_the_same_triples_on_both_stores(query: str, on_embedded: Live, on_virtuoso: Live) -> None:
    # Virtuoso's own graphs (virtrdf#, ldp#, its service description) are neither in the
    # default graph nor among the named graphs.
    embedded, virtuoso = _both(on_embedded, on_virtuoso, "/sparql", params={"query": query, "format": "json"})
    rows = _rows("json", embedded.text)
    assert sum(int(dict(row)["n"]) for row in rows.elements()) > 10_000
    assert rows == _rows("json", virtuoso.text)


def test_a_syntax_error_is_400_with_the_parsers_message(served: Live) -> None:
    response = httpx.get(served.sparql, params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "語法錯誤" in response.text and "syntax error" in response.text


def test_what_only_the_server_rejects_is_400_with_its_message(on_virtuoso: Live) -> None:
    # SPARQL 1.1 Update allows blank nodes in INSERT DATA; Virtuoso 7 refuses them.
    update = "INSERT DATA { GRAPH <http://example.org/g> { _:b <http://example.org/p> 1 } }"
    response = httpx.post(on_virtuoso.sparql, data={"update": update}, headers=on_virtuoso.auth())
    assert response.status_code == 400, response.text
    assert "語法錯誤" in response.text and "Blank node" in response.text
