from __future__ import annotations

from pathlib import Path

import pytest

from models.llm.fake import FakeLLM
from models.llm.openai_compatible import OpenAICompatibleBackend
from pipeline.backends import build_llm
from core.settings import Settings
from core.errors import ModelError


def test_fake_backend_by_configuration(tmp_path: Path) -> None:
    llm = build_llm(Settings(llm_backend="fake", llm_context_tokens=2048, models_dir=tmp_path))
    assert isinstance(llm, FakeLLM) and llm.context_tokens == 2048


def test_openai_compatible_needs_a_base_url(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        build_llm(Settings(llm_backend="openai-compatible", llm_base_url=None, models_dir=tmp_path))
    assert "VG_LLM_BASE_URL" in (err.value.hint or "")


def test_openai_compatible_is_built_without_contacting_the_server(tmp_path: Path) -> None:
    llm = build_llm(Settings(llm_backend="openai-compatible", llm_base_url="http://127.0.0.1:9/v1",
                            llm_model="qwen", models_dir=tmp_path))
    assert isinstance(llm, OpenAICompatibleBackend) and llm.model_ref.name == "qwen"


@pytest.mark.parametrize("backend", ["llama-cpp", "transformers"])
def test_missing_bundled_model_says_how_to_get_it(tmp_path: Path, backend: str) -> None:
    with pytest.raises(ModelError) as err:
        build_llm(Settings(llm_backend=backend, llm_model="qwen2.5-coder-1.5b-instruct", models_dir=tmp_path))
    assert "vg models pull" in (err.value.hint or "")


def test_llama_cpp_refuses_a_file_that_is_not_gguf(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        build_llm(Settings(llm_backend="llama-cpp", llm_model=str(bogus), models_dir=tmp_path))
