"""The compare page, `/compare?standard=A&standard=B…`: two or more standards side by side.

Shared skills and knowledge (exact and near matches with scores), what each standard
has alone, and the career gap from one to another with the tasks and levels behind
each missing item, as tables and inline SVG; the URL is the permalink, and each table
links to the same named query in `/api/queries` as CSV or JSON.
"""

from __future__ import annotations

import asyncio
from itertools import permutations
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service import charts, comparison
from service.pages import render
from service.problems import ServiceError
from service.routes.queries import catalogue
from service.solutions import Table, run_named

router = APIRouter(tags=["Pages"])

MAX_STANDARDS = 5
FIELDS = 4  # empty inputs the form offers


async def standards(request: Request) -> dict[str, str]:
    """Every loaded standard's code and name (queries/by-classification.rq with no filter)."""
    table = await run_named(request, catalogue()["by-classification"], {}, limit=None)
    return {row["standard"].text: row["name"].text if "name" in row else "" for row in table.rows}


def _downloads(name: str, params: dict[str, list[str]], limit: int) -> dict[str, str]:
    """The same rows from `/api/queries/{name}`, every row (`limit`), as CSV and as JSON."""
    pairs = [(key, value) for key, values in params.items() for value in values] + [("limit", str(limit))]
    query = urlencode(pairs)
    return {"CSV": f"/api/queries/{name}?{query}&format=csv", "JSON": f"/api/queries/{name}?{query}"}


def _chosen(request: Request, known: dict[str, str]) -> list[str]:
    """The `standard` values in order, blanks and repeats dropped; 422/404 naming the parameter."""
    codes = list(dict.fromkeys(value.strip() for value in request.query_params.getlist("standard") if value.strip()))
    if len(codes) > MAX_STANDARDS:
        raise ServiceError(422, f"參數錯誤 · invalid parameter standard: at most {MAX_STANDARDS} standards")
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ServiceError(404, f"沒有這個職能基準 · standard: no loaded standard {unknown[0]!r}")
    return codes


def _pair(request: Request, name: str, codes: list[str], default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in codes:
        raise ServiceError(422, f"參數錯誤 · invalid parameter {name}: one of the standards compared")
    return value


@router.get("/compare", response_class=HTMLResponse, name="compare", include_in_schema=False)
async def compare(request: Request) -> HTMLResponse:
    """The form, and with two or more standards the comparison."""
    known = await standards(request)
    context: dict[str, object] = {"known": known, "codes": [], "slots": [""] * FIELDS}
    try:
        codes = _chosen(request, known)
        blanks = min(max(FIELDS, len(codes) + 1), MAX_STANDARDS) - len(codes)
        context |= {"codes": codes, "slots": codes + [""] * blanks}
        if len(codes) < 2:
            return render(request, "ui/compare.html", context)
        source = _pair(request, "from", codes, codes[0])
        target = _pair(request, "to", codes, codes[1] if source == codes[0] else codes[0])
    except ServiceError as error:
        return render(request, "ui/compare.html", context | {"error": error.message}, status=error.status)
    queries = catalogue()
    shared_names = {"skill": "shared-skills", "knowledge": "shared-knowledge"}
    shared_runs = [run_named(request, queries[name], {"standards": codes}) for name in shared_names.values()]
    pairs = list(permutations(codes, 2))
    gap_runs = [run_named(request, queries["career-gap"], {"from": [a], "to": [b]}) for a, b in pairs]
    tables: list[Table] = list(await asyncio.gather(*shared_runs, *gap_runs))
    shared = dict(zip(shared_names, tables[: len(shared_names)], strict=True))
    gaps = dict(zip(pairs, tables[len(shared_names) :], strict=True))
    gap = comparison.missing(gaps[(source, target)])
    limit = request.app.state.settings.max_results
    context |= {
        "source": source,
        "target": target,
        "shared": {kind: comparison.matches(kind, table) for kind, table in shared.items()},
        "alone": {code: comparison.alone(code, gaps) for code in codes},
        "gap": gap,
        "overlap_svg": charts.overlap_bars(comparison.overlaps(codes, shared, gaps), known),
        "levels_svg": charts.level_bars(
            "gap-levels", comparison.by_level(gap), f"{source} → {target}：各級別所缺項目 · missing items by level"
        ),
        "downloads": {
            "shared-skills": _downloads("shared-skills", {"standards": codes}, limit),
            "shared-knowledge": _downloads("shared-knowledge", {"standards": codes}, limit),
            "career-gap": _downloads("career-gap", {"from": [source], "to": [target]}, limit),
        },
        "permalink": "/compare?" + urlencode([("standard", code) for code in codes]),
    }
    return render(request, "ui/compare.html", context)
