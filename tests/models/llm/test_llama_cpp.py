from __future__ import annotations

import json

import pytest

from models.llm.base import GenerationRequest, LLMBackend, Message
from models.llm.llama_cpp import LlamaCppBackend
from pipeline.verslag.sections import ItemsSection

from .conftest import bundled_llm_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llm() -> LlamaCppBackend:
    path = bundled_llm_path("qwen2.5-coder-1.5b-instruct")
    assert path is not None, "bundled model missing: run 'vg models pull'"
    return LlamaCppBackend(path, context_tokens=2048, seed=0)


def test_constrained_json_validates_against_the_section_schema(llm: LlamaCppBackend) -> None:
    assert isinstance(llm, LLMBackend)
    request = GenerationRequest(
        messages=[
            Message(role="system", content="Antwoord alleen met JSON."),
            Message(role="user", content="[1] INWONER: Ik wil graag weer gaan werken.\n"
                                         "Geef de ik-wil-punten met de segmentnummers als bronnen."),
        ],
        json_schema=ItemsSection.model_json_schema(),
        max_tokens=120,
    )
    gen = llm.generate(request)
    parsed = ItemsSection.model_validate_json(gen.text)  # constrained decoding: always valid when finished
    assert gen.finish_reason == "stop", gen.finish_reason
    assert all(isinstance(b, int) for item in parsed.items for b in item.bronnen)
    assert gen.prompt_tokens > 0 and gen.completion_tokens > 0
    assert gen.generation_seconds is not None and gen.generation_seconds > 0
    # Same request, same seed: same answer (and the prompt prefix is reused from the cache).
    again = llm.generate(request)
    assert again.text == gen.text
    json.loads(again.text)


def test_count_tokens_uses_the_model_tokenizer(llm: LlamaCppBackend) -> None:
    assert llm.count_tokens("") == 0
    assert 3 <= llm.count_tokens("Hallo, hoe gaat het?") <= 10
