"""A synthetic corpus of competency standards shaped like the shipped ones, for benchmarks.

    .venv/bin/python bench/synthetic.py --count 1000 --seed 1 --out /tmp/corpus

`generate(count, seed, out_dir)` writes `count` standards, one file each, in the corpus
JSON format that `kg.sources.corpus_json` reads (the layout of `data/corpus/*.json`), so
the real pipeline — parse → map → validate → load — is what a benchmark measures. The
same `count` and `seed` always give the same files. `documents(count, seed)` yields the
JSON objects without writing them; `shape(standards)` measures a parsed corpus.

Every figure below was measured on the 52 shipped standards (`data/`, parsed with
`kg.build.build`); the histograms are the constants of this module, and each
standard, duty, task and block draws its counts from them:

| per | measured (mean; range) |
| --- | --- |
| standard: duties | 3.56; 1–7 |
| duty: tasks | 2.60; 1–14 |
| task: competency blocks | 1.04; 1–2 |
| block: indicators / outputs | 2.78; 1–15 / 1.06; 0–10 |
| block: K / S codes cited | 4.56; 0–17 / 4.32; 0–14 |
| standard: distinct K / S / A items | 19.6; 1–52 / 17.7; 1–58 / 7.35; 0–16 |
| standard: level | 3 (48 %), 4 (48 %), 5 (4 %) |
| block level − standard level | −1 (47 %), 0 (46 %), −2, −3, +1 (7 %) |
| standard: version-table rows | 0 (33 %), 2–5 (mean 2.02) |
| standard: job categories / occupations / industries | 1–4 / 1–2 / 1–6 entries |

Label reuse (how often an item's label recurs in another standard, per standard's
distinct normalised labels): knowledge 947 distinct labels in 1,012 uses, 11 % of uses
in two or more standards (top: 職業安全衛生相關規範 in 9); skills 759 in 911, 26 %
(溝通協調能力 in 18); attitudes 105 in 382, 81 % (主動積極 in 39). A use draws from a
Zipf-weighted pool of common labels with the probability `REUSE` and is a fresh label
otherwise. Labels are words of a fixed vocabulary, Zipf-weighted, so that the concept
alignment (`kg.align`: candidate pairs share a character bigram) has about as many
candidates per label as the real labels (at 52 standards: knowledge 28 real, about 38
synthetic; skills 20 real, about 21 synthetic), and their number grows with the square
of the corpus as it would on real labels. Reuse is measured with the versions of one
standard counted as one standard.

All standards are well formed (no violation); codes are unique, `XXX9999-999vN`. About
one family in twelve also has its previous version loaded as a document of its own (the
later one revised from it: a task renamed, an indicator rewritten, a knowledge item
relabelled), so the version queries have pairs to compare. Not a test: it writes files.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.labels import normalise

if TYPE_CHECKING:
    from kg.model import Standard

# Histograms measured on data/: value → how many times it occurs.
DUTIES = {1: 2, 2: 9, 3: 18, 4: 10, 5: 9, 6: 2, 7: 2}
TASKS_PER_DUTY = {1: 37, 2: 66, 3: 47, 4: 23, 5: 5, 6: 3, 7: 2, 8: 1, 14: 1}
BLOCKS_PER_TASK = {1: 464, 2: 17}
INDICATORS = {1: 108, 2: 137, 3: 114, 4: 59, 5: 33, 6: 12, 7: 3, 8: 1, 9: 5, 10: 4, 15: 1}
OUTPUTS = {0: 113, 1: 272, 2: 59, 3: 22, 4: 8, 5: 2, 10: 1}
K_PER_BLOCK = {0: 5, 1: 35, 2: 72, 3: 78, 4: 82, 5: 56, 6: 55, 7: 34, 8: 20, 9: 14, 10: 9, 11: 4, 12: 10, 13: 1}
S_PER_BLOCK = {0: 13, 1: 43, 2: 59, 3: 91, 4: 84, 5: 61, 6: 39, 7: 34, 8: 16, 9: 11, 10: 14, 11: 2, 12: 5, 13: 3}
KNOWLEDGE = {1: 2, 3: 1, 6: 1, 7: 4, 8: 2, 9: 3, 10: 1, 11: 3, 12: 1, 13: 1, 14: 1, 15: 3, 16: 1, 17: 2, 18: 2, 19: 2}
KNOWLEDGE |= {21: 2, 22: 2, 23: 2, 25: 3, 26: 1, 27: 1, 28: 1, 30: 1, 31: 1, 34: 1, 35: 1, 39: 1, 41: 1, 42: 1}
KNOWLEDGE |= {45: 1, 49: 1, 52: 1}
SKILLS = {1: 2, 5: 1, 6: 1, 7: 2, 8: 1, 9: 3, 11: 3, 12: 4, 13: 5, 14: 1, 15: 3, 16: 4, 17: 1, 18: 1, 19: 2}
SKILLS |= {20: 3, 21: 2, 22: 2, 24: 1, 25: 1, 26: 2, 27: 1, 28: 1, 32: 2, 42: 1, 52: 1, 58: 1}
ATTITUDES = {0: 1, 1: 1, 4: 1, 5: 8, 6: 15, 7: 7, 8: 6, 9: 4, 10: 1, 11: 3, 12: 1, 14: 2, 15: 1, 16: 1}
LEVEL = {3: 25, 4: 25, 5: 2}
BLOCK_LEVEL_DELTA = {-3: 4, -2: 13, -1: 225, 0: 221, 1: 14}
VERSIONS = {0: 17, 2: 13, 3: 11, 4: 9, 5: 2}
JOB_CATEGORIES = {1: 38, 2: 5, 4: 9}
OCCUPATIONS = {1: 51, 2: 1}
INDUSTRIES = {1: 50, 2: 1, 6: 1}
# Measured label reuse: the share of a standard's distinct labels found in another standard too.
MEASURED_REUSE = {"knowledge": 0.113, "skills": 0.256, "attitudes": 0.81}
# Probability that an item takes a label from the common pool (tuned to give MEASURED_REUSE at 52).
REUSE = {"knowledge": 0.155, "skills": 0.33, "attitudes": 0.88}
PREVIOUS_VERSION_LOADED = 1 / 12


def _split(text: str) -> tuple[str, ...]:
    """The space-separated words of `text` (the vocabularies below are written as text)."""
    return tuple(text.split())


# Job-category codes of the shipped standards (職類別); occupations are ISCO-08 unit groups.
JOB_CATEGORY_CODES = _split(
    "SET MPM ISD AVA KPS MPD LLS NEP BAS MEM IDC CCM MQM SMS TTM CAP INM PIC BGM TFB NAR FFN KRM HBR IIS"
)
INDUSTRY_SECTIONS = "ABCDEFGHIJKLMNOPQRS"
# Vocabulary of the synthetic text: two-character words, most frequent first (Zipf-weighted).
WORDS = _split("""
    管理 資料 分析 系統 安全 設計 技術 操作 應用 品質 產品 服務 客戶 市場 作業 流程 設備 規劃 評估 維護
    檢測 製程 文件 專案 溝通 協調 問題 解決 開發 測試 整合 資訊 程式 網路 軟體 硬體 材料 機械 電子 電路
    數據 模型 工程 環境 能源 衛生 醫療 食品 營養 建築 結構 施工 測量 繪圖 報告 組織 領導 訓練 教育 學習
    研究 創新 策略 經營 採購 物流 倉儲 供應 銷售 商品 價格 成本 預算 稅務 契約 保險 金融 投資 風險 稽核
    監控 控制 自動 機器 電力 照明 車輛 零件 組裝 加工 包裝 印刷 色彩 影像 媒體 內容 互動 遊戲 介面 視覺
    藝術 文化 旅遊 餐飲 烹飪 動物 植物 農業 環保 化學 物理 統計 數學 語言 外語 文書 法律 人力 資源 心理
    消費 顧客 關係 標準 規範 檢驗 維修 故障 排除 診斷 基礎 原理 實務 優化 部署 雲端 網站 平台 行政 會議
    展覽 活動 企劃 財務 會計 法規 行銷 業務 通路 倉管 庫存 排程 預測 需求 規格 圖面 模具 焊接 塗裝 鑄造
    木作 紡織 染整 寵物 照護 美容 保養 調酒 烘焙 咖啡 門市 櫃檯 接待 導覽 翻譯 編輯 攝影 剪輯 音響 燈光
""")
KNOWLEDGE_HEADS = ("",) * 12 + ("概念", "相關規範", "概論", "知識", "原理", "實務")
SKILL_HEADS = ("能力", "能力", "能力", "", "", "技巧", "技能")
ATTITUDE_WORDS = _split(
    "主動 積極 謹慎 細心 自我 負責 誠實 正直 耐心 堅持 團隊 合作 開放 好奇 尊重 同理 樂觀 熱忱 服務 紀律"
)
ROLES = ("人員", "工程師", "技術員", "管理師", "專員", "助理", "規劃師", "分析師", "主管", "技術助理")
OUTPUT_KINDS = ("表", "報告", "紀錄", "計畫書")
# Common labels seen most often in the shipped standards (public iCAP data), ranked first in the pools.
COMMON = {
    "knowledge": _split("職業安全衛生相關規範 品質管理概念 顧客關係管理 專案管理 色彩學 消費者行為"),
    "skills": _split("溝通協調能力 問題解決能力 資訊科技應用能力 規劃與組織能力 資料蒐集與分析能力 文書處理能力"),
    "attitudes": _split("""
        主動積極 謹慎細心 自我管理 持續學習 團隊意識 應對不確定性 壓力容忍 正直誠實 顧客服務導向 追求卓越
        彈性 分析性思考 自我提升 品質導向 責任感 創新 好奇心 親和力 冷靜沉著 細心負責
    """),
}
POOL_SIZE = {"knowledge": 150, "skills": 100, "attitudes": 40}
WORD_ZIPF = 0.4
POOL_ZIPF = 1.1
_VERSION = re.compile(r"v[0-9]+$")


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _zipf(size: int, exponent: float) -> list[float]:
    return _cumulative([1 / (rank**exponent) for rank in range(1, size + 1)])


class _Writer:
    """Draws every count and text of one corpus from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.word_weights = _zipf(len(WORDS), WORD_ZIPF)
        self.used: dict[str, set[str]] = {kind: set() for kind in REUSE}
        self.pools = {kind: self._pool(kind) for kind in REUSE}
        self.pool_weights = {kind: _zipf(len(pool), POOL_ZIPF) for kind, pool in self.pools.items()}
        self.serials: Counter[str] = Counter()
        self.occupations = sorted({f"{self.random.randint(1, 9)}{self.random.randint(110, 999)}" for _ in range(150)})

    def count(self, histogram: dict[int, int]) -> int:
        values = list(histogram)
        return self.random.choices(values, weights=[histogram[v] for v in values])[0]

    def words(self, low: int, high: int) -> str:
        picked = self.random.choices(WORDS, cum_weights=self.word_weights, k=self.random.randint(low, high))
        return "".join(picked)

    def fresh(self, kind: str) -> str:
        """A label never used before in this corpus."""
        for attempt in range(10**6):
            if kind == "attitudes":
                label = "".join(self.random.sample(ATTITUDE_WORDS, 2)) + (self.words(1, 1) if attempt > 8 else "")
            else:
                heads = KNOWLEDGE_HEADS if kind == "knowledge" else SKILL_HEADS
                label = self.words(2, 4) + self.random.choice(heads)
            if label not in self.used[kind]:
                self.used[kind].add(label)
                return label
        raise RuntimeError(f"no fresh {kind} label left")

    def _pool(self, kind: str) -> list[str]:
        common = list(COMMON[kind])
        self.used[kind].update(common)
        return common + [self.fresh(kind) for _ in range(POOL_SIZE[kind] - len(common))]

    def label(self, kind: str) -> str:
        if self.random.random() < REUSE[kind]:
            return self.random.choices(self.pools[kind], cum_weights=self.pool_weights[kind])[0]
        return self.fresh(kind)

    def labels(self, kind: str, count: int) -> list[str]:
        """`count` distinct labels for one standard."""
        chosen: list[str] = []
        while len(chosen) < count:
            label = self.label(kind)
            if label not in chosen:
                chosen.append(label)
        return chosen

    def code(self) -> tuple[str, str, str]:
        """A new family: job category, occupation and the code without its version suffix."""
        while True:
            category = self.random.choice(JOB_CATEGORY_CODES)
            occupation = self.random.choice(self.occupations)
            prefix = f"{category}{occupation}"
            if self.serials[prefix] < 999:
                self.serials[prefix] += 1
                return category, occupation, f"{prefix}-{self.serials[prefix]:03d}"


@dataclass
class _Family:
    """What the versions of one standard share: its code, names and classification."""

    code: str
    category: str
    occupation: str
    industries: list[str]
    name: str
    versions: int


def _family(writer: _Writer) -> _Family:
    category, occupation, code = writer.code()
    rng = writer.random
    industries = [
        f"{rng.choice(INDUSTRY_SECTIONS)}{rng.randint(10, 99)}{rng.randint(10, 99)}"
        for _ in range(writer.count(INDUSTRIES))
    ]
    name = writer.words(1, 2) + rng.choice(ROLES)
    return _Family(code, category, occupation, industries, name, writer.count(VERSIONS))


def _version_table(family: _Family, version: int, rows: int) -> list[dict[str, str]]:
    """The version table of version `version`: itself and up to `rows - 1` earlier ones."""
    table = []
    for number in range(version, max(0, version - rows), -1):
        latest = number == version
        table.append(
            {
                "version": f"V{number}",
                "ocs_code": f"{family.code}v{number}",
                "ocs_name": family.name,
                "status": "最新版本" if latest else "歷史版本",
                "update_note": "略" if latest else f"已被《{family.code}v{number + 1}》取代",
                "update_date": f"{2012 + 2 * number}/{(number * 5) % 12 + 1:02d}/{(number * 7) % 28 + 1:02d}",
            }
        )
    return table


def _items(prefix: str, labels: list[str]) -> list[dict[str, str]]:
    return [{"code": f"{prefix}{index:02d}", "name": label} for index, label in enumerate(labels, 1)]


def _citations(writer: _Writer, items: list[dict[str, str]], per_block: dict[int, int], blocks: int) -> list[list[int]]:
    """For each block, the indices of the items it cites; every item is cited at least once,
    first in order (so codes appear ascending, as in the sources)."""
    cited: list[list[int]] = []
    introduced = 0
    for block in range(blocks):
        remaining_blocks = blocks - block
        fresh = -(-(len(items) - introduced) // remaining_blocks)
        wanted = max(writer.count(per_block), fresh)
        own = list(range(introduced, introduced + fresh))
        introduced += fresh
        earlier = [i for i in range(introduced) if i not in own]
        extra = writer.random.sample(earlier, min(len(earlier), wanted - fresh))
        cited.append(sorted(own + extra))
    return cited


def _content(writer: _Writer, level: int, knowledge: list[dict[str, str]], skills: list[dict[str, str]]) -> list[Any]:
    """The duties → tasks → competency blocks of one standard."""
    rng = writer.random
    shape = [
        [writer.count(BLOCKS_PER_TASK) for _ in range(writer.count(TASKS_PER_DUTY))]
        for _ in range(writer.count(DUTIES))
    ]
    blocks = sum(sum(duty) for duty in shape)
    k_cited = iter(_citations(writer, knowledge, K_PER_BLOCK, blocks))
    s_cited = iter(_citations(writer, skills, S_PER_BLOCK, blocks))
    units = []
    for d, duty in enumerate(shape, 1):
        tasks = []
        for t, block_count in enumerate(duty, 1):
            task_blocks, indicator, output = [], 0, 0
            for _ in range(block_count):
                indicators, outputs = writer.count(INDICATORS), writer.count(OUTPUTS)
                block_level = min(6, max(1, level + writer.count(BLOCK_LEVEL_DELTA)))
                task_blocks.append(
                    {
                        "competency_level": block_level,
                        "indicators": [
                            {
                                "code": f"P{d}.{t}.{indicator + i}",
                                "text": f"能依據{writer.words(1, 2)}，{writer.words(2, 3)}並完成{writer.words(1, 3)}。",
                            }
                            for i in range(1, indicators + 1)
                        ],
                        "outputs": [
                            {
                                "code": f"O{d}.{t}.{output + i}",
                                "name": writer.words(1, 2) + rng.choice(OUTPUT_KINDS),
                            }
                            for i in range(1, outputs + 1)
                        ],
                        "knowledge": [knowledge[i] for i in next(k_cited)],
                        "skills": [skills[i] for i in next(s_cited)],
                    }
                )
                indicator += indicators
                output += outputs
            tasks.append(
                {"task_codes": [{"code": f"T{d}.{t}", "name": writer.words(2, 3)}], "competency_blocks": task_blocks}
            )
        units.append({"ocu_code": f"T{d}", "ocu_name": writer.words(1, 2), "tasks": tasks})
    return units


def _document(writer: _Writer, family: _Family, version: int) -> dict[str, Any]:
    """One standard, version `version` of `family`, as the corpus JSON format writes it."""
    level = writer.count(LEVEL)
    knowledge = _items("K", writer.labels("knowledge", writer.count(KNOWLEDGE)))
    skills = _items("S", writer.labels("skills", writer.count(SKILLS)))
    attitudes = _items("A", writer.labels("attitudes", writer.count(ATTITUDES)))
    category_names = [writer.words(1, 1) + "類" for _ in range(writer.count(JOB_CATEGORIES))]
    occupation_codes = [family.occupation] + [
        writer.random.choice(writer.occupations) for _ in range(writer.count(OCCUPATIONS) - 1)
    ]
    rows = family.versions if family.versions else 0
    return {
        "version_info": {"versions": _version_table(family, version, min(rows, version)) if rows else []},
        "ocs_profile": {
            "ocs_code": f"{family.code}v{version}",
            "ocs_name": {"job_category_name": None, "occupation_name": family.name},
            "category": {
                "job_categories": [{"name": name, "code": family.category} for name in category_names],
                "occupations": [{"name": family.name, "code": code} for code in occupation_codes],
                "industries": [{"name": writer.words(1, 2) + "業", "code": code} for code in family.industries],
            },
            "job_description": f"從事{writer.words(2, 3)}、{writer.words(2, 3)}及{writer.words(1, 2)}等工作",
            "ocs_level": level,
        },
        "ocs_content": {"ocu_units": _content(writer, level, knowledge, skills)},
        "ocs_attitude": {"attitudes": attitudes},
        "notes": {"prerequisites": [f"具備{writer.words(1, 2)}相關工作經驗者。"], "supplements": []},
    }


def _revised(writer: _Writer, previous: dict[str, Any], family: _Family, version: int) -> dict[str, Any]:
    """Version `version` of `family` as a revision of `previous`: a new code and version table,
    one task renamed, one indicator rewritten, one knowledge item relabelled."""
    document = copy.deepcopy(previous)  # keeps a block's K/S entries shared with the item they cite
    document["version_info"]["versions"] = _version_table(family, version, min(family.versions, version))
    document["ocs_profile"]["ocs_code"] = f"{family.code}v{version}"
    tasks = [task for unit in document["ocs_content"]["ocu_units"] for task in unit["tasks"]]
    row = writer.random.choice(tasks)
    row["task_codes"][0]["name"] = writer.words(2, 3)
    block = writer.random.choice(row["competency_blocks"])
    block["indicators"][0]["text"] = f"能依據{writer.words(1, 2)}，{writer.words(2, 3)}。"
    cited = [item for task in tasks for b in task["competency_blocks"] for item in b["knowledge"]]
    if cited:
        writer.random.choice(cited)["name"] = writer.fresh("knowledge")
    return document


def documents(count: int, seed: int) -> Iterator[dict[str, Any]]:
    """`count` standards as corpus JSON objects, the same for the same `seed`."""
    writer = _Writer(seed)
    written = 0
    while written < count:
        family = _family(writer)
        latest = max(1, family.versions)
        if latest > 1 and written + 1 < count and writer.random.random() < PREVIOUS_VERSION_LOADED:
            previous = _document(writer, family, latest - 1)
            yield previous
            yield _revised(writer, previous, family, latest)
            written += 2
        else:
            yield _document(writer, family, latest)
            written += 1


def generate(count: int, seed: int, out_dir: Path) -> list[Path]:
    """Write `count` standards into `out_dir` (created if missing), one `<code>.json` each;
    the paths written, in order. Same `count` and `seed`, same files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for document in documents(count, seed):
        path = out_dir / f"{document['ocs_profile']['ocs_code']}.json"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths


@dataclass(frozen=True)
class Shape:
    """Shape statistics of a corpus: mean counts and label reuse (see the module docstring)."""

    standards: int
    means: dict[str, float]
    reuse: dict[str, float]


def _reuse(label_sets: Iterable[set[str]]) -> float:
    """The share of the standards' distinct labels that another standard uses too."""
    standards = Counter(label for labels in label_sets for label in labels)
    uses = sum(standards.values())
    return sum(n for n in standards.values() if n > 1) / uses if uses else 0.0


def shape(corpus: Iterable[Standard]) -> Shape:
    """Measure a parsed corpus the way the module docstring's figures were measured; for
    label reuse, the versions of one standard (same code but for `vN`) count as one."""
    listed = list(corpus)
    blocks = [block for standard in listed for block in standard.blocks()]
    means = {
        "duties": statistics.mean(len(s.duties) for s in listed),
        "tasks per duty": statistics.mean(len(d.tasks) for s in listed for d in s.duties),
        "indicators per block": statistics.mean(len(b.indicators) for b in blocks),
        "outputs per block": statistics.mean(len(b.outputs) for b in blocks),
        "K per block": statistics.mean(len(set(b.knowledge)) for b in blocks),
        "S per block": statistics.mean(len(set(b.skills)) for b in blocks),
        "K": statistics.mean(len(s.knowledge) for s in listed),
        "S": statistics.mean(len(s.skills) for s in listed),
        "A": statistics.mean(len(s.attitudes) for s in listed),
        "level": statistics.mean(s.level or 0 for s in listed),
        "versions": statistics.mean(len(s.versions) for s in listed),
    }
    reuse = {}
    for kind in MEASURED_REUSE:
        families: dict[str, set[str]] = {}
        for standard in listed:
            labels = families.setdefault(_VERSION.sub("", standard.code), set())
            labels.update(normalise(item.name) for item in getattr(standard, kind))
        reuse[kind] = _reuse(families.values())
    return Shape(len(listed), means, reuse)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True, help="standards to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    paths = generate(args.count, args.seed, args.out)
    print(f"已寫入 wrote {len(paths)} standards to {args.out}")


if __name__ == "__main__":
    main()
