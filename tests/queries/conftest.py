"""Runners of the named queries, and the parsed documents the expected rows come from.

A runner runs one named query and answers rows as dicts of strings:

    run(name: str, params: dict[str, list[str]], limit: int | None = None, offset: int = 0)
        -> list[dict[str, str]]

Each row holds the bound columns only (an unbound column is absent), every value as
its lexical form (an IRI as itself, a literal without its datatype or language). The
runners here bind the query with `NamedQuery.bind` and run it on an in-memory
pyoxigraph store with the union of the named graphs as the default graph, as the
service does; other runners (the HTTP API, the `kg query` command) keep the same
signature, so the same cases run through each.

Two data sets: `runner` serves the shipped data/ (2 seeds + 50 corpus standards);
`versioned_runner` serves the same plus a synthetic earlier version of
MPM7223-007v3 (see `tests/queries/versions.py`), for the version queries.
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph
import pytest

from kg.build import Build, build
from kg.queries import NamedQuery, load
from kg.uris import Minter
from tests.conftest import DATA
from tests.queries.oracle import Corpus
from tests.queries.versions import write_earlier_version

Params = dict[str, list[str]]
Rows = list[dict[str, str]]


class Runner(Protocol):
    """Runs a named query with parameters, a page size and an offset."""

    def __call__(self, name: str, params: Params, limit: int | None = None, offset: int = 0) -> Rows: ...


def load_store(built: Build) -> pyoxigraph.Store:
    """The build's dataset (named graphs, ontology, alignment, statistics) in memory."""
    store = pyoxigraph.Store()
    quads = built.dataset().serialize(format="nquads", encoding="utf-8")
    store.bulk_load(quads, pyoxigraph.RdfFormat.N_QUADS)
    return store


def _value(term: object) -> str:
    return str(getattr(term, "value", term))


def store_runner(store: pyoxigraph.Store, queries: dict[str, NamedQuery]) -> Runner:
    """A runner over one pyoxigraph store."""

    def run(name: str, params: Params, limit: int | None = None, offset: int = 0) -> Rows:
        text = queries[name].bind(params, limit=limit, offset=offset)
        solutions = store.query(text, use_default_graph_as_union=True)
        assert isinstance(solutions, pyoxigraph.QuerySolutions), f"{name} is not a SELECT query"
        columns = [variable.value for variable in solutions.variables]
        return [
            {column: _value(solution[column]) for column in columns if solution[column] is not None}
            for solution in solutions
        ]

    return run


@pytest.fixture(scope="session")
def named_queries() -> dict[str, NamedQuery]:
    """Every named query in queries/."""
    return load()


@pytest.fixture(scope="session")
def shipped_store(shipped: Build) -> pyoxigraph.Store:
    return load_store(shipped)


@pytest.fixture(scope="session")
def runner(shipped_store: pyoxigraph.Store, named_queries: dict[str, NamedQuery]) -> Runner:
    """Named queries on the shipped data."""
    return store_runner(shipped_store, named_queries)


@pytest.fixture(scope="session")
def corpus(shipped: Build, minter: Minter) -> Corpus:
    """The parsed standards of the shipped data, for the expected rows."""
    return Corpus(tuple(document.standard for document in shipped.documents), minter)


@pytest.fixture(scope="session")
def versioned(tmp_path_factory: pytest.TempPathFactory, minter: Minter) -> Build:
    """The shipped data and a synthetic earlier version of MPM7223-007v3."""
    folder = tmp_path_factory.mktemp("versions")
    write_earlier_version(folder)
    built = build([DATA, folder], minter)
    assert built.errors == []
    return built


@pytest.fixture(scope="session")
def versioned_runner(versioned: Build, named_queries: dict[str, NamedQuery]) -> Runner:
    """Named queries on the shipped data with two versions of one standard loaded."""
    return store_runner(load_store(versioned), named_queries)


@pytest.fixture(scope="session")
def versioned_corpus(versioned: Build, minter: Minter) -> Corpus:
    return Corpus(tuple(document.standard for document in versioned.documents), minter)


@pytest.fixture(scope="session")
def runners(runner: Runner, versioned_runner: Runner) -> dict[str, Runner]:
    """The runner of each data set, by the name the cases use."""
    return {"shipped": runner, "versioned": versioned_runner}


@pytest.fixture(scope="session")
def corpora(corpus: Corpus, versioned_corpus: Corpus) -> dict[str, Corpus]:
    return {"shipped": corpus, "versioned": versioned_corpus}
