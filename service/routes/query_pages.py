"""A page for each named query: `/queries` lists them, `/queries/{name}` has a form and the results.

The form is generated from the query file's parameter metadata (`kg.queries.Parameter`:
type, many, optional, default); standard codes, classification codes and skill and
knowledge labels are offered in `<datalist>`s filled on the server, so autocomplete
works without JavaScript. The results link to the same rows in `/api/queries/{name}`
(CSV, JSON) and to the bound query in the SPARQL editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kg.queries import NamedQuery, Parameter
from service.pages import render
from service.problems import ServiceError
from service.routes.queries import DEFAULT_LIMIT, catalogue
from service.solutions import Table, bind, select

router = APIRouter(tags=["Pages"])

# Which datalist helps fill a parameter, by its name (code parameters) or its type.
_STANDARD_CODES = frozenset({"standard", "standards", "from", "to"})
_CLASSIFICATION_COLUMNS = {"jobCategory": "jobCategories", "occupation": "occupations", "industry": "industries"}
_LABELS = 500  # skill and knowledge labels offered, the most needed first
_PAGE_PARAMS = frozenset({"lang", "offset"})


@dataclass(frozen=True)
class Field:
    """One parameter as the form shows it: its inputs' values and the widget that fits its type."""

    parameter: Parameter
    values: list[str]
    widget: str  # text, select-level, number, url
    datalist: str | None

    @property
    def required(self) -> bool:
        return not self.parameter.optional and not self.parameter.default


def _widget(parameter: Parameter) -> str:
    return {"level": "select-level", "integer": "number", "iri": "url"}.get(parameter.type, "text")


def _datalist(parameter: Parameter) -> str | None:
    if parameter.type == "code":
        return "standards" if parameter.name in _STANDARD_CODES else _CLASSIFICATION_COLUMNS.get(parameter.name)
    return "labels" if parameter.type == "text" else None


def fields(query: NamedQuery, given: dict[str, list[str]], submitted: bool) -> list[Field]:
    """The form's fields: the submitted values, or each parameter's defaults on a first visit."""
    result = []
    for parameter in query.parameters:
        values = [v for v in given.get(parameter.name, []) if v.strip()] if submitted else list(parameter.default)
        if parameter.many:
            values = values + [""] * max(1, 3 - len(values))
        elif not values:
            values = [""]
        result.append(Field(parameter, values, _widget(parameter), _datalist(parameter)))
    return result


async def datalists(request: Request, wanted: set[str]) -> dict[str, list[tuple[str, str]]]:
    """The (value, label) options of each datalist the form uses, from the named queries."""
    lists: dict[str, list[tuple[str, str]]] = {}
    queries = catalogue()
    if wanted & {"standards", *_CLASSIFICATION_COLUMNS.values()}:
        table = await select(request, bind(queries["by-classification"], {}))
        lists["standards"] = [(r["standard"].text, r["name"].text if "name" in r else "") for r in table.rows]
        for column in _CLASSIFICATION_COLUMNS.values():
            codes = sorted({code for value in table.values(column) for code in value.split()})
            lists[column] = [(code, "") for code in codes]
    if "labels" in wanted:
        table = await select(request, bind(queries["skill-frequency"], {}, _LABELS))
        lists["labels"] = [(r["label"].text, r["kind"].text) for r in table.rows if "label" in r]
    return {name: options for name, options in lists.items() if name in wanted}


@router.get("/queries", response_class=HTMLResponse, name="query-pages", include_in_schema=False)
async def query_list(request: Request) -> HTMLResponse:
    """Every named query with its title and description."""
    return render(request, "ui/queries.html", {"queries": list(catalogue().values())})


def _offset(request: Request) -> int:
    value = request.query_params.get("offset", "0")
    if not value.isdigit() or int(value) > 10**9:
        raise ServiceError(422, "參數錯誤 · invalid parameter offset: a whole number from 0")
    return int(value)


@router.get("/queries/{name}", response_class=HTMLResponse, name="query-page", include_in_schema=False)
async def query_page(name: str, request: Request) -> HTMLResponse:
    """The form for one named query and, with its values (the defaults on a first visit), the results."""
    query = catalogue().get(name)
    if query is None:
        raise ServiceError(404, f"沒有這個查詢 · no named query {name!r}; /queries lists them")
    given = {key: request.query_params.getlist(key) for key in request.query_params if key not in _PAGE_PARAMS}
    submitted = bool(given)
    form = fields(query, given, submitted)
    lists = await datalists(request, {f.datalist for f in form if f.datalist})
    context: dict[str, object] = {"query": query, "fields": form, "datalists": lists}
    values = {f.parameter.name: [v for v in f.values if v] for f in form}
    try:
        offset = _offset(request)
        limit = DEFAULT_LIMIT if query.paged else None
        text = bind(query, given | values, limit, offset)  # given: an unknown parameter is named
    except ServiceError as error:
        return render(request, "ui/query.html", context | {"error": error.message}, status=error.status)
    table: Table = await select(request, text)
    pairs = [(key, value) for key, vs in values.items() for value in vs]
    here = urlencode(pairs)
    context |= {
        "table": table,
        "offset": offset,
        "limit": limit,
        "next": f"/queries/{name}?{urlencode([*pairs, ('offset', str(offset + (limit or 0)))])}"
        if limit is not None and len(table.rows) == limit
        else None,
        "downloads": {
            "CSV": f"/api/queries/{name}?{urlencode([*pairs, ('offset', str(offset)), ('format', 'csv')])}",
            "JSON": f"/api/queries/{name}?{urlencode([*pairs, ('offset', str(offset))])}",
        },
        "editor": "/sparql#query=" + quote(text, safe=""),
        "permalink": f"/queries/{name}?{here}",
    }
    return render(request, "ui/query.html", context)
