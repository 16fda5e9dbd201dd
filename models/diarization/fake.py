"""A diarization backend for tests: returns turns given up front (clipped to speech regions)."""

from __future__ import annotations

import numpy as np

from models.diarization import Diarization, DiarizationRequest, SpeakerTurn, as_mono_float32
from core.provenance import ModelRef


class FakeDiarizer:
    name = "fake"

    def __init__(self, turns: list[SpeakerTurn] | list[tuple[float, float, str]]) -> None:
        self.turns = [t if isinstance(t, SpeakerTurn) else SpeakerTurn(start=t[0], end=t[1], speaker=t[2]) for t in turns]
        self.requests: list[DiarizationRequest] = []
        self.audio_seen: list[np.ndarray] = []

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend=self.name, name="fake")

    def diarize(self, audio: np.ndarray, request: DiarizationRequest) -> Diarization:
        self.audio_seen.append(as_mono_float32(audio))
        self.requests.append(request)
        turns = self.turns
        if request.speech_regions is not None:
            turns = [
                SpeakerTurn(start=max(t.start, a), end=min(t.end, b), speaker=t.speaker)
                for t in self.turns
                for a, b in request.speech_regions
                if min(t.end, b) > max(t.start, a)
            ]
        return Diarization(
            turns=sorted(turns, key=lambda t: t.start),
            num_speakers=len({t.speaker for t in turns}),
            estimated=request.num_speakers is None,
            model=self.model_ref,
        )
