"""Named queries: one SPARQL file per intent in `queries/`, with typed parameters.

A file opens with a header of `#` lines, then the query, which runs as it is with its
defaults in any SPARQL editor:

    # title: 共同技能 | Shared skills
    # description: 兩個以上職能基準共同需要的技能 | Skills that two or more standards share
    # param standard: code+ = IIS3513-006v4 IIS3513-005 | 職能基準代碼 standard codes
    # param level: level? = 3 | 最低職能級別 minimum competency level
    PREFIX …
    SELECT … WHERE { VALUES ?standard { "IIS3513-006v4" "IIS3513-005" } … }

`param NAME: TYPE[+|?] = DEFAULT… | DESCRIPTION` declares a parameter: `+` takes one or
more values, `?` may be left out (its VALUES block then binds UNDEF, no filter). Each
parameter has exactly one `VALUES ?NAME { … }` block in the query; binding replaces
that block's values with the caller's, written as RDF terms (never pasted as text).
SELECT queries take `limit` and `offset`, appended as solution modifiers (so a query
file never ends with a LIMIT of its own).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import opencc
from rdflib import Literal, URIRef

from kg.settings import ROOT

FOLDER = ROOT / "queries"
_HEADER = re.compile(r"^#\s*(title|description):\s*(.*?)\s*\|\s*(.*)$")
_PARAM = re.compile(r"^#\s*param\s+(\w+):\s*([\w-]+)([+?]?)\s*(?:=\s*(.*?))?\s*\|\s*(.*)$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-~;]*$")
_SIMPLIFIED_TO_TRADITIONAL = opencc.OpenCC("s2twp")


class ParameterError(ValueError):
    """A parameter value the query cannot take, naming the parameter."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"{name}: {message}")


def _code(value: str) -> Literal:
    if not _CODE.fullmatch(value):
        raise ValueError(f"not a code: {value!r}")
    return Literal(value)


def _level(value: str) -> Literal:
    if not value.isdigit() or not 1 <= int(value) <= 6:
        raise ValueError(f"a competency level is 1 to 6, not {value!r}")
    return Literal(int(value))


def _integer(value: str) -> Literal:
    return Literal(int(value))


def _text(value: str) -> Literal:
    """Free text, folded to Traditional characters so Simplified input finds the same."""
    if not value.strip() or len(value) > 200:
        raise ValueError("text must be 1 to 200 characters")
    return Literal(_SIMPLIFIED_TO_TRADITIONAL.convert(value.strip()))


def _iri(value: str) -> URIRef:
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        raise ValueError(f"not an http(s) IRI: {value!r}")
    return URIRef(value)


# Parameter types: what a value must look like, and the RDF term it binds as.
TYPES: dict[str, Callable[[str], Literal | URIRef]] = {
    "code": _code,
    "level": _level,
    "integer": _integer,
    "text": _text,
    "iri": _iri,
}


@dataclass(frozen=True)
class Parameter:
    """One typed parameter of a named query."""

    name: str
    type: str
    many: bool
    optional: bool
    default: tuple[str, ...]
    description: str

    def terms(self, values: Iterable[str]) -> list[Literal | URIRef]:
        """The RDF terms for the given values; `ParameterError` on a bad one."""
        given = [v for v in values if v != ""] or list(self.default)
        if not given and not self.optional:
            raise ParameterError(self.name, "required")
        if len(given) > 1 and not self.many:
            raise ParameterError(self.name, "takes one value")
        try:
            return [TYPES[self.type](value) for value in given]
        except ValueError as error:
            raise ParameterError(self.name, str(error)) from None

    def metadata(self) -> dict[str, object]:
        return {
            "name": self.name,
            "type": self.type,
            "multiple": self.many,
            "required": not self.optional and not self.default,
            "default": list(self.default),
            "description": self.description,
        }


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name, titles, description, parameters and text."""

    name: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    parameters: tuple[Parameter, ...]
    text: str
    paged: bool = field(default=False)

    def bind(self, values: Mapping[str, Iterable[str]], limit: int | None = None, offset: int = 0) -> str:
        """The query with each parameter's VALUES block holding the given values."""
        unknown = set(values) - {p.name for p in self.parameters}
        if unknown:
            name = sorted(unknown)[0]
            raise ParameterError(name, "unknown parameter")
        # Every block is located in the file's own text and spliced once, so a bound value is
        # never read as a template nor searched again for another parameter's block.
        blocks = []
        for parameter in self.parameters:
            terms = parameter.terms(values.get(parameter.name, ()))
            body = " ".join(term.n3() for term in terms) or "UNDEF"
            match = _values_block(parameter.name).search(self.text)
            assert match is not None, "parse_query checked that every parameter has its block"
            blocks.append((match.start(), match.end(), f"VALUES ?{parameter.name} {{ {body} }}"))
        text, end = "", 0
        for start, stop, block in sorted(blocks):
            text += self.text[end:start] + block
            end = stop
        text += self.text[end:]
        if self.paged:
            if limit is not None:
                text += f"\nLIMIT {int(limit)}"
            if offset:
                text += f"\nOFFSET {int(offset)}"
        return text

    def metadata(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": {"zh-Hant": self.title_zh, "en": self.title_en},
            "description": {"zh-Hant": self.description_zh, "en": self.description_en},
            "parameters": [p.metadata() for p in self.parameters],
            "paged": self.paged,
        }


def _values_block(name: str) -> re.Pattern[str]:
    return re.compile(rf"VALUES\s+\?{name}\s*\{{[^}}]*\}}")


def parse_query(path: Path) -> NamedQuery:
    """Read one `.rq` file; `ValueError` naming the file and line on a bad header."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, tuple[str, str]] = {}
    parameters = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        if match := _HEADER.match(line):
            header[match.group(1)] = (match.group(2), match.group(3))
        elif match := _PARAM.match(line):
            name, kind, mark, default, description = match.groups()
            if kind not in TYPES:
                raise ValueError(f"{path}: line {number}: unknown parameter type {kind!r}")
            if len(_values_block(name).findall(text)) != 1:
                raise ValueError(f"{path}: line {number}: the query needs one VALUES ?{name} {{ … }} block")
            parameters.append(
                Parameter(name, kind, mark == "+", mark == "?", tuple((default or "").split()), description)
            )
    for key in ("title", "description"):
        if key not in header:
            raise ValueError(f"{path}: line 1: the header has no '# {key}: 中文 | English' line")
    return NamedQuery(
        name=path.stem,
        title_zh=header["title"][0],
        title_en=header["title"][1],
        description_zh=header["description"][0],
        description_en=header["description"][1],
        parameters=tuple(parameters),
        text=text,
        paged=bool(re.search(r"^\s*SELECT\b", text, re.MULTILINE | re.IGNORECASE)),
    )


def load(folder: Path = FOLDER) -> dict[str, NamedQuery]:
    """Every named query in `folder`, by name (quality checks `*-violation.rq` excluded)."""
    return {
        path.stem: parse_query(path) for path in sorted(folder.glob("*.rq")) if not path.stem.endswith("-violation")
    }
