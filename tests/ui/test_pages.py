"""The pages over plain HTTP (httpx): their key content from the data, errors naming the field,
the 300 KB budget, and that every page but the editor works without JavaScript.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import httpx
import pytest

from kg.model import Standard
from kg.queries import load
from tests.queries.conftest import Runner
from tests.service.live import Live

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
BUDGET = 300 * 1024
PAIR = ("IIS3513-006v4", "IIS3513-005")


class Page(HTMLParser):
    """The parts of a page the tests read: links, scripts, stylesheets, forms and their fields."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.forms: list[dict[str, str]] = []
        self.fields: list[str] = []
        self.datalists: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in found:
            self.links.append(found["href"])
        elif tag == "script":
            self.scripts.append(found.get("src", "inline"))
        elif tag == "link" and found.get("rel") == "stylesheet":
            self.styles.append(found["href"])
        elif tag == "form":
            self.forms.append(found)
        elif tag in {"input", "select", "textarea"} and "name" in found:
            self.fields.append(found["name"])
        elif tag == "datalist":
            self.datalists.append(found["id"])


def _get(live: Live, path: str, status: int = 200) -> str:
    response = httpx.get(live.url + path, headers=BROWSER, timeout=30)
    assert response.status_code == status, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def _compare(*codes: str, **extra: str) -> str:
    return "/compare?" + urlencode([("standard", code) for code in codes] + list(extra.items()))


def _pages(live: Live) -> list[str]:
    return [
        "/",
        "/search?q=" + quote("電子商務"),
        "/compare",
        _compare(*PAIR),
        "/queries",
        *(f"/queries/{name}" for name in load()),
    ]


def test_home_counts_what_the_graph_holds(live: Live, standards: dict[str, Standard], seed_runner: Runner) -> None:
    html = _get(live, "/")
    concepts = Counter(row["kind"] for row in seed_runner("skill-frequency", {}))
    expected = {
        "standard": len(standards),
        "task": sum(len(duty.tasks) for standard in standards.values() for duty in standard.duties),
        "skill": concepts["skill"],
        "knowledge": concepts["knowledge"],
    }
    for kind, count in expected.items():
        assert re.search(rf'data-kind="{kind}"><span class="count">{count}</span>', html), kind
    page = Page(html)
    assert {"/compare", "/sparql", "/queries", "/dumps/", "/.well-known/void"} <= set(page.links)
    assert page.forms[0]["action"] == "/search" and "q" in page.fields


def test_search_lists_hits_by_kind_and_folds_simplified(live: Live, standards: dict[str, Standard]) -> None:
    traditional = _get(live, "/search?q=" + quote("電子商務"))
    for standard in standards.values():
        assert f"<code>{standard.code}</code>" in traditional
    simplified = _get(live, "/search?q=" + quote("电子商务"))
    hits = re.compile(r'<li class="hit">.*?</li>', re.DOTALL)
    assert hits.findall(simplified) == hits.findall(traditional) != []
    by_code = _get(live, "/search?q=" + quote(PAIR[0].lower()))
    assert f"<code>{PAIR[0]}</code>" in by_code


def test_search_refuses_an_overlong_text_naming_q(live: Live) -> None:
    html = _get(live, "/search?q=" + "字" * 201, status=422)
    assert "q: 1–200" in html
    assert 'class="hit"' not in _get(live, "/search?q=")


def test_compare_shows_shared_alone_and_gap(live: Live, seed_runner: Runner) -> None:
    html = _get(live, _compare(*PAIR))
    shared = seed_runner("shared-skills", {"standards": list(PAIR)})
    for row in shared:
        assert row["label"] in html and row["closeLabel"] in html
    gap = seed_runner("career-gap", {"from": [PAIR[0]], "to": [PAIR[1]]})
    section = html[html.index('id="gap"') :]
    assert all(row["label"] in section for row in gap)
    reverse = seed_runner("career-gap", {"from": [PAIR[1]], "to": [PAIR[0]]})
    alone = html[html.index('data-standard="' + PAIR[0]) : html.index('data-standard="' + PAIR[1])]
    assert alone.count("<li>") == len({row["concept"] for row in reverse})
    assert html.count("<svg") == 2 and 'role="img"' in html
    page = Page(html)
    assert _compare(*PAIR) in page.links


def test_compare_downloads_return_the_same_rows(live: Live, seed_runner: Runner) -> None:
    page = Page(_get(live, _compare(*PAIR)))
    csv_link = next(link for link in page.links if link.startswith("/api/queries/career-gap") and "format=csv" in link)
    response = httpx.get(live.url + csv_link.replace("&amp;", "&"), timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(seed_runner("career-gap", {"from": [PAIR[0]], "to": [PAIR[1]]}))


@pytest.mark.parametrize(
    ("query", "status", "named"),
    [
        (_compare("XXX0000-000", PAIR[0]), 404, "standard"),
        (_compare(*PAIR, **{"from": "IIS0000-001"}), 422, "from"),
        ("/compare?" + urlencode([("standard", f"C{i}") for i in range(6)]), 422, "standard"),
    ],
)
def test_compare_names_the_bad_parameter(live: Live, query: str, status: int, named: str) -> None:
    html = _get(live, query, status=status)
    assert re.search(rf'role="alert">[^<]*{named}', html)


def test_compare_form_offers_every_standard(live: Live, standards: dict[str, Standard]) -> None:
    html = _get(live, "/compare")
    for code in standards:
        assert f'<option value="{code}">' in html
    assert Page(html).fields.count("standard") >= 2


def test_each_named_query_has_a_page_with_its_form(live: Live) -> None:
    queries = load()
    listing = Page(_get(live, "/queries"))
    assert {f"/queries/{name}" for name in queries} <= set(listing.links)
    for name, query in queries.items():
        html = _get(live, f"/queries/{name}")
        page = Page(html)
        assert {p.name for p in query.parameters} <= set(page.fields), name
        assert any(link.startswith(f"/api/queries/{name}?") for link in page.links), name
        assert any(link.startswith("/sparql#query=") for link in page.links), name
        if any(p.type == "code" and p.name in {"standard", "standards", "from", "to"} for p in query.parameters):
            assert "list-standards" in page.datalists, name
        if any(p.type == "text" for p in query.parameters):
            assert "list-labels" in page.datalists, name


def test_a_named_query_page_answers_as_the_query(live: Live, seed_runner: Runner) -> None:
    params = {"standard": [PAIR[1]]}
    html = _get(live, "/queries/standard-outline?" + urlencode(params, doseq=True))
    expected = seed_runner("standard-outline", params, limit=100)
    assert html.count("<tr>") - 1 == len(expected) > 0


@pytest.mark.parametrize(
    ("path", "status", "named"),
    [
        ("/queries/tasks-at-level?level=9", 422, "level"),
        ("/queries/standard-outline?standard=" + quote("a b"), 422, "standard"),
        ("/queries/standard-outline?offset=x", 422, "offset"),
        ("/queries/standard-outline?colour=red", 422, "colour"),
    ],
)
def test_a_named_query_page_names_the_bad_parameter(live: Live, path: str, status: int, named: str) -> None:
    html = _get(live, path, status=status)
    assert re.search(rf'role="alert">[^<]*{named}', html)
    response = httpx.get(live.url + "/queries/no-such-query", headers=BROWSER, timeout=30)
    assert response.status_code == 404 and "no-such-query" in response.text


def test_the_editor_page_serves_yasgui_from_this_service(live: Live) -> None:
    html = _get(live, "/sparql")
    page = Page(html)
    assert page.scripts == ["/static/vendor/yasgui/yasgui.min.js", "/static/editor.js"]
    assert "/static/vendor/yasgui/yasgui.min.css" in page.styles
    for name in load():
        assert f'data-example="{name}"' in html
    assert "sd:endpoint" in html, "the service description is still shown"
    assert page.forms[-1]["action"] == "/sparql" and "query" in page.fields, "a form for browsers without JS"
    script = httpx.get(live.url + "/static/vendor/yasgui/yasgui.min.js", timeout=30)
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert httpx.get(live.url + "/static/vendor/yasgui/package.json", timeout=30).status_code == 404
    turtle = httpx.get(live.sparql, headers={"Accept": "text/turtle"}, timeout=30)
    assert turtle.headers["content-type"].startswith("text/turtle"), "non-browsers still get the description"


def test_every_page_fits_the_budget_and_needs_no_javascript(live: Live) -> None:
    css = httpx.get(live.url + "/static/site.css", timeout=30)
    assert css.status_code == 200
    for path in [*_pages(live), "/sparql"]:
        html = _get(live, path)
        page = Page(html)
        assert all(style.startswith("/static/") for style in page.styles), path
        assert len(html.encode()) + len(css.content) < BUDGET, path
        if path != "/sparql":
            assert page.scripts == [], f"{path} has scripts"
            assert all(form.get("method") == "get" and form.get("action", "").startswith("/") for form in page.forms)


def test_english_first_on_request(live: Live) -> None:
    html = _get(live, "/?lang=en")
    assert '<html lang="en">' in html
    assert re.search(r"<h1>Competency-standards knowledge graph <span", html)
    switch = Page(_get(live, _compare(*PAIR, lang="en"))).links
    assert any(link.startswith("/compare?") and "lang=zh-Hant" in link and PAIR[0] in link for link in switch)
