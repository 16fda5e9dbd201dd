"""A scripted, deterministic LLM for tests and ``--llm fake``.

Responses come from a script keyed by ``GenerationRequest.task`` (each key holds a list that is
consumed in order, the last entry repeating), or from a callable. Without a script the fake answers
with the smallest JSON document that validates against the requested schema (empty lists, nulls):
an honest "nothing found", never invented content.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from models.llm.base import Generation, GenerationRequest
from core.provenance import ModelRef

Responder = Callable[[GenerationRequest], str]


def minimal_instance(schema: Mapping[str, Any], defs: Mapping[str, Any] | None = None) -> Any:
    """The smallest value valid under a (pydantic-style) JSON schema."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return minimal_instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = schema[key]
            null = next((o for o in options if o.get("type") == "null"), None)
            return None if null is not None else minimal_instance(options[0], defs)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = "null" if "null" in kind else kind[0]
    if kind == "object":
        return {
            name: minimal_instance(sub, defs)
            for name, sub in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return [minimal_instance(schema["items"], defs) for _ in range(schema.get("minItems", 0))]
    return {"string": "", "integer": 0, "number": 0.0, "boolean": False, "null": None}.get(kind)


def _default_responder(request: GenerationRequest) -> str:
    if request.json_schema is None:
        return ""
    return json.dumps(minimal_instance(request.json_schema), ensure_ascii=False)


class FakeLLM:
    """Deterministic stand-in for an :class:`~models.llm.base.LLMBackend`."""

    name = "fake"

    def __init__(
        self,
        script: Mapping[str, str | Sequence[str]] | Responder | None = None,
        *,
        context_tokens: int = 8192,
        supports_json_schema: bool = True,
        chars_per_token: float = 4.0,
    ) -> None:
        self.context_tokens = context_tokens
        self.supports_json_schema = supports_json_schema
        self.chars_per_token = chars_per_token
        self.requests: list[GenerationRequest] = []
        self._responder: Responder | None = script if callable(script) else None
        self._script: dict[str, list[str]] = {}
        if script is not None and not callable(script):
            for task, answers in script.items():
                self._script[task] = [answers] if isinstance(answers, str) else list(answers)
        self._calls: dict[str, int] = {}

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend=self.name, name="fake-scripted")

    def count_tokens(self, text: str) -> int:
        return max(1, int(len(text) / self.chars_per_token + 0.999)) if text else 0

    def calls_for(self, task: str) -> int:
        return self._calls.get(task, 0)

    def generate(self, request: GenerationRequest) -> Generation:
        started = time.perf_counter()
        self.requests.append(request)
        task = request.task or ""
        n = self._calls.get(task, 0)
        self._calls[task] = n + 1
        if self._responder is not None:
            text = self._responder(request)
        elif task in self._script:
            answers = self._script[task]
            text = answers[min(n, len(answers) - 1)]
        else:
            text = _default_responder(request)
        prompt_tokens = sum(self.count_tokens(m.content) for m in request.messages)
        completion_tokens = self.count_tokens(text)
        if completion_tokens > request.max_tokens:
            text = text[: int(request.max_tokens * self.chars_per_token)]
            completion_tokens, finish = request.max_tokens, "length"
        else:
            finish = "stop"
        return Generation(
            text=text,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            wall_seconds=time.perf_counter() - started,
            finish_reason=finish,
        )
