"""Reader for the JSON extraction of the official PDFs (the `icap-json` corpus format).

Keys, as the extraction writes them: `version_info.versions[]`, `ocs_profile`
(code, names, `category` lists, `job_description`, `ocs_level`), `ocs_content.ocu_units[]`
→ `tasks[]` → `task_codes[]` and `competency_blocks[]`, `ocs_attitude.attitudes[]`
and `notes` (`prerequisites`, `supplements`). Values are kept as written; a row that
lists several task codes keeps them as tasks sharing the row's blocks.
"""

from __future__ import annotations

import json
from typing import Any

from kg.model import Block, Classification, Duty, Indicator, Item, Output, Standard, Task, Version
from kg.sources.reader import ParseError


class _Fields:
    """Typed access to a JSON object that names the failing field in its errors."""

    def __init__(self, source: str, path: str, value: Any) -> None:
        if not isinstance(value, dict):
            raise ParseError(source, f"field {path}", f"expected an object, found {type(value).__name__}")
        self.source, self.path, self.value = source, path, value

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str) -> Any:
        if key not in self.value:
            raise ParseError(self.source, f"field {self._at(key)}", "missing")
        return self.value[key]

    def text(self, key: str) -> str:
        value = self._get(key)
        if value is None:
            return ""
        if not isinstance(value, str | int):
            raise ParseError(self.source, f"field {self._at(key)}", f"expected text, found {value!r}")
        return str(value)

    def optional_text(self, key: str) -> str | None:
        return self.text(key) or None if key in self.value else None

    def level(self, key: str) -> int | None:
        value = self._get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdecimal():
            raise ParseError(self.source, f"field {self._at(key)}", f"expected a level 1–6, found {value!r}")
        return int(value)

    def obj(self, key: str) -> _Fields:
        return _Fields(self.source, self._at(key), self._get(key))

    def objects(self, key: str) -> list[_Fields]:
        return [_Fields(self.source, f"{self._at(key)}[{i}]", v) for i, v in enumerate(self.items(key))]

    def texts(self, key: str) -> list[str]:
        return [str(v) for v in self.items(key) if v not in (None, "")]

    def items(self, key: str) -> list[Any]:
        value = self._get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ParseError(self.source, f"field {self._at(key)}", "expected a list")
        return value


class CorpusJsonReader:
    """Reads one standard from the corpus JSON format."""

    name = "corpus-json"

    def accepts(self, text: str) -> bool:
        head = text.lstrip()[:4096]
        return head.startswith("{") and ('"ocs_profile"' in head or '"version_info"' in head)

    def read(self, text: str, source: str) -> Standard:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ParseError(source, f"line {error.lineno} column {error.colno}", error.msg) from None
        except RecursionError:
            raise ParseError(source, "line 1", "JSON nested too deeply to read") from None
        root = _Fields(source, "", data)
        profile = root.obj("ocs_profile")
        names = profile.obj("ocs_name")
        category = profile.obj("category")
        content = root.obj("ocs_content")
        notes = root.obj("notes") if "notes" in data else None
        standard = Standard(
            code=profile.text("ocs_code"),
            job_category_name=names.optional_text("job_category_name"),
            occupation_name=names.optional_text("occupation_name"),
            job_categories=_classifications(category, "job_categories"),
            occupations=_classifications(category, "occupations"),
            industries=_classifications(category, "industries"),
            description=profile.text("job_description"),
            level=profile.level("ocs_level"),
            versions=[_version(v) for v in root.obj("version_info").objects("versions")],
            attitudes=[_item(a) for a in root.obj("ocs_attitude").objects("attitudes")],
            prerequisites=notes.texts("prerequisites") if notes else [],
            supplements=notes.texts("supplements") if notes else [],
            source=source,
        )
        if not standard.code:
            raise ParseError(source, "field ocs_profile.ocs_code", "empty standard code")
        knowledge: dict[tuple[str, str], Item] = {}
        skills: dict[tuple[str, str], Item] = {}
        for unit in content.objects("ocu_units"):
            duty = Duty(code=unit.text("ocu_code"), name=unit.text("ocu_name"))
            for row in unit.objects("tasks"):
                blocks = [_block(b, knowledge, skills) for b in row.objects("competency_blocks")]
                for task in row.objects("task_codes"):
                    duty.tasks.append(Task(code=task.text("code"), name=task.text("name"), blocks=blocks))
            standard.duties.append(duty)
        standard.knowledge = list(knowledge.values())
        standard.skills = list(skills.values())
        return standard


def _classifications(category: _Fields, key: str) -> list[Classification]:
    return [Classification(code=c.text("code"), name=c.text("name")) for c in category.objects(key)]


def _version(row: _Fields) -> Version:
    return Version(
        version=row.text("version"),
        code=row.text("ocs_code"),
        name=row.text("ocs_name"),
        status=row.text("status"),
        note=row.text("update_note"),
        date=row.text("update_date"),
    )


def _item(entry: _Fields) -> Item:
    return Item(code=entry.text("code"), name=entry.text("name"))


def _block(entry: _Fields, knowledge: dict[tuple[str, str], Item], skills: dict[tuple[str, str], Item]) -> Block:
    block = Block(
        level=entry.level("competency_level"),
        indicators=[Indicator(code=i.text("code"), text=i.text("text")) for i in entry.objects("indicators")],
        outputs=[Output(code=o.text("code"), name=o.text("name")) for o in entry.objects("outputs")],
    )
    for key, cited, listed in (("knowledge", block.knowledge, knowledge), ("skills", block.skills, skills)):
        for item in (_item(e) for e in entry.objects(key)):
            cited.append(item.code)
            listed.setdefault((item.code, item.name), item)
    return block


reader = CorpusJsonReader()
