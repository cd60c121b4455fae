"""Standard ⇄ RDF: readable URIs, shared concepts, and an exact round trip."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import RDF, SKOS

from kg.build import Build
from kg.mapping import from_graph, to_graph
from kg.model import Block, Duty, Indicator, Item, Standard, Task
from kg.namespaces import ISCO, OCS
from kg.uris import Minter
from tests.conftest import BASE


def test_round_trip_is_isomorphic_for_every_shipped_document(shipped: Build, minter: Minter) -> None:
    for document in shipped.documents:
        again = to_graph(from_graph(document.graph, minter.standard(document.standard.code)), minter)
        first, second = to_isomorphic(document.graph), to_isomorphic(again)
        if first != second:
            _, lost, gained = graph_diff(first, second)
            pytest.fail(f"{document.path.name}: lost {sorted(lost)[:3]} gained {sorted(gained)[:3]}")


def test_uris_are_built_from_the_official_codes(shipped: Build) -> None:
    seed = next(d for d in shipped.documents if d.standard.code == "IIS3513-006v4")
    standard = URIRef(f"{BASE}standard/IIS3513-006v4")
    assert (standard, RDF.type, OCS.CompetencyStandard) in seed.graph
    assert (URIRef(f"{standard}/task/T1.1"), SKOS.notation, Literal("T1.1")) in seed.graph
    assert (URIRef(f"{standard}/knowledge/K01"), SKOS.notation, Literal("K01")) in seed.graph
    occupation = URIRef(f"{BASE}classification/occupation/3513")
    assert (standard, OCS.occupation, occupation) in seed.graph
    assert (occupation, SKOS.closeMatch, ISCO.C3513) in seed.graph


def test_the_same_skill_in_two_standards_meets_in_one_concept(shipped: Build) -> None:
    graph = shipped.union()
    concepts_of_standards: dict[URIRef, set[URIRef]] = {}
    for standard, item in graph.subject_objects(OCS.hasSkill):
        for concept in graph.objects(item, OCS.concept):
            concepts_of_standards.setdefault(concept, set()).add(standard)
    shared = {c for c, standards in concepts_of_standards.items() if len(standards) > 1}
    labels = {str(graph.value(c, SKOS.prefLabel)) for c in shared}
    assert "溝通協調能力" in labels


def _standard(*names: str) -> Standard:
    block = Block(level=3, indicators=[Indicator("P1.1.1", "做事")], skills=[f"S{i}" for i, _ in enumerate(names, 1)])
    return Standard(
        code="XYZ1234-001v1",
        occupation_name="測試人員",
        level=3,
        duties=[Duty("T1", "職責", [Task("T1.1", "任務", [block])])],
        skills=[Item(f"S{i}", name) for i, name in enumerate(names, 1)],
    )


def test_labels_that_differ_only_in_width_and_spacing_share_a_concept(minter: Minter) -> None:
    graph = to_graph(_standard("溝通協調能力", "溝通 協調能力：", "ＳＱＬ 查詢"), minter)
    s1, s2, s3 = (minter.part(minter.standard("XYZ1234-001v1"), "skill", f"S{i}") for i in (1, 2, 3))
    assert graph.value(s1, OCS.concept) == graph.value(s2, OCS.concept)
    assert graph.value(s1, OCS.concept) != graph.value(s3, OCS.concept)
    assert graph.value(graph.value(s3, OCS.concept), SKOS.prefLabel) == Literal("SQL查詢", lang="zh-Hant")


def test_a_code_used_twice_keeps_both_things() -> None:
    minter = Minter(BASE)
    standard = _standard("溝通協調能力")
    standard.duties[0].tasks[0].blocks[0].indicators.append(Indicator("P1.1.1", "另一件事"))
    graph = to_graph(standard, minter)
    indicators = set(graph.subjects(SKOS.notation, Literal("P1.1.1")))
    assert len(indicators) == 2
    texts = {str(graph.value(i, SKOS.prefLabel)) for i in indicators}
    assert texts == {"做事", "另一件事"}
