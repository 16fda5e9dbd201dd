from __future__ import annotations

from pathlib import Path

import pytest

from models.llm.base import GenerationRequest, LLMBackend, Message
from models.llm.transformers_backend import TransformersBackend
from core.errors import ModelError

from .conftest import bundled_llm_path


def _req(max_tokens: int = 5) -> GenerationRequest:
    return GenerationRequest(messages=[Message(role="user", content="hallo ik wil graag werken")], max_tokens=max_tokens)


def test_local_directory_generates_with_real_transformers(tiny_hf_model_dir: Path) -> None:
    llm = TransformersBackend(tiny_hf_model_dir, context_tokens=8192, device="cpu")
    assert isinstance(llm, LLMBackend)
    assert llm.context_tokens == 128  # capped by the model's max_position_embeddings
    assert llm.count_tokens("hallo ik wil") == 3  # trained merges: one token per word
    first, second = llm.generate(_req()), llm.generate(_req())
    assert first.prompt_tokens > 0 and 1 <= first.completion_tokens <= 5
    assert first.text == second.text  # greedy decoding is deterministic
    assert llm.model_ref.backend == "transformers" and llm.model_ref.path == str(tiny_hf_model_dir)


@pytest.mark.parametrize("name", ["missing-dir", "weights.bin"])
def test_unusable_paths_are_model_errors(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".bin"):
        path.write_bytes(b"x")
    else:
        path.mkdir()
    with pytest.raises(ModelError):
        TransformersBackend(path, device="cpu")


@pytest.mark.slow
def test_bundled_small_gguf_loads_through_transformers() -> None:
    """The 0.5B GGUF dequantised by transformers (~45 s); skipped when it was not pulled."""
    path = bundled_llm_path("qwen2.5-coder-0.5b-instruct")
    if path is None:
        pytest.skip("qwen2.5-coder-0.5b-instruct not pulled (vg models pull qwen2.5-coder-0.5b-instruct)")
    llm = TransformersBackend(path, context_tokens=2048, device="cpu")
    gen = llm.generate(GenerationRequest(messages=[Message(role="user", content="Zeg hallo.")], max_tokens=4))
    assert gen.completion_tokens >= 1 and gen.text.strip()
