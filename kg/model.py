"""Typed model of one competency standard (職能基準), free of I/O and RDF.

The fields follow the sections of the iCAP competency-standard template
(職能基準表單): the version table (版本), the header (職能基準代碼, 名稱, 所屬類別,
工作描述, 基準級別), the content table (主要職責 → 工作任務 → 職能級別, 行為指標,
工作產出, 職能內涵 K/S), the attitude list (職能內涵 A) and the supplementary
notes (說明與補充事項). Every code and text is kept exactly as the source writes it:
defects are facts, and validation reports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Classification:
    """One classification entry of 所屬類別: a code and its name as written."""

    code: str
    name: str


@dataclass(slots=True)
class Version:
    """One row of the version table (版本 / 職能基準代碼 / 名稱 / 狀態 / 更新說明 / 日期)."""

    version: str
    code: str
    name: str
    status: str = ""
    note: str = ""
    date: str = ""


@dataclass(slots=True)
class Indicator:
    """A behaviour indicator (行為指標, P code)."""

    code: str
    text: str
    page_split: bool = False


@dataclass(slots=True)
class Output:
    """A work output (工作產出, O code)."""

    code: str
    name: str
    page_split: bool = False


@dataclass(slots=True)
class Item:
    """A knowledge, skill or attitude item of the document (K, S or A code).

    `details` holds the sub-bullets an item lists under its name (older layout).
    """

    code: str
    name: str
    details: list[str] = field(default_factory=list)
    page_split: bool = False


@dataclass(slots=True)
class Block:
    """A competency block of a task: one level with its indicators, outputs and K/S.

    `knowledge` and `skills` hold the codes the block cites, in source order; the
    items themselves are listed once per document in `Standard.knowledge` and
    `Standard.skills`, by the column they were written in.
    """

    level: int | None
    indicators: list[Indicator] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    knowledge: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Task:
    """A task (工作任務 in the newer layout, 工作活動 in the older one).

    Tasks the source merged into one row share the same `Block` objects.
    """

    code: str
    name: str
    blocks: list[Block] = field(default_factory=list)
    page_split: bool = False


@dataclass(slots=True)
class Duty:
    """A duty (主要職責 in the newer layout, 工作任務 in the older one)."""

    code: str
    name: str
    tasks: list[Task] = field(default_factory=list)
    page_split: bool = False


@dataclass(slots=True)
class Standard:
    """One competency standard as its source document states it."""

    code: str
    job_category_name: str | None = None
    occupation_name: str | None = None
    job_categories: list[Classification] = field(default_factory=list)
    occupations: list[Classification] = field(default_factory=list)
    industries: list[Classification] = field(default_factory=list)
    description: str = ""
    level: int | None = None
    versions: list[Version] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    knowledge: list[Item] = field(default_factory=list)
    skills: list[Item] = field(default_factory=list)
    attitudes: list[Item] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    supplements: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def name(self) -> str:
        """The standard's name: 職能基準名稱 is filled as 職業 or as 職類 (擇一填寫)."""
        return self.occupation_name or self.job_category_name or ""

    def tasks(self) -> list[Task]:
        """All tasks in document order."""
        return [task for duty in self.duties for task in duty.tasks]

    def blocks(self) -> list[Block]:
        """All competency blocks in document order, each once (merged rows share blocks)."""
        seen: dict[int, Block] = {}
        for task in self.tasks():
            for block in task.blocks:
                seen.setdefault(id(block), block)
        return list(seen.values())
