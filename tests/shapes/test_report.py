"""The `validate` façade: documents one by one, the corpus shapes on the union, and
the report's representations (text table, JSON, the standard sh:ValidationReport)."""

from __future__ import annotations

import json

import pyoxigraph
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg.namespaces import OCS, SH
from kg.validate import OCSH, Report, validate, validate_documents, validate_store
from tests.shapes.test_shapes import PREFIXES, code, conforming

BASE = "https://w3id.org/tw-ocs/standard/"


def broken() -> Graph:
    """The conforming document with one Violation, one Warning and one Info."""
    graph = conforming()
    graph.update(
        PREFIXES
        + """
        DELETE DATA { <https://w3id.org/tw-ocs/standard/IIS3513-006v4> ocs:level ocs:level4 } ;
        INSERT DATA { <indicator/P1.1.1> ocs:splitAcrossPages true } ;
        DELETE DATA { <task/T1.1/block/1> ocs:hasOutput <output/O1.1.1> }
        """
    )
    return graph


def test_a_report_counts_its_results_and_conforms_only_without_violations() -> None:
    report = validate(broken())
    assert report.counts() == {"Violation": 1, "Warning": 1, "Info": 1}
    assert not report.conforms
    assert [r.severity for r in report.results] == ["Violation", "Warning", "Info"]


def test_a_result_names_the_focus_node_its_code_and_its_standard() -> None:
    warning = next(r for r in validate(broken()).results if r.severity == "Warning")
    assert warning.focus_node == BASE + "IIS3513-006v4/indicator/P1.1.1"
    assert warning.focus_code == "P1.1.1"
    assert warning.standard_code == "IIS3513-006v4"
    assert warning.path == "ocs:splitAcrossPages"
    assert warning.value == "true"
    assert warning.shape == OCSH + "PageBreakSplit"
    assert "跨頁" in warning.message_zh
    assert "page break" in warning.message_en


def test_the_text_report_is_a_table_per_standard_and_severity() -> None:
    lines = validate(broken()).to_text().splitlines()
    assert lines[0] == "does not conform (Violation: 1, Warning: 1, Info: 1)"
    assert lines[2:4] == ["IIS3513-006v4", "  Violation"]
    assert "  Warning" in lines and "  Info" in lines
    assert any(line.split()[:2] == ["P1.1.1", "PageBreakSplit"] for line in lines)
    assert any("跨頁" in line for line in validate(broken()).to_text(lang="zh-Hant").splitlines())


def test_the_json_report_lists_each_result_with_both_messages() -> None:
    document = json.loads(validate(broken()).to_json())
    assert document["conforms"] is False
    assert document["counts"] == {"Violation": 1, "Warning": 1, "Info": 1}
    result = document["results"][1]
    assert set(result) == {
        "severity",
        "standard_code",
        "focus_node",
        "focus_code",
        "path",
        "value",
        "message",
        "shape",
    }
    assert set(result["message"]) == {"zh-Hant", "en"}


def test_the_turtle_report_is_a_standard_validation_report() -> None:
    report = validate(broken())
    graph = Graph().parse(data=report.to_turtle(), format="turtle")
    (node,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == Literal(False)
    results = list(graph.objects(node, SH.result))
    assert len(results) == 3
    for result in results:
        assert graph.value(result, SH.focusNode) is not None
        assert graph.value(result, SH.sourceShape) is not None
        messages = graph.objects(result, SH.resultMessage)
        assert {m.language for m in messages if isinstance(m, Literal)} == {"zh-Hant", "en"}


def test_templated_messages_keep_their_language() -> None:
    """pySHACL fills `{?value}` in SHACL-SPARQL messages; the report keeps zh-Hant and en apart."""
    graph = conforming()
    graph.update(PREFIXES + code("<output/O1.1.1>", "O1.1.1", "P1.1.1"))
    duplicate = next(r for r in validate(graph).results if r.shape == OCSH + "DuplicateCode")
    assert duplicate.message_zh == "代碼 P1.1.1 在同一文件中用於兩個不同的項目"
    assert duplicate.message_en == "The code P1.1.1 is used for two different things in the same document"


def _document(code: str, replaced_by: str) -> Graph:
    """A document whose version table says `code` was replaced by `replaced_by`."""
    graph = Graph()
    standard, successor = URIRef(BASE + code), URIRef(BASE + replaced_by)
    graph.add((standard, RDF.type, OCS.CompetencyStandard))
    graph.add((standard, SKOS.notation, Literal(code)))
    graph.add((standard, OCS.listsVersion, standard))
    graph.add((standard, DCTERMS.isReplacedBy, successor))
    return graph


def test_a_version_cycle_across_documents_is_found_in_the_union() -> None:
    first, second = _document("IIS3513-006v1", "IIS3513-006v2"), _document("IIS3513-006v2", "IIS3513-006v1")
    cycles = [r for r in validate_documents([first, second]).results if r.shape == OCSH + "VersionChainAcyclic"]
    assert {(r.severity, r.focus_code, r.standard_code) for r in cycles} == {
        ("Violation", "IIS3513-006v1", "IIS3513-006v1"),
        ("Violation", "IIS3513-006v2", "IIS3513-006v2"),
    }
    for document in (first, second):
        assert not [r for r in validate_documents([document]).results if r.shape == OCSH + "VersionChainAcyclic"]


def test_a_dataset_is_validated_per_document_graph() -> None:
    dataset = Dataset()
    dataset.graph(URIRef("https://w3id.org/tw-ocs/graph/IIS3513-006v4")).__iadd__(broken())
    dataset.graph(URIRef("https://w3id.org/tw-ocs/graph/statistics")).add(
        (URIRef("urn:x"), OCS.standardCount, Literal(1))
    )
    report = validate(dataset)
    assert report.counts() == validate(broken()).counts()


def test_the_served_store_can_be_validated() -> None:
    store = pyoxigraph.Store()
    name = pyoxigraph.NamedNode("https://w3id.org/tw-ocs/graph/IIS3513-006v4")
    store.load(broken().serialize(format="nt", encoding="utf-8"), pyoxigraph.RdfFormat.N_TRIPLES, to_graph=name)
    report = validate_store(store)
    assert report.counts() == {"Violation": 1, "Warning": 1, "Info": 1}


def test_validating_in_processes_gives_the_same_report() -> None:
    documents = [broken(), conforming(), _document("IIS3513-006v1", "IIS3513-006v2")]
    alone: Report = validate_documents(documents, workers=1)
    shared: Report = validate_documents(documents, workers=2)
    assert shared.results == alone.results
    assert len(shared.graph) == len(alone.graph)
