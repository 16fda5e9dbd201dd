"""Transcription stage: DecodedAudio -> Transcript, with faster-whisper (or any ASRBackend)."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from models.asr import AsrOptions, AsrResult, ASRBackend
from pipeline.audio import DecodedAudio
from core.errors import TranscriptionError
from pipeline.transcript import Segment, Transcript, TranscriptSource, Word

if TYPE_CHECKING:
    from pipeline.diarize.channels import ChannelPlan

logger = logging.getLogger(__name__)


class TranscribeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    asr: AsrOptions = Field(default_factory=AsrOptions)
    channels: Literal["auto", "mix", "split"] = "auto"
    """How multi-channel audio is handled: ``mix`` to mono, ``split`` transcribes each active
    channel separately (hybrid recordings: room microphone + call), ``auto`` decides per file."""
    drop_no_speech_prob: float = 0.8
    """Segments Whisper itself thinks are not speech (and are unlikely text) are dropped."""
    chunk_seconds: float = Field(default=600.0, ge=60.0)
    """Long audio is recognised in pieces of at most this length, cut at the quietest 100 ms of the
    last 10 s of each piece: faster-whisper computes the spectrogram (and its STFT, ~2.5x the
    audio's size in memory) of everything it is given, so one call on 3 hours would hold several GB
    on top of the audio. Pieces keep that bounded by the piece length."""


SR = 16_000


def chunk_bounds(samples: np.ndarray, chunk_seconds: float, search_seconds: float = 10.0) -> list[tuple[int, int]]:
    """(start, end) sample ranges covering ``samples``, each at most ``chunk_seconds`` long, cut at
    the lowest-energy 100 ms frame within the last ``search_seconds`` of each range."""
    n, size, frame = len(samples), int(chunk_seconds * SR), SR // 10
    bounds, start = [], 0
    while n - start > size:
        lo, hi = start + size - int(search_seconds * SR), start + size
        frames = samples[lo:hi][: (hi - lo) // frame * frame].reshape(-1, frame)
        cut = lo + int(np.argmin((frames.astype(np.float64) ** 2).sum(axis=1))) * frame + frame // 2
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


def _recognise(samples: np.ndarray, asr: ASRBackend, options: TranscribeOptions) -> AsrResult:
    """One ASR call per piece (see ``chunk_seconds``), segment and word times shifted back."""
    bounds = chunk_bounds(samples, options.chunk_seconds)
    if len(bounds) == 1:
        return asr.transcribe(samples, options.asr)
    merged: AsrResult | None = None
    for start, end in bounds:
        part = asr.transcribe(samples[start:end], options.asr)
        offset = start / SR
        shifted = [s.model_copy(update={
            "start": s.start + offset, "end": s.end + offset,
            "words": [w.model_copy(update={"start": w.start + offset, "end": w.end + offset}) for w in s.words],
        }) for s in part.segments]
        if merged is None:
            merged = part.model_copy(update={"segments": shifted, "duration": len(samples) / SR})
        else:
            merged.segments.extend(shifted)
    assert merged is not None
    return merged


def _to_segments(result: AsrResult, options: TranscribeOptions, channel: int | None) -> list[Segment]:
    segments: list[Segment] = []
    for s in result.segments:
        if not s.text:
            continue
        if (s.no_speech_prob or 0.0) > options.drop_no_speech_prob and (s.avg_logprob or 0.0) < -1.0:
            continue
        segments.append(Segment(
            id=0, start=round(s.start, 3), end=round(s.end, 3), text=s.text, channel=channel,
            words=list(s.words),
            avg_logprob=s.avg_logprob, no_speech_prob=s.no_speech_prob,
        ))
    return segments


def _transcript(audio: DecodedAudio, segments: list[Segment], language: str, asr: ASRBackend,
                options: TranscribeOptions, channel_info: dict) -> Transcript:
    for i, seg in enumerate(segments, start=1):
        seg.id = i
    return Transcript(
        language=language,
        duration=round(audio.duration, 3),
        segments=segments,
        source=TranscriptSource(kind="audio", filename=audio.filename, sha256=audio.sha256),
        model=asr.model_ref,
        options={**options.model_dump(), "channel_plan": channel_info},
    )


def transcribe(audio: DecodedAudio, asr: ASRBackend, options: TranscribeOptions | None = None,
               plan: "ChannelPlan | None" = None) -> Transcript:
    """Recognise speech in ``audio``.

    Without a ``plan`` the channels are mixed to mono. With a channel plan from
    :func:`pipeline.diarize.channels.plan_channels` in ``split`` mode, every active channel is
    transcribed on its own (silent channels never reach Whisper, which would hallucinate on them)
    and the tracks are merged by time.
    """
    options = options or TranscribeOptions()
    started = time.perf_counter()
    if plan is None or plan.mode == "mix":
        samples = audio.mono() if plan is None else plan.tracks[0].samples
        result = _recognise(samples, asr, options)
        segments = _to_segments(result, options, None)
        segments.sort(key=lambda s: s.start)
        transcript = _transcript(audio, segments, result.language or options.asr.language, asr, options,
                                 plan.summary() if plan else {"mode": "mix", "channels": audio.channels})
    else:
        from pipeline.diarize.channels import merge_tracks

        per_track: list[Transcript] = []
        channels: list[int | None] = []
        for track in plan.tracks:
            if not track.active:
                continue
            result = _recognise(track.samples, asr, options)
            segments = _to_segments(result, options, track.channel)
            per_track.append(_transcript(audio, segments, result.language or options.asr.language, asr, options, {}))
            channels.append(track.channel)
        transcript = merge_tracks(per_track, channels)
        transcript = transcript.model_copy(update={
            "options": {**options.model_dump(), "channel_plan": plan.summary()},
            "model": asr.model_ref,
        })
    if not transcript.segments:
        raise TranscriptionError(
            f"In {audio.filename} is geen spraak herkend.",
            hint="Controleer of de opname verstaanbare spraak bevat en of de taal Nederlands is.",
        )
    logger.info("transcribed %.1f s of audio into %d segments in %.1f s",
                audio.duration, len(transcript.segments), time.perf_counter() - started)
    return transcript
