"""A synthetic earlier version of a shipped standard, for the version queries.

The shipped data hold one version of each standard, so `version-diff` has nothing to
compare there. This writes `MPM7223-007v2`, made from the shipped
`MPM7223-007v3` (CNC車床技術助理) with known edits, as a corpus JSON document:

- the version table is the one V2 had then: V2 最新版本, V1 歷史版本;
- task T1.2 has another name (協助設定加工參數 → 設定加工參數);
- task T3.2 (故障通報) with its indicators, output and its own K and S is not there yet;
- indicator P2.2.1 says something else;
- T2.1 needs one more skill (工件裝夾技巧), dropped in V3;
- knowledge 品質管理概念 has another code (K07 → K12): the same concept;
- attitude A05 is not there yet.

It is not a real document: the test data name it `synthetic-…`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.conftest import DATA

LATER = DATA / "corpus" / "CNC車床技術助理-職能基準.json"
EARLIER_CODE = "MPM7223-007v2"
LATER_CODE = "MPM7223-007v3"


def _task(document: dict[str, Any], code: str) -> dict[str, Any]:
    for unit in document["ocs_content"]["ocu_units"]:
        for task in unit["tasks"]:
            if any(entry["code"] == code for entry in task["task_codes"]):
                return task  # type: ignore[no-any-return]
    raise KeyError(code)


def earlier_version() -> dict[str, Any]:
    """The V2 document, as the edits listed above make it from V3."""
    later: dict[str, Any] = json.loads(LATER.read_text(encoding="utf-8"))
    document = copy.deepcopy(later)
    versions = document["version_info"]["versions"]
    document["version_info"]["versions"] = [
        {**versions[1], "status": "最新版本", "update_note": "略"},
        versions[2],
    ]
    document["ocs_profile"]["ocs_code"] = EARLIER_CODE
    _task(document, "T1.2")["task_codes"][0]["name"] = "設定加工參數"
    for unit in document["ocs_content"]["ocu_units"]:
        unit["tasks"] = [t for t in unit["tasks"] if t["task_codes"][0]["code"] != "T3.2"]
    block = _task(document, "T2.2")["competency_blocks"][0]
    block["indicators"][0]["text"] = "依加工程序操作CNC車床。"
    _task(document, "T2.1")["competency_blocks"][0]["skills"].append({"code": "S13", "name": "工件裝夾技巧"})
    for unit in document["ocs_content"]["ocu_units"]:
        for task in unit["tasks"]:
            for entry in task["competency_blocks"]:
                for item in entry["knowledge"]:
                    if item["code"] == "K07":
                        item["code"] = "K12"
    document["ocs_attitude"]["attitudes"] = document["ocs_attitude"]["attitudes"][:-1]
    return document


def write_earlier_version(folder: Path) -> Path:
    """Write the synthetic V2 into `folder`; its path."""
    path = folder / f"synthetic-{EARLIER_CODE}.json"
    path.write_text(json.dumps(earlier_version(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path
