"""The speech-recognition backend protocol and its plain result types."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from core.provenance import ModelRef
from core.settings import WORD_TIMESTAMPS_DEFAULT


class Word(BaseModel):
    """One recognised word with its timing (faster-whisper ``word_timestamps=True``).

    The same type is used in the transcript artefact (:mod:`pipeline.transcript`).
    """

    model_config = ConfigDict(extra="forbid")

    start: float
    end: float
    word: str
    probability: float | None = None


class AsrSegment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: float
    end: float
    text: str
    words: list[Word] = Field(default_factory=list)
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


class AsrOptions(BaseModel):
    """Decoding options common to all ASR backends."""

    model_config = ConfigDict(extra="forbid")

    language: str = "nl"
    beam_size: int = 5
    vad_filter: bool = True
    word_timestamps: bool = WORD_TIMESTAMPS_DEFAULT
    """Chosen by measurement on real speech: see docs/asr.md."""
    batch_size: int = 0
    """0: sequential decoding; >0: faster-whisper ``BatchedInferencePipeline`` with this batch size."""
    segment_timestamps: bool = True
    """Batched decoding only: predict segment (sentence-level) timestamps. Cheap; without them a
    segment is a whole VAD chunk of up to 30 s, too coarse to attribute speakers."""
    vad_min_silence_ms: int | None = None
    """Silence (ms) that ends a VAD speech chunk; ``None`` keeps faster-whisper's default (2000 ms
    sequential; the batched pipeline uses its own chunking)."""
    initial_prompt: str | None = None
    condition_on_previous_text: bool = False
    """Off by default: conditioning makes Whisper repeat hallucinations across long silences."""


class AsrResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: str
    language_probability: float | None = None
    duration: float
    segments: list[AsrSegment]


@runtime_checkable
class ASRBackend(Protocol):
    """A loaded speech recogniser. ``audio`` is mono float32 at 16 kHz."""

    name: str

    @property
    def model_ref(self) -> ModelRef: ...

    def transcribe(self, audio: np.ndarray, options: AsrOptions) -> AsrResult: ...
