"""Near matches between shared concepts, measured against hand-labelled pairs."""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import OWL, SKOS

from kg.align import alignment_graph, is_match, lcs_length, matches
from kg.build import Build
from kg.namespaces import OCS

SAMPLE = Path(__file__).parent / "fixtures" / "alignment-sample.tsv"


def _sample() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8") as rows:
        return list(csv.DictReader((r for r in rows if not r.startswith("#")), delimiter="\t"))


def test_lcs_length() -> None:
    assert lcs_length("問題解決", "問題分析與解決") == 4
    assert lcs_length("", "abc") == 0
    assert lcs_length("abc", "acb") == 2


def test_the_named_examples_match() -> None:
    assert is_match("讀寫能力", "讀寫技能") == 1.0
    score = is_match("問題解決能力", "問題分析與解決能力")
    assert score is not None and 0.7 < score < 0.8
    assert is_match("CNC車床操作能力", "CNC銑床操作能力") is None


def test_precision_on_the_hand_labelled_sample(shipped: Build) -> None:
    """Every sampled label is a concept of the shipped data; precision ≥ 0.85."""
    graph = shipped.union()
    labels = {str(label) for label in graph.objects(None, SKOS.prefLabel)}
    sample = _sample()
    assert len(sample) >= 60
    true_positive = false_positive = false_negative = 0
    for row in sample:
        assert {row["a"], row["b"]} <= labels, row
        predicted, same = is_match(row["a"], row["b"]) is not None, row["same"] == "1"
        true_positive += predicted and same
        false_positive += predicted and not same
        false_negative += same and not predicted
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    print(f"alignment precision {precision:.2f} recall {recall:.2f} on {len(sample)} pairs")
    assert precision >= 0.85
    assert recall >= 0.8


def test_alignment_graph_states_each_match_with_score_and_method(shipped: Build) -> None:
    aligned = alignment_graph(shipped.union())
    axioms = list(aligned.subjects(OWL.annotatedProperty, SKOS.closeMatch))
    assert axioms
    for axiom in axioms:
        source, target = aligned.value(axiom, OWL.annotatedSource), aligned.value(axiom, OWL.annotatedTarget)
        assert (source, SKOS.closeMatch, target) in aligned
        assert (target, SKOS.closeMatch, source) in aligned
        assert 0.7 <= float(aligned.value(axiom, OCS.matchScore)) <= 1.0
        assert aligned.value(axiom, OCS.matchMethod) is not None


def test_matches_never_pair_a_concept_with_itself() -> None:
    labels = {URIRef("x:a"): "讀寫能力", URIRef("x:b"): "讀寫技能", URIRef("x:c"): "讀寫能力"}
    pairs = {(m.source, m.target) for m in matches(labels)}
    assert pairs == {(URIRef("x:a"), URIRef("x:b")), (URIRef("x:b"), URIRef("x:c"))}
