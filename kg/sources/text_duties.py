"""Reader for the newer text layout of the iCAP template: 主要職責 → 工作任務.

The text is extracted from the official PDF, one tab-separated line per table row, in
this order: the version table (版本 / 職能基準代碼 / 職能基準名稱 / 狀態 / 更新說明 /
發展更新日期), the header block (read by `text_header`), the content table (主要職責 |
工作任務 | 工作產出 | 行為指標 | 職能級別 | 職能內涵 K | 職能內涵 S, its header row repeated
at each page break), the attitudes (職能內涵 A=attitude 態度) and 說明與補充事項.
"""

from __future__ import annotations

import re

from kg.model import Block, Duty, Indicator, Item, Output, Standard, Task, Version
from kg.sources.reader import ParseError, Reader
from kg.sources.text import CODE, join_fragments
from kg.sources.text_header import read_header

_COLUMNS = 7
_TABLE_HEADER = re.compile(r"^[ \t]*主要職責[ \t]*\t[ \t]*工作任務[ \t]*\t", re.MULTILINE)
_VERSION_HEADER = ("版本", "職能基準代碼")
# A code starts an item at the start of a cell, after whitespace or after a <p>/</p> tag.
_ITEM_CODE = re.compile(rf"(?:^|(?<=\s)|(?<=>))(?:{CODE.pattern})")
_TAG = re.compile(r"</?p>")
_ATTITUDE_HEADING = re.compile(r"^職能內涵\s*[(（]\s*A\s*=")
_NOTES_HEADING = "說明與補充事項"
_BULLET = re.compile(r"^(\s*)-(?:\s+|$)(.*)$")
_PREREQUISITES = re.compile(r"^建議擔任[^：:]*[：:]\s*(.*)$")
_OTHER_NOTES = re.compile(r"^其他補充說明\s*[：:]\s*(.*)$")

_Continued = Duty | Task | Output | Indicator | Item


def _pieces(cell: str, letters: str) -> tuple[str, list[tuple[str, str]]]:
    """Split a cell into the text before its first code and (code, text) pairs.

    Only codes whose letter is in `letters` start an item (e.g. "P" in 行為指標); the
    texts are stripped of surrounding whitespace and of <p>/</p> tags, nothing else.
    """
    starts = [match for match in _ITEM_CODE.finditer(cell) if match.group()[0] in letters]
    bounds = [match.start() for match in starts] + [len(cell)]
    pairs = [(m.group(), _clean(cell[m.end() : end])) for m, end in zip(starts, bounds[1:], strict=True)]
    return _clean(cell[: bounds[0]]), pairs


def _clean(text: str) -> str:
    """Text as written, less surrounding whitespace and <p>/</p> tags."""
    return _TAG.sub("", text).strip()


def _extend(item: _Continued, fragment: str) -> None:
    """Append the part of an item's text that the next page carries; mark it `page_split`."""
    if isinstance(item, Indicator):
        item.text = join_fragments([item.text, fragment])
    else:
        item.name = join_fragments([item.name, fragment])
    item.page_split = True


def _distinct(citations: list[Item]) -> list[Item]:
    """Each distinct (code, name) once, in order of first citation (職能內涵 K/S numbering)."""
    items: dict[tuple[str, str], Item] = {}
    for cited in citations:
        item = items.setdefault((cited.code, cited.name), Item(cited.code, cited.name))
        item.page_split = item.page_split or cited.page_split
    return list(items.values())


class _ContentTable:
    """The 主要職責 → 工作任務 table read so far, and the items later rows continue."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.duties: list[Duty] = []
        self.duty: Duty | None = None
        self.tasks: list[Task] = []  # the tasks of the current row (a row may list several)
        self.block: Block | None = None
        self.output: Output | None = None
        self.indicator: Indicator | None = None
        self.knowledge: list[Item] = []  # every citation of the K column, in source order
        self.skills: list[Item] = []

    def row(self, number: int, cells: list[str], at_break: bool) -> None:
        """Read one row; `at_break` is true for the first row after a repeated header row."""
        duty_cell, task_cell, output_cell, indicator_cell, level_cell, k_cell, s_cell = cells
        level = self._level(number, level_cell)
        for code, name in self._cell(duty_cell, "T", at_break, self.duty):
            self.duty = Duty(code, name)
            self.duties.append(self.duty)
            self.tasks, self.block = [], None
        previous_task = self.tasks[-1] if self.tasks else None
        tasks = [Task(code, name) for code, name in self._cell(task_cell, "T", at_break, previous_task)]
        block = self._block(number, tasks, level, cells)
        if block is None:
            return
        for code, name in self._cell(output_cell, "O", at_break, self.output):
            self.output = Output(code, name)
            block.outputs.append(self.output)
        for code, text in self._cell(indicator_cell, "P", at_break, self.indicator):
            self.indicator = Indicator(code, text)
            block.indicators.append(self.indicator)
        for column, codes, cell in ((self.knowledge, block.knowledge, k_cell), (self.skills, block.skills, s_cell)):
            for code, name in self._cell(cell, "KS", at_break, column[-1] if column else None):
                column.append(Item(code, name))
                codes.append(code)

    def _cell(self, cell: str, letters: str, at_break: bool, previous: _Continued | None) -> list[tuple[str, str]]:
        """The (code, text) items a cell starts; text before the first code continues
        `previous` across a page break, or elsewhere is an item without a code (as written)."""
        lead, pairs = _pieces(cell, letters)
        if lead and at_break and previous is not None:
            _extend(previous, lead)
        elif lead:
            pairs.insert(0, ("", lead))
        return pairs

    def _block(self, number: int, tasks: list[Task], level: int | None, cells: list[str]) -> Block | None:
        """The block a row fills: a new task's, a new level's (職能級別), or the current one."""
        if tasks:
            if self.duty is None:
                first = tasks[0].code or tasks[0].name
                raise ParseError(self.source, f"line {number}", f"task {first!r} has no duty (主要職責)")
            self.duty.tasks.extend(tasks)
            self.tasks, self.block = tasks, Block(level)
            for task in tasks:
                task.blocks.append(self.block)
        elif self.block is None:
            if any(cell.strip() for cell in cells[2:]):
                raise ParseError(self.source, f"line {number}", "the row continues no task (工作任務)")
        elif level is not None and level != self.block.level:
            if self.block.level is None:
                self.block.level = level
            else:
                self.block = Block(level)
                for task in self.tasks:
                    task.blocks.append(self.block)
        return self.block

    def _level(self, number: int, cell: str) -> int | None:
        value = cell.strip()
        if not value:
            return None
        if not value.isdecimal():
            raise ParseError(self.source, f"line {number}", f"職能級別 (level) is not a digit: {value!r}")
        return int(value)


def _is_section_heading(line: str) -> bool:
    """True for the headings that follow the content table: 職能內涵 (A=…) and 說明與補充事項."""
    return bool(_ATTITUDE_HEADING.match(line.strip())) or line.strip() == _NOTES_HEADING


def _versions(lines: list[str]) -> list[Version]:
    """The 版本 table: its header row, then one tab-separated row per version."""
    versions: list[Version] = []
    rows = iter(lines)
    for line in rows:
        if tuple(cell.strip() for cell in line.split("\t")[:2]) == _VERSION_HEADER:
            for row in rows:
                if "\t" not in row:
                    break
                cells = [cell.strip() for cell in row.split("\t")] + [""] * 6
                versions.append(Version(*cells[:6]))
            break
    return versions


def _bullets(lines: list[str]) -> list[tuple[bool, str]]:
    """(is a sub-bullet, text) per `- ` bullet; a line that is no bullet continues the previous one."""
    bullets: list[tuple[bool, str]] = []
    for line in lines:
        if not line.strip():
            continue
        if match := _BULLET.match(line):
            bullets.append((bool(match.group(1)), match.group(2).strip()))
        elif bullets:
            nested, text = bullets[-1]
            bullets[-1] = (nested, join_fragments([text, line]))
        else:
            bullets.append((False, line.strip()))
    return bullets


def _attitudes(lines: list[str]) -> list[Item]:
    """職能內涵 (A=attitude 態度): `- A01 name` bullets; sub-bullets are the item's details."""
    attitudes: list[Item] = []
    for nested, text in _bullets(lines):
        if nested and attitudes:
            attitudes[-1].details.append(text)
            continue
        lead, pairs = _pieces(text, "A")
        attitudes.extend(Item(code, name) for code, name in ([("", lead)] if lead else []) + pairs)
    return attitudes


def _notes(lines: list[str], standard: Standard) -> None:
    """說明與補充事項: the 建議擔任…條件 bullet and its sub-bullets are prerequisites,
    every other non-empty bullet (其他補充說明 included) a supplement."""
    target = standard.supplements
    for nested, text in _bullets(lines):
        if nested:
            target.append(text)
            continue
        target, entry = standard.supplements, text
        if match := _PREREQUISITES.match(text):
            target, entry = standard.prerequisites, match.group(1)
        elif match := _OTHER_NOTES.match(text):
            entry = match.group(1)
        if entry:
            target.append(entry)


class TextDutiesReader:
    """Reads a standard from text in the newer layout (主要職責 → 工作任務 content table)."""

    name = "text-duties"

    def accepts(self, text: str) -> bool:
        """True when the text holds the tab-separated 主要職責 | 工作任務 header row."""
        return _TABLE_HEADER.search(text) is not None

    def read(self, text: str, source: str) -> Standard:
        """Read the whole document; `ParseError` names the line that cannot be read."""
        lines = [line.rstrip("\r") for line in text.split("\n")]
        standard, index = read_header(lines, source)
        standard.versions = _versions(lines[:index])
        start = next((i for i in range(index, len(lines)) if _TABLE_HEADER.match(lines[i])), None)
        if start is None:
            raise ParseError(source, f"line {len(lines)}", "no content table (主要職責 / 工作任務)")
        end = next((i for i in range(start, len(lines)) if _is_section_heading(lines[i])), len(lines))
        table = _ContentTable(source)
        at_break = False
        for number, line in enumerate(lines[start + 1 : end], start + 2):
            cells = line.split("\t")
            if _TABLE_HEADER.match(line):
                at_break = True
            elif line.strip():
                if any(cell.strip() for cell in cells[_COLUMNS:]):
                    raise ParseError(source, f"line {number}", f"row has more than {_COLUMNS} cells")
                table.row(number, (cells + [""] * _COLUMNS)[:_COLUMNS], at_break)
                at_break = False
        if not table.duties:
            raise ParseError(source, f"line {start + 1}", "the content table has no duty (主要職責)")
        standard.duties = table.duties
        standard.knowledge = _distinct(table.knowledge)
        standard.skills = _distinct(table.skills)
        self._sections(lines[end:], standard)
        return standard

    @staticmethod
    def _sections(lines: list[str], standard: Standard) -> None:
        """Route the lines after the table to the attitudes and to 說明與補充事項 (repeats ignored)."""
        attitudes: list[str] = []
        notes: list[str] = []
        section = attitudes
        for line in lines:
            if _ATTITUDE_HEADING.match(line.strip()):
                section = attitudes
            elif line.strip() == _NOTES_HEADING:
                section = notes
            else:
                section.append(line)
        standard.attitudes = _attitudes(attitudes)
        _notes(notes, standard)


reader: Reader = TextDutiesReader()
