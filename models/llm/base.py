"""The LLM backend protocol. A backend implements ``generate``; capabilities are attributes."""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from core.provenance import ModelRef


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant"]
    content: str


class GenerationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messages: list[Message]
    json_schema: dict[str, Any] | None = None
    """When set, the backend constrains decoding to this schema if it can (``supports_json_schema``)."""
    max_tokens: int = 512
    temperature: float = 0.0
    seed: int = 0
    task: str | None = None
    """Label of the task (e.g. the verslag section), for diagnostics and scripted fakes; never content."""


class Generation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_seconds: float | None = None
    generation_seconds: float | None = None
    wall_seconds: float = 0.0
    finish_reason: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class LLMBackend(Protocol):
    """A loaded language model. Load once (CLI start or service lifespan), reuse for every call."""

    name: str
    """Registry name of the backend."""
    supports_json_schema: bool
    """True when ``generate`` enforces ``json_schema`` during decoding."""
    context_tokens: int
    """Usable context window in tokens (prompt + completion)."""

    @property
    def model_ref(self) -> ModelRef: ...

    def count_tokens(self, text: str) -> int: ...

    def generate(self, request: GenerationRequest) -> Generation: ...
