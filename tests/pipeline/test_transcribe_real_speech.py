"""Whisper base on two real Dutch utterances (one per voice, held-out half of speech-nl)."""

from __future__ import annotations

from pathlib import Path

import jiwer
import numpy as np
import pytest

from core.settings import Settings
from eval.normalize import DutchNormaliser
from eval.speech_nl import SR, load_corpus, read_utterance
from pipeline.audio import DecodedAudio
from pipeline.backends import Backends
from pipeline.transcribe import TranscribeOptions, transcribe

pytestmark = pytest.mark.slow
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "speech-nl"


def test_whisper_base_recognises_two_real_voices():
    corpus = load_corpus(FIXTURE)
    pair = [next(u for u in corpus if u.speaker == s) for s in ("flemishguy", "nathalie")]
    pause = np.zeros(int(0.8 * SR), dtype=np.float32)
    samples = np.concatenate([read_utterance(pair[0].path), pause, read_utterance(pair[1].path)])
    audio = DecodedAudio(samples=samples[None, :], filename="speech-nl.wav", sha256="0" * 64, original_channels=1)
    transcript = transcribe(audio, Backends(Settings()).asr, TranscribeOptions(channels="mix"))
    norm = DutchNormaliser()
    reference = norm(" ".join(u.text for u in pair))
    hypothesis = norm(" ".join(s.text for s in transcript.segments))
    wer = jiwer.wer(reference, hypothesis)
    assert wer < 0.35, f"WER {wer:.2f} on clean read speech: the recogniser or its options broke"
    assert transcript.model.name == "whisper-base"
    first_end = len(read_utterance(pair[0].path)) / SR
    assert transcript.segments[0].start < first_end < transcript.segments[-1].end + 0.5
