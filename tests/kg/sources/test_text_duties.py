"""The newer text layout (主要職責 → 工作任務), read from the real IIS3513-006v4 document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.model import Block, Standard, Task, Version
from kg.sources.reader import ParseError
from kg.sources.text_duties import reader

STANDARDS = Path(__file__).parents[3] / "data" / "standards"
NEWER = STANDARDS / "000_6c291be856d92341.txt"
OLDER = STANDARDS / "001_6807fc9a01f5ae4e.txt"


@pytest.fixture(scope="module")
def text() -> str:
    return NEWER.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def standard(text: str) -> Standard:
    return reader.read(text, str(NEWER))


def task(standard: Standard, code: str) -> Task:
    (found,) = [t for t in standard.tasks() if t.code == code]
    return found


def only_block(standard: Standard, code: str) -> Block:
    (block,) = task(standard, code).blocks
    return block


def line_number(text: str, fragment: str) -> int:
    """1-based number of the only line holding `fragment`."""
    (number,) = [i for i, line in enumerate(text.split("\n"), 1) if fragment in line]
    return number


def replace_line(text: str, number: int, line: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = line
    return "\n".join(lines)


# --- accepts -------------------------------------------------------------------------


def test_accepts_decides_by_content(text: str) -> None:
    assert reader.name == "text-duties"
    assert reader.accepts(text)
    assert not reader.accepts(OLDER.read_text(encoding="utf-8"))
    assert not reader.accepts('{"ocs_profile": {"ocs_code": "IIS3513-006v4"}, "ocs_content": {}}')


# --- header and version table ----------------------------------------------------------


def test_header_comes_from_read_header(standard: Standard) -> None:
    assert (standard.code, standard.name, standard.level) == ("IIS3513-006v4", "電子商務系統規劃人員", 4)
    assert standard.source == str(NEWER)


def test_version_table(standard: Standard) -> None:
    assert [v.version for v in standard.versions] == ["V4", "V3", "V2", "V1"]
    assert standard.versions[0] == Version(
        "V4", "IIS3513-006v4", "電子商務系統規劃人員", "最新版本", "略", "2025/06/15"
    )
    assert standard.versions[3] == Version(
        "V1", "IIS3513-006v1", "電子商務網路協調人員", "歷史版本", "已被《IIS3513-006v2》取代", "2017/10/31"
    )


# --- content table ---------------------------------------------------------------------


def test_duties_and_their_tasks(standard: Standard) -> None:
    assert {d.code: [t.code for t in d.tasks] for d in standard.duties} == {
        "T1": ["T1.1", "T1.2", "T1.3", "T1.4"],
        "T2": ["T2.1", "T2.2", "T2.3", "T2.4"],
        "T3": ["T3.1", "T3.2", "T3.3", "T3.4", "T3.5", "T3.6"],
        "T4": ["T4.1", "T4.2", "T4.3", "T4.4", "T4.5"],
        "T5": ["T5.1", "T5.2"],
    }
    assert standard.duties[4].name == "規劃雲端服務佈署的安全、隱私與符合性"


def test_every_task_code_of_the_file_is_read_once(text: str, standard: Standard) -> None:
    written = re.findall(r"^[^\t]*\t(T\d+\.\d+) ", text, re.MULTILINE)
    assert [t.code for t in standard.tasks()] == written


def test_indicators_of_the_file_are_read_in_order(text: str, standard: Standard) -> None:
    written = re.findall(r"(?:^|[\s>])(P\d+\.\d+\.\d+) ", text, re.MULTILINE)
    assert [i.code for b in standard.blocks() for i in b.indicators] == written


def test_task_names_continued_across_a_page_break(standard: Standard) -> None:
    assert task(standard, "T3.5").name == "測試與執行資料倉儲效料倉儲"
    assert task(standard, "T4.3").name == "測試廠商產品與設備"
    assert task(standard, "T5.2").name == "規劃企業雲端 隱私與法 規遵守"
    assert task(standard, "T3.5").page_split


def test_outputs_continued_across_a_page_break(standard: Standard) -> None:
    assert [(o.code, o.name) for o in only_block(standard, "T3.5").outputs] == [("O3.5.1", "資料倉儲效能水準紀錄")]
    assert [(o.code, o.name) for o in only_block(standard, "T4.3").outputs] == [("O4.3.1", "產品與設備測試紀錄")]
    assert only_block(standard, "T1.1").outputs == []


def test_page_split_is_set_on_exactly_the_continued_items(standard: Standard) -> None:
    blocks = standard.blocks()
    flagged = (
        [d.code for d in standard.duties if d.page_split]
        + [t.code for t in standard.tasks() if t.page_split]
        + [o.code for b in blocks for o in b.outputs if o.page_split]
        + [i.code for b in blocks for i in b.indicators if i.page_split]
        + [k.code for k in standard.knowledge + standard.skills + standard.attitudes if k.page_split]
    )
    assert sorted(flagged) == ["O3.5.1", "O4.3.1", "T3.5", "T4.3", "T5.2"]


def test_continuation_rows_fill_the_current_block(standard: Standard) -> None:
    t11 = only_block(standard, "T1.1")
    assert [i.code for i in t11.indicators] == ["P1.1.1", "P1.1.2", "P1.1.3", "P1.1.4", "P1.1.5"]
    assert t11.indicators[4].text == "研究電子商務相關的法律及道德議題。"
    assert only_block(standard, "T2.4").skills == ["S01", "S05", "S06", "S07"]
    t35 = only_block(standard, "T3.5")
    assert [i.code for i in t35.indicators] == ["P3.5.1", "P3.5.2", "P3.5.3", "P3.5.4"]
    assert t35.knowledge == ["K11", "K12", "K13", "K14"]


def test_tags_are_stripped_from_tagged_cells(standard: Standard) -> None:
    t21 = only_block(standard, "T2.1")
    assert t21.indicators[0].text == "分析與檢視軟體開發規格，決定開發建置背景、標準與方法。"
    assert t21.knowledge == ["K03", "K04", "K05"]
    assert only_block(standard, "T1.4").indicators[3].code == "P1.4.4"


def test_levels(standard: Standard) -> None:
    assert only_block(standard, "T1.1").level == 4
    assert only_block(standard, "T2.3").level == 3
    assert only_block(standard, "T4.3").level == 3
    assert all(len(t.blocks) == 1 for t in standard.tasks())


def test_knowledge_and_skills_listed_once_in_order_of_first_citation(text: str, standard: Standard) -> None:
    for letter, items in (("K", standard.knowledge), ("S", standard.skills)):
        written = list(dict.fromkeys(re.findall(rf"(?:^|[\s>])({letter}\d\d) ", text, re.MULTILINE)))
        assert [item.code for item in items] == written
    assert [k.code for k in standard.knowledge] == [f"K{n:02}" for n in range(1, 28)]
    assert [s.code for s in standard.skills] == [f"S{n:02}" for n in range(1, 13)]
    assert standard.knowledge[4].name == "軟體開發生命週期 (SDLC) 方法"
    assert standard.skills[11].name == "文書處理能力"


def test_block_cites_codes_in_source_order(standard: Standard) -> None:
    assert only_block(standard, "T4.3").skills == ["S04", "S02", "S03", "S05", "S12"]


# --- attitudes and notes ---------------------------------------------------------------


def test_attitudes(standard: Standard) -> None:
    assert [a.code for a in standard.attitudes] == [f"A{n:02}" for n in range(1, 9)]
    assert standard.attitudes[0].name == (
        "親和關係：對他人表現理解、友善、同理心、關心和禮貌，並能與不同背景的人發展及維持良好關係。"
    )


def test_prerequisites_and_supplements(standard: Standard) -> None:
    assert standard.prerequisites == [
        "(以下擇一)",
        "大學以上資訊、商管相關科系畢業且具備 2 年以上電子商務相關工作經驗。",
        "大專以上且具備 4 年以上電子商務相關工作經驗。",
    ]
    (supplement,) = standard.supplements
    assert supplement.startswith("資料倉儲 (data warehouse · 也稱為企業資料倉儲) : 是用於報告")
    assert supplement.endswith("用於為整個企業的員工建立分析報告。")


# --- the layout's rules, on small edits of the real document ---------------------------


def test_continuation_row_with_another_level_starts_a_new_block(text: str) -> None:
    number = line_number(text, "P1.1.4 ")
    standard = reader.read(replace_line(text, number, "\t\t\tP1.1.4 進行資源分析。\t3\tK02 x\tK01 y"), "edited")
    first, second = task(standard, "T1.1").blocks
    assert (first.level, second.level) == (4, 3)
    assert [i.code for i in second.indicators] == ["P1.1.4"]
    assert (second.knowledge, second.skills) == (["K02"], ["K01"])
    assert ("K01", "y") in [(s.code, s.name) for s in standard.skills]


def test_row_with_several_task_codes_shares_its_block(text: str) -> None:
    edited = text.replace("\tT2.2 準備開發建置環境\t", "\tT2.2 準備開發建置環境 T2.9 另一任務\t")
    t22, t29 = reader.read(edited, "edited").duties[1].tasks[1:3]
    assert (t22.code, t22.name, t29.code, t29.name) == ("T2.2", "準備開發建置環境", "T2.9", "另一任務")
    assert t22.blocks == t29.blocks and t22.blocks[0] is t29.blocks[0]
    assert [i.code for i in t29.blocks[0].indicators] == ["P2.2.1", "P2.2.2", "P2.2.3"]


def test_table_cut_mid_row_is_read(text: str) -> None:
    cut = text.index("P5.2.1 ") + len("P5.2.1 找出")
    standard = reader.read(text[:cut], "cut")
    assert only_block(standard, "T5.2").indicators[-1].text == "找出"
    assert standard.attitudes == [] and standard.prerequisites == []


# --- errors ----------------------------------------------------------------------------


def test_header_only_document_fails_with_a_line(text: str) -> None:
    header = "\n".join(text.split("\n")[: line_number(text, "基準級別")])
    with pytest.raises(ParseError, match="no content table") as error:
        reader.read(header, "header-only")
    assert error.value.where == f"line {len(header.split(chr(10)))}"


def test_table_without_duties_fails(text: str) -> None:
    table = next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith("主要職責\t"))
    with pytest.raises(ParseError, match="no duty") as error:
        reader.read("\n".join(text.split("\n")[:table]), "no-duties")
    assert error.value.where == f"line {table}"


def test_non_digit_level_fails_with_its_line(text: str) -> None:
    number = line_number(text, "\tT2.3 ")
    edited = replace_line(text, number, text.split("\n")[number - 1].replace("\t3\t", "\t三\t"))
    with pytest.raises(ParseError, match="not a digit") as error:
        reader.read(edited, "level")
    assert (error.value.source, error.value.where) == ("level", f"line {number}")


def test_first_task_without_duty_fails_with_its_line(text: str) -> None:
    number = line_number(text, "T1 研究與設計電子商務解決方案\t")
    without_duty = "\t" + text.split("\n")[number - 1].split("\t", 1)[1]
    edited = replace_line(text, number, without_duty)
    with pytest.raises(ParseError, match="no duty") as error:
        reader.read(edited, "orphan")
    assert error.value.where == f"line {number}"


def test_any_truncation_reads_or_raises_parse_error(text: str) -> None:
    for cut in range(0, len(text), 11):
        try:
            reader.read(text[:cut], "cut")
        except ParseError as error:
            assert re.fullmatch(r"line \d+", error.where)
