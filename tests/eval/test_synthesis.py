"""The conversation synthesizer: real espeak-ng + sox on tiny scripts (about a second in total)."""

from __future__ import annotations

import copy

import av
import numpy as np
import pytest

from core.errors import InputError
from pipeline.transcript import Transcript
from eval.synthesis import (
    SAMPLE_RATE,
    ScriptError,
    main,
    parse_script,
    render,
    synthesize_script,
)

THREE_TURNS = {
    "title": "Drie beurten",
    "synthetic": True,
    "speakers": {
        "A": {"role": "inwoner", "voice": "nl+f2", "pitch": 60, "name": "Test Inwoner"},
        "B": {"role": "ggz", "voice": "nl+m3", "channel": "call", "name": "Test Professional"},
    },
    "turns": [
        {"speaker": "A", "text": "Goedemorgen, ik ben de inwoner."},
        {"speaker": "B", "text": "Welkom, ik ben de praktijkondersteuner.", "pause_after": 0.6},
        {"speaker": "A", "text": "Dank je wel."},
    ],
}


def _decode(path) -> np.ndarray:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert stream.rate == SAMPLE_RATE
        return np.concatenate([f.to_ndarray() for f in container.decode(stream)], axis=1)


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def _span(samples: np.ndarray, seg) -> np.ndarray:
    return samples[..., int(seg.start * SAMPLE_RATE) : int(seg.end * SAMPLE_RATE)]


@pytest.fixture(scope="module")
def mono(tmp_path_factory):
    return synthesize_script(parse_script(THREE_TURNS), tmp_path_factory.mktemp("mono"), recording_id="drie")


@pytest.fixture(scope="module")
def hybrid(tmp_path_factory):
    return synthesize_script(parse_script(THREE_TURNS), tmp_path_factory.mktemp("hybrid"), layout="stereo-hybrid")


def test_mono_duration_matches_gold_segments(mono):
    audio = _decode(mono.audio_path)
    gold = Transcript.model_validate_json(mono.transcript_path.read_text(encoding="utf-8"))
    assert audio.shape[0] == 1
    assert audio.shape[1] / SAMPLE_RATE == pytest.approx(gold.duration, abs=0.01)
    assert gold.segments[-1].end + 0.5 == pytest.approx(gold.duration, abs=0.001)  # default tail
    assert [s.speaker for s in gold.segments] == ["A", "B", "A"]
    assert [s.role for s in gold.segments] == ["inwoner", "ggz", "inwoner"]
    assert gold.source.kind == "text" and gold.speakers == {"A": "inwoner", "B": "ggz"}
    for before, after, turn in zip(gold.segments, gold.segments[1:], THREE_TURNS["turns"], strict=False):
        assert after.start - before.end == pytest.approx(turn.get("pause_after", 0.4), abs=0.001)


def test_speech_lies_inside_the_gold_segments(mono):
    audio = _decode(mono.audio_path)[0]
    segs = mono.transcript.segments
    gap = audio[int(segs[0].end * SAMPLE_RATE) + 160 : int(segs[1].start * SAMPLE_RATE) - 160]
    for seg in segs:
        assert _rms(_span(audio, seg)) > 20 * _rms(gap)


def test_stereo_hybrid_puts_call_speaker_only_on_the_right(hybrid):
    audio = _decode(hybrid.audio_path)
    assert audio.shape[0] == 2 and hybrid.channels == 2
    room_turns = [s for s in hybrid.transcript.segments if s.speaker == "A"]
    call_turn = next(s for s in hybrid.transcript.segments if s.speaker == "B")
    right_call = _rms(_span(audio[1], call_turn))
    assert right_call > 0.01
    for seg in room_turns:
        assert _rms(_span(audio[1], seg)) < 0.01 * right_call  # room speakers absent on the call channel
        assert _rms(_span(audio[0], seg)) > 0.01
    # The room microphone hears the call speaker only faintly.
    assert _rms(_span(audio[0], call_turn)) < 0.3 * right_call


def test_output_is_deterministic(mono, tmp_path):
    again = synthesize_script(parse_script(THREE_TURNS), tmp_path, recording_id="drie")
    assert again.audio_path.read_bytes() == mono.audio_path.read_bytes()
    assert again.transcript_path.read_text() == mono.transcript_path.read_text()


def test_rttm_webvtt_and_text_exports(mono):
    lines = mono.rttm_path.read_text().splitlines()
    assert len(lines) == 3
    fields = lines[1].split()
    assert fields[:3] == ["SPEAKER", "drie", "1"] and fields[7] == "B" and len(fields) == 10
    assert float(fields[3]) == pytest.approx(mono.transcript.segments[1].start, abs=0.001)
    vtt = mono.vtt_path.read_text()
    assert vtt.startswith("WEBVTT\n") and "<v Test Professional>Welkom" in vtt
    assert mono.text_path.read_text().splitlines()[0] == "Test Inwoner: Goedemorgen, ik ben de inwoner."


_DELETE = object()


def _broken(path: tuple, value) -> dict:
    data = copy.deepcopy(THREE_TURNS)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data



@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_broken(("turns", 1, "speaker"), "C"), "noemt spreker 'C'"),
        (_broken(("turns",), []), "geen beurten"),
        (_broken(("speakers", "A", "role"), "huisarts"), "onbekende waarde 'huisarts'"),
        (_broken(("synthetic",), False), "synthetic"),
        (_broken(("synthetic",), _DELETE), "synthetic: ontbreekt"),
        (_broken(("speakers", "A", "voice"), "nl+bestaatniet"), "stemvariant 'bestaatniet'"),
        (_broken(("speakers", "A", "voice"), "Nederlands"), "taal+variant"),
        (_broken(("turns", 0, "text"), "   "), "geen tekst"),
        (_broken(("turns", 0, "pause_after"), -1), "pause_after"),
        (_broken(("turns", 0, "say"), " "), "geen tekst"),
        (_broken(("speakers", "B", "kanaal"), "call"), "onbekend veld"),
        (_broken(("speakers",), {}), "geen sprekers"),
        (["geen", "mapping"], "geen YAML-mapping"),
    ],
)
def test_bad_scripts_give_clear_dutch_errors(data, expected):
    with pytest.raises(ScriptError) as info:
        parse_script(data, name="kapot.yaml")
    assert expected in info.value.message
    assert info.value.hint
    assert isinstance(info.value, InputError)


@pytest.mark.parametrize(
    "data",
    [
        THREE_TURNS,
        _broken(("speakers", "A", "voice"), "nl"),
        _broken(("speakers", "A", "role"), "ervaringsdeskundige"),
        _broken(("turns", 0, "pause_after"), 0),
        _broken(("room_noise_db",), None),
        _broken(("turns", 0, "say"), "Goedemorgen, ik ben de inwoner."),
    ],
)
def test_valid_scripts_parse(data):
    assert len(parse_script(data).turns) == 3


def test_cli_reports_bad_script_with_exit_code(tmp_path, capsys):
    script = tmp_path / "kapot.yaml"
    script.write_text("title: x\nsynthetic: true\nspeakers: {A: {role: inwoner}}\nturns: []\n", encoding="utf-8")
    assert main([str(script), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "geen beurten" in err and "Wat nu:" in err
    assert not (tmp_path / "out" / "audio.ogg").exists()


def test_cli_refuses_invalid_yaml_and_missing_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    assert main([str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "geen geldige YAML" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "o")]) == 2
    assert "niet gevonden" in capsys.readouterr().err


def test_say_changes_the_audio_but_not_the_gold_text():
    spoken = _broken(("turns", 2, "say"), "Een twee drie vier vijf zes zeven acht negen.")
    plain, overridden = render(parse_script(THREE_TURNS)), render(parse_script(spoken))
    assert overridden.segments[2].text == "Dank je wel."
    assert overridden.segments[2].end - overridden.segments[2].start > plain.segments[2].end - plain.segments[2].start + 1.0


def test_exports_follow_audio_name_and_can_be_skipped(tmp_path):
    named = synthesize_script(parse_script(THREE_TURNS), tmp_path / "a", audio_name="gesprek.ogg")
    assert named.vtt_path == tmp_path / "a" / "gesprek.vtt" and named.text_path.name == "gesprek.txt"
    bare = synthesize_script(parse_script(THREE_TURNS), tmp_path / "b", exports=False)
    assert bare.vtt_path is None and sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "audio.ogg",
        "reference.rttm",
        "transcript.gold.json",
    ]
