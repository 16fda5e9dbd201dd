"""The diarization stage: Transcript (+ audio) -> Transcript with speakers and proposed roles."""

from __future__ import annotations

import logging
import time

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from models.diarization import DiarizationBackend, DiarizationRequest, SpeakerTurn
from pipeline.case import CaseMetadata
from pipeline.diarize.roles import propose_roles, with_roles
from pipeline.diarize.words import assign_segment, speech_regions
from core.errors import DiarizationError
from pipeline.transcript import Segment, Transcript

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
LABEL = "SPREKER_{n}"


class DiarizeOptions(BaseModel):
    """Options of :func:`diarize`. Built from ``Settings`` and CLI flags by the entry points."""

    model_config = ConfigDict(extra="forbid")

    num_speakers: int | None = Field(default=None, ge=1)
    """Exact number of speakers (``--speakers N``); wins over CASE.json."""
    use_case_participants: bool = True
    """Without ``num_speakers``: take the number of participants from CASE.json when it has any."""
    min_speakers: int = Field(default=2, ge=1)
    """Lower bound when the number is estimated on a mixed recording (a VG has at least two people)."""
    max_speakers: int = Field(default=6, ge=1)
    min_turn_seconds: float = Field(default=0.3, ge=0)
    """A speaker change inside a segment shorter than this, between words of one other speaker, is
    treated as an embedding glitch and not split off."""
    propose_roles: bool = True


def _count(options: DiarizeOptions, case: CaseMetadata) -> int | None:
    if options.num_speakers is not None:
        return options.num_speakers
    if options.use_case_participants and case.participant_count > 0:
        return case.participant_count
    return None


def _masked(samples: np.ndarray, channel: int | None, regions: list[tuple[float, float]]) -> np.ndarray:
    """The channel's own signal when available (else the mix), silenced outside ``regions``."""
    audio = samples[channel] if samples.ndim == 2 and channel is not None and channel < len(samples) else samples
    if audio.ndim == 2:
        audio = audio.mean(axis=0)
    out = np.zeros_like(audio, dtype=np.float32)
    for a, b in regions:
        i, j = int(a * SAMPLE_RATE), int(np.ceil(b * SAMPLE_RATE))
        out[i:j] = audio[i:j]
    return out


def _diarize_channels(
    samples: np.ndarray, transcript: Transcript, backend: DiarizationBackend, total: int | None, options: DiarizeOptions
) -> tuple[dict[int | None, list[SpeakerTurn]], dict]:
    """One backend call per channel; a speaker never spans two channels."""
    by_channel: dict[int, list[Segment]] = {}
    for s in transcript.segments:
        by_channel.setdefault(s.channel, []).append(s)
    regions = {c: speech_regions(segs) for c, segs in by_channel.items()}
    speech = {c: sum(b - a for a, b in r) for c, r in regions.items()}
    primary = max(speech, key=speech.get)
    order = [c for c in by_channel if c != primary] + [primary]  # secondary channels first
    turns: dict[int | None, list[SpeakerTurn]] = {}
    counts: dict[str, int] = {}
    assigned = 0
    for c in order:
        if c == primary and total is not None:
            request = DiarizationRequest(num_speakers=max(1, total - assigned), speech_regions=regions[c])
        else:
            upper = max(1, total - (len(order) - 1)) if total is not None else options.max_speakers
            request = DiarizationRequest(min_speakers=1, max_speakers=upper, speech_regions=regions[c])
        result = backend.diarize(_masked(samples, c, regions[c]), request)
        turns[c] = [t.model_copy(update={"speaker": f"{c}:{t.speaker}"}) for t in result.turns]
        counts[str(c)] = result.num_speakers
        assigned += result.num_speakers
    return turns, {"speakers_per_channel": counts}


def _rename(segments: list[Segment]) -> list[Segment]:
    names: dict[str, str] = {}
    out = []
    for i, s in enumerate(sorted(segments, key=lambda s: (s.start, s.channel or 0)), 1):
        speaker = s.speaker
        if speaker is not None:
            speaker = names.setdefault(speaker, LABEL.format(n=len(names) + 1))
        out.append(s.model_copy(update={"id": i, "speaker": speaker}))
    return out


def diarize(
    samples: np.ndarray,
    transcript: Transcript,
    backend: DiarizationBackend | None,
    case: CaseMetadata,
    options: DiarizeOptions,
) -> Transcript:
    """Label every segment with a speaker (``SPREKER_n``), split segments at word-level speaker
    changes, and propose roles.

    ``samples`` is 16 kHz float32: mono ``(n,)``, or ``(channels, n)`` for channel-split
    transcripts (then each channel is diarized on its own signal). For a channel-split transcript
    (segments carry ``channel``) speakers never span channels. Without a backend, a channel-split
    transcript gets one speaker per channel and a mono one keeps the speakers it already has.
    """
    started = time.perf_counter()
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim not in (1, 2):
        raise DiarizationError(
            f"Onverwachte vorm van het audiosignaal voor sprekerherkenning: {samples.shape}.",
            hint="Dit is een programmeerfout; meld het met het logbestand.",
        )
    segments = transcript.segments
    channels = {s.channel for s in segments if s.channel is not None}
    split = len(channels) > 1
    total = _count(options, case)
    info: dict = {"backend": backend.name if backend else "none", "channel_split": split, "requested_speakers": total}

    if not segments:
        new_segments: list[Segment] = []
    elif backend is None:
        new_segments = [s.model_copy(update={"speaker": f"kanaal-{s.channel}"}) if split else s for s in segments]
    else:
        if split:
            turns, extra = _diarize_channels(samples, transcript, backend, total, options)
            info.update(extra)
        else:
            regions = speech_regions(segments)
            request = DiarizationRequest(
                num_speakers=total,
                min_speakers=min(options.min_speakers, options.max_speakers),
                max_speakers=options.max_speakers,
                speech_regions=regions,
            )
            result = backend.diarize(_masked(samples, None, regions), request)
            turns = {None: result.turns}
            info.update({"estimated": result.estimated, "found_speakers": result.num_speakers})
        info["model"] = backend.model_ref.model_dump()
        new_segments = []
        for s in segments:
            channel_turns = turns.get(s.channel if split else None, [])
            new_segments.extend(assign_segment(s, channel_turns, options.min_turn_seconds))

    new_segments = _rename(new_segments)
    info["speakers"] = len({s.speaker for s in new_segments if s.speaker})
    info["seconds"] = round(time.perf_counter() - started, 3)
    info["options"] = options.model_dump()
    result_transcript = transcript.model_copy(
        update={"segments": new_segments, "options": {**transcript.options, "diarization": info}}
    )
    if options.propose_roles and info["speakers"]:
        result_transcript = with_roles(result_transcript, propose_roles(result_transcript, case), source="voorstel")
    logger.info(
        "diarization: %d segments -> %d, %d speakers, %.1f s", len(segments), len(new_segments), info["speakers"], info["seconds"]
    )
    return result_transcript
