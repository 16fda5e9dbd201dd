"""Provenance records carried by every artefact: which model, prompt and options produced it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ModelRef(BaseModel):
    """Identifies the model that produced an artefact."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    backend: str
    """Registry name of the backend, e.g. ``faster-whisper``, ``llama-cpp``, ``fake``."""
    name: str
    """Human-readable model id, e.g. ``whisper-base`` or ``qwen2.5-coder-1.5b-instruct-q4_k_m``."""
    path: str | None = None
    """Local path the model was loaded from (never a hub id)."""
    sha256: str | None = None
    """SHA-256 of the main weights file, when known."""


class StageInfo(BaseModel):
    """How a stage ran: timing, peak memory, models, prompt versions and options."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    stage: str
    wall_seconds: float = 0.0
    peak_rss_mb: float | None = None
    models: list[ModelRef] = Field(default_factory=list)
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)
    input_sha256: str | None = None
    reused: bool = False
    """True when the stage output was taken from a previous run with identical inputs."""
