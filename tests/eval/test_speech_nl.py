"""Generators of real-speech recordings (eval.speech_nl) on the committed six-utterance fixture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from core.errors import EvaluationError
from eval.speech_nl import (SPEAKERS, SR, conversation_layout, default_root, load_corpus, long_layout, part_of,
                            read_utterance, reference_transcript, reference_turns, render, write_conversation)
from eval.speakers.der import read_rttm

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "speech-nl"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE)


def test_corpus_reads_both_speakers_with_text(corpus):
    assert {u.speaker for u in corpus} == set(SPEAKERS)
    assert len(corpus) == 6 and all(u.text and u.path.is_file() for u in corpus)


@pytest.mark.parametrize("uid", ["nl_rhasspy_100", "nl_rhasspy_1062", "x", ""])
def test_split_is_a_stable_function_of_the_id(uid):
    assert part_of(uid) == part_of(uid) and part_of(uid) in ("dev", "heldout")


def test_split_halves_are_disjoint_and_complete(corpus):
    dev, held = load_corpus(FIXTURE, "dev"), load_corpus(FIXTURE, "heldout")
    assert {u.id for u in dev}.isdisjoint({u.id for u in held})
    assert len(dev) + len(held) == len(corpus)
    assert len(held) == 6  # the fixture was taken from the held-out half on purpose


def test_missing_corpus_is_a_dutch_error(tmp_path, monkeypatch):
    monkeypatch.setenv("VG_SPEECH_NL_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    try:
        root = default_root()
    except EvaluationError as exc:
        assert "niet gevonden" in str(exc)
    else:  # a shared corpus next to the checkout may exist on a developer machine
        assert (root / "nathalie" / "metadata.csv").is_file()
    with pytest.raises(EvaluationError):
        load_corpus(tmp_path)


@pytest.mark.parametrize("minutes", [0.2, 0.5, 1.0])
def test_long_layout_loops_to_length_with_pauses(corpus, minutes):
    placed = list(long_layout(corpus, minutes, pause=0.5, seed=3))
    assert placed[-1].end <= minutes * 60
    total = sum(len(read_utterance(u.path)) for u in corpus) / SR + 0.5 * len(corpus)
    assert placed[-1].end > minutes * 60 - 7  # filled up to one utterance before the end
    if minutes * 60 > total:
        assert len(placed) > len(corpus)  # looped
    gaps = [b.start - a.end for a, b in zip(placed, placed[1:])]
    assert all(abs(g - 0.5) < 0.002 for g in gaps)


def test_layouts_are_deterministic_per_seed(corpus):
    a = [p.utterance.id for p in conversation_layout(corpus, 1.0, seed=1)]
    assert a == [p.utterance.id for p in conversation_layout(corpus, 1.0, seed=1)]
    assert a != [p.utterance.id for p in conversation_layout(corpus, 1.0, seed=2)]


def test_conversation_alternates_speakers_per_turn(corpus):
    placed = conversation_layout(corpus, 2.0, seed=5, max_turn=3)
    turns = reference_turns(placed)
    assert all(a[2] != b[2] for a, b in zip(turns, turns[1:]))
    per_turn = {}
    for p in placed:
        per_turn.setdefault(p.turn, []).append(p)
    assert all(1 <= len(v) <= 3 for v in per_turn.values())
    assert len({len(v) for v in per_turn.values()}) > 1  # turns of varying length
    assert all(b.start > a.end for a, b in zip(placed, placed[1:]))


def test_conversation_needs_both_speakers(corpus):
    with pytest.raises(EvaluationError):
        conversation_layout([u for u in corpus if u.speaker == "nathalie"], 1.0)


def test_render_places_each_utterance_at_its_time(corpus, tmp_path):
    placed = render(conversation_layout(corpus, 0.5, seed=2), tmp_path / "a.wav", block_seconds=2.0)
    audio, sr = sf.read(tmp_path / "a.wav", dtype="float32")
    assert sr == SR and abs(len(audio) / SR - placed[-1].end) < 0.01
    for p in (placed[0], placed[len(placed) // 2], placed[-1]):
        clip = read_utterance(p.utterance.path)
        start = int(round(p.start * SR))
        assert np.allclose(audio[start:start + len(clip)], clip, atol=2e-4)  # 16-bit quantisation
    first_gap = audio[int(placed[0].end * SR) + 10: int(placed[1].start * SR) - 10]
    assert not first_gap.any()


def test_conversation_files_agree(corpus, tmp_path):
    line = write_conversation(tmp_path / "c1", corpus, 0.7, seed=4)
    rttm = read_rttm(tmp_path / "c1" / "reference.rttm")["c1"]
    assert {t.speaker for t in rttm} == set(SPEAKERS)
    assert line["metadata"]["synthetic"] is False
    gold = reference_transcript(conversation_layout(corpus, 0.7, seed=4), "audio.wav")
    assert [s["speaker"] for s in gold["segments"]][0] == rttm[0].speaker
    assert abs(gold["duration"] - rttm[-1].end) < 1e-6
