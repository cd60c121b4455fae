"""Validation of the shipped data: the known defects of the two seeds and of the
50 corpus standards are reported, each with its code, and nothing is a Violation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Literal
from rdflib.namespace import SKOS

from kg.build import Build
from kg.namespaces import OCS
from kg.validate import OCSH, Report, Result, validate_documents
from tests.conftest import DATA


@pytest.fixture(scope="module")
def report(shipped: Build) -> Report:
    return validate_documents([document.graph for document in shipped.documents])


def found(report: Report, standard: str, shape: str) -> set[str]:
    """The focus codes `shape` reports in `standard`."""
    return {r.focus_code for r in report.results if r.standard_code == standard and r.shape == OCSH + shape}


def test_the_shipped_data_has_no_violation(report: Report) -> None:
    assert report.conforms, [r for r in report.results if r.severity == "Violation"][:5]


def test_the_older_seed_reports_its_real_defects(report: Report) -> None:
    """001_6807fc9a01f5ae4e.txt: K codes among the skills, P6.2.1 written in the outputs
    column as well as among the indicators, and a code without version suffix."""
    assert {"K15", "K16"} <= found(report, "IIS3513-005", "SkillColumn")
    assert found(report, "IIS3513-005", "OutputColumn") == {"P6.2.1"}
    assert found(report, "IIS3513-005", "DuplicateCode") == {"P6.2.1"}
    assert found(report, "IIS3513-005", "StandardVersionSuffix") == {"IIS3513-005"}


def test_the_newer_seed_reports_its_page_break_splits(report: Report, shipped: Build) -> None:
    """000_6c291be856d92341.txt: every text continued across a page break, by its code."""
    (document,) = [d for d in shipped.documents if d.standard.code == "IIS3513-006v4"]
    split = {
        str(document.graph.value(node, SKOS.notation))
        for node in document.graph.subjects(OCS.splitAcrossPages, Literal(True))
    }
    assert split
    assert found(report, "IIS3513-006v4", "PageBreakSplit") == split


# Each kind of defect ../shared/corpus/README.md lists, and how to recognise its report.
CORPUS_DEFECTS: dict[str, Callable[[Result], bool]] = {
    "text from neighbouring cells spilled into a field": lambda r: r.shape.endswith("#SpilledText"),
    "task names that swallowed sub-items": lambda r: r.shape.endswith("#SwallowedSubItems"),
    "duplicated codes": lambda r: r.shape.endswith("#DuplicateCode"),
    "out-of-place code P1-3": lambda r: r.shape.endswith("#IndicatorOutputCodePattern") and r.value == "P1-3",
    "out-of-place code P1.1.1.1": lambda r: r.shape.endswith("#IndicatorOutputCodePattern") and r.value == "P1.1.1.1",
    "out-of-place code K103": lambda r: r.shape.endswith("#ItemCodePattern") and r.value == "K103",
    "unpadded K1": lambda r: r.shape.endswith("#ItemCodePattern") and r.value == "K1",
    "the same code with two different names": lambda r: r.shape.endswith("#ItemSingleName"),
    "codes without a version suffix": lambda r: r.shape.endswith("#StandardVersionSuffix"),
    "Unknown codes": lambda r: r.shape.endswith("#ClassificationCodeKnown") and r.value == "Unknown",
    "Unknown names": lambda r: r.shape.endswith("#UnknownName"),
    "empty attitude lists": lambda r: r.shape.endswith("#StandardAttitudes"),
    "empty skill lists": lambda r: r.shape.endswith("#BlockSkills"),
    "the full code in the version field": lambda r: r.shape.endswith("#VersionLabel"),
}


@pytest.mark.parametrize("defect", CORPUS_DEFECTS)
def test_every_kind_of_corpus_defect_is_reported(report: Report, shipped: Build, defect: str) -> None:
    corpus = {d.standard.code for d in shipped.documents if (DATA / "corpus") in d.path.parents}
    assert len(corpus) == 50
    assert any(CORPUS_DEFECTS[defect](r) and r.standard_code in corpus for r in report.results)


def test_unknown_dates_are_reported_where_the_corpus_has_them(report: Report, shipped: Build) -> None:
    """The README names Unknown dates; report each one the corpus holds (there may be none)."""
    unknown = {
        (d.standard.code, version.code)
        for d in shipped.documents
        for version in d.standard.versions
        if version.date.strip().lower() in ("", "unknown")
    }
    reported = {(r.standard_code, r.focus_code) for r in report.results if r.shape.endswith("#VersionDate")}
    assert unknown <= reported
