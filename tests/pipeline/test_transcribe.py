"""Transcription stage: fake ASR for control flow; the real bundled Whisper on a short recording."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.asr import AsrOptions, AsrResult, AsrSegment, Word
from models.asr_faster_whisper import FakeASR
from pipeline.backends import build_asr
from pipeline.audio import DecodedAudio, decode_audio
from core.settings import Settings
from pipeline.diarize.channels import plan_channels
from core.errors import TranscriptionError
from pipeline.transcribe import TranscribeOptions, transcribe

DATA = Path(__file__).resolve().parents[1] / "data" / "diarize"
RATE = 16_000


def _audio(samples: np.ndarray) -> DecodedAudio:
    return DecodedAudio(samples=samples.astype(np.float32), filename="x.wav", sha256="0" * 64, original_channels=samples.shape[0])


def _speech_like(seconds: float, start: float, stop: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    signal = 0.3 * np.sin(2 * np.pi * 180 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))
    signal[(t < start) | (t > stop)] = 0.0
    return signal


class RecordingASR(FakeASR):
    """Remembers the length of every track it was asked to transcribe; numbers its answers."""

    def __init__(self, segments: list[AsrSegment]) -> None:
        super().__init__(segments)
        self.lengths: list[int] = []

    def transcribe(self, audio: np.ndarray, options: AsrOptions) -> AsrResult:
        self.lengths.append(len(audio))
        result = super().transcribe(audio, options)
        n = len(self.lengths)
        result.segments = [
            seg.model_copy(update={"text": seg.text and f"{seg.text} ({n})", "start": seg.start + 10 * (n - 1),
                                   "end": seg.end + 10 * (n - 1)})
            for seg in result.segments
        ]
        return result


SEGMENTS = [
    AsrSegment(start=2.0, end=3.0, text="Tweede zin.", words=[Word(start=2.0, end=3.0, word=" Tweede")]),
    AsrSegment(start=0.0, end=1.5, text="Eerste zin."),
    AsrSegment(start=4.0, end=5.0, text="", no_speech_prob=0.1),
    AsrSegment(start=6.0, end=7.0, text="Hallucinatie.", no_speech_prob=0.95, avg_logprob=-1.5),
]


def test_mix_orders_numbers_and_filters_segments() -> None:
    asr = RecordingASR(SEGMENTS)
    t = transcribe(_audio(np.stack([_speech_like(8, 0, 8)] * 2)), asr, TranscribeOptions(channels="mix"))
    assert [(s.id, s.text) for s in t.segments] == [(1, "Eerste zin. (1)"), (2, "Tweede zin. (1)")]
    assert t.segments[1].words[0].word == " Tweede"
    assert asr.lengths == [8 * RATE]
    assert t.model.backend == "fake" and t.source.kind == "audio" and t.duration == 8.0


def test_split_plan_skips_silent_channel() -> None:
    room = decode_audio(DATA / "hybrid.ogg").samples[0]
    audio = _audio(np.stack([room, np.zeros_like(room)]))
    plan = plan_channels(audio.samples, "split")
    asr = RecordingASR(SEGMENTS[:2])
    t = transcribe(audio, asr, TranscribeOptions(channels="split"), plan)
    assert len(asr.lengths) == 1  # the silent call channel never reached the recogniser
    assert {s.channel for s in t.segments} == {0}
    assert t.options["channel_plan"]["gated_channels"] == [1]


def test_split_plan_transcribes_each_active_channel() -> None:
    audio = decode_audio(DATA / "hybrid.ogg")  # room microphone left, video call right
    plan = plan_channels(audio.samples, "split")
    asr = RecordingASR([AsrSegment(start=0.5, end=1.5, text="Zin.")])
    t = transcribe(audio, asr, TranscribeOptions(channels="split"), plan)
    assert len(asr.lengths) == 2
    assert sorted(s.channel for s in t.segments) == [0, 1]


def test_no_speech_is_an_error() -> None:
    with pytest.raises(TranscriptionError, match="geen spraak"):
        transcribe(_audio(np.stack([_speech_like(3, 0, 3)])), FakeASR([AsrSegment(start=0, end=1, text="")]))


@pytest.mark.slow
def test_real_whisper_base_on_short_dutch_recording() -> None:
    asr = build_asr(Settings())
    audio = decode_audio(DATA / "mono.ogg")
    t = transcribe(audio, asr, TranscribeOptions(asr=AsrOptions(word_timestamps=True), channels="mix"))
    assert t.language == "nl"
    assert t.model.name == "whisper-base" and t.model.sha256
    assert len(t.segments) >= 3
    assert all(0 <= s.start < s.end <= audio.duration + 0.5 for s in t.segments)
    assert all(s.words for s in t.segments)  # word timestamps when asked for (the default is segment times)
    words = " ".join(s.text for s in t.segments).lower()
    assert sum(w in words for w in ("ik", "de", "het", "een", "en")) >= 2  # recognisably Dutch
