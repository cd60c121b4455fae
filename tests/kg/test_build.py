"""The shipped data builds whole: every document, every count of its source."""

from __future__ import annotations

import csv

from rdflib import Dataset
from rdflib.namespace import RDF, SKOS

from kg.build import Build
from kg.labels import normalise
from kg.namespaces import OCS
from tests.conftest import BASE, DATA, SEEDS

MANIFEST = DATA / "corpus" / "MANIFEST.tsv"
# MANIFEST.tsv column → the build summary's column for the same count.
COLUMNS = {
    "n_duties": "duties",
    "n_tasks": "tasks",
    "n_indicators": "indicators",
    "n_knowledge": "K",
    "n_skills": "S",
    "n_attitudes": "A",
}


def test_every_shipped_document_builds(shipped: Build) -> None:
    with MANIFEST.open(encoding="utf-8") as rows:
        corpus = {row["file"] for row in csv.DictReader(rows, delimiter="\t")}
    built = {d.path.name for d in shipped.documents}
    assert shipped.errors == []
    assert corpus | {p.name for p in SEEDS.values()} == built


def test_graph_counts_equal_the_manifest(shipped: Build) -> None:
    documents = {d.path.name: d for d in shipped.documents}
    with MANIFEST.open(encoding="utf-8") as rows:
        manifest = list(csv.DictReader(rows, delimiter="\t"))
    assert len(manifest) == 50
    for row in manifest:
        document = documents[row["file"]]
        counts = document.counts()
        assert document.standard.code == row["ocs_code"], row["file"]
        for column, key in COLUMNS.items():
            assert counts[key] == int(row[column]), (row["file"], key)


def test_each_document_is_a_named_graph_with_the_ontology_beside(shipped: Build, tmp_path: object) -> None:
    dataset = shipped.dataset()
    names = {g.identifier for g in dataset.graphs()}
    for document in shipped.documents:
        assert document.name in names
        assert len(dataset.graph(document.name)) == len(document.graph)
    derived = {f"{BASE}graph/{name}" for name in ("ontology", "alignment", "statistics")}
    assert derived <= {str(n) for n in names}


def test_statistics_count_the_standards_that_need_each_concept(shipped: Build) -> None:
    statistics = shipped.statistics()
    needing: dict[str, set[str]] = {}
    for document in shipped.documents:
        for item in document.standard.skills:
            needing.setdefault(normalise(item.name), set()).add(document.standard.code)
    union = shipped.union()
    counts = {
        str(union.value(concept, SKOS.prefLabel)): int(count)
        for concept, count in statistics.subject_objects(OCS.standardCount)
        if (concept, RDF.type, OCS.SkillConcept) in union
    }
    assert counts["溝通協調能力"] == len(needing["溝通協調能力"]) >= 10
    assert counts == {label: len(codes) for label, codes in needing.items() if label}


def test_written_dump_reads_back_as_the_same_quads(shipped: Build, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "graph.nq"
    shipped.write(path)
    loaded = Dataset()
    loaded.parse(path, format="nquads")
    expected = shipped.dataset()
    assert len(loaded) == len(expected)
