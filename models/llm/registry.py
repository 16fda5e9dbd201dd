"""Choose and load the configured LLM backend (once, explicitly; never at import)."""

from __future__ import annotations

import logging

from models.llm.base import LLMBackend
from models.registry import resolve_model_path
from core.settings import Settings
from core.errors import ModelError

logger = logging.getLogger(__name__)

BACKENDS = ("llama-cpp", "transformers", "openai-compatible", "fake")


def load_llm(settings: Settings) -> LLMBackend:
    """Build the backend named by ``settings.llm_backend`` from local files or a local server."""
    backend = settings.llm_backend
    if backend == "fake":
        from models.llm.fake import FakeLLM

        return FakeLLM(context_tokens=settings.llm_context_tokens)
    if backend == "openai-compatible":
        from models.llm.openai_compatible import OpenAICompatibleBackend

        if not settings.llm_base_url:
            raise ModelError(
                "Voor de openai-compatible backend is een server-URL nodig.",
                hint="Zet VG_LLM_BASE_URL, bijvoorbeeld http://127.0.0.1:8000/v1, en VG_LLM_MODEL op de modelnaam van de server.",
            )
        return OpenAICompatibleBackend(
            settings.llm_base_url,
            settings.llm_model,
            api_key=settings.llm_api_key,
            context_tokens=settings.llm_context_tokens,
            timeout_seconds=settings.llm_timeout_seconds,
        )
    path, bundled = resolve_model_path(settings.llm_model, settings.models_dir, kind="llm")
    name = bundled.name if bundled else path.name
    sha256 = bundled.main_sha256() if bundled else None
    if backend == "llama-cpp":
        from models.llm.llama_cpp import LlamaCppBackend

        return LlamaCppBackend(
            path,
            context_tokens=settings.llm_context_tokens,
            threads=settings.llm_threads,
            seed=settings.llm_seed,
            model_name=name,
            sha256=sha256,
            gpu_layers=settings.llm_gpu_layers,
        )
    if backend == "transformers":
        from models.llm.transformers_backend import TransformersBackend

        return TransformersBackend(
            path,
            context_tokens=settings.llm_context_tokens,
            device=settings.llm_device,
            threads=settings.llm_threads,
            seed=settings.llm_seed,
            model_name=name,
            sha256=sha256,
        )
    raise ModelError(  # pragma: no cover - Settings validates the literal
        f"Onbekende LLM-backend '{backend}'.", hint=f"Kies een van: {', '.join(BACKENDS)}."
    )
