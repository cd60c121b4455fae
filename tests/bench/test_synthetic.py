"""The synthetic corpus: deterministic, read by the real pipeline, valid, shaped like data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import MEASURED_REUSE, documents, generate, shape
from kg.build import Build, build
from kg.uris import Minter
from tests.conftest import BASE

COUNT = 52  # as many as data/ holds, so reuse figures compare at the same size


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(COUNT, 7, tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="module")
def built(corpus: list[Path]) -> Build:
    return build(corpus, Minter(BASE))


def test_same_seed_same_files_other_seed_other_files(corpus: list[Path], tmp_path: Path) -> None:
    again = generate(COUNT, 7, tmp_path / "again")
    other = generate(COUNT, 8, tmp_path / "other")
    assert [p.name for p in again] == [p.name for p in corpus]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, corpus, strict=True))
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in corpus]


def test_every_file_parses_with_a_unique_code(corpus: list[Path], built: Build) -> None:
    assert built.errors == []
    assert len(built.documents) == len(corpus) == COUNT
    codes = [document.standard.code for document in built.documents]
    assert len(set(codes)) == COUNT
    assert all(document.standard.source.endswith(".json") for document in built.documents)


def test_validates_without_violations(built: Build) -> None:
    report = built.validate()
    assert report.conforms, [r for r in report.results if r.severity == "Violation"][:3]
    assert report.counts()["Violation"] == 0


def test_some_previous_versions_are_loaded_beside_their_successors() -> None:
    corpus = list(documents(300, 1))
    codes = {document["ocs_profile"]["ocs_code"] for document in corpus}
    earlier = {
        row["ocs_code"]
        for document in corpus
        for row in document["version_info"]["versions"]
        if row["ocs_code"] != document["ocs_profile"]["ocs_code"]
    }
    assert len(corpus) == len(codes) == 300
    assert earlier & codes


def test_shape_is_near_the_shipped_standards(shipped: Build, built: Build) -> None:
    real = shape(document.standard for document in shipped.documents)
    synthetic = shape(document.standard for document in built.documents)
    for name, measured in real.means.items():
        assert synthetic.means[name] == pytest.approx(measured, rel=0.25), name
    for kind in MEASURED_REUSE:
        assert real.reuse[kind] == pytest.approx(MEASURED_REUSE[kind], abs=0.01), kind
        assert synthetic.reuse[kind] == pytest.approx(real.reuse[kind], abs=0.06), kind
