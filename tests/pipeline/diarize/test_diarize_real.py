"""The stage with the real Resemblyzer encoder on the committed recordings with known turns.

Whisper is replaced by the reference turns (words spread evenly over each turn) so the test
measures diarization alone and stays fast; turns separated by a 0.15 s pause are put into one
segment, as Whisper does, so the word-level split is exercised on real embeddings.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from eval.speakers.der import read_rttm
from eval.speakers.score import score_speakers
from pipeline.backends import build_diarizer
from pipeline.case import CaseMetadata, Inwoner, Professional
from core.settings import Settings
from pipeline.diarize import DiarizeOptions, diarize, merge_tracks, plan_channels
from pipeline.transcript import Segment, Transcript, TranscriptSource, Word

DATA = Path(__file__).resolve().parents[2] / "data" / "diarize"
CASE = CaseMetadata(  # three participants: the number of speakers comes from CASE.json
    inwoner=Inwoner(naam="Karin Jansen"),
    professionals=[Professional(naam="Sanne de Vries", rol="sociaal"), Professional(naam="Pieter Smit", rol="ggz")],
)


@lru_cache(maxsize=1)
def _backend():
    return build_diarizer(Settings(diarization_backend="resemblyzer"))


def _whisper_like(turns: list[dict], channel: int | None) -> Transcript:
    segments: list[Segment] = []
    for turn in turns:
        tokens = turn["text"].split()
        step = (turn["end"] - turn["start"]) / len(tokens)
        words = [Word(start=turn["start"] + i * step, end=turn["start"] + (i + 1) * step, word=f" {w}") for i, w in enumerate(tokens)]
        previous = segments[-1] if segments else None
        if previous is not None and turn["start"] - previous.end < 0.2:  # Whisper keeps quick replies in one segment
            segments[-1] = previous.model_copy(update={"end": turn["end"], "text": f"{previous.text} {turn['text']}", "words": previous.words + words})
        else:
            segments.append(Segment(id=len(segments) + 1, start=turn["start"], end=turn["end"], text=turn["text"], words=words, channel=channel))
    return Transcript(duration=60, segments=segments, source=TranscriptSource(kind="audio", filename="x.ogg", sha256="0" * 64))


def _gold(turns: list[dict]) -> Transcript:
    segs = [Segment(id=i, start=t["start"], end=t["end"], text=t["text"], speaker=t["speaker"]) for i, t in enumerate(turns, 1)]
    return Transcript(duration=60, segments=segs, source=TranscriptSource(kind="audio", filename="x.ogg", sha256="0" * 64))


@pytest.mark.slow
@pytest.mark.parametrize("name,max_der", [("mono", 0.2), ("hybrid", 0.05)])
def test_real_diarization_on_known_turns(no_network, name: str, max_der: float) -> None:
    audio, _ = sf.read(DATA / f"{name}.ogg", dtype="float32", always_2d=True)
    turns = json.loads((DATA / f"{name}.turns.json").read_text())
    plan = plan_channels(audio.T, "auto")
    if name == "hybrid":
        assert plan.mode == "split" and len(plan.active_tracks) == 2
        transcript = merge_tracks([_whisper_like([t for t in turns if t["channel"] == c], c) for c in (0, 1)])
    else:
        assert plan.mode == "mix"
        transcript = _whisper_like(turns, None)
    merged_segments = len(transcript.segments)
    out = diarize(plan.diarization_audio, transcript, _backend(), CASE, DiarizeOptions())

    scores = score_speakers(out, read_rttm(DATA / f"{name}.rttm")[name], _gold(turns))
    print(f"{name}: DER {scores.der.der:.3f} cpWER {scores.cpwer.cpwer:.3f} speakers {scores.hypothesis_speakers}")
    assert scores.hypothesis_speakers == 3
    assert len(out.segments) > merged_segments  # quick replies were split off at word level
    assert scores.der.der < max_der
    assert scores.cpwer.cpwer < 2 * max_der + 0.1
    if name == "hybrid":  # the call channel holds exactly one speaker, never shared with the room
        assert len({s.speaker for s in out.segments if s.channel == 1}) == 1
        assert not {s.speaker for s in out.segments if s.channel == 1} & {s.speaker for s in out.segments if s.channel == 0}
    assert set(out.speakers.values()) <= {"inwoner", "ggz", "sociaal", "onbekend"}
    assert np.isfinite(out.options["diarization"]["seconds"])
