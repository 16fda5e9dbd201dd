"""Channel planning (gate, mix or split) and merging per-track transcripts."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.diarize import ChannelOptions, merge_tracks, plan_channels
from core.errors import AudioError
from pipeline.transcript import Segment, Transcript, TranscriptSource

SR = 16_000


def _bursts(on: list[tuple[float, float]], seconds: float = 12.0, freq: float = 200.0, level: float = 0.2, seed: int = 0) -> np.ndarray:
    """Speech-like bursts (noise-modulated tone) at the given times, faint noise elsewhere."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1e-4, int(seconds * SR)).astype(np.float32)
    t = np.arange(int(seconds * SR)) / SR
    for a, b in on:
        i, j = int(a * SR), int(b * SR)
        x[i:j] += level * np.sin(2 * np.pi * freq * t[i:j]) * (0.6 + 0.4 * rng.random(j - i))
    return x


ROOM = _bursts([(0, 2), (4.5, 6), (9, 11)])
CALL = _bursts([(2.3, 4.2), (6.4, 8.7)], freq=300, seed=1)
SILENT = np.random.default_rng(2).normal(0, 1e-4, len(ROOM)).astype(np.float32)


@pytest.mark.parametrize(
    "name,samples,mode,expected_mode,active,gated",
    [
        ("hybrid", np.stack([ROOM, CALL]), "auto", "split", [0, 1], []),
        ("hybrid with leak", np.stack([ROOM + 0.05 * CALL, CALL]), "auto", "split", [0, 1], []),
        ("duplicated mono", np.stack([ROOM, ROOM]), "auto", "mix", [None], []),
        ("stereo microphone", np.stack([ROOM, 0.7 * np.roll(ROOM, 12)]), "auto", "mix", [None], []),
        ("muted call", np.stack([ROOM, SILENT]), "auto", "mix", [None], [1]),
        ("muted call, split asked", np.stack([ROOM, SILENT]), "split", "split", [0], [1]),
        ("hybrid, mix asked", np.stack([ROOM, CALL]), "mix", "mix", [None], []),
        ("mono", ROOM[None, :], "auto", "mix", [None], []),
    ],
)
def test_plan_channels(name, samples, mode, expected_mode, active, gated) -> None:
    plan = plan_channels(samples, mode)
    assert plan.mode == expected_mode, name
    assert [t.channel for t in plan.active_tracks] == active
    assert plan.gated_channels == gated
    assert all(t.samples.shape == (samples.shape[1],) and t.samples.dtype == np.float32 for t in plan.tracks)
    assert "tracks" in plan.summary()


def test_gated_channel_is_left_out_of_the_mix() -> None:
    plan = plan_channels(np.stack([ROOM, SILENT]), "mix")
    np.testing.assert_allclose(plan.tracks[0].samples, ROOM)


def test_split_clears_crosstalk_from_the_room_channel() -> None:
    plan = plan_channels(np.stack([ROOM + 0.05 * CALL, CALL]), "split")
    room = plan.tracks[0].samples
    call_only = slice(int(2.6 * SR), int(4.0 * SR))
    assert np.abs(room[call_only]).max() < 1e-3  # leaked call speech removed
    assert np.abs(room[int(0.5 * SR) : int(1.5 * SR)]).max() > 0.1  # room speech kept
    off = plan_channels(np.stack([ROOM + 0.05 * CALL, CALL]), "split", ChannelOptions(crosstalk_db=None))
    assert np.abs(off.tracks[0].samples[call_only]).max() > 5e-3
    assert plan.diarization_audio.shape == (2, len(ROOM))


def test_all_channels_silent_is_a_clear_error() -> None:
    with pytest.raises(AudioError) as info:
        plan_channels(np.stack([SILENT, SILENT]), "auto")
    assert "geen enkel kanaal" in info.value.message and info.value.hint


def _tr(*segs: tuple[float, float, str, float]) -> Transcript:
    return Transcript(
        duration=10,
        segments=[Segment(id=i, start=a, end=b, text=text, avg_logprob=lp) for i, (a, b, text, lp) in enumerate(segs, 1)],
        source=TranscriptSource(kind="audio", filename="x.ogg", sha256="0" * 64),
    )


def test_merge_tracks_orders_by_time_sets_channels_and_drops_echoes() -> None:
    room = _tr((0.0, 2.0, "Goedemiddag allemaal.", -0.2), (4.0, 5.0, "Hoe gaat het met jou?", -0.9))
    call = _tr((2.1, 3.9, "Dag, ik ben er ook.", -0.3), (4.1, 5.1, "Hoe gaat het met jou", -0.2))  # echo: clearer here
    merged = merge_tracks([room, call], channels=[0, 1])
    assert [(s.id, s.channel, s.text) for s in merged.segments] == [
        (1, 0, "Goedemiddag allemaal."),
        (2, 1, "Dag, ik ben er ook."),
        (3, 1, "Hoe gaat het met jou"),
    ]
    assert merged.options["dropped_duplicates"] == 1 and merged.options["channels"] == [0, 1]


def test_merge_tracks_keeps_different_overlapping_speech() -> None:
    merged = merge_tracks([_tr((0, 2, "ja precies", -0.2)), _tr((0.5, 2.5, "dat denk ik ook niet", -0.1))], channels=[0, 1])
    assert len(merged.segments) == 2


def test_merge_tracks_needs_input() -> None:
    with pytest.raises(ValueError):
        merge_tracks([])
