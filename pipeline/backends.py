"""Loaded backends for one process, and the one place where settings turn into backends.

Backends in ``models/`` take explicit arguments (paths, device, threads); only the ``build_*``
factories below read :class:`~core.settings.Settings`. Entry points create one :class:`Backends`
(CLI start-up, FastAPI lifespan, an evaluation run) and pass it to
:func:`pipeline.runner.run_pipeline`. Each heavy model loads once, on first use, never at import.
Tests inject fakes through the constructor.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from core.errors import ModelError
from core.settings import Settings
from models.registry import resolve_model_path

if TYPE_CHECKING:
    from models.asr import ASRBackend
    from models.diarization import DiarizationBackend
    from models.embeddings import EmbeddingBackend
    from models.llm.base import LLMBackend
    from pipeline.deid import DeidOptions
    from pipeline.deid.engine import DeidEngine
    from pipeline.kaart.store import Catalogue

LLM_BACKENDS = ("llama-cpp", "transformers", "openai-compatible", "fake")
DIARIZATION_BACKENDS = ("resemblyzer", "pyannote", "none")


def build_asr(settings: Settings) -> ASRBackend:
    """The configured speech recogniser (loads the model once)."""
    from models.asr_faster_whisper import FakeASR, FasterWhisperBackend

    if settings.asr_backend == "fake":
        return FakeASR()
    path, bundled = resolve_model_path(settings.asr_model, settings.models_dir, kind="asr")
    return FasterWhisperBackend(
        path, device=settings.asr_device, compute_type=settings.asr_compute_type,
        cpu_threads=settings.asr_threads, model_name=settings.asr_model if bundled else path.name,
        sha256=bundled.main_sha256() if bundled else None,
    )


def build_llm(settings: Settings) -> LLMBackend:
    """The backend named by ``settings.llm_backend``, from local files or a local server."""
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
            settings.llm_base_url, settings.llm_model, api_key=settings.llm_api_key,
            context_tokens=settings.llm_context_tokens, timeout_seconds=settings.llm_timeout_seconds,
        )
    path, bundled = resolve_model_path(settings.llm_model, settings.models_dir, kind="llm")
    name = bundled.name if bundled else path.name
    sha256 = bundled.main_sha256() if bundled else None
    if backend == "llama-cpp":
        from models.llm.llama_cpp import LlamaCppBackend

        return LlamaCppBackend(
            path, context_tokens=settings.llm_context_tokens, threads=settings.llm_threads,
            seed=settings.llm_seed, model_name=name, sha256=sha256, gpu_layers=settings.llm_gpu_layers,
        )
    if backend == "transformers":
        from models.llm.transformers_backend import TransformersBackend

        return TransformersBackend(
            path, context_tokens=settings.llm_context_tokens, device=settings.llm_device,
            threads=settings.llm_threads, seed=settings.llm_seed, model_name=name, sha256=sha256,
        )
    raise ModelError(  # pragma: no cover - Settings validates the literal
        f"Onbekende LLM-backend '{backend}'.", hint=f"Kies een van: {', '.join(LLM_BACKENDS)}."
    )


def build_diarizer(settings: Settings) -> DiarizationBackend | None:
    """The configured diarization backend; ``None`` for ``none``."""
    name = settings.diarization_backend
    if name == "none":
        return None
    if name == "resemblyzer":
        from models.diarization.resemblyzer_backend import ResemblyzerDiarizer

        return ResemblyzerDiarizer.load(
            window_seconds=settings.diarization_window_seconds,
            step_seconds=settings.diarization_step_seconds,
            clustering=settings.diarization_clustering,
        )
    if name == "pyannote":
        from models.diarization.pyannote_backend import PyannoteDiarizer

        return PyannoteDiarizer.load(settings.pyannote_pipeline_dir)
    raise ModelError(
        f"Onbekende diarisatie-backend '{name}'.",
        hint=f"Kies een van: {', '.join(DIARIZATION_BACKENDS)} (instelling VG_DIARIZATION_BACKEND).",
    )


class Backends:
    """The backends of one process, each built from settings on first use (or injected)."""

    def __init__(self, settings: Settings, **injected: Any) -> None:
        self.settings = settings
        for name, value in injected.items():
            if value is not None:
                self.__dict__[name] = value  # pre-fills the cached_property of the same name

    @cached_property
    def asr(self) -> ASRBackend:
        return build_asr(self.settings)

    @cached_property
    def llm(self) -> LLMBackend:
        return build_llm(self.settings)

    @cached_property
    def diarizer(self) -> DiarizationBackend | None:
        return build_diarizer(self.settings)

    @cached_property
    def embedder(self) -> EmbeddingBackend | None:
        if not self.settings.embedding_model:
            return None
        from models.embeddings_st import load_embedder

        return load_embedder(self.settings.embedding_model)

    @cached_property
    def deid_engine(self) -> DeidEngine:
        from pipeline.deid import build_engine

        return build_engine(self.deid_options)

    @cached_property
    def deid_options(self) -> DeidOptions:
        from pipeline.stage_options import deid_options

        return deid_options(self.settings)

    @cached_property
    def catalogue(self) -> Catalogue:
        from pipeline.kaart import open_catalogue

        return open_catalogue(self.settings.database_path, seed_if_empty=True)

    @cached_property
    def vault_key(self) -> bytes:
        from pipeline.deid.vault import settings_key

        return settings_key(self.settings)
