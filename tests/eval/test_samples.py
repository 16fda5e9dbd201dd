"""The bundled demo sample: script, gold files, exports and CASE.json agree with each other.

Reads the committed files with the project's own readers; nothing is synthesised here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.audio import decode_audio
from pipeline.case import load_case
from pipeline.transcript import Transcript
from pipeline.transcript_io import read_transcript_file
from eval.synthesis import load_script

DEMO = Path(__file__).resolve().parents[2] / "samples" / "vg-demo"


@pytest.fixture(scope="module")
def script():
    return load_script(DEMO / "script.yaml")


@pytest.fixture(scope="module")
def gold() -> Transcript:
    return Transcript.model_validate_json((DEMO / "transcript.gold.json").read_text(encoding="utf-8"))


def test_gold_transcript_matches_the_script(script, gold):
    assert script.synthetic is True
    assert [s.text for s in gold.segments] == [" ".join(t.text.split()) for t in script.turns]
    assert [s.speaker for s in gold.segments] == [t.speaker for t in script.turns]
    assert set(gold.speakers.values()) == {"inwoner", "naaste", "ggz", "sociaal"}
    assert all(a.end < b.start for a, b in zip(gold.segments, gold.segments[1:], strict=False))
    assert 180 <= gold.duration <= 300  # "about 3-4 minutes of speech"


def test_rttm_has_one_line_per_gold_segment(gold):
    lines = (DEMO / "reference.rttm").read_text().splitlines()
    assert len(lines) == len(gold.segments)
    for line, seg in zip(lines, gold.segments, strict=True):
        fields = line.split()
        assert fields[1] == "gesprek" and fields[7] == seg.speaker
        assert float(fields[3]) == pytest.approx(seg.start, abs=0.001)


@pytest.mark.parametrize("name", ["gesprek.vtt", "gesprek.txt"])
def test_exports_read_back_with_the_project_reader(name, script, gold):
    imported = read_transcript_file(DEMO / name)
    names = {label: spec.name for label, spec in script.speakers.items()}
    assert [s.text for s in imported.segments] == [s.text for s in gold.segments]
    assert [s.speaker for s in imported.segments] == [names[s.speaker] for s in gold.segments]


@pytest.mark.parametrize(("name", "channels"), [("gesprek.ogg", 1), ("gesprek-hybride.ogg", 2)])
def test_audio_decodes_with_the_gold_duration(name, channels, gold):
    audio = decode_audio(DEMO / name)
    assert audio.channels == channels
    assert audio.duration == pytest.approx(gold.duration, abs=0.05)
    assert (DEMO / name).stat().st_size < 1_500_000


def test_case_json_names_the_participants_of_the_script(script):
    case = load_case(DEMO / "case.json")
    spoken = " ".join(t.text for t in script.turns)
    people = [case.inwoner.naam] + [n.naam for n in case.naasten] + [p.naam for p in case.professionals]
    assert sorted(people) == sorted(spec.name for spec in script.speakers.values())
    assert all(person in spoken for person in people)
    assert {p.rol for p in case.professionals} == {"ggz", "sociaal"}


def _elfproef(bsn: str) -> bool:
    digits = [int(c) for c in bsn]
    return len(digits) == 9 and sum(d * w for d, w in zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1], strict=True)) % 11 == 0


def _iban_ok(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def test_personal_data_for_deidentification_is_present_and_valid(gold):
    text = gold.text
    bsn = re.search(r"BSN is ([\d ]{11})", text).group(1).replace(" ", "")
    iban = re.search(r"(NL\d\d(?: ?[A-Z0-9]{4}){3} ?\d\d)", text).group(1).replace(" ", "")
    assert _elfproef(bsn) and not _elfproef(bsn[:-1] + "3")
    assert _iban_ok(iban) and not _iban_ok(iban[:-1] + "1")
    for needle in ("14 maart 1992", "5221 AB", "06 12 34 56 78", "@voorbeeld.nl", "Populierenlaan 27"):
        assert needle in text


def test_hybrid_sample_carries_only_the_call_speaker_on_the_right(script, gold):
    audio = decode_audio(DEMO / "gesprek-hybride.ogg").samples
    call_labels = {label for label, spec in script.speakers.items() if spec.channel == "call"}
    assert call_labels == {"SPREKER_4"}

    def rms(channel: int, seg) -> float:
        part = audio[channel, int(seg.start * 16000) : int(seg.end * 16000)]
        return float((part.astype("float64") ** 2).mean() ** 0.5)

    call_level = min(rms(1, s) for s in gold.segments if s.speaker in call_labels)
    assert call_level > 0.01
    assert max(rms(1, s) for s in gold.segments if s.speaker not in call_labels) < 0.01 * call_level
