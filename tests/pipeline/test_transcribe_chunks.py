"""Long audio is recognised in pieces cut in silence, with times shifted back (pipeline.transcribe)."""

from __future__ import annotations

import numpy as np
import pytest

from core.provenance import ModelRef
from models.asr import AsrOptions, AsrResult, AsrSegment, Word
from pipeline.audio import DecodedAudio
from pipeline.transcribe import TranscribeOptions, chunk_bounds, transcribe

SR = 16_000


class PieceASR:
    """Returns one segment (with one word) at 1-2 s of every piece it is given; records piece lengths."""

    name = "piece"

    def __init__(self) -> None:
        self.lengths: list[int] = []

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend="piece", name="piece")

    def transcribe(self, audio: np.ndarray, options: AsrOptions) -> AsrResult:
        self.lengths.append(len(audio))
        return AsrResult(language="nl", duration=len(audio) / SR, segments=[
            AsrSegment(start=1.0, end=2.0, text=f"stuk {len(self.lengths)}", words=[Word(start=1.1, end=1.9, word="stuk")])])


def _tone_with_gaps(seconds: float, gaps: list[float]) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    x = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    for g in gaps:
        x[int(g * SR): int((g + 0.3) * SR)] = 0.0
    return x


@pytest.mark.parametrize(("seconds", "chunk", "pieces"), [(50, 60, 1), (60, 60, 1), (130, 60, 3), (250, 100, 3)])
def test_bounds_cover_everything_without_gaps(seconds, chunk, pieces):
    x = _tone_with_gaps(seconds, [])
    bounds = chunk_bounds(x, chunk)
    assert len(bounds) == pieces and bounds[0][0] == 0 and bounds[-1][1] == len(x)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(e - s <= chunk * SR for s, e in bounds)


def test_cuts_fall_in_silence():
    x = _tone_with_gaps(200, [55.0, 113.0])
    cuts = [e for _, e in chunk_bounds(x, 60)[:-1]]
    assert 55.0 * SR <= cuts[0] <= 55.3 * SR
    assert 113.0 * SR <= cuts[1] <= 113.3 * SR


def test_long_audio_is_transcribed_in_pieces_with_shifted_times():
    x = _tone_with_gaps(150, [55.0, 113.0])
    audio = DecodedAudio(samples=x[None, :], filename="lang.wav", sha256="0" * 64, original_channels=1)
    asr = PieceASR()
    transcript = transcribe(audio, asr, TranscribeOptions(chunk_seconds=60, channels="mix"))
    assert len(asr.lengths) == 3 and max(asr.lengths) <= 60 * SR
    starts = [s.start for s in transcript.segments]
    assert starts[0] == pytest.approx(1.0)
    assert 56.0 <= starts[1] <= 56.4 and 114.0 <= starts[2] <= 114.4
    assert all(s.words[0].start == pytest.approx(s.start + 0.1, abs=1e-3) for s in transcript.segments)
    assert [s.id for s in transcript.segments] == [1, 2, 3]


def test_short_audio_is_one_call():
    x = _tone_with_gaps(20, [])
    asr = PieceASR()
    transcribe(DecodedAudio(samples=x[None, :], filename="k.wav", sha256="0" * 64, original_channels=1), asr,
               TranscribeOptions(channels="mix"))
    assert asr.lengths == [len(x)]
