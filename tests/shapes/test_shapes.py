"""Each shape against a graph that breaks it and one that conforms.

`conforming.ttl` is one small document every shape accepts. A case is a SPARQL
Update that changes it just enough to break one shape; the test checks that the
shape reports the expected focus node with its severity, and that the unchanged
document is reported by no shape at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from rdflib import Graph, Literal, URIRef

from kg.namespaces import SH
from kg.validate import OCSH, Report, load_shapes, shape_names, validate

HERE = Path(__file__).parent
STANDARD = "https://w3id.org/tw-ocs/standard/IIS3513-006v4"
PREFIXES = f"""
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ocs: <https://w3id.org/tw-ocs/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX s: <https://w3id.org/tw-ocs/standard/>
BASE <{STANDARD}/>
"""


class Case(NamedTuple):
    shape: str
    severity: str
    focus: str  # the focus node's IRI after `…/standard/`, or a classification IRI's tail
    update: str


def insert(triples: str) -> str:
    return f"INSERT DATA {{ {triples} }}"


def delete(triples: str) -> str:
    return f"DELETE DATA {{ {triples} }}"


def replace(node: str, predicate: str, old: str, new: str) -> str:
    """An update that changes one value of `node` from the term `old` to the term `new`."""
    return f"{delete(f'{node} {predicate} {old}')} ; {insert(f'{node} {predicate} {new}')}"


def code(node: str, old: str, new: str) -> str:
    return replace(node, "skos:notation", f'"{old}"', f'"{new}"')


def label(node: str, old: str, new: str) -> str:
    return replace(node, "skos:prefLabel", f'"{old}"@zh-Hant', f'"{new}"@zh-Hant')


STD, V3 = "s:IIS3513-006v4", "s:IIS3513-006v3"
DUTY, TASK, BLOCK = "<duty/T1>", "<task/T1.1>", "<task/T1.1/block/1>"
INDICATOR, OUTPUT = "<indicator/P1.1.1>", "<output/O1.1.1>"
K01, S01, A01 = "<knowledge/K01>", "<skill/S01>", "<attitude/A01>"
CLASSIFICATION = "https://w3id.org/tw-ocs/classification"
JOB = f"<{CLASSIFICATION}/job-category/IIS>"
OCCUPATION = f"<{CLASSIFICATION}/occupation/3513>"
INDUSTRY = f"<{CLASSIFICATION}/industry/J6312>"
HEADER, ROW = "IIS3513-006v4", "IIS3513-006v3"
ON_TASK, ON_BLOCK = "IIS3513-006v4/task/T1.1", "IIS3513-006v4/task/T1.1/block/1"
ON_INDICATOR, ON_OUTPUT = "IIS3513-006v4/indicator/P1.1.1", "IIS3513-006v4/output/O1.1.1"
ON_K01 = "IIS3513-006v4/knowledge/K01"
SPILLED = r"分析企業對企業\n4\nK01各種軟硬體系統的特性"

CASES = [
    # header.ttl
    Case("StandardCode", "Violation", HEADER, insert(f'{STD} skos:notation "IIS3513-006v5"')),
    Case("StandardCodePattern", "Violation", HEADER, code(STD, "IIS3513-006v4", "IIS-3513")),
    Case("StandardVersionSuffix", "Warning", HEADER, code(STD, "IIS3513-006v4", "IIS3513-006")),
    Case("StandardName", "Violation", HEADER, insert(f'{STD} ocs:jobCategoryName "資訊支援"@zh-Hant')),
    Case("StandardLevel", "Violation", HEADER, delete(f"{STD} ocs:level ocs:level4")),
    Case("StandardDescription", "Warning", HEADER, f"DELETE WHERE {{ {STD} ocs:jobDescription ?text }}"),
    # versions.ttl
    Case("VersionLabel", "Warning", ROW, replace(V3, "ocs:version", '"V3"', '"IIS3513-006v3"')),
    Case("VersionCode", "Warning", ROW, code(V3, "IIS3513-006v3", "IIS3513")),
    Case("VersionDate", "Warning", ROW, replace(V3, "ocs:updateDate", '"2022/12/13"', '"Unknown"')),
    Case("VersionStatus", "Warning", ROW, f"DELETE WHERE {{ {V3} ocs:status ?status }}"),
    Case("VersionChainAcyclic", "Violation", HEADER, insert(f"{STD} dcterms:isReplacedBy {V3}")),
    # structure.ttl
    Case("TaskDuty", "Violation", ON_TASK, delete(f"{DUTY} ocs:hasTask {TASK}")),
    Case("TaskIndicator", "Violation", ON_TASK, delete(f"{BLOCK} ocs:hasIndicator {INDICATOR}")),
    Case("TaskOutput", "Info", ON_TASK, delete(f"{BLOCK} ocs:hasOutput {OUTPUT}")),
    Case(
        "DutyTask",
        "Warning",
        "IIS3513-006v4/duty/T2",
        insert(f'{STD} ocs:hasDuty <duty/T2> . <duty/T2> a ocs:Duty ; skos:notation "T2" ; skos:prefLabel "規劃"'),
    ),
    Case("BlockLevel", "Violation", ON_BLOCK, insert(f"{BLOCK} ocs:level ocs:level7")),
    Case("BlockLevelGiven", "Warning", ON_BLOCK, delete(f"{BLOCK} ocs:level ocs:level4")),
    Case("DutyCodePattern", "Warning", "IIS3513-006v4/duty/T1", code(DUTY, "T1", "T-1")),
    Case("TaskCodePattern", "Warning", ON_TASK, code(TASK, "T1.1", "T1")),
    # indicators-outputs.ttl
    Case("IndicatorColumn", "Warning", ON_INDICATOR, code(INDICATOR, "P1.1.1", "Q1.1.1")),
    Case("OutputColumn", "Warning", ON_OUTPUT, code(OUTPUT, "O1.1.1", "P1.1.2")),
    Case("IndicatorOutputCodePattern", "Warning", ON_INDICATOR, code(INDICATOR, "P1.1.1", "P1-3")),
    # ksa.ttl
    Case("KnowledgeColumn", "Warning", ON_K01, code(K01, "K01", "S09")),
    Case(
        "SkillColumn",
        "Warning",
        "IIS3513-006v4/skill/K15",
        insert(
            f"{STD} ocs:hasSkill <skill/K15> . {BLOCK} ocs:requiresSkill <skill/K15> . "
            '<skill/K15> a ocs:Skill ; skos:notation "K15" ; skos:prefLabel "識字和計算技能"'
        ),
    ),
    Case("AttitudeColumn", "Warning", "IIS3513-006v4/attitude/A01", code(A01, "A01", "B01")),
    Case("ItemCodePattern", "Warning", ON_K01, code(K01, "K01", "K103")),
    Case("ItemSingleName", "Warning", ON_K01, insert(f'{K01} skos:prefLabel "軟硬體特性"@zh-Hant')),
    Case("StandardKnowledge", "Warning", HEADER, delete(f"{STD} ocs:hasKnowledge {K01}")),
    Case("StandardSkills", "Warning", HEADER, delete(f"{STD} ocs:hasSkill {S01}")),
    Case("StandardAttitudes", "Warning", HEADER, delete(f"{STD} ocs:hasAttitude {A01}")),
    Case("BlockKnowledge", "Warning", ON_BLOCK, delete(f"{BLOCK} ocs:requiresKnowledge {K01}")),
    Case("BlockSkills", "Warning", ON_BLOCK, delete(f"{BLOCK} ocs:requiresSkill {S01}")),
    # classification.ttl
    Case("JobCategoryCodePattern", "Violation", HEADER, code(JOB, "IIS", "I1S")),
    Case("OccupationCodePattern", "Violation", HEADER, code(OCCUPATION, "3513", "35A3")),
    Case("IndustryCodePattern", "Violation", HEADER, code(INDUSTRY, "J6312", "6312")),
    Case("ClassificationCodeList", "Warning", HEADER, code(JOB, "IIS", r"IIS\nISD")),
    Case("JobCategoryStandardCode", "Warning", HEADER, code(JOB, "IIS", "IIS3513-006")),
    Case("ClassificationCodeKnown", "Warning", HEADER, code(INDUSTRY, "J6312", "Unknown")),
    Case("OccupationMatchesCode", "Warning", HEADER, code(OCCUPATION, "3513", "2511")),
    # cross-references.ttl
    Case("KnowledgeReference", "Violation", ON_BLOCK, insert(f"{BLOCK} ocs:requiresKnowledge <knowledge/K99>")),
    Case("SkillReference", "Violation", ON_BLOCK, insert(f"{BLOCK} ocs:requiresSkill <skill/S99>")),
    Case("TaskUnderDuty", "Warning", ON_TASK, code(TASK, "T1.1", "T2.1")),
    Case("IndicatorOutputUnderTask", "Warning", ON_INDICATOR, code(INDICATOR, "P1.1.1", "P1.2.1")),
    Case("DuplicateCode", "Warning", ON_OUTPUT, code(OUTPUT, "O1.1.1", "P1.1.1")),
    # text.ttl
    Case("UnknownName", "Warning", "IIS3513-006v4/duty/T1", label(DUTY, "研究與設計電子商務解決方案", "Unknown")),
    Case(
        "UnknownHeaderValue",
        "Warning",
        HEADER,
        replace(STD, "ocs:occupationName", '"電子商務系統規劃人員"@zh-Hant', '"Unknown"'),
    ),
    Case("EmptyCode", "Warning", ON_INDICATOR, code(INDICATOR, "P1.1.1", "")),
    Case("NamedPart", "Warning", ON_OUTPUT, f"DELETE WHERE {{ {OUTPUT} skos:prefLabel ?name }}"),
    Case("PageBreakSplit", "Warning", ON_INDICATOR, insert(f"{INDICATOR} ocs:splitAcrossPages true")),
    Case(
        "SpilledText",
        "Warning",
        ON_INDICATOR,
        label(INDICATOR, "分析企業對企業、企業對消費者的電子商務模型。", SPILLED),
    ),
    Case(
        "SwallowedSubItems", "Warning", ON_TASK, label(TASK, "評估電子商業模型", "評估電子商業模型T1.1.1確認客戶需求")
    ),
]


def conforming() -> Graph:
    return Graph().parse(HERE / "conforming.ttl", format="turtle")


def results_of(report: Report, shape: str) -> list[tuple[str, str]]:
    """(severity, focus node after `…/standard/`) of each result of `shape`."""
    return [(r.severity, r.focus_node.split("/standard/", 1)[-1]) for r in report.results if r.shape == OCSH + shape]


def test_the_conforming_document_is_reported_by_no_shape() -> None:
    report = validate(conforming())
    assert report.results == []
    assert report.conforms


@pytest.mark.parametrize("case", CASES, ids=[case.shape for case in CASES])
def test_a_shape_reports_the_graph_that_breaks_it(case: Case) -> None:
    graph = conforming()
    graph.update(PREFIXES + case.update)
    report = validate(graph)
    assert (case.severity, case.focus) in results_of(report, case.shape)
    assert report.conforms == (case.severity != "Violation")


def test_every_shape_has_a_case() -> None:
    names = {str(name).removeprefix(OCSH) for name in shape_names(load_shapes())}
    assert names == {case.shape for case in CASES}


@pytest.mark.parametrize("shape", shape_names(load_shapes()), ids=lambda s: str(s).removeprefix(OCSH))
def test_every_shape_has_a_severity_and_messages_in_both_languages(shape: URIRef) -> None:
    shapes = load_shapes()
    assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info)
    languages = {m.language for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)}
    assert languages == {"zh-Hant", "en"}


def test_the_shapes_graph_is_well_formed_shacl() -> None:
    """The shapes conform to the SHACL shapes for SHACL (SHACL §C)."""
    from pyshacl import validate as pyshacl_validate

    conforms, _, text = pyshacl_validate(load_shapes(), meta_shacl=True, inference="none")
    assert conforms, text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occupation", "Unknown"),
        ("industry", "C29;C3400"),
        ("job-category", "HBR\nNFP\nMPD"),
        ("job-category", "BAS3332-001"),
    ],
)
def test_known_defect_forms_of_classification_codes_are_warnings_not_violations(field: str, value: str) -> None:
    graph = conforming()
    scheme = {"occupation": OCCUPATION, "industry": INDUSTRY, "job-category": JOB}[field]
    old = {"occupation": "3513", "industry": "J6312", "job-category": "IIS"}[field]
    graph.update(PREFIXES + code(scheme, old, value.replace("\n", r"\n")))
    report = validate(graph)
    assert report.conforms
    assert report.counts()["Warning"] >= 1


def test_an_empty_classification_code_is_a_warning() -> None:
    graph = conforming()
    graph.update(PREFIXES + f"DELETE WHERE {{ {INDUSTRY} skos:notation ?code }}")
    report = validate(graph)
    assert ("Warning", "IIS3513-006v4") in results_of(report, "ClassificationCodeKnown")
    assert report.conforms


def test_merged_rows_share_a_block_without_breaking_the_parent_codes() -> None:
    """Tasks the source merged into one row share its block: a code fits if it fits one of them."""
    graph = conforming()
    graph.update(
        PREFIXES
        + rf"""INSERT DATA {{
            {DUTY} ocs:hasTask <task/T1.2> .
            <task/T1.2> a ocs:Task ; skos:notation "T1.2" ; skos:prefLabel "設計電子商務"@zh-Hant ;
                ocs:hasBlock {BLOCK} .
            {BLOCK} ocs:hasIndicator <indicator/P1.2.1> .
            <indicator/P1.2.1> a ocs:BehaviourIndicator ; skos:notation "P1.2.1" ;
                skos:prefLabel "研擬電子商務的目的。"@zh-Hant .
        }}"""
    )
    assert results_of(validate(graph), "IndicatorOutputUnderTask") == []


def test_the_ontology_beside_the_data_is_not_validated_as_a_standard() -> None:
    ontology = Path(__file__).parents[2] / "ontology" / "ocs.ttl"
    graph = conforming()
    graph.parse(ontology, format="turtle")
    assert validate(graph).results == []


def test_no_result_points_at_a_shape_without_a_name() -> None:
    graph = conforming()
    for case in CASES:
        graph.update(PREFIXES + case.update)
    report = validate(graph)
    shapes = load_shapes()
    assert report.results
    assert {r.shape for r in report.results} <= {str(name) for name in shape_names(shapes)}
