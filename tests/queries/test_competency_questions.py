"""Every competency question answers what the documents say (see cases.py, oracle.py)."""

from __future__ import annotations

import pytest

from kg.queries import load
from tests.queries.cases import CASES, Case
from tests.queries.conftest import Runner
from tests.queries.oracle import Corpus


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_query_answers_as_the_documents_do(
    case: Case, runners: dict[str, Runner], corpora: dict[str, Corpus]
) -> None:
    expected = case.expected(corpora[case.data], case.params)
    assert bool(expected) != case.empty, "the case asks nothing the data can answer"
    actual = runners[case.data](case.query, case.params)
    case.check(actual, expected)


def test_the_cases_ask_every_query() -> None:
    assert {case.query for case in CASES} == set(load())
