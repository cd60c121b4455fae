"""Reading SPARQL text as the parser does: SERVICE targets, LOAD/FROM/USING, and the protocol's USING clauses."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.store.query import scan, with_dataset

ALLOWED = "http://allowed.example/sparql"


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        (f"SELECT * {{ SERVICE <{ALLOWED}> {{ ?s ?p ?o }} }}", [{ALLOWED}]),
        (f"select * {{ service silent <{ALLOWED}> {{ ?s ?p ?o }} }}", [{ALLOWED}]),
        (f"SELECT * {{ SERVICESILENT<{ALLOWED}>{{ ?s ?p ?o }} }}", [{ALLOWED}]),
        ("PREFIX e: <http://allowed.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }", [{ALLOWED}]),
        ("PREFIX e: <http://allowed.example/> SELECT * { SERVICEe:sparql { ?s ?p ?o } }", [{ALLOWED}]),
        ("PREFIX : <http://allowed.example/> SELECT * { SERVICE:sparql { ?s ?p ?o } }", [{ALLOWED}]),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", [{None}]),
        ("SELECT * { SERVICE <sparql> { ?s ?p ?o } }", [{None}]),
        ("SELECT * { SERVICE ex:sparql { ?s ?p ?o } }", [{None}]),
        ("SELECT * { SERVICE <http://allowed.example/\\u0073parql> { ?s ?p ?o } }", [{ALLOWED}]),
        ("SELECT * { SERVICE # a comment\n <http://evil.example/> { ?s ?p ?o } }", [{"http://evil.example/"}]),
        ("SELECT * { SERVICE#c\nSILENT#c\n<http://evil.example/> { ?s ?p ?o } }", [{"http://evil.example/"}]),
        ("SELECT * { SERVICE (1) }", [{None}]),
    ],
)
def test_every_service_target_is_found(text: str, targets: list[set[str | None]]) -> None:
    assert scan(text).services == targets


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE <http://evil.example/> { }" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/>",
        "SELECT * { ?s <http://example.org/service> ?o }",
        "SELECT ?service { ?service ?p ?o }",
        "PREFIX ex: <http://example.org/> SELECT * { ?s ex:service ?o ; ex:customerService ?x }",
        """SELECT * { ?s ?p '''multi
        line SERVICE <http://evil.example/>''' }""",
        'SELECT * { ?s ?p "x"@en-service }',
    ],
)
def test_service_in_strings_iris_comments_and_names_is_not_a_call(text: str) -> None:
    assert scan(text).services == []


def test_a_prefix_hidden_behind_a_comment_is_still_read() -> None:
    text = "PREFIX e: <http://allowed.example/> PREFIX e: #x\n <http://evil.example/> SELECT * { SERVICE e:sparql {} }"
    assert scan(text).services == [{ALLOWED, "http://evil.example/sparql"}]


def test_a_prefix_declaration_that_cannot_be_read_distrusts_prefixed_targets() -> None:
    text = "PREFIX e: <http://allowed.example/> PREFIX e: 'x' SELECT * { SERVICE e:sparql {} }"
    assert scan(text).services == [{None}]


def test_a_prefix_declared_twice_resolves_to_both_readings() -> None:
    text = "PREFIX e: <http://allowed.example/> PREFIXe: <http://evil.example/> SELECT * { SERVICE e:sparql {} }"
    (targets,) = scan(text).services
    assert targets == {ALLOWED, "http://evil.example/sparql"}
    assert scan(text).refusal([ALLOWED]) is not None


def test_refusal_names_the_endpoint_and_passes_the_allowed_one() -> None:
    assert scan(f"SELECT * {{ SERVICE <{ALLOWED}> {{}} }}").refusal([ALLOWED]) is None
    message = scan("SELECT * { SERVICE <http://evil.example/> {} }").refusal([ALLOWED])
    assert message is not None and "<http://evil.example/>" in message and "allowlist" in message
    assert "IRI" in (scan("SELECT * { SERVICE ?x {} }").refusal([ALLOWED]) or "")


@pytest.mark.parametrize(
    ("text", "keywords"),
    [
        ("LOAD <file:///etc/passwd>", {"LOAD"}),
        ("load<http://x/> INTO GRAPH <http://g>", {"LOAD"}),
        ("SELECT * FROM <http://g> { ?s ?p ?o }", {"FROM"}),
        ("SELECT*FROM<http://g>{?s ?p ?o}", {"FROM"}),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", {"WITH"}),
        ("DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }", {"USING"}),
        ('SELECT * { ?s ?p "LOAD FROM WITH USING" }', set()),
        ("SELECT ?from { ?from ?p ?o }", set()),
    ],
)
def test_keywords_that_change_what_runs_are_found(text: str, keywords: set[str]) -> None:
    assert scan(text).keywords == keywords


def _run(update: str, using: list[str], using_named: list[str]) -> ox.Store:
    store = ox.Store()
    store.update(
        "INSERT DATA { GRAPH <http://g/1> { <http://s/1> a <http://T> } "
        "GRAPH <http://g/2> { <http://s/2> a <http://T> } }"
    )
    store.update(with_dataset(update, scan(update), using, using_named))
    return store


def _copied(store: ox.Store) -> set[str]:
    rows = store.query("SELECT ?s WHERE { GRAPH <http://out> { ?s ?p ?o } }")
    assert isinstance(rows, ox.QuerySolutions)
    return {row["s"].value for row in rows}  # type: ignore[union-attr]


def test_using_graph_uri_becomes_the_where_clauses_dataset() -> None:
    update = "INSERT { GRAPH <http://out> { ?s a <http://Copied> } } WHERE { ?s a <http://T> }"
    assert _copied(_run(update, ["http://g/1"], [])) == {"http://s/1"}
    assert _copied(_run(update, ["http://g/1", "http://g/2"], [])) == {"http://s/1", "http://s/2"}


def test_using_named_graph_uri_gives_the_named_graphs() -> None:
    update = "INSERT { GRAPH <http://out> { ?s a <http://Copied> } } WHERE { GRAPH ?g { ?s a <http://T> } }"
    assert _copied(_run(update, [], ["http://g/2"])) == {"http://s/2"}


def test_every_operation_gets_the_dataset_and_delete_where_is_rewritten() -> None:
    update = (
        "INSERT { GRAPH <http://out> { ?s a <http://Copied> } } WHERE { ?s a <http://T> } ;\n"
        "DELETE WHERE { GRAPH <http://g/2> { ?s a <http://T> } }"
    )
    rewritten = with_dataset(update, scan(update), ["http://g/1"], [])
    assert rewritten.count("USING <http://g/1>") == 2
    store = _run(update, ["http://g/1"], [])
    assert _copied(store) == {"http://s/1"}
    assert bool(store.query("ASK { GRAPH <http://g/2> { ?s ?p ?o } }")) is True  # no named graph in the dataset
