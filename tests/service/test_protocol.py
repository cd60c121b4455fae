"""SPARQL 1.1 Protocol on `/sparql` over HTTP: operations, datasets, formats, errors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from tests.service.live import Live

BASE = "https://w3id.org/tw-ocs/"
NEW, OLD = "IIS3513-006v4", "IIS3513-005"
PREFIXES = """PREFIX ocs: <https://w3id.org/tw-ocs/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
STANDARDS = PREFIXES + "SELECT ?code WHERE { ?s a ocs:CompetencyStandard ; skos:notation ?code } ORDER BY ?code"
OUTLINE = (
    PREFIXES
    + f"CONSTRUCT {{ ?s ocs:hasDuty ?d . ?d skos:prefLabel ?l }} WHERE {{ ?s skos:notation '{NEW}' ; "
    + "ocs:hasDuty ?d . ?d skos:prefLabel ?l }"
)
SRX = "{http://www.w3.org/2005/sparql-results#}"


def codes_json(response: httpx.Response) -> set[str]:
    return {row["code"]["value"] for row in response.json()["results"]["bindings"]}


def test_get_answers_select_in_sparql_json(live: Live) -> None:
    response = httpx.get(live.sparql, params={"query": STANDARDS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert {NEW, OLD} <= codes_json(response)


def test_get_url_encoded_post_and_direct_post_give_the_same_answer(live: Live) -> None:
    by_get = httpx.get(live.sparql, params={"query": STANDARDS})
    by_form = httpx.post(live.sparql, data={"query": STANDARDS})
    by_body = httpx.post(
        live.sparql, content=STANDARDS.encode(), headers={"Content-Type": "application/sparql-query; charset=utf-8"}
    )
    assert by_get.status_code == by_form.status_code == by_body.status_code == 200
    assert codes_json(by_get) == codes_json(by_form) == codes_json(by_body)


def _codes(media: str, body: str) -> set[str]:
    if "json" in media:
        return {row["code"]["value"] for row in json.loads(body)["results"]["bindings"]}
    if "xml" in media:
        root = ET.fromstring(body)
        return {str(literal.text) for literal in root.iter(f"{SRX}literal")}
    if media == "text/csv":
        return {row["code"] for row in csv.DictReader(io.StringIO(body))}
    lines = body.splitlines()
    assert lines[0] == "?code"
    return {line.strip('"') for line in lines[1:]}


@pytest.mark.parametrize(
    "accept",
    ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"],
)
def test_select_results_in_each_format_chosen_by_accept(live: Live, accept: str) -> None:
    response = httpx.get(live.sparql, params={"query": STANDARDS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert {NEW, OLD} <= _codes(accept, response.text)


def test_a_format_parameter_wins_over_accept(live: Live) -> None:
    response = httpx.get(
        live.sparql, params={"query": STANDARDS, "format": "csv"}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == "code"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json;q=0.5, text/csv;q=0.9", "text/csv"),
        ("text/tab-separated-values;q=0, */*;q=0.1", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("application/xml, application/json;q=0.8", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_q_values_decide_between_formats(live: Live, accept: str, expected: str) -> None:
    response = httpx.get(live.sparql, params={"query": STANDARDS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


GRAPH_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "text/n3": "n3",
}


def test_construct_gives_the_same_graph_in_every_rdf_format(live: Live) -> None:
    graphs = []
    for media, parser in GRAPH_FORMATS.items():
        response = httpx.post(live.sparql, data={"query": OUTLINE}, headers={"Accept": media})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media
        graphs.append(Graph().parse(data=response.content, format=parser))
    assert len(graphs[0]) >= 10
    assert all(isomorphic(graphs[0], other) for other in graphs[1:])


def test_describe_returns_a_graph_about_the_resource(live: Live) -> None:
    standard = URIRef(f"{BASE}standard/{NEW}")
    response = httpx.get(live.sparql, params={"query": f"DESCRIBE <{standard}>"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(list(graph.predicate_objects(standard))) > 5


def test_ask_answers_a_boolean(live: Live) -> None:
    yes = httpx.get(live.sparql, params={"query": PREFIXES + f"ASK {{ ?s skos:notation '{NEW}' }}"})
    no = httpx.get(live.sparql, params={"query": PREFIXES + "ASK { ?s skos:notation 'NO-SUCH-CODE' }"})
    assert yes.json()["boolean"] is True
    assert no.json()["boolean"] is False


def test_each_source_document_is_its_own_named_graph(live: Live) -> None:
    query = PREFIXES + "SELECT ?g ?code WHERE { GRAPH ?g { ?s a ocs:CompetencyStandard ; skos:notation ?code } }"
    rows = httpx.get(live.sparql, params={"query": query}).json()["results"]["bindings"]
    where = {row["code"]["value"]: row["g"]["value"] for row in rows}
    assert where[NEW] == f"{BASE}graph/{NEW}"
    assert where[OLD] == f"{BASE}graph/{OLD}"


def test_the_default_graph_is_the_union_unless_the_request_names_a_dataset(live: Live) -> None:
    union = codes_json(httpx.get(live.sparql, params={"query": STANDARDS}))
    only_new = codes_json(
        httpx.get(live.sparql, params={"query": STANDARDS, "default-graph-uri": f"{BASE}graph/{NEW}"})
    )
    both = codes_json(
        httpx.post(
            f"{live.sparql}?default-graph-uri={BASE}graph/{NEW}&default-graph-uri={BASE}graph/{OLD}",
            content=STANDARDS.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
    )
    assert {NEW, OLD} <= union
    assert NEW in only_new and OLD not in only_new
    assert {NEW, OLD} <= both


def test_named_graph_uri_limits_graph_patterns(live: Live) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.get(live.sparql, params={"query": query, "named-graph-uri": f"{BASE}graph/{OLD}"})
    assert [row["g"]["value"] for row in response.json()["results"]["bindings"]] == [f"{BASE}graph/{OLD}"]


def test_from_in_the_query_selects_the_default_graph(live: Live) -> None:
    query = PREFIXES + (
        f"SELECT ?code FROM <{BASE}graph/{OLD}> WHERE {{ ?s a ocs:CompetencyStandard ; skos:notation ?code }}"
    )
    assert codes_json(httpx.get(live.sparql, params={"query": query})) == {OLD}


def test_without_a_query_the_endpoint_describes_itself(live: Live) -> None:
    response = httpx.get(live.sparql)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(live.sparql)) in graph
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    as_json = httpx.get(live.sparql, headers={"Accept": "application/ld+json"})
    assert isomorphic(graph, Graph().parse(data=as_json.text, format="json-ld"))


def test_a_syntax_error_is_400_with_the_parsers_message_and_position(live: Live) -> None:
    response = httpx.get(live.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMT 1"})
    assert response.status_code == 400
    assert "語法錯誤" in response.text and "syntax error" in response.text
    assert "error at 1:" in response.text


def test_a_wrong_media_type_is_415(live: Live) -> None:
    wrong = httpx.post(live.sparql, content=b"ASK {}", headers={"Content-Type": "text/plain"})
    missing = httpx.post(live.sparql, content=b"ASK {}")
    utf16 = httpx.post(
        live.sparql,
        content="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert (wrong.status_code, missing.status_code, utf16.status_code) == (415, 415, 415)
    assert "text/plain" in wrong.text
    assert "UTF-8" in utf16.text


def test_a_wrong_method_is_405(live: Live) -> None:
    response = httpx.put(live.sparql, params={"query": "ASK {}"})
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_a_media_type_nobody_writes_is_406(live: Live) -> None:
    response = httpx.get(live.sparql, params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


@pytest.mark.parametrize(
    ("request_args", "status", "words"),
    [
        ({"method": "GET", "params": {"query": ["ASK {}", "ASK {}"]}}, 400, "exactly one"),
        ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400, "POST"),
        ({"method": "POST", "data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, "not both"),
        ({"method": "POST", "data": {"nothing": "here"}}, 400, "neither"),
        (
            {
                "method": "POST",
                "content": b"ASK { \xff }",
                "headers": {"Content-Type": "application/sparql-query"},
            },
            400,
            "UTF-8",
        ),
        ({"method": "GET", "params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400, "IRI"),
    ],
)
def test_bad_requests_are_400_naming_the_problem(
    live: Live, request_args: dict[str, object], status: int, words: str
) -> None:
    method = str(request_args.pop("method"))
    response = httpx.request(method, live.sparql, **request_args)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert words in response.text
    assert "·" in response.text  # Traditional Chinese · English


GARBAGE = [
    "",
    "SELECT",
    "}}}}",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY",
    "PREFIX : <> SELECT * { :a :b :c }",
    'SELECT * WHERE { ?s ?p "unterminated }',
    "SELECT * WHERE { <http://a b> ?p ?o }",
    "SELECT (SUM(?x) AS ?x) WHERE { ?x ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o = <<( <a> <b> <c> )>>) }",
    "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }",
    "\x00\x01\x02",
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
    "DESCRIBE",
    "ASK { FILTER(REGEX('a', '(')) }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
]


def test_garbage_never_gets_a_5xx(live: Live) -> None:
    with httpx.Client() as client:
        for text in GARBAGE:
            for response in (
                client.get(live.sparql, params={"query": text}),
                client.post(live.sparql, content=text.encode(), headers={"Content-Type": "application/sparql-query"}),
            ):
                assert response.status_code < 500, (text, response.status_code, response.text)
                assert response.status_code == 200 or "·" in response.text


def test_a_malformed_accept_header_falls_back_to_the_default(live: Live) -> None:
    response = httpx.post(
        live.sparql,
        content=b"ASK {}",
        headers={"Content-Type": "application/sparql-query", "Accept": ";;;, q=x, */*;q=abc"},
    )
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}


def test_a_repeated_query_is_answered_from_the_cache_unless_told_not_to(live: Live) -> None:
    query = STANDARDS + " # cache probe"
    first = httpx.get(live.sparql, params={"query": query})
    second = httpx.get(live.sparql, params={"query": query})
    fresh = httpx.get(live.sparql, params={"query": query}, headers={"Cache-Control": "no-cache"})
    assert [r.headers["x-kg-cache"] for r in (first, second, fresh)] == ["miss", "hit", "miss"]
    assert first.content == second.content == fresh.content
    as_csv = httpx.get(live.sparql, params={"query": query}, headers={"Accept": "text/csv"})
    assert as_csv.headers["x-kg-cache"] == "miss" and as_csv.headers["content-type"].startswith("text/csv")


def test_queries_with_changing_values_are_not_cached(live: Live) -> None:
    query = "SELECT (NOW() AS ?now) (STRUUID() AS ?id) WHERE {}"
    first = httpx.get(live.sparql, params={"query": query})
    second = httpx.get(live.sparql, params={"query": query})
    assert first.headers["x-kg-cache"] == second.headers["x-kg-cache"] == "miss"
    assert first.json()["results"]["bindings"][0]["id"] != second.json()["results"]["bindings"][0]["id"]
