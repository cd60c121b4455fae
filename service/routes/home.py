"""The home page (`/`: one search box, what the graph holds, a way in for each kind of user)
and the search results (`/search?q=`), both server-rendered.

Search runs `service/queries/search.rq`: its `text` parameter folds Simplified
characters to Traditional (`kg.queries`), so 电子商务 finds 電子商務.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service.pages import render
from service.solutions import Cell, page_queries, run_named

router = APIRouter(tags=["Pages"])

# What search finds, in the order the page lists it, with its heading.
KINDS: dict[str, tuple[str, str]] = {
    "standard": ("職能基準", "Standards"),
    "task": ("工作任務", "Tasks"),
    "skill": ("技能", "Skills"),
    "knowledge": ("知識", "Knowledge"),
}
MAX_QUERY = 200
MAX_HITS = 300  # rows one results page shows


@dataclass(frozen=True)
class Group:
    """The hits of one kind."""

    kind: str
    title_zh: str
    title_en: str
    hits: list[dict[str, Cell]]


@router.get("/", response_class=HTMLResponse, name="home", include_in_schema=False)
async def home(request: Request) -> HTMLResponse:
    """The home page: search box, counts, entry points."""
    counts = await run_named(request, page_queries()["catalogue-counts"], {})
    by_kind = {row["kind"].text: row["count"].text for row in counts.rows}
    tiles = [(kind, zh, en, by_kind.get(kind, "0")) for kind, (zh, en) in KINDS.items()]
    return render(request, "ui/home.html", {"tiles": tiles})


@router.get("/search", response_class=HTMLResponse, name="search", include_in_schema=False)
async def search(request: Request, q: str = "") -> HTMLResponse:
    """Standards, tasks, skills and knowledge whose name (or a standard's code) contains `q`."""
    text = q.strip()
    if not text:
        return render(request, "ui/search.html", {"q": "", "groups": [], "total": 0})
    if len(text) > MAX_QUERY:
        context = {"q": text[:MAX_QUERY], "groups": [], "total": 0, "error": f"q: 1–{MAX_QUERY} 字 · characters"}
        return render(request, "ui/search.html", context, status=422)
    query = page_queries()["search"]
    table = await run_named(request, query, {"text": [text]}, limit=MAX_HITS + 1)
    folded = str(query.parameters[0].terms([text])[0])  # what was looked for: Simplified folded to Traditional
    more = len(table.rows) > MAX_HITS
    rows = table.rows[:MAX_HITS]
    groups = [
        Group(kind, zh, en, [row for row in rows if row["kind"].text == kind]) for kind, (zh, en) in KINDS.items()
    ]
    context = {"q": text, "groups": [g for g in groups if g.hits], "total": len(rows), "more": more, "folded": folded}
    return render(request, "ui/search.html", context)
