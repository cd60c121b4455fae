"""The older text layout (工作任務 → 工作活動), read from the real IIS3513-005 document."""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kg.labels import is_wide
from kg.model import Block, Item, Standard, Task
from kg.sources.reader import ParseError
from kg.sources.text_tasks import reader

STANDARDS = Path(__file__).parents[3] / "data" / "standards"
OLDER = STANDARDS / "001_6807fc9a01f5ae4e.txt"
NEWER = STANDARDS / "000_6c291be856d92341.txt"

# A code at the start of a line or after whitespace, as the self-checks scan for it.
CODE = r"T\d+(?:\.\d+)?|[OP]\d+\.\d+\.\d+|[KSA]\d+"
SCANNED_CODE = re.compile(rf"(?<!\S)({CODE})")
# What the table writes besides text: codes (with the trailing dot of `P4.1.1.`) and level digits.
MARKUP = re.compile(rf"(?<!\S)(?:[1-9](?=\s+K\d)|(?:{CODE})\.?)")
HEADER_LINES = {"工作任務工作活動工作產出行為指標", "職能", "級別", "職能內涵", "(K=knowledge知識)", "(S=skills技能)"}
FOOTER = re.compile(r"^第\s*\d+\s*頁，總共\s*\d+\s*頁$")


@pytest.fixture(scope="module")
def text() -> str:
    return OLDER.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def standard(text: str) -> Standard:
    return reader.read(text, str(OLDER))


def task(standard: Standard, code: str) -> Task:
    (found,) = [t for t in standard.tasks() if t.code == code]
    return found


def block(standard: Standard, code: str) -> Block:
    (only,) = task(standard, code).blocks
    return only


def item(items: list[Item], code: str) -> Item:
    (found,) = [i for i in items if i.code == code]
    return found


def section(text: str, start: str, end: str) -> list[str]:
    """The lines from the first one starting with `start` to the first one starting with `end`."""
    lines = [line.strip() for line in text.splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i, line in enumerate(lines) if line.startswith(end))
    return lines[first:last]


def content_lines(text: str) -> list[str]:
    """The table and attitude lines, without page headers and footers."""
    lines = section(text, "工作任務 工作活動", "說明與補充事項")
    return [line for line in lines if line.replace(" ", "") not in HEADER_LINES and not FOOTER.match(line)]


def model_codes(standard: Standard) -> list[str]:
    codes = [d.code for d in standard.duties] + [t.code for t in standard.tasks()]
    for b in standard.blocks():
        codes += [o.code for o in b.outputs] + [i.code for i in b.indicators]
    return codes + [i.code for i in standard.knowledge + standard.skills + standard.attitudes]


def model_texts(standard: Standard) -> list[str]:
    texts = [d.name for d in standard.duties] + [t.name for t in standard.tasks()]
    for b in standard.blocks():
        texts += [o.name for o in b.outputs] + [i.text for i in b.indicators]
    for i in standard.knowledge + standard.skills + standard.attitudes:
        texts += [i.name, *i.details]
    return texts


def test_accepts_by_content(text: str) -> None:
    assert reader.name == "text-tasks"
    assert reader.accepts(text)
    assert not reader.accepts(NEWER.read_text(encoding="utf-8"))
    assert not reader.accepts(json.dumps({"table": "工作任務 工作活動 工作產出 行為指標"}, ensure_ascii=False))
    assert not reader.accepts("")


def test_header(standard: Standard) -> None:
    assert standard.code == "IIS3513-005"
    assert standard.name == "零售電子商務人員"
    assert standard.level == 3
    assert standard.versions == []


def test_duties_and_tasks(standard: Standard) -> None:
    tasks = {d.code: [t.code for t in d.tasks] for d in standard.duties}
    assert tasks == {
        "T1": ["T1.1", "T1.2", "T1.3", "T1.4"],
        "T2": ["T2.1", "T2.2", "T2.3", "T2.4"],
        "T3": ["T3.1", "T3.2", "T3.3"],
        "T4": ["T4.1", "T4.2"],
        "T5": ["T5.1", "T5.2", "T5.3", "T5.4"],
        "T6": ["T6.1", "T6.2", "T6.3", "T6.4"],
    }
    names = [d.name for d in standard.duties]
    assert names[0] == "使用資訊系統進行零售電子商務運作"
    assert names[4] == "管理B to B 電子商務解決方案"
    assert task(standard, "T1.4").name == "建立用以檢查/更新信用的業務程序"
    assert task(standard, "T6.3").name == "監測和審查電子商務應用和技術"


def test_levels_per_task(standard: Standard) -> None:
    levels = {t.code: [b.level for b in t.blocks] for t in standard.tasks()}
    expected = {"T1": 3, "T2": 4, "T3": 4, "T4": 3, "T5": 3, "T6": 4}
    assert levels == {t.code: [expected[t.code.split(".")[0]]] for t in standard.tasks()}


def test_blocks_cite_the_items_of_their_region(standard: Standard) -> None:
    assert block(standard, "T1.4").knowledge == ["K1", "K2", "K3", "K4"]
    assert block(standard, "T1.1").skills == ["S1", "S2", "S3"]
    assert block(standard, "T2.4").skills == ["S4", "S5", "S6"]
    assert block(standard, "T3.2").skills == ["S7", "K15", "K16"]
    assert block(standard, "T5.3").knowledge == [f"K{n}" for n in range(29, 37)]
    assert block(standard, "T5.4").knowledge == [f"K{n}" for n in range(37, 45)]
    assert block(standard, "T5.4").skills == ["S16", "S17", "S18", "S19"]
    assert block(standard, "T6.4").skills == ["S20", "S21", "S22"]


def test_knowledge_written_in_the_skill_column_stays_there(standard: Standard) -> None:
    assert [i.code for i in standard.knowledge] == [f"K{n}" for n in range(1, 55) if n not in (15, 16)]
    skill_codes = [i.code for i in standard.skills]
    assert skill_codes[6:9] == ["S7", "K15", "K16"]
    assert len(standard.skills) == 24
    assert item(standard.skills, "K15").name == "識字和計算技能，以處理和記錄信息"
    assert item(standard.skills, "K16").details == ["應用和使用硬體和軟體", "使用銷售資訊管理系統"]


def test_p_code_in_the_output_column(standard: Standard) -> None:
    b = block(standard, "T6.2")
    assert [(o.code, o.name) for o in b.outputs] == [("P6.2.1", "建立當前零售業務的性能要求")]
    assert [i.code for i in b.indicators] == ["P6.2.1", "P6.2.2", "P6.2.3", "P6.2.4", "P6.2.5"]
    assert b.indicators[0].text == "電子商務的應用和完整相關流程"


def test_outputs(standard: Standard) -> None:
    outputs = {o.code: o.name for b in standard.blocks() for o in b.outputs}
    assert outputs["O1.3.1"] == "根據業務流程，提交帳戶報告"
    assert outputs["O1.4.2"] == "依特定的業務程序，建立銀行文件和報告"
    assert outputs["O4.1.1"] == "建立互聯網上的經營宗旨"


def test_code_with_a_trailing_dot(standard: Standard) -> None:
    first = block(standard, "T4.1").indicators[0]
    assert (first.code, first.text) == ("P4.1.1", "建立網際網路上的經營宗旨")
    assert block(standard, "T2.1").indicators[0].text == "確認需運用資訊科技來跟客戶溝通的組織訊息"


def test_page_splits_are_joined_and_flagged(standard: Standard) -> None:
    p332 = block(standard, "T3.3").indicators[1]
    assert (p332.code, p332.text, p332.page_split) == (
        "P3.3.2",
        "根據原廠規格和店內程序，監控、執行硬體和軟體系統的維護計劃",
        True,
    )
    p4110 = block(standard, "T4.1").indicators[-1]
    assert (p4110.text, p4110.page_split) == ("衡量正在進行的品牌價值和成功指標", True)
    assert item(standard.knowledge, "K25").name == "研究和分析品牌資產和客戶價值技術和程序"
    assert item(standard.knowledge, "K25").page_split
    assert item(standard.knowledge, "K4").name == "資訊科技和電子商務相關的法律和法規"
    t54 = task(standard, "T5.4")
    assert (t54.name, t54.page_split) == ("建立客戶協議和核准程序", True)
    b54 = block(standard, "T5.4")
    assert [(o.name, o.page_split) for o in b54.outputs] == [("建立客戶協議和訪問過程", True)]
    assert b54.indicators[0].text == "建立客戶協議和程序，包括訊息、技術、安全、和第三方支付"
    assert b54.indicators[0].page_split
    k37 = item(standard.knowledge, "K37")
    assert (k37.name, k37.page_split) == ("業務政策和程序方面 :", True)
    assert k37.details[0] == "工作角色和職責"
    s16 = item(standard.skills, "S16")
    assert s16.details[0] == "通過明確和直接的利益相關者的溝通和系統用戶諮詢"
    assert item(standard.knowledge, "K44").details == []
    assert item(standard.skills, "S11").details[0] == "確定品牌和銷售或服務目標之間的關係"
    assert item(standard.skills, "S22").details[-1] == "審查採用電子商務應用和方法"
    assert not item(standard.knowledge, "K1").page_split


def test_stray_text_is_kept(standard: Standard) -> None:
    k30 = item(standard.knowledge, "K30")
    assert (k30.name, k30.page_split) == ("電子商務系統和軟體知識技能", True)


def test_item_names_and_details(standard: Standard) -> None:
    k1 = item(standard.knowledge, "K1")
    assert k1.name == "組織的下列政策和程序："
    assert k1.details == ["業務技術和營運要求", "數據和數據處理要求", "數據、硬體或記錄系統的儲存和安全性"]
    assert item(standard.skills, "S2").name == "讀寫技能："
    assert item(standard.skills, "S2").details == [
        "解釋業務政策和程序",
        "解讀原廠手冊和說明書",
        "產出報告",
        "輸入數據",
        "分析數據",
    ]
    assert item(standard.skills, "S3").name == "解決問題的技能，以解決不完整的信用資訊或未解決的交易的流程"
    assert item(standard.knowledge, "K13").details[0] == "有效和可持續地使用資源"
    assert item(standard.skills, "S14").details == ["採用適當的技術來實現系統和業務成果"]


def test_attitudes_and_notes(standard: Standard) -> None:
    assert [a.code for a in standard.attitudes] == ["A01", "A02", "A03", "A04", "A05"]
    assert standard.attitudes[0].name.startswith("追求卓越：會為自己設定")
    assert standard.prerequisites == ["大專(學)以上且具相關工作經歷 3-5 年。"]
    assert standard.supplements[0] == "此項職能基準乃參考國外職能資料發展並經國內專家本土化及檢視完成。"
    assert standard.supplements[1].startswith("基準更新紀錄 因應 2017/05/25 公告")
    assert len(standard.supplements) == 2


def test_every_scanned_code_is_one_model_object(text: str, standard: Standard) -> None:
    scanned = Counter(m.group(1) for line in content_lines(text) for m in SCANNED_CODE.finditer(line))
    assert sum(scanned.values()) == 6 + 21 + 5 + 113 + 54 + 22 + 5
    assert Counter(model_codes(standard)) == scanned


def test_indicators_start_with_their_first_line(text: str, standard: Standard) -> None:
    parsed: dict[str, list[str]] = {}
    for b in standard.blocks():
        for code, value in [(o.code, o.name) for o in b.outputs] + [(i.code, i.text) for i in b.indicators]:
            parsed.setdefault(code, []).append(value)
    checked = 0
    for line in content_lines(text):
        for match in re.finditer(r"(?<!\S)(P\d+\.\d+\.\d+)\.?\s*", line):
            rest = line[match.end() :]
            first = re.split(r"\s+(?=[OPKST]\d|\d\s+[KS]\d)", rest)[0].strip()
            assert any(value.startswith(first) for value in parsed[match.group(1)]), match.group(1)
            checked += 1
    assert checked == sum(len(b.indicators) for b in standard.blocks()) + 1


def test_no_character_is_lost(text: str, standard: Standard) -> None:
    lines = [line for line in content_lines(text) if not line.startswith("職能內涵（A")]
    parsed = Counter(char for value in model_texts(standard) for char in value if not char.isspace())
    cjk = Counter(char for line in lines for char in line if is_wide(char))
    assert Counter({char: n for char, n in parsed.items() if is_wide(char)}) == cjk
    # Every other character too, once the markup and the bullets are taken out.
    source = Counter(char for line in lines for char in MARKUP.sub("", line) if not char.isspace() and char != "\uf06e")
    assert parsed == source


def lines_of(text: str, count: int) -> str:
    return "\n".join(text.splitlines()[:count])


def test_no_content_table(text: str) -> None:
    with pytest.raises(ParseError, match="no content table") as error:
        reader.read(lines_of(text, 25), "cut.txt")
    assert error.value.where == "line 25"


def test_cut_before_the_first_duty(text: str) -> None:
    with pytest.raises(ParseError, match="no duty") as error:
        reader.read(lines_of(text, 40), "cut.txt")
    assert error.value.where == "line 40"


def test_task_before_any_duty(text: str) -> None:
    broken = lines_of(text, 40) + "\nT1.1 確認管理電子\n"
    with pytest.raises(ParseError, match="before any duty") as error:
        reader.read(broken, "broken.txt")
    assert error.value.where == "line 41"


def test_any_cut_reads_or_raises_parse_error(text: str) -> None:
    lines = text.splitlines()
    for count in range(0, len(lines), 3):
        with contextlib.suppress(ParseError):
            reader.read("\n".join(lines[:count]), "cut.txt")


def test_odd_input_raises_parse_error() -> None:
    for odd in ["", "{}", "職能基準代碼 X\n基準級別 3\n工作任務 工作活動 工作產出 行為指標\n3\nK1 x"]:
        with pytest.raises(ParseError):
            reader.read(odd, "odd.txt")
