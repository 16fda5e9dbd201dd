"""Speaker diarization backends: who spoke when.

A backend takes mono 16 kHz float32 audio and returns speaker turns. It never sees text. Backends
are chosen by name (``Settings.diarization_backend``) by :func:`pipeline.backends.build_diarizer`:

- ``resemblyzer`` (default, embedded): d-vectors from Resemblyzer's speaker encoder, which ships
  inside the PyPI wheel (``resemblyzer/pretrained.pt``, Apache-2.0), on sliding windows over speech,
  clustered per conversation (:mod:`models.diarization.clustering`).
- ``pyannote``: a pyannote.audio pipeline loaded from a local directory (production; optional
  dependency, see ``docs/diarization.md``).
- ``none``: no diarization (``build_diarizer`` returns ``None``).
Tests inject ``models.diarization.fake.FakeDiarizer`` directly.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.provenance import ModelRef

SAMPLE_RATE = 16_000


class SpeakerTurn(BaseModel):
    """One stretch of time attributed to one (anonymous) speaker cluster."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: float
    end: float
    speaker: str
    """Backend-local cluster label (e.g. ``"0"``); the stage renames them to ``SPREKER_n``."""


class DiarizationRequest(BaseModel):
    """What the stage knows when it asks a backend to diarize."""

    model_config = ConfigDict(extra="forbid")

    num_speakers: int | None = Field(default=None, ge=1)
    """Exact number of speakers, when known (``--speakers`` or CASE.json participants)."""
    min_speakers: int = Field(default=1, ge=1)
    max_speakers: int = Field(default=6, ge=1)
    speech_regions: list[tuple[float, float]] | None = None
    """(start, end) seconds known to contain speech (e.g. from word timestamps); ``None`` lets the
    backend find speech itself. Backends return turns only inside these regions."""

    @model_validator(mode="after")
    def _bounds(self) -> DiarizationRequest:
        if self.min_speakers > self.max_speakers:
            raise ValueError("min_speakers must not exceed max_speakers")
        return self


class Diarization(BaseModel):
    """Result of a backend: turns sorted by start time plus how the speaker count was chosen."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    turns: list[SpeakerTurn]
    num_speakers: int
    estimated: bool
    """True when the number of speakers was estimated rather than given."""
    model: ModelRef


@runtime_checkable
class DiarizationBackend(Protocol):
    """A loaded diarization model. ``audio`` is mono float32 at 16 kHz."""

    name: str

    @property
    def model_ref(self) -> ModelRef: ...

    def diarize(self, audio: np.ndarray, request: DiarizationRequest) -> Diarization: ...


BACKENDS = ("resemblyzer", "pyannote", "none")


def as_mono_float32(audio: np.ndarray) -> np.ndarray:
    """Validate backend input: 1-D float32 samples at 16 kHz."""
    array = np.asarray(audio)
    if array.ndim != 1:
        raise ValueError(f"diarization backends take mono audio, got shape {array.shape}")
    return array.astype(np.float32, copy=False)


__all__ = [
    "BACKENDS",
    "Diarization",
    "DiarizationBackend",
    "DiarizationRequest",
    "SAMPLE_RATE",
    "SpeakerTurn",
    "as_mono_float32",
]
