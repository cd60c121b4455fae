"""Competency questions as data: (query, parameters, expected rows from the documents).

Each case names a named query, the parameters a user would give, the data set it
runs on and the oracle that answers the same question from the parsed documents
(`tests/queries/oracle.py`). How to compare the rows is part of the case: whether
their order is part of the answer, which columns hold several values joined by a
separator (compared as sets, empty when absent), which hold decimals, and which are
left out (a column the oracle does not answer, such as a concept URI with no
document-side meaning).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from tests.queries import oracle
from tests.queries.oracle import Corpus, Row

Params = dict[str, list[str]]
Value = str | Decimal | frozenset[str]


@dataclass(frozen=True)
class Case:
    """One competency question and how to check its answer."""

    id: str
    query: str
    params: Params
    expected: Callable[[Corpus, Params], list[Row]]
    data: str = "shipped"
    ordered: bool = False
    sets: dict[str, str] = field(default_factory=dict)
    decimals: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # The answer is no rows (a code not loaded, a text no label contains, …).
    empty: bool = False

    def normalise(self, rows: list[Row]) -> list[tuple[tuple[str, Value], ...]]:
        """Rows as comparable tuples: set columns as sets, decimals as numbers."""
        out = []
        for found in rows:
            values: dict[str, Value] = {}
            for column in set(found) | set(self.sets):
                if column in self.ignore:
                    continue
                text = found.get(column, "")
                if column in self.sets:
                    values[column] = frozenset(part for part in text.split(self.sets[column]) if part)
                elif column in self.decimals:
                    values[column] = Decimal(text)
                else:
                    values[column] = text
            out.append(tuple(sorted(values.items())))
        return out

    def check(self, actual: list[Row], expected: list[Row]) -> None:
        """The rows are the expected ones (in the same order when the order counts)."""
        got, want = self.normalise(actual), self.normalise(expected)
        if self.ordered:
            assert got == want
        else:
            missing, extra = Counter(want) - Counter(got), Counter(got) - Counter(want)
            assert not missing and not extra, f"missing {list(missing)[:5]}, unexpected {list(extra)[:5]}"


CODES = " "
LABELS = " | "

CASES: tuple[Case, ...] = (
    # standard-outline: the document's content in its order, both layouts and a JSON one.
    Case(
        "outline-newer-layout",
        "standard-outline",
        {"standard": ["IIS3513-006v4"]},
        oracle.standard_outline,
        ordered=True,
    ),
    Case(
        "outline-older-layout", "standard-outline", {"standard": ["IIS3513-005"]}, oracle.standard_outline, ordered=True
    ),
    Case("outline-json", "standard-outline", {"standard": ["SMS2521-001v3"]}, oracle.standard_outline, ordered=True),
    Case(
        "outline-merged-rows", "standard-outline", {"standard": ["BAS3332-001"]}, oracle.standard_outline, ordered=True
    ),
    Case("outline-unknown", "standard-outline", {"standard": ["XXX0000-000"]}, oracle.standard_outline, empty=True),
    # An earlier version loaded beside the later one lists the same code twice.
    Case(
        "outline-two-versions",
        "standard-outline",
        {"standard": ["MPM7223-007v2"]},
        oracle.standard_outline,
        data="versioned",
        ordered=True,
    ),
    # skill-frequency: without filters, and with each filter.
    Case("frequency-all", "skill-frequency", {}, oracle.skill_frequency, ordered=True, ignore=("concept",)),
    Case(
        "frequency-job-category",
        "skill-frequency",
        {"jobCategory": ["I"]},
        oracle.skill_frequency,
        ordered=True,
        ignore=("concept",),
    ),
    Case(
        "frequency-occupation-level",
        "skill-frequency",
        {"occupation": ["25"], "level": ["4"]},
        oracle.skill_frequency,
        ordered=True,
        ignore=("concept",),
    ),
    Case(
        "frequency-industry",
        "skill-frequency",
        {"industry": ["J"]},
        oracle.skill_frequency,
        ordered=True,
        ignore=("concept",),
    ),
    Case(
        "frequency-two-versions",
        "skill-frequency",
        {"occupation": ["7223"]},
        oracle.skill_frequency,
        data="versioned",
        ordered=True,
        ignore=("concept",),
    ),
    # shared-skills, shared-knowledge: two and three standards.
    *(
        Case(
            f"{query}-{'-'.join(codes)}",
            query,
            {"standards": list(codes)},
            oracle.shared(kind),
            sets={"neededBy": CODES, "closeNeededBy": CODES},
            decimals=("score",),
            ignore=("concept", "closeConcept"),
            # The two e-commerce standards share no knowledge concept, and no skill
            # exactly: only near matches (讀寫能力 / 讀寫技能 …).
            empty=(query, codes) == ("shared-knowledge", ("IIS3513-006v4", "IIS3513-005")),
        )
        for query, kind in (("shared-skills", "skill"), ("shared-knowledge", "knowledge"))
        for codes in (
            ("MPM7223-007v3", "MPM7223-006v3"),
            ("KPS3334-001v4", "KPS3334-007v4"),
            ("IIS3513-006v4", "IIS3513-005"),
            ("AVA7317-002", "NAR6021-001v1", "CCM7114-004"),
            ("ISD2513-004v1", "ISD2513-005v1", "ISD2513-003v1"),
        )
    ),
    # standards-needing: by a label substring.
    *(
        Case(f"needing-{text}", "standards-needing", {"label": [text]}, oracle.standards_needing)
        for text in ("溝通協調", "電子商務", "excel", "品質管理")
    ),
    Case("needing-nothing", "standards-needing", {"label": ["沒有這種技能"]}, oracle.standards_needing, empty=True),
    # similar-standards: ranked by Jaccard similarity.
    *(
        Case(
            f"similar-{code}",
            "similar-standards",
            {"standard": [code]},
            oracle.similar_standards,
            ordered=True,
            sets={"concepts": LABELS},
            decimals=("similarity",),
        )
        for code in ("IIS3513-006v4", "MPM7223-007v3", "KPS3334-001v4")
    ),
    # career-gap: the concepts of `to` that `from` lacks, with their tasks.
    *(
        Case(
            f"gap-{source}-{target}",
            "career-gap",
            {"from": [source], "to": [target]},
            oracle.career_gap,
            sets={"closeMatchesHeld": LABELS},
            ignore=("concept",),
        )
        for source, target in (
            ("IIS3513-005", "IIS3513-006v4"),
            ("IIS3513-006v4", "IIS3513-005"),
            ("MPM7223-006v3", "MPM7223-007v3"),
            ("KPS3334-002v4", "KPS3334-001v4"),
        )
    ),
    # version-history: the table of the newest loaded document listing the code.
    *(
        Case(f"history-{code}", "version-history", {"standard": [code]}, oracle.version_history, ordered=True)
        for code in ("MPM7223-007v3", "SET2152-005v1", "PIC5193-003v2", "AVA2172-003v3", "SMS2521-001v3", "INM2523")
    ),
    # A standard whose document has no version table.
    Case("history-no-table", "version-history", {"standard": ["IIS3513-005"]}, oracle.version_history, empty=True),
    *(
        Case(
            f"history-two-versions-{code}",
            "version-history",
            {"standard": [code]},
            oracle.version_history,
            data="versioned",
            ordered=True,
        )
        for code in ("MPM7223-007v2", "MPM7223-007v1")
    ),
    # version-diff: two loaded versions, two standards, and a version not loaded.
    *(
        Case(
            f"diff-{source}-{target}",
            "version-diff",
            {"from": [source], "to": [target]},
            oracle.version_diff,
            data="versioned",
            sets={"notation": CODES},
        )
        for source, target in (
            ("MPM7223-007v2", "MPM7223-007v3"),
            ("MPM7223-007v3", "MPM7223-007v2"),
            ("MPM7223-006v3", "MPM7223-007v3"),
        )
    ),
    # V1 is listed but not loaded; a version compared with itself.
    *(
        Case(
            f"diff-{source}-{target}",
            "version-diff",
            {"from": [source], "to": [target]},
            oracle.version_diff,
            data="versioned",
            empty=True,
        )
        for source, target in (("MPM7223-007v1", "MPM7223-007v3"), ("MPM7223-007v3", "MPM7223-007v3"))
    ),
    # by-classification: by each kind of code, by prefix, and all.
    *(
        Case(
            f"classification-{'-'.join(f'{k}={v[0]}' for k, v in params.items()) or 'all'}",
            "by-classification",
            params,
            oracle.by_classification,
            ordered=True,
            sets={"jobCategories": CODES, "occupations": CODES, "industries": CODES, "iscoGroups": CODES},
        )
        for params in (
            {},
            {"jobCategory": ["IIS"]},
            {"occupation": ["12"]},
            {"industry": ["C29"]},
            {"jobCategory": ["S"], "industry": ["J"]},
        )
    ),
    # tasks-at-level: at or above a level, with and without a filter.
    *(
        Case(
            f"tasks-{'-'.join(f'{k}={v[0]}' for k, v in params.items())}",
            "tasks-at-level",
            params,
            oracle.tasks_at_level,
        )
        for params in (
            {"level": ["4"]},
            {"level": ["5"]},
            {"level": ["1"], "occupation": ["3513"]},
            {"level": ["3"], "jobCategory": ["KPS"]},
        )
    ),
)
