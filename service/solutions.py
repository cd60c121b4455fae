"""Named queries run for a page: bound text in, a table of cells out.

The pages ask the store through the same worker pool, deadline and result cache as
`/sparql` and `/api/queries` (SPARQL 1.1 Query Results JSON Format, §3 for the
bindings read here). The product queries live in `queries/` (also served by
`/api/queries`); the few the pages need for themselves only (search, counts) live
in `service/queries/`, in the same file format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request

from kg.queries import NamedQuery, ParameterError, load
from kg.settings import Settings
from kg.store.query import BOOLEAN, GRAPH, OK, SOLUTIONS, QueryPool
from service.deps import served_store
from service.negotiation import JSON, TURTLE
from service.outcomes import check
from service.problems import ServiceError
from service.result_cache import ResultCache

PAGE_QUERIES = Path(__file__).resolve().parent / "queries"
_ACCEPT = {SOLUTIONS: JSON, BOOLEAN: JSON, GRAPH: TURTLE}


@cache
def page_queries() -> dict[str, NamedQuery]:
    """The queries only the pages use (`service/queries/`)."""
    return load(PAGE_QUERIES)


@dataclass(frozen=True)
class Cell:
    """One value as a page shows it: its text and, for an IRI, where it links."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Table:
    """The solutions of a SELECT query: its columns and rows of cells (an unbound cell is absent)."""

    columns: list[str]
    rows: list[dict[str, Cell]]
    truncated: bool = False

    def values(self, column: str) -> list[str]:
        """The text of `column` in each row that binds it."""
        return [row[column].text for row in self.rows if column in row]


def local_href(iri: str, base: str) -> str | None:
    """Where a page links an IRI: our own IRIs as paths on this service, other http(s) IRIs as they are."""
    if iri.startswith(base):
        return "/" + iri[len(base) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def _cell(term: Mapping[str, Any], base: str) -> Cell:
    value = str(term.get("value", ""))
    if term.get("type") == "uri":
        return Cell(value, local_href(value, base))
    return Cell(value)


def bind(query: NamedQuery, params: Mapping[str, Iterable[str]], limit: int | None = None, offset: int = 0) -> str:
    """`NamedQuery.bind`, with a bad value answered as 422 naming the parameter."""
    try:
        return query.bind(params, limit, offset)
    except ParameterError as error:
        raise ServiceError(422, f"參數錯誤 · invalid parameter {error}") from None


async def select(request: Request, text: str) -> Table:
    """Run the SELECT query `text` on the served build; errors as the endpoint reports them."""
    settings: Settings = request.app.state.settings
    pool: QueryPool = request.app.state.pool
    results: ResultCache = request.app.state.cache
    store = served_store(settings)
    key = ("page", store, text)
    outcome = results.get(key)
    if outcome is None:
        job = {"op": "query", "store": store, "text": text, "base": settings.base_iri, "accept": _ACCEPT}
        outcome = await pool.run(job, timeout=settings.query_timeout)
        check(outcome, settings)
        if outcome.status == OK and outcome.cacheable:
            results.put(key, outcome)
    document = json.loads(outcome.body)
    base = settings.base_iri
    rows = [{name: _cell(term, base) for name, term in row.items()} for row in document["results"]["bindings"]]
    return Table(list(document["head"].get("vars", [])), rows, outcome.truncated)


async def run_named(
    request: Request,
    query: NamedQuery,
    params: Mapping[str, Iterable[str]],
    limit: int | None = None,
    offset: int = 0,
) -> Table:
    """Bind and run one named query."""
    return await select(request, bind(query, params, limit, offset))
