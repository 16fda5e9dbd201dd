"""Transcript artefacts.

A :class:`Transcript` holds raw recognised speech and therefore personal data. A
:class:`PseudonymisedTranscript` is the only transcript type the LLM stages accept: it can only be
produced by the de-identification stage (see ``pipeline.deid``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.provenance import ModelRef
from models.asr import Word  # noqa: F401 - one word type, shared with the ASR backends

SCHEMA_VERSION = 1

Role = Literal["inwoner", "naaste", "ggz", "sociaal", "ervaringsdeskundige", "poh", "onbekend"]


class Segment(BaseModel):
    """One stretch of speech by one speaker."""

    model_config = ConfigDict(extra="forbid")

    id: int
    """1-based, stable within a transcript; the verslag cites these ids in ``bronnen``."""
    start: float = Field(ge=0, allow_inf_nan=False)
    """Seconds from the start of the recording (finite, not negative: an imported transcript.json
    with NaN or infinite times is refused)."""
    end: float = Field(ge=0, allow_inf_nan=False)
    speaker: str | None = None
    """Speaker label (``SPREKER_1`` ...), or ``None`` before diarization."""
    role: Role | None = None
    """Proposed or confirmed role of the speaker."""
    text: str
    words: list[Word] = Field(default_factory=list)
    channel: int | None = None
    """Audio channel the segment came from when channels were transcribed separately."""
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


class TranscriptSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["audio", "webvtt", "json", "text"]
    filename: str
    """Base name only: full paths can contain names of people."""
    sha256: str


class Transcript(BaseModel):
    """Raw transcript: contains personal data. Never passed to an LLM."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    schema_version: int = SCHEMA_VERSION
    language: str = "nl"
    duration: float
    """Seconds of audio (or the end of the last segment for imported transcripts)."""
    segments: list[Segment]
    source: TranscriptSource
    model: ModelRef | None = None
    options: dict = Field(default_factory=dict)
    speakers: dict[str, Role] = Field(default_factory=dict)
    """Speaker label -> role, as proposed by diarization or confirmed by the gespreksduo."""

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


class DetectedEntity(BaseModel):
    """A detected personal-data span. Offsets refer to the *original* segment text.

    The original value is never stored here; only in the encrypted vault.
    """

    model_config = ConfigDict(extra="forbid")

    segment_id: int | None = None
    start: int
    end: int
    type: str
    score: float
    recognizer: str
    """The recognizer whose proposal decided the span's type (see ``pipeline/deid/decide.py``)."""
    evidence: list[str] = Field(default_factory=list)
    """Every recognizer that proposed (part of) the span, as ``name:TYPE:score``."""
    placeholder: str


class PseudonymisedSegment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    start: float
    end: float
    speaker: str | None = None
    """Role placeholder such as ``[INWONER]`` when the role is known, else the speaker label."""
    role: Role | None = None
    text: str


class PseudonymisedTranscript(BaseModel):
    """Transcript with personal data replaced by consistent typed placeholders.

    This is the only transcript type the drafting stage accepts.
    """

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    schema_version: int = SCHEMA_VERSION
    language: str = "nl"
    duration: float
    segments: list[PseudonymisedSegment]
    entities: list[DetectedEntity] = Field(default_factory=list)
    placeholders: list[str] = Field(default_factory=list)
    """All placeholders in use, e.g. ``[INWONER]``, ``[PERSOON-1]``."""
    vault_file: str | None = None
    """File name of the encrypted mapping placeholder -> original (relative to the output dir)."""
    options: dict = Field(default_factory=dict)
    recognizers: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)

    def render_for_prompt(self, segment_ids: list[int] | None = None) -> str:
        """Lines ``[id] SPEAKER: text`` for the LLM prompt."""
        wanted = None if segment_ids is None else set(segment_ids)
        lines = []
        for s in self.segments:
            if wanted is not None and s.id not in wanted:
                continue
            who = s.speaker or "SPREKER"
            lines.append(f"[{s.id}] {who}: {s.text}")
        return "\n".join(lines)
