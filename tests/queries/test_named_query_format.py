"""kg/queries.py: the header of a query file, its typed parameters and how they bind."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg.queries import NamedQuery, ParameterError, load, parse_query

HEADER = """\
# title: 測試 | Test
# description: 測試查詢 | A test query
"""
SELECT = """\
PREFIX ex: <https://example.org/>
SELECT ?standard ?level ?label WHERE {
  VALUES ?standard { "IIS3513-006v4" }
  VALUES ?level { UNDEF }
  VALUES ?label { "電子商務" }
}
"""
PARAMS = """\
# param standard: code = IIS3513-006v4 | 職能基準代碼 standard code
# param level: level? | 最低職能級別 minimum level
# param label: text = 電子商務 | 名稱 label
"""


def _file(folder: Path, text: str, name: str = "test.rq") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _query(folder: Path) -> NamedQuery:
    return parse_query(_file(folder, HEADER + PARAMS + SELECT))


def _run(text: str) -> list[dict[str, str]]:
    solutions = pyoxigraph.Store().query(text)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    columns = [v.value for v in solutions.variables]
    return [{c: s[c].value for c in columns if s[c] is not None} for s in solutions]


def test_the_header_gives_titles_descriptions_and_typed_parameters(tmp_path: Path) -> None:
    query = _query(tmp_path)
    assert (query.name, query.title_zh, query.title_en) == ("test", "測試", "Test")
    assert (query.description_zh, query.description_en) == ("測試查詢", "A test query")
    assert [(p.name, p.type, p.many, p.optional, p.default) for p in query.parameters] == [
        ("standard", "code", False, False, ("IIS3513-006v4",)),
        ("level", "level", False, True, ()),
        ("label", "text", False, False, ("電子商務",)),
    ]
    assert query.paged
    parameters = query.metadata()["parameters"]
    assert isinstance(parameters, list)
    assert parameters[1] == {
        "name": "level",
        "type": "level",
        "multiple": False,
        "required": False,
        "default": [],
        "description": "最低職能級別 minimum level",
    }


def test_an_unknown_type_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    path = _file(tmp_path, HEADER + "# param standard: standard-code | 代碼 code\n" + SELECT)
    with pytest.raises(ValueError, match="unknown parameter type") as raised:
        parse_query(path)
    assert str(raised.value).startswith(f"{path}: line 3:")


def test_a_parameter_without_a_values_block_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, HEADER + PARAMS + "# param industry: code? | 行業別 industry\n" + SELECT)
    with pytest.raises(ValueError, match=r"VALUES \?industry") as raised:
        parse_query(path)
    assert str(raised.value).startswith(f"{path}: line 6:")


def test_a_parameter_with_two_values_blocks_is_refused(tmp_path: Path) -> None:
    twice = SELECT.replace("VALUES ?level { UNDEF }", "VALUES ?level { UNDEF } VALUES ?level { 3 }")
    path = _file(tmp_path, HEADER + PARAMS + twice)
    with pytest.raises(ValueError, match=r"one VALUES \?level") as raised:
        parse_query(path)
    assert str(raised.value).startswith(f"{path}: line 4:")


def test_a_header_without_a_title_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, "# description: 測試 | Test\n" + SELECT)
    with pytest.raises(ValueError, match="title") as raised:
        parse_query(path)
    assert str(raised.value).startswith(f"{path}: line 1:")


def test_defaults_bind_as_terms_and_an_optional_parameter_as_undef(tmp_path: Path) -> None:
    bound = _query(tmp_path).bind({})
    assert 'VALUES ?standard { "IIS3513-006v4" }' in bound
    assert "VALUES ?level { UNDEF }" in bound
    assert _run(bound) == [{"standard": "IIS3513-006v4", "label": "電子商務"}]


def test_values_bind_with_their_types_and_simplified_text_is_folded(tmp_path: Path) -> None:
    bound = _query(tmp_path).bind({"standard": ["IIS3513-005"], "level": ["4"], "label": ["电子商务"]})
    assert _run(bound) == [{"standard": "IIS3513-005", "level": "4", "label": "電子商務"}]
    assert '"4"^^<http://www.w3.org/2001/XMLSchema#integer>' in bound


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"standard": ["IIS 3513"]}, "not a code"),
        ({"standard": ["A1", "A2"]}, "takes one value"),
        ({"level": ["9"]}, "1 to 6"),
        ({"label": ["x" * 201]}, "1 to 200"),
        ({"unknown": ["1"]}, "unknown parameter"),
    ],
)
def test_bad_values_raise_parameter_errors(tmp_path: Path, params: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ParameterError, match=message) as raised:
        _query(tmp_path).bind(params)
    assert raised.value.name == next(iter(params))


def test_a_required_parameter_without_default_must_be_given(tmp_path: Path) -> None:
    query = parse_query(_file(tmp_path, HEADER + "# param standard: code | 代碼 code\n" + SELECT))
    with pytest.raises(ParameterError, match="required"):
        query.bind({})
    assert query.metadata()["parameters"] == [
        {
            "name": "standard",
            "type": "code",
            "multiple": False,
            "required": True,
            "default": [],
            "description": "代碼 code",
        }
    ]


def test_limit_and_offset_are_appended_to_select_queries_only(tmp_path: Path) -> None:
    query = _query(tmp_path)
    assert query.bind({}, limit=10, offset=20).endswith("\nLIMIT 10\nOFFSET 20")
    assert query.bind({}, offset=0).endswith("}\n")
    ask = parse_query(_file(tmp_path, HEADER + "ASK { VALUES ?x { 1 } }\n", "ask.rq"))
    assert not ask.paged
    assert ask.bind({}, limit=10) == ask.text


def test_load_skips_quality_checks(tmp_path: Path) -> None:
    _file(tmp_path, HEADER + SELECT, "a-question.rq")
    _file(tmp_path, HEADER + SELECT, "orphan-task-violation.rq")
    assert list(load(tmp_path)) == ["a-question"]


def test_a_text_value_binds_as_it_was_given(tmp_path: Path) -> None:
    """A backslash in a value must reach the query as a backslash."""
    value = 'C:\\temp\\new "folder"'
    bound = _query(tmp_path).bind({"label": [value]})
    assert _run(bound)[0]["label"] == value


def test_a_value_that_reads_like_a_values_block_stays_a_value(tmp_path: Path) -> None:
    """A parameter bound later must not find its VALUES block inside an earlier value."""
    header = HEADER + "# param label: text = 電子商務 | 名稱 label\n# param standard: code = A1 | 代碼 code\n"
    text = 'SELECT ?label ?standard WHERE {\n  VALUES ?label { "x" }\n  VALUES ?standard { "A1" }\n}\n'
    query = parse_query(_file(tmp_path, header + text))
    value = "VALUES ?standard { }"
    assert _run(query.bind({"label": [value], "standard": ["B2"]})) == [{"label": value, "standard": "B2"}]
