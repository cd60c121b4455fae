"""Reader for the older text layout: 工作任務 → 工作活動, as text extracted from the official PDF.

Template clauses read here, after the header (`read_header`): the content table
(工作任務 | 工作活動 | 工作產出 | 行為指標 | 職能級別 | 職能內涵 K | 職能內涵 S), the attitude list
(職能內涵（A=attitude態度）) and 說明與補充事項. 工作任務 becomes a `Duty`, 工作活動 a `Task`
with one `Block`.

The extraction gives the table one cell per run of lines, columns in order, several cells
sometimes starting on one line. Each line is cut into pieces at codes, at a lone level digit
and at a space between two wide characters (cells of adjacent columns); a piece without a
code continues a cell. The rules, all written for what the PDF does:

- Columns are monotonic within a row segment of one page (reset by a page header and by a
  new duty or task code): a K code after an S code there was written in the S column.
- A P code whose first line carries at most 3 characters, before the row reached the
  indicator column, and that continues on the next line, is a 工作產出 cell; O codes always are.
- 職能級別, 職能內涵 K and S are cells merged over a group of tasks (a region): a level digit
  opens a region (the task of its row included) and applies to it; a new duty opens a region
  carrying the level in force. Every task's block cites the K/S codes of its region.
- A page break: only the tallest cells of the last row on the page (within one line, task
  cells and merged cells counted apart) can reach the page bottom; those still open — last
  line about full width — are pending. After the page header, a text piece goes to the current
  cell while that cell's last line is full and the piece fits its column, otherwise to the
  next pending cell in column order that it fits; a bullet goes to the next pending K/S cell
  unless the current K/S item opened a list. Text continued on a new page sets `page_split`.
- K/S sub-bullets become `Item.details`; after a name ending in a colon, a line without its
  bullet glyph still starts a detail. Nothing is dropped: text with no better cell continues
  the current one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.labels import display_width, is_wide
from kg.model import Block, Duty, Indicator, Item, Output, Standard, Task
from kg.sources.reader import ParseError
from kg.sources.text import join_fragments
from kg.sources.text_header import read_header

DUTY, TASK, OUTPUT, INDICATOR, LEVEL, KNOWLEDGE, SKILL = range(7)
_ROW_COLUMNS = (TASK, OUTPUT, INDICATOR)
_MERGED_COLUMNS = (DUTY, KNOWLEDGE, SKILL)
_FULL = 0.7  # a line at 70% of its column's widest line was wrapped, not ended

_TABLE_HEADER = re.compile(r"^\s*工作任務\s+工作活動\s+工作產出\s+行為指標\s*$")
_NEWER_HEADER = re.compile(r"^\s*主要職責\t+工作任務", re.MULTILINE)
_HEADER_LABEL = re.compile(r"^(?:職能|級別|職能級別|職能內涵|[(（][KS]\s*=.*)$")
_FOOTER = re.compile(r"^第\s*\d+\s*頁\s*[，,]\s*總共\s*\d+\s*頁$")
_ATTITUDES = re.compile(r"^職能內涵\s*[（(]\s*A\s*=")
_SUPPLEMENTS = re.compile(r"^說明與補充事項")
_BULLET = re.compile(r"^[\ue000-\uf8ff•●○■□◆◇▪‧]\s*")
_TOKEN = re.compile(
    r"(?<!\S)(?:(?P<code>T\d+(?:\.\d+)?|[OP]\d+(?:\.\d+){2,}|[KS]\d+)(?![0-9A-Za-z]|\.\d)\.?"
    r"|(?P<level>\A[1-9]\Z|[1-9](?=\s+[KS]\d)))"
)
_ATTITUDE = re.compile(r"^(A\d+)(?![0-9])\s*(.*)$")
_PREREQUISITE = re.compile(r"^建議擔任.*?條件\s*[：:]\s*(.*)$")


def _cells(text: str) -> list[str]:
    """Cut a run of text at spaces between two wide characters, which no wrapped cell holds."""
    parts: list[str] = []
    for word in text.split():
        if parts and not (is_wide(parts[-1][-1]) and is_wide(word[0])):
            parts[-1] += " " + word
        else:
            parts.append(word)
    return parts


@dataclass(slots=True)
class _Piece:
    """One piece of a table line: a code with its first text, a level digit, or bare text."""

    line: int
    kind: str  # "page", "code", "level" or "text"
    code: str = ""
    text: str = ""
    first: bool = True  # first piece on its line
    bullet: bool = False

    @property
    def raw(self) -> str:
        return f"{self.code} {self.text}" if self.code else self.text


@dataclass(slots=True)
class _Cell:
    """A cell being read: its name lines, its bullet details, and where its text stopped."""

    column: int
    code: str
    page: int
    name: list[str] = field(default_factory=list)
    details: list[list[str]] = field(default_factory=list)
    last: str = ""
    last_first: bool = True
    page_split: bool = False

    @property
    def text(self) -> str:
        return join_fragments(self.name)

    def opens_list(self) -> bool:
        return self.column in (KNOWLEDGE, SKILL) and (bool(self.details) or self.text.endswith(("：", ":")))


@dataclass(slots=True)
class _Region:
    """The tasks under one merged 職能級別 / K / S cell."""

    level: int | None
    explicit: bool = False
    knowledge: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    """A 工作活動 row: its task cell, output and indicator cells, and region."""

    cell: _Cell
    region: _Region
    outputs: list[_Cell] = field(default_factory=list)
    indicators: list[_Cell] = field(default_factory=list)


def _pieces(lines: list[str], start: int, end: int) -> Iterator[_Piece]:
    """The pieces of table lines [start, end), page headers as "page" pieces, footers skipped."""
    in_header = False
    for index in range(start, end):
        line = lines[index].strip()
        if not line or _FOOTER.match(line):
            continue
        if _TABLE_HEADER.match(line):
            in_header = True
            yield _Piece(index + 1, "page")
            continue
        if in_header and _HEADER_LABEL.match(line.replace(" ", "")):
            continue
        in_header = False
        bullet = _BULLET.match(line)
        if bullet:
            line = line[bullet.end() :]
        pieces: list[_Piece] = []
        position = 0
        for match in [*_TOKEN.finditer(line), None]:
            before = line[position : match.start() if match else len(line)]
            parts = _cells(before)
            if pieces and pieces[-1].kind == "code" and parts:
                pieces[-1].text = parts.pop(0)
            pieces += [_Piece(index + 1, "text", text=part) for part in parts]
            if match:
                kind = "code" if match.group("code") else "level"
                pieces.append(_Piece(index + 1, kind, code=match.group("code") or match.group("level")))
                position = match.end()
        for number, piece in enumerate(pieces):
            piece.first = number == 0
        if pieces and bullet and pieces[0].kind == "text":
            pieces[0].bullet = True
        yield from pieces


class _Table:
    """Reads the pieces of the content table into duties, tasks, blocks and K/S cells."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.duties: list[tuple[_Cell, list[_Row]]] = []
        self.items: list[_Cell] = []
        self.region: _Region | None = None
        self.row: _Row | None = None
        self.current: _Cell | None = None
        self.column = -1
        self.page = 0
        self.open: dict[int, _Cell] = {}
        self.pending: dict[int, _Cell] = {}
        self.page_lines: dict[int, set[int]] = {column: set() for column in range(7)}
        self.capacity: dict[tuple[int, bool], int] = {}

    def fail(self, piece: _Piece, message: str) -> ParseError:
        return ParseError(self.source, f"line {piece.line}", message)

    def feed(self, piece: _Piece, following: _Piece | None) -> None:
        if piece.kind == "page":
            self.page_break()
        elif not self.duties and not (piece.kind == "code" and re.fullmatch(r"T\d+", piece.code)):
            raise self.fail(piece, f"{piece.code or repr(piece.text)} before any duty (工作任務 T1)")
        elif piece.kind == "code":
            self.code(piece, following)
        elif piece.kind == "level" and self.column <= INDICATOR:
            self.level(piece)
        else:
            self.add(self.target(piece), piece)

    def page_break(self) -> None:
        """A page header: the open cells within one line of the tallest of their group may continue."""
        self.page += 1
        self.pending = {}
        for group in (_ROW_COLUMNS, _MERGED_COLUMNS):
            tallest = max(len(self.page_lines[column]) for column in group)
            for column in group:
                if column in self.open and tallest and len(self.page_lines[column]) >= tallest - 1:
                    self.pending[column] = self.open[column]
        for lines in self.page_lines.values():
            lines.clear()
        self.column = -1

    def code(self, piece: _Piece, following: _Piece | None) -> None:
        letter = piece.code[0]
        if letter == "T" and "." not in piece.code:
            cell = self.start(DUTY, piece)
            self.duties.append((cell, []))
            self.region = _Region(self.region.level if self.region else None)
            self.row = None
            self.open, self.pending = {DUTY: cell}, {}
            return
        region = self.region
        assert region is not None  # a duty exists
        if letter == "T":
            for column in _ROW_COLUMNS:
                self.open.pop(column, None)
                self.page_lines[column].clear()
            self.pending = {}
            self.row = _Row(self.start(TASK, piece), region)
            self.duties[-1][1].append(self.row)
        elif letter in "OP":
            if self.row is None:
                raise self.fail(piece, f"{piece.code} before any task (工作活動)")
            if letter == "O" or self.output_like(piece, following):
                self.row.outputs.append(self.start(OUTPUT, piece))
            else:
                self.row.indicators.append(self.start(INDICATOR, piece))
        else:
            in_skills = letter == "S" or self.column == SKILL
            self.items.append(self.start(SKILL if in_skills else KNOWLEDGE, piece))
            (region.skills if in_skills else region.knowledge).append(piece.code)

    def output_like(self, piece: _Piece, following: _Piece | None) -> bool:
        """A P cell in the narrow 工作產出 column: ≤ 3 characters, then a continuation line."""
        return (
            self.column < INDICATOR
            and 0 < len(piece.text) <= 3
            and following is not None
            and following.kind == "text"
            and following.first
            and not following.bullet
        )

    def level(self, piece: _Piece) -> None:
        """A 職能級別 cell: it opens a region that includes the task of its row."""
        assert self.region is not None
        if self.region.explicit:
            self.region = _Region(None)
            if self.row is not None:
                self.row.region = self.region
            for column in (KNOWLEDGE, SKILL):
                self.open.pop(column, None)
                self.pending.pop(column, None)
                self.page_lines[column].clear()
        self.region.level, self.region.explicit = int(piece.code), True
        self.column = LEVEL

    def start(self, column: int, piece: _Piece) -> _Cell:
        cell = _Cell(column, piece.code, self.page)
        self.open[column] = cell
        self.pending = {c: pending for c, pending in self.pending.items() if c > column}
        self.add(cell, piece)
        return cell

    def add(self, cell: _Cell, piece: _Piece) -> None:
        text = piece.text if piece.kind != "level" else piece.code
        first = not cell.name and not cell.details
        if cell.page != self.page:
            cell.page, cell.page_split = self.page, True
        if piece.bullet and cell.column in (KNOWLEDGE, SKILL):
            cell.details.append([text])
        elif cell.details:
            cell.details[-1].append(text)
        elif cell.opens_list() and piece.kind == "text":
            cell.details.append([text])
        else:
            cell.name.append(text)
        cell.last, cell.last_first = piece.raw, first
        self.measure(cell)
        self.page_lines[cell.column].add(piece.line)
        self.current, self.column = cell, cell.column

    def measure(self, cell: _Cell) -> None:
        key = (cell.column, cell.last_first)
        self.capacity[key] = max(self.capacity.get(key, 0), display_width(cell.last))

    def full(self, cell: _Cell) -> bool:
        """True when the cell's last line fills its column, so the cell was wrapped there."""
        widest = self.capacity.get((cell.column, cell.last_first), 0)
        return display_width(cell.last) >= _FULL * widest

    def fits(self, text: str, column: int) -> bool:
        widest = self.capacity.get((column, False)) or self.capacity.get((column, True))
        return widest is None or display_width(text) <= widest + 2

    def target(self, piece: _Piece) -> _Cell:
        """The cell a piece without a code continues (see the module docstring)."""
        current = self.current
        assert current is not None  # a duty exists
        if not self.pending:
            return current
        if piece.bullet:
            if not current.opens_list() or self.column < 0:
                for column, cell in self.pending.items():
                    if column > self.column and column in (KNOWLEDGE, SKILL):
                        return self.take(cell)
            return current
        if piece.first and self.column >= 0 and self.full(current) and self.fits(piece.text, current.column):
            return current
        for column, cell in sorted(self.pending.items()):
            if column > self.column and self.full(cell) and self.fits(piece.text, column):
                return self.take(cell)
        return current

    def take(self, cell: _Cell) -> _Cell:
        self.pending = {c: pending for c, pending in self.pending.items() if c > cell.column}
        return cell

    def build(self) -> tuple[list[Duty], list[Item], list[Item]]:
        """The duties with their tasks and blocks, and the K and S items by column written in."""
        duties = []
        for duty, rows in self.duties:
            tasks = []
            for row in rows:
                block = Block(
                    level=row.region.level,
                    indicators=[Indicator(c.code, c.text, c.page_split) for c in row.indicators],
                    outputs=[Output(c.code, c.text, c.page_split) for c in row.outputs],
                    knowledge=list(row.region.knowledge),
                    skills=list(row.region.skills),
                )
                tasks.append(Task(row.cell.code, row.cell.text, [block], row.cell.page_split))
            duties.append(Duty(duty.code, duty.text, tasks, duty.page_split))
        return duties, self.distinct(KNOWLEDGE), self.distinct(SKILL)

    def distinct(self, column: int) -> list[Item]:
        """Each (code, name) of a column once, in order of first appearance."""
        items: dict[tuple[str, str], Item] = {}
        for cell in self.items:
            if cell.column == column:
                details = [join_fragments(lines) for lines in cell.details]
                items.setdefault((cell.code, cell.text), Item(cell.code, cell.text, details, cell.page_split))
        return list(items.values())


def _attitudes(lines: list[str]) -> list[Item]:
    """職能內涵（A=attitude態度）: `A01 name` items, wrapped lines joined.

    Lines before the first code, page headers and footers are not attitude text and are skipped.
    """
    items: list[Item] = []
    for raw in lines:
        line = raw.strip()
        if match := _ATTITUDE.match(line):
            items.append(Item(match.group(1), match.group(2).strip()))
        elif line and items and not (_FOOTER.match(line) or _TABLE_HEADER.match(line)):
            items[-1].name = join_fragments([items[-1].name, line])
    return items


def _notes(lines: list[str]) -> tuple[list[str], list[str]]:
    """說明與補充事項: bulleted entries, wrapped lines joined.

    A bullet of another glyph than the first entry's is a sub-bullet: it continues the entry
    above after a space (基準更新紀錄 and its record).

    The entry 建議擔任此職類/職業之學歷/經歷/或能力條件 gives the prerequisites (its text after
    the colon); every other entry is a supplement, as written.
    """
    entries: list[str] = []
    glyph = ""
    for raw in lines:
        line = raw.strip()
        if not line or _FOOTER.match(line):
            continue
        bullet = _BULLET.match(line)
        text = line[bullet.end() :] if bullet else line
        if bullet and (not glyph or line[0] == glyph or not entries):
            glyph = glyph or line[0]
            entries.append(text)
        elif bullet:
            entries[-1] += " " + text
        elif entries:
            entries[-1] = join_fragments([entries[-1], text])
        else:
            entries.append(text)
    prerequisites, supplements = [], []
    for entry in entries:
        if match := _PREREQUISITE.match(entry):
            prerequisites.append(match.group(1))
        else:
            supplements.append(entry)
    return prerequisites, supplements


class TextTasksReader:
    """The older layout: its table header is 工作任務 工作活動 工作產出 行為指標 (no 主要職責 row)."""

    name = "text-tasks"

    def accepts(self, text: str) -> bool:
        """True when a table header line names 工作活動 and no tab-separated 主要職責 row exists."""
        has_table = any(_TABLE_HEADER.match(line) for line in text.splitlines())
        return has_table and not _NEWER_HEADER.search(text)

    def read(self, text: str, source: str) -> Standard:
        """The standard, or `ParseError` naming the line: no table, no duty, a code before its duty."""
        lines = text.splitlines()
        standard, start = read_header(lines, source)
        first = next((i for i in range(start, len(lines)) if _TABLE_HEADER.match(lines[i])), None)
        if first is None:
            raise ParseError(source, f"line {len(lines)}", "no content table (工作任務 工作活動 工作產出 行為指標)")
        marks = [i for i in range(first, len(lines)) if _ATTITUDES.match(lines[i].strip())]
        notes = [i for i in range(first, len(lines)) if _SUPPLEMENTS.match(lines[i].strip())]
        end = min([*marks, *notes, len(lines)])
        table = _Table(source)
        pieces = list(_pieces(lines, first, end))
        for piece, following in zip(pieces, [*pieces[1:], None], strict=True):
            table.feed(piece, following)
        if not table.duties:
            raise ParseError(source, f"line {end}", "the content table has no duty (工作任務 T1)")
        standard.duties, standard.knowledge, standard.skills = table.build()
        notes_start = notes[0] if notes else len(lines)
        if marks and marks[0] < notes_start:
            standard.attitudes = _attitudes(lines[marks[0] + 1 : notes_start])
        if notes:
            standard.prerequisites, standard.supplements = _notes(lines[notes[0] + 1 :])
        return standard


reader = TextTasksReader()
