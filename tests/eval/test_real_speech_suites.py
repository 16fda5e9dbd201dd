"""The real-speech suites build their held-out conversations from the corpus and score them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import Settings
from eval.runner import run_eval
from models.asr import AsrSegment
from models.asr_faster_whisper import FakeASR
from pipeline.backends import Backends

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "speech-nl"


@pytest.fixture
def corpus_env(monkeypatch):
    monkeypatch.setenv("VG_SPEECH_NL_DIR", str(FIXTURE))


@pytest.mark.parametrize(("perfect", "wer_is_zero"), [(True, True), (False, False)])
def test_asr_real_suite_scores_against_the_generated_gold(tmp_path, corpus_env, perfect, wer_is_zero):
    data = tmp_path / "data"
    from eval.suites.asr import real_speech_dataset

    dataset = real_speech_dataset(data)  # built from the fixture corpus
    assert len(dataset.samples) == 2 and not dataset.synthetic
    gold = json.loads((data / dataset.samples[0].files["transcript"]).read_text())
    segments = [AsrSegment(start=s["start"], end=s["end"], text=s["text"] if perfect else "iets anders")
                for s in gold["segments"]]
    settings = Settings(asr_backend="fake", diarization_backend="none", data_dir=tmp_path / "d")
    log = run_eval(["asr-real"], tmp_path / "out", data=data, backends=Backends(settings, asr=FakeASR(segments)),
                   write_report=False)
    task = log.tasks[0]
    assert task.name == "asr-real" and task.errors == 0
    first = task.samples[0].scores["asr/wer"].value
    assert (first == 0.0) is wer_is_zero
    assert any("achtergehouden" in x for x in task.limitations)
