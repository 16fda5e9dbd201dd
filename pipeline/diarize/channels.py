"""Multi-channel and hybrid recordings: which channels to transcribe, and merging them back.

A VG is often hybrid: people in the room on one microphone, a professional joining by video call
on another channel (or a separate track). When channels carry different people, transcribing each
channel separately gives clean speaker evidence; a near-silent channel must never reach Whisper,
which invents text on silence. When channels carry the same sound (a stereo microphone, mono
duplicated to two channels) they are mixed.

``auto`` splits when the channels' loudness envelopes do not move together (low correlation) or
one channel clearly dominates most of the speech; otherwise it mixes. In ``split`` mode each
track is also cleared, frame by frame, where another channel is much louder (crosstalk: the call
playing through a laptop speaker is picked up by the room microphone); :func:`merge_tracks`
additionally drops segments duplicated across tracks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from core.errors import AudioError
from pipeline.transcript import Segment, Transcript

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
FRAME_SECONDS = 0.03
ChannelMode = Literal["auto", "mix", "split"]


class ChannelOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    silence_dbfs: float = -50.0
    """A 30 ms frame louder than this (and 12 dB above the channel's noise floor) counts as sound."""
    min_active_seconds: float = 1.0
    """A channel with less sound than this is gated: never transcribed, left out of the mix."""
    split_max_envelope_correlation: float = 0.5
    """``auto`` splits when the loudness envelopes of the channels correlate less than this ..."""
    split_min_dominance: float = 0.7
    """... or when, in this fraction of frames with sound, one channel is >= ``dominance_db`` louder."""
    dominance_db: float = 10.0
    crosstalk_db: float | None = 15.0
    """Split mode: clear a track's frames where another channel is this much louder (None: off)."""
    duplicate_similarity: float = 80.0
    """merge_tracks: overlapping segments of two tracks with this text similarity (0-100) are one utterance."""


class Track(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    channel: int | None
    """Channel index in the recording; ``None`` for a mix."""
    samples: np.ndarray = Field(repr=False)
    active: bool
    active_seconds: float = 0.0


class ChannelPlan(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    requested: ChannelMode
    mode: Literal["mix", "split"]
    tracks: list[Track]
    gated_channels: list[int] = Field(default_factory=list)
    envelope_correlation: float | None = None
    dominance: float | None = None
    reason: str

    @property
    def active_tracks(self) -> list[Track]:
        return [t for t in self.tracks if t.active]

    @property
    def diarization_audio(self) -> np.ndarray:
        """What to pass to :func:`pipeline.diarize.diarize`: (channels, n) when split, else mono."""
        if self.mode == "mix":
            return self.tracks[0].samples
        n = len(self.tracks[0].samples)
        out = np.zeros((max(t.channel for t in self.tracks) + 1, n), dtype=np.float32)
        for t in self.tracks:
            out[t.channel] = t.samples
        return out

    def summary(self) -> dict:
        """Figures for run.json (no audio)."""
        return self.model_dump(exclude={"tracks"}) | {
            "tracks": [{"channel": t.channel, "active": t.active, "active_seconds": round(t.active_seconds, 2)} for t in self.tracks]
        }


def _frame_levels(samples: np.ndarray) -> np.ndarray:
    """dBFS per 30 ms frame, shape (channels, frames)."""
    hop = int(FRAME_SECONDS * SAMPLE_RATE)
    n = samples.shape[1] // hop
    frames = samples[:, : n * hop].reshape(samples.shape[0], n, hop).astype(np.float64)
    return 20 * np.log10(np.maximum(np.sqrt(np.mean(frames**2, axis=2)), 1e-6))


def _sound_mask(levels: np.ndarray, options: ChannelOptions) -> np.ndarray:
    floor = np.percentile(levels, 10, axis=1, keepdims=True) if levels.shape[1] else 0.0
    return levels > np.maximum(options.silence_dbfs, floor + 12.0)


def _frame_gain(keep: np.ndarray, n_samples: int) -> np.ndarray:
    """Per-sample gain from a per-frame keep mask, with 30 ms ramps so cuts do not click."""
    hop = int(FRAME_SECONDS * SAMPLE_RATE)
    gain = np.repeat(keep.astype(np.float32), hop)
    gain = np.concatenate([gain, np.full(max(0, n_samples - len(gain)), gain[-1] if len(gain) else 1.0, np.float32)])
    kernel = np.ones(hop, dtype=np.float32) / hop
    return np.convolve(gain, kernel, mode="same")[:n_samples]


def plan_channels(samples: np.ndarray, mode: ChannelMode, options: ChannelOptions | None = None) -> ChannelPlan:
    """Decide how to transcribe ``samples`` (shape (channels, n), float32, 16 kHz)."""
    options = options or ChannelOptions()
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim == 1:
        samples = samples[None, :]
    levels = _frame_levels(samples)
    sound = _sound_mask(levels, options)
    active_seconds = sound.sum(axis=1) * FRAME_SECONDS
    active = [i for i in range(len(samples)) if active_seconds[i] >= options.min_active_seconds]
    gated = [i for i in range(len(samples)) if i not in active]
    if not active:
        raise AudioError(
            "De opname bevat op geen enkel kanaal hoorbare spraak.",
            hint="Controleer of de juiste opname is gekozen en of de microfoon aan stond.",
        )
    correlation = dominance = None
    if len(active) >= 2:
        env = levels[active]
        any_sound = sound[active].any(axis=0)
        if any_sound.sum() > 2:
            c = np.corrcoef(env[:, any_sound])
            correlation = float(np.nanmin(c[np.triu_indices(len(active), 1)]))
            top2 = -np.sort(-(env[:, any_sound] - np.median(env[:, any_sound], axis=1, keepdims=True)), axis=0)[:2]
            dominance = float(np.mean(top2[0] - top2[1] >= options.dominance_db))
    if mode == "split" or (mode == "auto" and len(active) >= 2 and (
        (correlation is not None and correlation < options.split_max_envelope_correlation)
        or (dominance is not None and dominance >= options.split_min_dominance)
    )):
        chosen = "split"
        reason = "gevraagd" if mode == "split" else "kanalen bevatten verschillende sprekers"
    else:
        chosen = "mix"
        reason = "gevraagd" if mode == "mix" else ("één kanaal met geluid" if len(active) < 2 else "kanalen bevatten hetzelfde geluid")

    if chosen == "mix":
        mixed = samples[active].mean(axis=0)
        tracks = [Track(channel=None, samples=mixed, active=True, active_seconds=float(active_seconds[active].max()))]
    else:
        tracks = []
        normalised = levels - np.array([np.median(levels[i][sound[i]]) if sound[i].any() else 0.0 for i in range(len(samples))])[:, None]
        for i in range(len(samples)):
            track = samples[i]
            if i in active and options.crosstalk_db is not None and len(active) > 1:
                others = np.max(np.delete(normalised[active], active.index(i), axis=0), axis=0)
                keep = ~(others - normalised[i] >= options.crosstalk_db) | ~sound[active].any(axis=0)
                track = track * _frame_gain(keep, len(track))
            tracks.append(Track(channel=i, samples=track.astype(np.float32), active=i in active, active_seconds=float(active_seconds[i])))
    plan = ChannelPlan(requested=mode, mode=chosen, tracks=tracks, gated_channels=gated,
                       envelope_correlation=correlation, dominance=dominance, reason=reason)
    logger.info("channels: %d in, mode %s (%s), gated %s", len(samples), chosen, reason, gated)
    return plan


def _drop_duplicates(segments: list[Segment], threshold: float) -> list[Segment]:
    """Drop a segment when another track has an overlapping, near-identical one with higher confidence."""
    keep = []
    for s in segments:
        duplicate = False
        for o in segments:
            if o is s or o.channel == s.channel:
                continue
            overlap = min(s.end, o.end) - max(s.start, o.start)
            if overlap <= 0.5 * min(s.end - s.start, o.end - o.start):
                continue
            if fuzz.ratio(s.text.lower(), o.text.lower()) >= threshold:
                mine, theirs = s.avg_logprob or -99.0, o.avg_logprob or -99.0
                if (mine, -(s.channel or 0)) < (theirs, -(o.channel or 0)):
                    duplicate = True
                    break
        if not duplicate:
            keep.append(s)
    return keep


def merge_tracks(
    transcripts: Sequence[Transcript], channels: Sequence[int | None] | None = None, options: ChannelOptions | None = None
) -> Transcript:
    """One transcript from per-track transcripts, ordered by start time, ids renumbered 1..n.

    ``channels`` sets ``Segment.channel`` for each transcript (else the segments' own value is kept).
    """
    options = options or ChannelOptions()
    if not transcripts:
        raise ValueError("merge_tracks needs at least one transcript")
    segments: list[Segment] = []
    for index, transcript in enumerate(transcripts):
        channel = channels[index] if channels is not None else None
        for s in transcript.segments:
            segments.append(s if channel is None else s.model_copy(update={"channel": channel}))
    before = len(segments)
    segments = _drop_duplicates(segments, options.duplicate_similarity)
    segments.sort(key=lambda s: (s.start, s.channel if s.channel is not None else -1))
    segments = [s.model_copy(update={"id": i}) for i, s in enumerate(segments, 1)]
    first = transcripts[0]
    used = sorted({s.channel for s in segments if s.channel is not None})
    return first.model_copy(
        update={
            "segments": segments,
            "duration": max(t.duration for t in transcripts),
            "options": {**first.options, "channels": used, "dropped_duplicates": before - len(segments)},
        }
    )
