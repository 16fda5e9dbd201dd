"""ASR settings: the measured defaults and their environment overrides reach the ASR options."""

from __future__ import annotations

import pytest

from core.settings import Settings
from models.asr import AsrOptions


def test_settings_and_options_share_the_measured_defaults():
    settings, options = Settings(_env_file=None), AsrOptions()
    assert settings.asr_batch_size == options.batch_size == 0
    assert settings.asr_beam_size == options.beam_size == 5
    assert settings.asr_word_timestamps == options.word_timestamps
    assert options.vad_filter and options.segment_timestamps


@pytest.mark.parametrize(("env", "value", "field", "expected"), [
    ("VG_ASR_BATCH_SIZE", "8", "asr_batch_size", 8),
    ("VG_ASR_BEAM_SIZE", "1", "asr_beam_size", 1),
    ("VG_ASR_WORD_TIMESTAMPS", "false", "asr_word_timestamps", False),
    ("VG_ASR_WORD_TIMESTAMPS", "true", "asr_word_timestamps", True),
])
def test_environment_overrides(monkeypatch, env, value, field, expected):
    monkeypatch.setenv(env, value)
    assert getattr(Settings(_env_file=None), field) == expected


@pytest.mark.parametrize(("env", "value"), [("VG_ASR_BATCH_SIZE", "acht"), ("VG_ASR_WORD_TIMESTAMPS", "misschien")])
def test_bad_values_are_refused(monkeypatch, env, value):
    monkeypatch.setenv(env, value)
    with pytest.raises(ValueError):
        Settings(_env_file=None)


@pytest.mark.parametrize("field", ["beam_size", "batch_size", "vad_min_silence_ms", "segment_timestamps"])
def test_unknown_asr_options_are_refused_known_ones_accepted(field):
    value = {"beam_size": 2, "batch_size": 4, "vad_min_silence_ms": 500, "segment_timestamps": False}[field]
    assert getattr(AsrOptions(**{field: value}), field) == value
    with pytest.raises(ValueError):
        AsrOptions(**{field + "_x": value})
