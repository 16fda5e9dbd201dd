"""Transcription stage: DecodedAudio -> Transcript, with faster-whisper (or any ASRBackend)."""

from __future__ import annotations

import logging
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.asr import AsrOptions, AsrResult, ASRBackend
from pipeline.audio import DecodedAudio
from pipeline.errors import TranscriptionError
from pipeline.transcript import Segment, Transcript, TranscriptSource, Word

logger = logging.getLogger(__name__)


class TranscribeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    asr: AsrOptions = Field(default_factory=AsrOptions)
    channels: Literal["auto", "mix", "split"] = "auto"
    """How multi-channel audio is handled: ``mix`` to mono, ``split`` transcribes each active
    channel separately (hybrid recordings: room microphone + call), ``auto`` decides per file."""
    drop_no_speech_prob: float = 0.8
    """Segments Whisper itself thinks are not speech (and are unlikely text) are dropped."""


def _to_segments(result: AsrResult, options: TranscribeOptions, channel: int | None) -> list[Segment]:
    segments: list[Segment] = []
    for s in result.segments:
        if not s.text:
            continue
        if (s.no_speech_prob or 0.0) > options.drop_no_speech_prob and (s.avg_logprob or 0.0) < -1.0:
            continue
        segments.append(Segment(
            id=0, start=round(s.start, 3), end=round(s.end, 3), text=s.text, channel=channel,
            words=[Word(start=w.start, end=w.end, word=w.word, probability=w.probability) for w in s.words],
            avg_logprob=s.avg_logprob, no_speech_prob=s.no_speech_prob,
        ))
    return segments


def transcribe(audio: DecodedAudio, asr: ASRBackend, options: TranscribeOptions | None = None) -> Transcript:
    """Recognise speech in ``audio``. Multi-channel audio is mixed or split per ``options.channels``."""
    options = options or TranscribeOptions()
    started = time.perf_counter()
    tracks: list[tuple[int | None, object]] = [(None, audio.mono())]
    channel_info: dict = {"mode": "mix", "channels": audio.channels}
    if audio.channels > 1 and options.channels != "mix":
        from pipeline.diarize.channels import plan_channels

        plan = plan_channels(audio.samples, options.channels)
        tracks = [(t.channel, t.samples) for t in plan.tracks if t.active]
        channel_info = plan.describe() if hasattr(plan, "describe") else {"mode": options.channels}
    language = options.asr.language
    segments: list[Segment] = []
    for channel, samples in tracks:
        result = asr.transcribe(samples, options.asr)
        language = result.language or language
        segments.extend(_to_segments(result, options, channel))
    segments.sort(key=lambda s: (s.start, s.channel or 0))
    for i, seg in enumerate(segments, start=1):
        seg.id = i
    if not segments:
        raise TranscriptionError(
            f"In {audio.filename} is geen spraak herkend.",
            hint="Controleer of de opname verstaanbare spraak bevat en of de taal Nederlands is.",
        )
    logger.info("transcribed %.1f s of audio into %d segments in %.1f s",
                audio.duration, len(segments), time.perf_counter() - started)
    return Transcript(
        language=language,
        duration=round(audio.duration, 3),
        segments=segments,
        source=TranscriptSource(kind="audio", filename=audio.filename, sha256=audio.sha256),
        model=asr.model_ref,
        options={**options.model_dump(), "channel_plan": channel_info},
    )
