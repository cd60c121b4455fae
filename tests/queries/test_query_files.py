"""Every query file is well formed, binds its defaults, runs, refuses bad values and pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.queries import FOLDER, NamedQuery, ParameterError, parse_query
from tests.queries.conftest import Runner

FILES = sorted(FOLDER.glob("*.rq"))
PREFIX = re.compile(r"^PREFIX\s+(\w*):", re.MULTILINE)
USED_PREFIX = re.compile(r"(?<![\w?$<])([A-Za-z][\w-]*):(?=[A-Za-z_])")


def _body(path: Path) -> str:
    """The query without its comment lines."""
    return "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")
    )


def test_there_is_a_query_for_each_question_of_the_issue() -> None:
    assert {path.stem for path in FILES} == {
        "standard-outline",
        "shared-skills",
        "shared-knowledge",
        "skill-frequency",
        "standards-needing",
        "similar-standards",
        "career-gap",
        "version-history",
        "version-diff",
        "by-classification",
        "tasks-at-level",
    }


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_the_file_parses_with_titles_in_both_languages(path: Path) -> None:
    query = parse_query(path)
    assert query.paged
    for text in (query.title_zh, query.title_en, query.description_zh, query.description_en):
        assert text.strip()
    assert re.search(r"[\u4e00-\u9fff]", query.title_zh + query.description_zh)
    assert re.fullmatch(r"[\x20-\x7e’–…·|∩∪÷]+", query.title_en + query.description_en)
    for parameter in query.parameters:
        assert parameter.description.strip()


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_the_file_declares_every_prefix_it_uses_and_no_limit_of_its_own(path: Path) -> None:
    body = _body(path)
    declared = set(PREFIX.findall(body))
    without_strings = re.sub(r'"[^"\n]*"|<[^>\s]*>', "", body)
    assert set(USED_PREFIX.findall(without_strings)) <= declared
    assert not re.search(r"\b(LIMIT|OFFSET)\s+\d+\s*$", body.strip(), re.IGNORECASE)


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_the_file_binds_its_defaults_and_runs(path: Path, runner: Runner, named_queries: dict[str, NamedQuery]) -> None:
    query = named_queries[path.stem]
    bound = query.bind({})
    for parameter in query.parameters:
        assert re.search(rf"VALUES\s+\?{parameter.name}\s*\{{", bound)
    rows = runner(path.stem, {})
    assert isinstance(rows, list)
    assert all(isinstance(value, str) for found in rows for value in found.values())


# (query, parameters, the parameter the error names)
BAD: tuple[tuple[str, dict[str, list[str]], str], ...] = (
    ("standard-outline", {"standard": ["not a code"]}, "standard"),
    ("standard-outline", {"standard": ["IIS3513-005", "IIS3513-006v4"]}, "standard"),
    ("standard-outline", {"stnadard": ["IIS3513-005"]}, "stnadard"),
    ("shared-skills", {"standards": ["IIS3513-005", "IIS3513-006v4 ; DROP"]}, "standards"),
    ("skill-frequency", {"level": ["7"]}, "level"),
    ("skill-frequency", {"level": ["four"]}, "level"),
    ("skill-frequency", {"occupation": ["25", "26"]}, "occupation"),
    ("tasks-at-level", {"level": ["0"]}, "level"),
    ("standards-needing", {"label": ["   "]}, "label"),
    ("standards-needing", {"label": ["溝" * 201]}, "label"),
    ("career-gap", {"from": ['IIS3513-005" } ?s ?p ?o {']}, "from"),
    ("by-classification", {"industry": ["J6312", "J63"]}, "industry"),
)


@pytest.mark.parametrize(("name", "params", "parameter"), BAD, ids=[f"{n}-{p}" for n, _, p in BAD])
def test_a_bad_value_raises_a_parameter_error_naming_the_parameter(
    name: str, params: dict[str, list[str]], parameter: str, named_queries: dict[str, NamedQuery]
) -> None:
    with pytest.raises(ParameterError) as raised:
        named_queries[name].bind(params)
    assert raised.value.name == parameter
    assert str(raised.value).startswith(f"{parameter}: ")


PAGED: tuple[tuple[str, dict[str, list[str]]], ...] = (
    ("skill-frequency", {"occupation": ["2"]}),
    ("standard-outline", {"standard": ["IIS3513-005"]}),
    ("by-classification", {}),
    ("similar-standards", {"standard": ["IIS3513-006v4"]}),
)


@pytest.mark.parametrize(("name", "params"), PAGED, ids=[name for name, _ in PAGED])
def test_limit_and_offset_page_through_the_rows(name: str, params: dict[str, list[str]], runner: Runner) -> None:
    everything = runner(name, params)
    size = 7
    assert len(everything) > 2 * size
    pages = [runner(name, params, limit=size, offset=offset) for offset in range(0, len(everything), size)]
    assert all(len(page) == size for page in pages[:-1])
    assert [found for page in pages for found in page] == everything
    assert runner(name, params, limit=3, offset=5) == everything[5:8]
    assert runner(name, params, offset=len(everything) - 2) == everything[-2:]
    assert runner(name, params, limit=0) == []
