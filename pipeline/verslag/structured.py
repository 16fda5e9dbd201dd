"""Structured generation with validate-and-repair and a bounded number of retries.

The model's answer is parsed with ``model_validate_json``. On failure the validation errors (never
the input text) go back to the model with the repair prompt; after ``max_retries`` repairs the
caller gets ``value=None`` and the raw outputs, and leaves its section empty. Bad model output never
raises.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from models.llm.base import GenerationRequest, LLMBackend, Message
from pipeline.verslag.prompts import Prompt

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

MAX_ECHO_CHARS = 1500
"""How much of a failed answer is shown back to the model in the repair request."""


@dataclass
class StructuredResult(Generic[T]):
    value: T | None
    attempts: int = 0
    errors: list[str] = field(default_factory=list)
    raw_outputs: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


def describe_errors(exc: ValidationError, limit: int = 8) -> list[str]:
    """Validation errors as ``location: message`` lines, without the offending input."""
    lines = []
    for err in exc.errors(include_input=False, include_url=False)[:limit]:
        loc = ".".join(str(p) for p in err["loc"]) or "(hoofdniveau)"
        lines.append(f"{loc}: {err['msg']}")
    return lines


def schema_for(model: type[BaseModel]) -> dict:
    return model.model_json_schema()


def generate_structured(
    llm: LLMBackend,
    messages: list[Message],
    output: type[T],
    *,
    repair_prompt: Prompt,
    task: str,
    max_tokens: int,
    max_retries: int,
    temperature: float = 0.0,
    seed: int = 0,
) -> StructuredResult[T]:
    schema = schema_for(output)
    result: StructuredResult[T] = StructuredResult(value=None)
    conversation = list(messages)
    started = time.perf_counter()
    for attempt in range(1 + max_retries):
        request = GenerationRequest(
            messages=conversation,
            json_schema=schema,
            max_tokens=max_tokens,
            temperature=temperature,
            seed=seed + attempt,
            task=task,
        )
        generation = llm.generate(request)
        result.attempts = attempt + 1
        result.prompt_tokens += generation.prompt_tokens
        result.completion_tokens += generation.completion_tokens
        try:
            result.value = output.model_validate_json(_strip_fences(generation.text))
            break
        except ValidationError as exc:
            problems = describe_errors(exc)
            if generation.finish_reason == "length":
                problems.insert(0, "het antwoord werd afgebroken (maximaal aantal tokens bereikt)")
            result.errors.append("; ".join(problems))
            result.raw_outputs.append(generation.text)
            logger.info("section %s attempt %d failed validation (%d problems)", task, attempt + 1, len(problems))
            repair = repair_prompt.text.replace("{fouten}", "\n".join(f"- {p}" for p in problems))
            conversation = [
                *messages,
                Message(role="assistant", content=generation.text[:MAX_ECHO_CHARS]),
                Message(role="user", content=repair),
            ]
    result.seconds = time.perf_counter() - started
    return result


def _strip_fences(text: str) -> str:
    """Backends without constrained decoding often wrap JSON in a Markdown code fence."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        if stripped.rstrip().endswith("```"):
            stripped = stripped.rstrip()[:-3]
    return stripped.strip()


def schema_instruction(output: type[BaseModel]) -> str:
    """Schema text for backends that cannot constrain decoding themselves."""
    return "Antwoord uitsluitend met JSON volgens dit schema:\n" + json.dumps(
        schema_for(output), ensure_ascii=False
    )
