"""The header block of the template (職能基準代碼 … 基準級別), as both text layouts write it.

The newer layout separates cells with tabs, the older one with spaces and blank lines;
once tabs are read as spaces, both put a label and its value on one line.
"""

from __future__ import annotations

import re

from kg.model import Classification, Standard
from kg.sources.reader import ParseError

_SPACE = r"[ \t\u3000]+"
_CLASSIFICATIONS = {
    "職類別": "job_categories",
    "職業別": "occupations",
    "行業別": "industries",
}
_CODE = re.compile(rf"^職能基準代碼{_SPACE}(\S+)")
_CLASSIFICATION = re.compile(
    rf"^(?:所屬{_SPACE}?類別{_SPACE})?(職類別|職業別|行業別){_SPACE}(.*?){_SPACE}?\1代碼(?:{_SPACE}(\S+))?$"
)
_OCCUPATION_NAME = re.compile(rf"^職業(?:{_SPACE}(.*))?$")
_JOB_CATEGORY_NAME = re.compile(rf"^(?:職能基準名稱.*?{_SPACE})?職類(?:{_SPACE}(.*))?$")
_DESCRIPTION = re.compile(rf"^工作描述(?:{_SPACE}(.*))?$")
_LEVEL = re.compile(rf"^基準級別{_SPACE}(\S+)")
# A line that starts another part of the header ends a wrapped 工作描述.
_LABEL = re.compile(r"^(?:職能基準|所屬|類別|職類|職業|行業別|工作描述|基準級別)")


def read_header(lines: list[str], source: str) -> tuple[Standard, int]:
    """Read the header from `lines`; return the standard so far and the index after 基準級別.

    Raises `ParseError` naming the line when 職能基準代碼 or 基準級別 is missing or unreadable.
    """
    standard: Standard | None = None
    description: list[str] | None = None
    for index, raw in enumerate(lines):
        line = raw.replace("\t", " ").strip()
        if description is not None:
            if line and not _LABEL.match(line):
                description.append(line)
                continue
            assert standard is not None
            standard.description = " ".join(description)
            description = None
        if standard is None:
            if match := _CODE.match(line):
                standard = Standard(code=match.group(1), source=source)
            continue
        if match := _CLASSIFICATION.match(line):
            entry = Classification(code=match.group(3) or "", name=match.group(2).strip())
            getattr(standard, _CLASSIFICATIONS[match.group(1)]).append(entry)
        elif match := _OCCUPATION_NAME.match(line):
            standard.occupation_name = (match.group(1) or "").strip() or None
        elif match := _JOB_CATEGORY_NAME.match(line):
            standard.job_category_name = (match.group(1) or "").strip() or None
        elif match := _DESCRIPTION.match(line):
            description = [match.group(1).strip()] if match.group(1) else []
        elif match := _LEVEL.match(line):
            value = match.group(1)
            if not value.isdigit():
                raise ParseError(source, f"line {index + 1}", f"基準級別 is not a number: {value!r}")
            standard.level = int(value)
            return standard, index + 1
    if standard is None:
        raise ParseError(source, f"line {len(lines)}", "no 職能基準代碼 (standard code) in the header")
    raise ParseError(source, f"line {len(lines)}", "the header ends without 基準級別 (standard level)")
