"""Nesting is measured outside strings, and deep documents are refused before the parser recurses."""

from __future__ import annotations

import pytest

from core.safe_json import MAX_DEPTH, JsonTooDeepError, loads_limited, nesting_depth
from pipeline.case import load_case


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("{}", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('{"tekst": "[[[[{{{{"}', 1),
        ('{"tekst": "een \\" en [[["}', 1),
        ('"geen haken"', 0),
        ("[" * 10 + "]" * 10, 10),
    ],
)
def test_depth_counts_brackets_outside_strings(text: str, depth: int) -> None:
    assert nesting_depth(text) == depth


@pytest.mark.parametrize("text", ["[" * MAX_DEPTH + "]" * MAX_DEPTH, '{"a": "' + "[" * 10_000 + '"}'])
def test_documents_within_the_limit_parse(text: str) -> None:
    loads_limited(text)


@pytest.mark.parametrize("text", ["[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "[" * 100_000, '{"a":' * 50_000])
def test_deeper_documents_are_refused_without_recursion(text: str) -> None:
    with pytest.raises(JsonTooDeepError):
        loads_limited(text)


def test_a_case_file_with_brackets_in_its_text_is_valid(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "case.json"
    path.write_text('{"regio": "' + "[" * 200 + '"}', encoding="utf-8")
    assert load_case(path).regio == "[" * 200
