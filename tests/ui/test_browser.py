"""End to end in headless Chromium: search, compare, the SPARQL editor and a named-query form."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from playwright.sync_api import Browser, Page, expect

from kg.model import Standard
from tests.queries.conftest import Runner
from tests.service.live import Live
from tests.ui.conftest import SCREENSHOTS

TEXT = "電子商務"
SIMPLIFIED = "电子商务"


def _name(standard: Standard) -> str:
    return standard.occupation_name or standard.job_category_name or standard.code


def _search(page: Page, live: Live, text: str) -> list[str]:
    page.goto(live.url + "/")
    page.get_by_label(re.compile("搜尋職能基準")).fill(text)
    page.get_by_role("button", name=re.compile("搜尋")).click()
    page.wait_for_url(re.compile(r"/search\?q="))
    return page.locator("li.hit").all_inner_texts()


def test_search_finds_both_seeds(page: Page, live: Live, standards: dict[str, Standard]) -> None:
    expected = {code for code, standard in standards.items() if TEXT in _name(standard)}
    assert expected == set(standards), "both seed names contain the search text"
    _search(page, live, TEXT)
    found = page.locator("#standard li.hit").all_inner_texts()
    for code in expected:
        assert any(code in hit and _name(standards[code]) in hit for hit in found), code
    expect(page.locator("#task li.hit").first).to_contain_text(TEXT)


def test_simplified_input_finds_the_same(page: Page, live: Live, standards: dict[str, Standard]) -> None:
    traditional = _search(page, live, TEXT)
    simplified = _search(page, live, SIMPLIFIED)
    assert simplified == traditional
    assert all(code in " ".join(simplified) for code in standards)
    expect(page.get_by_label(re.compile("搜尋職能基準"))).to_have_value(SIMPLIFIED)
    expect(page.get_by_role("status")).to_contain_text(TEXT)


def test_compare_shows_shared_and_missing(page: Page, live: Live, seed_runner: Runner) -> None:
    first, second = "IIS3513-006v4", "IIS3513-005"
    shared = seed_runner("shared-skills", {"standards": [first, second]}) + seed_runner(
        "shared-knowledge", {"standards": [first, second]}
    )
    missing = seed_runner("career-gap", {"from": [first], "to": [second]})
    assert shared and missing, "the seeds share some items and differ in others"
    page.goto(live.url + "/compare")
    inputs = page.locator("input[name=standard]")
    inputs.nth(0).fill(first)
    inputs.nth(1).fill(second)
    page.get_by_role("button", name=re.compile("比較")).click()
    page.wait_for_url(re.compile(r"/compare\?standard="))
    shown = page.locator("section.shared tbody").inner_text()
    for row in shared:
        assert row["label"] in shown and row.get("closeLabel", "") in shown
    gap = page.locator("table.gap tbody").inner_text()
    for label in {row["label"] for row in missing}:
        assert label in gap
    assert page.locator("table.gap tbody tr").count() == len({row["concept"] for row in missing})
    expect(page.locator("#overlap-chart")).to_be_visible()
    per_level = [len({row["concept"] for row in missing if row.get("level") == str(level)}) for level in range(1, 7)]
    assert page.locator("#gap-levels text.count-above").all_text_contents() == [str(n) for n in per_level]


def test_the_editor_runs_a_select(page: Page, live: Live, standards: dict[str, Standard]) -> None:
    query = (
        "PREFIX ocs: <https://w3id.org/tw-ocs/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?code WHERE { GRAPH ?g { ?s a ocs:CompetencyStandard ; dcterms:source ?src ; skos:notation ?code } } "
        "ORDER BY ?code"
    )
    page.goto(live.url + "/sparql")
    editor = page.locator(".CodeMirror").first
    expect(editor).to_be_visible()
    expect(page.locator("form.fallback")).to_be_hidden()
    page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", query)
    page.locator(".yasqe_queryButton").first.click()
    rows = page.locator(".yasr table tbody tr")
    expect(rows).to_have_count(len(standards))
    text = page.locator(".yasr table tbody").inner_text()
    assert all(code in text for code in standards)


def test_a_named_query_opens_in_the_editor(page: Page, live: Live, seed_runner: Runner) -> None:
    params = {"standards": ["IIS3513-006v4", "IIS3513-005"]}
    expected = seed_runner("shared-skills", params, limit=100)
    assert 0 < len(expected) < 50, "one page of the editor's table"
    page.goto(f"{live.url}/queries/shared-skills?{urlencode(params, doseq=True)}")
    page.get_by_role("link", name=re.compile("在 SPARQL 編輯器開啟")).click()
    page.wait_for_url(re.compile(r"/sparql"))
    expect(page.locator(".yasr table tbody tr")).to_have_count(len(expected))
    expect(page.locator(".yasr_downloadIcon").first).to_be_visible()


def test_an_example_query_loads_into_the_editor(page: Page, live: Live) -> None:
    page.goto(live.url + "/sparql")
    expect(page.locator(".CodeMirror")).to_be_visible()
    page.locator("a[data-example=career-gap]").click()
    editor_text = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "# title: 職能落差 | Career gap" in editor_text and "LIMIT 100" in editor_text
    assert page.url.endswith("/sparql"), "the example opens in place"


def test_pages_work_without_javascript(browser: Browser, live: Live, standards: dict[str, Standard]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live.url + "/")
    page.get_by_label(re.compile("搜尋職能基準")).fill(TEXT)
    page.get_by_label(re.compile("搜尋職能基準")).press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert len(page.locator("#standard li.hit").all()) == len(standards)
    page.goto(live.url + "/sparql")
    expect(page.locator("form.fallback textarea")).to_be_visible()
    page.locator("form.fallback button").click()
    expect(page.locator("table tr")).to_have_count(len(standards) + 1)  # the plain results page
    page.screenshot(path=str(SCREENSHOTS / "test_pages_work_without_javascript.png"), full_page=True)
    context.close()


def test_the_keyboard_reaches_the_content_first(page: Page, live: Live) -> None:
    page.goto(live.url + "/compare")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    for _ in range(2):
        page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.name")
    assert focused == "standard", "after the skip link, Tab reaches the form"


def test_a_named_query_form_runs(page: Page, live: Live, seed_runner: Runner) -> None:
    label = TEXT
    expected = seed_runner("standards-needing", {"label": [label]})
    assert expected and expected != seed_runner("standards-needing", {})
    page.goto(live.url + "/queries/standards-needing")
    field = page.locator("input[name=label]")
    field.fill(label)
    page.get_by_role("button", name=re.compile("查詢")).click()
    page.wait_for_url(re.compile(r"label="))
    expect(page.locator("table.results tbody tr")).to_have_count(len(expected))
    for code in {row["standard"] for row in expected}:
        expect(page.locator("table.results tbody")).to_contain_text(code)
    expect(field).to_have_value(label)
