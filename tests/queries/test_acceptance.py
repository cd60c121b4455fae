"""The acceptance criteria of the named-queries issue, each as a test on the shipped data."""

from __future__ import annotations

from kg.build import Build
from kg.labels import normalise
from tests.queries.conftest import Runner
from tests.queries.oracle import KINDS, Corpus, concepts


def test_skill_frequency_puts_communication_near_the_top_with_its_count(runner: Runner, corpus: Corpus) -> None:
    label = "溝通協調能力"
    needing = [s.code for s in corpus.standards if label in concepts(s, "skill")]
    rows = runner("skill-frequency", {}, limit=10)
    top = [(r["kind"], r["label"]) for r in rows[:3]]
    assert ("skill", label) in top
    found = next(r for r in rows if (r["kind"], r["label"]) == ("skill", label))
    assert int(found["standards"]) == len(needing) == 18


def test_shared_skills_of_two_corpus_standards_are_exactly_the_shared_concepts(runner: Runner, corpus: Corpus) -> None:
    first, second = "MPM7223-007v3", "MPM7223-006v3"
    a, b = corpus.get(first), corpus.get(second)
    assert a is not None and b is not None
    expected = concepts(a, "skill") & concepts(b, "skill")
    rows = runner("shared-skills", {"standards": [first, second]})
    exact = [r for r in rows if r["match"] == "exact"]
    assert len(expected) >= 5
    assert sorted(r["label"] for r in exact) == sorted(expected)
    assert all(set(r["neededBy"].split()) == {first, second} for r in exact)


def test_career_gap_lists_what_the_earlier_standard_lacks(runner: Runner, corpus: Corpus) -> None:
    source, target = corpus.get("IIS3513-005"), corpus.get("IIS3513-006v4")
    assert source is not None and target is not None
    lacking = {(kind, label) for kind in KINDS for label in concepts(target, kind) - concepts(source, kind)}
    rows = runner("career-gap", {"from": [source.code], "to": [target.code]})
    assert {(r["kind"], r["label"]) for r in rows} == lacking
    assert lacking
    # Every concept the gap lists comes with the tasks of the target that need it.
    tasks = {task.code for task in target.tasks()}
    assert all(r["task"] in tasks and "level" in r for r in rows)
    held = {normalise(item.name) for item in source.skills + source.knowledge}
    assert not any(r["label"] in held for r in rows)


def test_simplified_input_finds_what_the_traditional_finds(runner: Runner) -> None:
    for simplified, traditional in (("电子商务", "電子商務"), ("沟通协调", "溝通協調")):
        folded = runner("standards-needing", {"label": [simplified]})
        assert folded, traditional
        assert folded == runner("standards-needing", {"label": [traditional]})


def test_version_diff_reports_the_known_edits(versioned_runner: Runner) -> None:
    """The synthetic V2 differs from V3 by the edits tests/queries/versions.py lists."""
    rows = versioned_runner("version-diff", {"from": ["MPM7223-007v2"], "to": ["MPM7223-007v3"]})
    changes = {(r["change"], r["kind"], r["notation"], r["label"]) for r in rows}
    assert ("removed", "task", "T1.2", "設定加工參數") in changes
    assert ("added", "task", "T1.2", "協助設定加工參數") in changes
    assert ("added", "task", "T3.2", "故障通報") in changes
    assert ("removed", "skill", "S13", "工件裝夾技巧") in changes
    assert ("added", "attitude", "A05", "團隊意識") in changes
    assert {kind for change, kind, _, _ in changes if change == "added"} >= {
        "indicator",
        "output",
        "knowledge",
        "skill",
    }
    # 品質管理概念 is K12 in V2 and K07 in V3: the same concept, no change.
    assert not any(r["label"] == "品質管理概念" for r in rows)


def test_version_history_reads_the_newest_table(versioned_runner: Runner) -> None:
    """V2 calls itself 最新版本 in its own table; V3's table, the newer, says 歷史版本."""
    rows = versioned_runner("version-history", {"standard": ["MPM7223-007v2"]})
    assert [(r["code"], r["status"], r["loaded"]) for r in rows] == [
        ("MPM7223-007v3", "最新版本", "true"),
        ("MPM7223-007v2", "歷史版本", "true"),
        ("MPM7223-007v1", "歷史版本", "false"),
    ]


def test_unfiltered_frequency_agrees_with_the_precomputed_standard_counts(runner: Runner, shipped: Build) -> None:
    """Without filters the ranking counts what `ocs:standardCount` counts at build time."""
    counts = {str(concept): int(str(count)) for concept, _, count in shipped.statistics()}
    rows = runner("skill-frequency", {})
    assert len(rows) > 1000
    assert {r["concept"]: int(r["standards"]) for r in rows} == {
        concept: count for concept, count in counts.items() if "/attitude/" not in concept
    }
