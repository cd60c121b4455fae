"""The SPARQL editor: YASGUI on the page a browser gets from `GET /sparql` without a query.

YASGUI (`@zazuko/yasgui`, pinned in `web/package.json`, installed by `make install`
with `npm ci`) is served from this service under `/static/vendor/yasgui/`, never from
a CDN. Its examples are the named queries of `queries/` with their defaults bound. The
page also holds a plain query form (for browsers without JavaScript: it GETs `/sparql`
and gets the HTML results page) and the service description (SPARQL 1.1 Service
Description §2) the endpoint answered here before the editor.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from kg.settings import ROOT
from service.pages import render
from service.problems import ServiceError
from service.routes.queries import DEFAULT_LIMIT, catalogue

router = APIRouter(tags=["Pages"])

YASGUI = ROOT / "web" / "node_modules" / "@zazuko" / "yasgui" / "build"
# The files of the YASGUI build the editor loads, with their media types.
ASSETS = {
    "yasgui.min.js": "text/javascript",
    "yasgui.min.css": "text/css",
}
# What a new tab holds: the loaded standards, a query any reader can start from.
DEFAULT_QUERY = """PREFIX ocs:     <https://w3id.org/tw-ocs/ontology#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>

SELECT ?code ?name WHERE {
  GRAPH ?graph { ?standard a ocs:CompetencyStandard ; dcterms:source ?source ; skos:notation ?code }
  OPTIONAL { ?standard ocs:occupationName ?name }
}
ORDER BY ?code
LIMIT 100
"""


def examples() -> list[tuple[str, str, str, str]]:
    """(name, title zh, title en, link) for each named query: its text with the defaults bound."""
    found = []
    for query in catalogue().values():
        text = query.bind({}, DEFAULT_LIMIT if query.paged else None)
        found.append((query.name, query.title_zh, query.title_en, "/sparql?" + urlencode({"query": text})))
    return found


def page(request: Request, description: str) -> HTMLResponse:
    """The editor page, with the service description (Turtle) shown below it."""
    context = {
        "examples": examples(),
        "description": description,
        "default_query": DEFAULT_QUERY,
        "editor": (YASGUI / "yasgui.min.js").is_file(),
    }
    return render(request, "ui/editor.html", context, headers={"Vary": "Accept"})


@router.get("/static/vendor/yasgui/{name}", name="yasgui-asset", include_in_schema=False)
async def asset(name: str) -> FileResponse:
    """One file of the installed YASGUI build."""
    path: Path = YASGUI / name
    if name not in ASSETS or not path.is_file():
        raise ServiceError(404, f"找不到 · not found: /static/vendor/yasgui/{name} (run `make install`)")
    return FileResponse(path, media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"})
