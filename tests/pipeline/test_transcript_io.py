"""Reading existing transcripts (WebVTT, transcript.json, 'Spreker: tekst')."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.case import CaseMetadata
from core.errors import TranscriptFormatError
from pipeline.speakers import neutralise_speaker_labels
from pipeline.transcript import Segment, Transcript, TranscriptSource
from pipeline.transcript_io import read_transcript_file

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Anna Jansen>Goedemorgen allemaal.</v>

00:00:04.500 --> 00:00:06.000
<v Anna Jansen>Fijn dat jullie er zijn.</v>

00:00:06.500 --> 00:01:09.250
Piet Bakker: Dank je, ik ben Piet.

00:01:10.000 --> 00:01:12.000
<v.loud Sanne>Ik wil weer rust in mijn hoofd.
"""


def test_webvtt_keeps_speakers_and_times(tmp_path: Path) -> None:
    path = tmp_path / "gesprek.vtt"
    path.write_text(VTT, encoding="utf-8")
    t = read_transcript_file(path)
    assert [s.speaker for s in t.segments] == ["Anna Jansen", "Piet Bakker", "Sanne"]
    assert t.segments[0].text == "Goedemorgen allemaal. Fijn dat jullie er zijn."  # same speaker, merged
    assert (t.segments[1].start, t.segments[1].end) == (6.5, 69.25)
    assert t.segments[2].text == "Ik wil weer rust in mijn hoofd."
    assert [s.id for s in t.segments] == [1, 2, 3]
    assert t.source.kind == "webvtt" and t.duration == 72.0


def test_plain_text_turns(tmp_path: Path) -> None:
    path = tmp_path / "gesprek.txt"
    path.write_text("# kop wordt overgeslagen\nGGZ: Hoe gaat het?\n\nInwoner: Niet zo goed eigenlijk.\nzonder spreker\n", encoding="utf-8")
    t = read_transcript_file(path)
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("GGZ", "Hoe gaat het?"), ("Inwoner", "Niet zo goed eigenlijk."), (None, "zonder spreker"),
    ]
    assert all(a.end <= b.start for a, b in zip(t.segments, t.segments[1:]))


def test_transcript_json_round_trip(tmp_path: Path) -> None:
    original = Transcript(
        duration=3.0,
        segments=[Segment(id=1, start=0.0, end=3.0, speaker="SPREKER_1", text="Hallo.")],
        source=TranscriptSource(kind="audio", filename="a.wav", sha256="0" * 64),
    )
    path = tmp_path / "transcript.json"
    path.write_text(original.model_dump_json(), encoding="utf-8")
    assert read_transcript_file(path) == original


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.txt", "\n\n", "geen tekst"),
        ("leeg.vtt", "WEBVTT\n\n", "geen tekst"),
        ("kapot.vtt", "WEBVTT\n\n00:00:01.000 --> nonsense\nhallo\n", "WebVTT"),
        ("kapot.json", "{niet json", "geen geldige JSON"),
        ("ander.json", '{"foo": 1}', "geen transcript.json"),
        ("leeg.json", '{"duration": 1, "segments": [], "source": {"kind": "text", "filename": "x", "sha256": "x"}}', "geen tekst"),
    ],
)
def test_bad_transcripts_are_refused(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TranscriptFormatError, match=message):
        read_transcript_file(path)


def test_non_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Spreker: één".encode("latin-1"))
    with pytest.raises(TranscriptFormatError, match="UTF-8"):
        read_transcript_file(path)


def test_speaker_names_become_neutral_labels_with_roles(tmp_path: Path) -> None:
    path = tmp_path / "gesprek.vtt"
    path.write_text(VTT, encoding="utf-8")
    case = CaseMetadata.model_validate({
        "inwoner": {"naam": "Sanne de Groot"},
        "professionals": [{"naam": "Anna Jansen", "rol": "ggz"}],
    })
    t = neutralise_speaker_labels(read_transcript_file(path), case)
    assert [s.speaker for s in t.segments] == ["SPREKER_1", "SPREKER_2", "SPREKER_3"]
    assert t.speakers == {"SPREKER_1": "ggz", "SPREKER_3": "inwoner"}
    assert "Piet" not in t.model_dump_json(include={"speakers"})
