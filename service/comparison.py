"""What two or more standards share and what each has alone, from the rows of the named queries.

`queries/shared-skills.rq` and `shared-knowledge.rq` give the exact and near (skos:closeMatch)
matches among the given standards; `queries/career-gap.rq` from each standard to each
other gives what the second lists and the first does not. A standard's concepts that
every other given standard lacks are what it has alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from service.solutions import Cell, Table

LEVELS = range(1, 7)  # 職能級別 1–6


@dataclass(frozen=True)
class Match:
    """A concept two or more standards share: exact (one concept) or near (two, with a score)."""

    kind: str
    match: str
    label: Cell
    needed_by: tuple[str, ...]
    close_label: Cell | None
    close_needed_by: tuple[str, ...]
    score: str


@dataclass(frozen=True)
class Need:
    """A task of the target standard, and its level, that needs a missing concept."""

    task: str
    label: str
    level: int | None


@dataclass
class Missing:
    """A concept the target standard lists and the held one does not, with the tasks behind it."""

    kind: str
    label: Cell
    notation: str
    near: str
    needs: list[Need] = field(default_factory=list)

    @property
    def levels(self) -> list[int]:
        return sorted({need.level for need in self.needs if need.level is not None})


@dataclass(frozen=True)
class Overlap:
    """How one standard's concepts split among the given standards."""

    code: str
    exact: int
    near: int
    alone: int


def matches(kind: str, table: Table) -> list[Match]:
    """The rows of shared-skills or shared-knowledge as matches."""
    return [
        Match(
            kind=kind,
            match=row["match"].text,
            label=row["label"],
            needed_by=tuple(row["neededBy"].text.split()) if "neededBy" in row else (),
            close_label=row.get("closeLabel"),
            close_needed_by=tuple(row["closeNeededBy"].text.split()) if "closeNeededBy" in row else (),
            score=row["score"].text if "score" in row else "",
        )
        for row in table.rows
    ]


def missing(table: Table) -> list[Missing]:
    """The rows of career-gap, one entry per concept with its tasks and levels, in the query's order."""
    found: dict[str, Missing] = {}
    for row in table.rows:
        concept = row["concept"].text
        entry = found.setdefault(
            concept,
            Missing(
                row["kind"].text,
                row["label"],
                row["notation"].text,
                row["closeMatchesHeld"].text if "closeMatchesHeld" in row else "",
            ),
        )
        level = int(row["level"].text) if "level" in row else None
        need = Need(row["task"].text, row["taskLabel"].text if "taskLabel" in row else "", level)
        if need not in entry.needs:
            entry.needs.append(need)
    return list(found.values())


def alone(code: str, gaps: dict[tuple[str, str], Table]) -> dict[str, Cell]:
    """The concepts `code` lists that no other given standard lists (by concept IRI, with labels)."""
    sets = [
        {row["concept"].text: row["label"] for row in table.rows}
        for (source, target), table in gaps.items()
        if target == code and source != code
    ]
    if not sets:
        return {}
    keys = set.intersection(*(set(s) for s in sets))
    return {key: sets[0][key] for key in sorted(keys, key=lambda k: sets[0][k].text)}


def overlaps(codes: list[str], shared: dict[str, Table], gaps: dict[tuple[str, str], Table]) -> list[Overlap]:
    """For each standard: concepts shared exactly, alone but with a near match, and alone."""
    result = []
    for code in codes:
        exact: set[str] = set()
        near: set[str] = set()
        for table in shared.values():
            for row in table.rows:
                mine = (
                    code in row["neededBy"].text.split() if "neededBy" in row else False,
                    code in row["closeNeededBy"].text.split() if "closeNeededBy" in row else False,
                )
                if row["match"].text == "exact" and mine[0]:
                    exact.add(row["concept"].text)
                elif row["match"].text == "close":
                    if mine[0]:
                        near.add(row["concept"].text)
                    if mine[1]:
                        near.add(row["closeConcept"].text)
        only = set(alone(code, gaps))
        result.append(Overlap(code, len(exact), len(near & only), len(only - near)))
    return result


def by_level(entries: list[Missing]) -> dict[int, int]:
    """How many missing concepts are needed at each competency level."""
    counts: dict[int, int] = defaultdict(int)
    for entry in entries:
        for level in entry.levels:
            counts[level] += 1
    return {level: counts.get(level, 0) for level in LEVELS}
