"""Hostile documents: every reader, fed mutated shipped documents, returns a standard or raises `ParseError`.

Seeds are the shipped documents (`data/standards/*.txt` in both text layouts, the
`data/corpus/*.json` files); mutations work on lines (delete, repeat, swap, truncate,
splice in lines of other documents or odd text), on bytes (flips, invalid UTF-8) and on
the JSON tree (a value replaced by any JSON value, a key removed). Each document must be
read within a time limit, so a hang fails too.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import Standard
from kg.sources.formats import ParseError, detect, parse
from tests.conftest import DATA

TEXT_SEEDS = sorted((DATA / "standards").glob("*.txt"))
JSON_SEEDS = sorted((DATA / "corpus").glob("*.json"))
SECONDS = 10  # far above any real document's reading time

ODD = st.sampled_from(
    [
        "",
        "\x00",
        "\u202e\u200f",  # RTL override and mark
        "\ufeff",
        "🧑‍🔧",
        "e\u0301",  # an unnormalised é
        "²",  # a digit to str.isdigit, not to int()
        "T1.1",
        "T99.99.99",
        "K01",
        "P1.1.1",
        "O1.1.1",
        "主要職責",
        "工作任務",
        "職能級別",
        "\t|\t",
        "-1",
        "9" * 40,
        "{",
        "[" * 5000,
    ]
)
FRAGMENT = st.one_of(ODD, st.text(max_size=30))
settings.register_profile("fuzz", deadline=None, suppress_health_check=list(HealthCheck), database=None)
FUZZ = settings(settings.get_profile("fuzz"), max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")))


@contextlib.contextmanager
def within(seconds: int) -> Iterator[None]:
    """Raise TimeoutError if the block runs longer than `seconds` (a hang, not a slow parse)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read_text(text: str) -> Standard | ParseError:
    """The standard `text` holds, or the `ParseError` its reader raises; anything else propagates."""
    with within(SECONDS):
        try:
            return detect(text, "fuzzed").read(text, "fuzzed")
        except ParseError as error:
            assert error.source == "fuzzed" and error.where and error.message
            return error


@st.composite
def mutated_lines(draw: st.DrawFn, seeds: list[Path]) -> str:
    lines = draw(st.sampled_from(seeds)).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    donors = draw(st.sampled_from([*TEXT_SEEDS, *JSON_SEEDS[:3]])).read_text(encoding="utf-8-sig").splitlines(True)
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "swap", "truncate", "donor", "odd", "cut"]))
        if action == "delete":
            del lines[at : at + draw(st.integers(1, 20))]
        elif action == "repeat":
            lines[at:at] = lines[at : at + draw(st.integers(1, 10))] * draw(st.integers(1, 3))
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "truncate":
            del lines[at:]
        elif action == "donor":
            lines.insert(at, draw(st.sampled_from(donors)))
        elif action == "odd":
            lines.insert(at, draw(FRAGMENT) + "\n")
        else:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut] + draw(FRAGMENT) + line[cut:]
    return "".join(lines)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | FRAGMENT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@st.composite
def mutated_json(draw: st.DrawFn) -> str:
    data = json.loads(draw(st.sampled_from(JSON_SEEDS)).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 5))):
        paths = [path for path in _paths(data) if path]
        if not paths:
            break
        *parent_path, key = draw(st.sampled_from(paths))
        parent = data
        for step in parent_path:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[key]
        else:
            parent[key] = draw(JSON_VALUES)
    return json.dumps(data, ensure_ascii=draw(st.booleans()))


@FUZZ
@given(mutated_lines(TEXT_SEEDS))
def test_the_text_layouts_read_mutated_documents_or_name_the_line(text: str) -> None:
    read_text(text)


@FUZZ
@given(mutated_json())
def test_the_json_format_reads_mutated_documents_or_names_the_field(text: str) -> None:
    read_text(text)


@FUZZ
@given(mutated_lines(JSON_SEEDS))
def test_the_json_format_reads_broken_json_text_or_names_the_line(text: str) -> None:
    read_text(text)


@settings(FUZZ, max_examples=60)
@given(
    st.sampled_from([*TEXT_SEEDS, *JSON_SEEDS]), st.lists(st.tuples(st.integers(0), st.binary(max_size=4)), max_size=6)
)
def test_files_with_damaged_bytes_are_read_or_refused_with_the_file_named(
    tmp_path_factory: Any, seed: Path, damage: list[tuple[int, bytes]]
) -> None:
    data = bytearray(seed.read_bytes())
    for position, replacement in damage:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    path = tmp_path_factory.mktemp("damaged") / seed.name
    path.write_bytes(bytes(data))
    with within(SECONDS):
        try:
            parse(path)
        except ParseError as error:
            assert error.source == str(path)


def test_deeply_nested_json_is_a_parse_error() -> None:
    for text in ['{"ocs_profile": ' + "[" * 100_000 + "]" * 100_000 + "}", '{"version_info": ' + "{" * 100_000]:
        assert isinstance(read_text(text), ParseError)


def test_a_level_in_digits_int_cannot_read_is_a_parse_error() -> None:
    data = json.loads(JSON_SEEDS[0].read_text(encoding="utf-8"))
    data["ocs_profile"]["ocs_level"] = "²"  # str.isdigit says yes, int() says no
    error = read_text(json.dumps(data))
    assert isinstance(error, ParseError) and error.where == "field ocs_profile.ocs_level"
