from __future__ import annotations

import json

import pytest

from models.llm.base import GenerationRequest, LLMBackend, Message
from models.llm.fake import FakeLLM, minimal_instance


def _request(task: str | None = None, schema: dict | None = None, max_tokens: int = 512) -> GenerationRequest:
    return GenerationRequest(messages=[Message(role="user", content="hallo")], json_schema=schema,
                             task=task, max_tokens=max_tokens)


def test_fake_satisfies_protocol() -> None:
    assert isinstance(FakeLLM(), LLMBackend)


def test_script_is_consumed_in_order_and_last_answer_repeats() -> None:
    llm = FakeLLM({"a": ["1", "2"], "b": "x"})
    answers = [llm.generate(_request("a")).text for _ in range(3)]
    assert answers == ["1", "2", "2"]
    assert llm.generate(_request("b")).text == "x"
    assert llm.calls_for("a") == 3 and llm.calls_for("b") == 1
    assert [r.task for r in llm.requests] == ["a", "a", "a", "b"]


def test_callable_script_sees_the_request() -> None:
    llm = FakeLLM(lambda req: req.messages[0].content.upper())
    assert llm.generate(_request()).text == "HALLO"


def test_answer_longer_than_max_tokens_is_cut_and_marked() -> None:
    llm = FakeLLM({"t": "x" * 400}, chars_per_token=4)
    gen = llm.generate(_request("t", max_tokens=10))
    assert gen.finish_reason == "length" and len(gen.text) == 40 and gen.completion_tokens == 10


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "string"}}},
          "required": ["items"]}, {"items": []}),
        ({"type": "object", "properties": {"x": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
          "required": ["x"]}, {"x": None}),
        ({"type": "object", "properties": {"k": {"enum": ["ggz", "overlegtafel"]}}, "required": ["k"]}, {"k": "ggz"}),
        ({"type": "object", "properties": {"o": {"$ref": "#/$defs/O"}}, "required": ["o"],
          "$defs": {"O": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}}},
         {"o": {"n": 0}}),
        ({"type": "object", "properties": {"optional": {"type": "string"}}}, {}),
    ],
)
def test_minimal_instance(schema: dict, expected: object) -> None:
    assert minimal_instance(schema) == expected


def test_default_answer_is_minimal_valid_json_for_the_schema() -> None:
    schema = {"type": "object", "properties": {"items": {"type": "array", "items": {}}}, "required": ["items"]}
    assert json.loads(FakeLLM().generate(_request("unscripted", schema)).text) == {"items": []}
    assert FakeLLM().generate(_request("unscripted", None)).text == ""
