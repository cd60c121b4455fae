"""The HTML pages of the linked data carry their key facts, derived from the parsed sources."""

from __future__ import annotations

import html
import re

import httpx
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.build import build
from kg.namespaces import DEFAULT_BASE, OCS
from kg.sources.formats import parse
from kg.uris import Minter
from tests.conftest import SEEDS
from tests.service.live import Live

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def text(page: str) -> str:
    """The page's text, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_standard_page_shows_versions_and_tasks(live: Live) -> None:
    standard = parse(SEEDS["IIS3513-006v4"])
    tasks = [task for duty in standard.duties for task in duty.tasks]
    assert len(tasks) == 21
    page = httpx.get(f"{live.url}/standard/{standard.code}", headers=BROWSER)
    assert page.status_code == 200
    body = text(page.text)
    for version in standard.versions:
        assert re.search(rf"\b{version.version}\b {re.escape(version.code)}\b", body), version
        assert f'href="/standard/{version.code}"' in page.text
    assert {v.version for v in standard.versions} == {"V1", "V2", "V3", "V4"}
    for task in tasks:
        assert f'href="/standard/{standard.code}/task/{task.code}"' in page.text
        assert f"{task.code} {task.name}" in body
    assert f"({len(standard.duties)} / {len(tasks)})" in body
    for links in ('type="text/turtle"', "/sparql?query=", 'href="/static/ld.css"', "/.well-known/void"):
        assert links in page.text


def test_concept_page_lists_the_standards_that_need_it(live: Live) -> None:
    graph = build(list(SEEDS.values()), Minter(DEFAULT_BASE)).union()
    labelled = set(graph.subjects(SKOS.prefLabel, Literal("溝通協調能力", lang="zh-Hant")))
    concept = next(node for node in labelled if (node, RDF.type, OCS.SkillConcept) in graph)
    items = set(graph.subjects(OCS.concept, concept))
    needing = {
        str(graph.value(standard, SKOS.notation)) for item in items for standard in graph.subjects(OCS.hasSkill, item)
    }
    assert needing
    path = str(concept)[len(DEFAULT_BASE) - 1 :]
    page = httpx.get(live.url + path, headers=BROWSER)
    assert page.status_code == 200
    body = text(page.text)
    assert "溝通協調能力" in body
    assert f"({len(needing)})" in body
    for code in needing:
        assert f'href="/standard/{code}"' in page.text
    tasks = {
        str(graph.value(task, SKOS.notation))
        for item in items
        for block in graph.subjects(OCS.requiresSkill, item)
        for task in graph.subjects(OCS.hasBlock, block)
    }
    for code in tasks:
        assert re.search(rf"/task/{re.escape(code)}\"", page.text), code


def test_classification_page_links_standards_and_isco(live: Live) -> None:
    standard = parse(SEEDS["IIS3513-006v4"])
    occupation = standard.occupations[0].code
    page = httpx.get(f"{live.url}/classification/occupation/{occupation}", headers=BROWSER)
    assert page.status_code == 200
    assert f"http://data.europa.eu/esco/isco/C{occupation}" in page.text
    for seed in SEEDS:
        if parse(SEEDS[seed]).occupations[0].code == occupation:
            assert f'href="/standard/{seed}"' in page.text


def test_ontology_page_documents_every_term(live: Live) -> None:
    from rdflib import Graph

    from kg.build import ONTOLOGY

    ontology = Graph().parse(ONTOLOGY)
    terms = {str(s) for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(OCS))}
    page = httpx.get(f"{live.url}/ontology", headers=BROWSER)
    assert page.status_code == 200
    for term in terms:
        assert f'id="{term[len(str(OCS)) :]}"' in page.text, term
    turtle = httpx.get(f"{live.url}/ontology", headers={"Accept": "text/turtle"})
    assert len(Graph().parse(data=turtle.text, format="turtle")) == len(ontology)


def test_concept_pages_show_near_matches_with_scores(live: Live) -> None:
    from rdflib.namespace import OWL

    dataset = build(list(SEEDS.values()), Minter(DEFAULT_BASE)).dataset()
    alignment = dataset.graph(URIRef(f"{DEFAULT_BASE}graph/alignment"))
    axiom = next(alignment.subjects(RDF.type, OWL.Axiom))
    source, target = alignment.value(axiom, OWL.annotatedSource), alignment.value(axiom, OWL.annotatedTarget)
    score = alignment.value(axiom, OCS.matchScore)
    for here, there in ((source, target), (target, source)):
        page = httpx.get(live.url + str(here)[len(DEFAULT_BASE) - 1 :], headers=BROWSER)
        assert page.status_code == 200
        near = text(page.text).split("相近概念 · Near matches", 1)[1]
        assert f'href="{str(there)[len(DEFAULT_BASE) - 1 :]}"' in page.text
        assert f"score {float(score):g}" in near
