"""The diarize stage with an injected fake backend: word-level splits, channels, counts, roles."""

from __future__ import annotations

import numpy as np
import pytest

from models.diarization.fake import FakeDiarizer
from pipeline.case import CaseMetadata, Inwoner, Professional
from pipeline.diarize import DiarizeOptions, diarize
from pipeline.diarize.words import smooth_word_labels, speaker_at, speech_regions
from pipeline.transcript import Segment, Transcript, TranscriptSource, Word

SR = 16_000


def _words(text: str, start: float, step: float = 0.5) -> list[Word]:
    return [Word(start=start + i * step, end=start + (i + 1) * step - 0.05, word=f" {w}") for i, w in enumerate(text.split())]


def _segment(i: int, text: str, start: float, channel: int | None = None) -> Segment:
    words = _words(text, start)
    return Segment(id=i, start=start, end=words[-1].end, text=text, words=words, channel=channel)


def _transcript(*segments: Segment) -> Transcript:
    return Transcript(duration=60.0, segments=list(segments), source=TranscriptSource(kind="audio", filename="x.ogg", sha256="0" * 64))


AUDIO = np.zeros(60 * SR, dtype=np.float32)


def test_turn_change_inside_a_segment_splits_it_and_renumbers_ids() -> None:
    # "Hoe gaat het? Goed hoor." in one Whisper segment; the answer starts at 2.0 s.
    t = _transcript(_segment(1, "Hoe gaat het? Goed hoor.", 0.5), _segment(2, "Fijn om te horen.", 4.0))
    fake = FakeDiarizer([(0.0, 1.95, "x"), (2.0, 3.5, "y"), (3.9, 6.0, "x")])
    out = diarize(AUDIO, t, fake, CaseMetadata(), DiarizeOptions(propose_roles=False))
    assert [(s.id, s.speaker, s.text) for s in out.segments] == [
        (1, "SPREKER_1", "Hoe gaat het?"),
        (2, "SPREKER_2", "Goed hoor."),
        (3, "SPREKER_1", "Fijn om te horen."),
    ]
    assert out.segments[1].start == pytest.approx(2.0) and out.segments[0].end == pytest.approx(1.95)
    assert out.options["diarization"]["speakers"] == 2


def test_no_split_when_the_segment_has_one_speaker() -> None:
    t = _transcript(_segment(1, "Een twee drie vier", 0.0))
    out = diarize(AUDIO, t, FakeDiarizer([(0.0, 10.0, "a")]), CaseMetadata(), DiarizeOptions(propose_roles=False))
    assert [(s.id, s.speaker, s.text) for s in out.segments] == [(1, "SPREKER_1", "Een twee drie vier")]


@pytest.mark.parametrize(
    "options,case,expected",
    [
        (DiarizeOptions(num_speakers=4), CaseMetadata(inwoner=Inwoner(naam="Karin")), 4),  # flag wins
        (DiarizeOptions(), CaseMetadata(inwoner=Inwoner(naam="K"), professionals=[Professional(naam="S", rol="ggz")]), 2),
        (DiarizeOptions(), CaseMetadata(), None),  # estimated
        (DiarizeOptions(use_case_participants=False), CaseMetadata(inwoner=Inwoner(naam="K")), None),
    ],
)
def test_number_of_speakers_comes_from_flag_then_case(options: DiarizeOptions, case: CaseMetadata, expected: int | None) -> None:
    fake = FakeDiarizer([(0.0, 10.0, "a")])
    diarize(AUDIO, _transcript(_segment(1, "hallo daar", 0.0)), fake, case, options.model_copy(update={"propose_roles": False}))
    assert fake.requests[0].num_speakers == expected
    assert fake.requests[0].speech_regions == [(0.0, 0.95)]


def test_channel_split_never_mixes_channels_and_uses_each_channel_signal() -> None:
    room = _segment(1, "wij zitten hier samen in de kamer", 0.0, channel=0)
    call = _segment(2, "en ik via de video", 0.2, channel=1)  # overlaps in time with the room
    samples = np.stack([np.full(60 * SR, 0.1, np.float32), np.full(60 * SR, 0.2, np.float32)])
    fake = FakeDiarizer([(0.0, 10.0, "0")])  # the backend sees one speaker per call
    case = CaseMetadata(inwoner=Inwoner(naam="K"), professionals=[Professional(naam="S", rol="ggz"), Professional(naam="P", rol="sociaal")])
    out = diarize(samples, _transcript(room, call), fake, case, DiarizeOptions(propose_roles=False))
    assert {s.channel: s.speaker for s in out.segments} == {0: "SPREKER_1", 1: "SPREKER_2"}
    # the call channel is diarized first with an estimated count, the room gets the remainder of 3
    assert fake.requests[0].num_speakers is None and fake.requests[0].max_speakers == 2
    assert fake.requests[1].num_speakers == 2
    # each call got its own channel's signal, silenced outside that channel's speech
    assert fake.audio_seen[0].max() == pytest.approx(0.2) and fake.audio_seen[1].max() == pytest.approx(0.1)
    assert fake.audio_seen[0][int(5 * SR)] == 0.0


def test_without_backend_channels_become_speakers_and_mono_keeps_labels() -> None:
    split = _transcript(_segment(1, "kamer", 0.0, channel=0), _segment(2, "video", 2.0, channel=1), _segment(3, "weer kamer", 4.0, channel=0))
    out = diarize(AUDIO, split, None, CaseMetadata(), DiarizeOptions(propose_roles=False))
    assert [s.speaker for s in out.segments] == ["SPREKER_1", "SPREKER_2", "SPREKER_1"]
    mono = _transcript(_segment(1, "hallo", 0.0).model_copy(update={"speaker": "SPREKER_3"}))
    assert diarize(AUDIO, mono, None, CaseMetadata(), DiarizeOptions()).segments[0].speaker == "SPREKER_1"


def test_stage_fills_roles_with_confidence() -> None:
    t = _transcript(_segment(1, "Ik ben Sanne, ik werk als POH-ggz. Hoe gaat het?", 0.0), _segment(2, "Ik slaap slecht en ik ben moe.", 20.0))
    fake = FakeDiarizer([(0.0, 15.0, "a"), (19.0, 30.0, "b")])
    case = CaseMetadata(inwoner=Inwoner(naam="Karin Jansen"), professionals=[Professional(naam="Sanne de Vries", rol="poh")])
    out = diarize(AUDIO, t, fake, case, DiarizeOptions())
    assert out.speakers == {"SPREKER_1": "poh", "SPREKER_2": "inwoner"}
    assert [s.role for s in out.segments] == ["poh", "inwoner"]
    assert out.options["speaker_roles"]["SPREKER_1"] == {"role": "poh", "confidence": 0.95, "source": "voorstel"}


def test_rejects_audio_of_the_wrong_shape() -> None:
    from core.errors import DiarizationError

    with pytest.raises(DiarizationError):
        diarize(np.zeros((1, 2, 3)), _transcript(_segment(1, "a", 0.0)), None, CaseMetadata(), DiarizeOptions())


@pytest.mark.parametrize(
    "raw,expected",
    [
        (["a", "a", "b", "a", "a"], ["a", "a", "a", "a", "a"]),  # one short word between: glitch
        (["a", "a", "b", "b", "b"], ["a", "a", "b", "b", "b"]),  # a real change at the end stays
        (["a", "b", "b", "b", "a"], ["a", "b", "b", "b", "a"]),  # long enough to be a turn
    ],
)
def test_smoothing_absorbs_only_short_sandwiched_runs(raw: list[str], expected: list[str]) -> None:
    words = _words("een twee drie vier vijf", 0.0, step=0.2)
    assert smooth_word_labels(words, raw, min_turn_seconds=0.3) == expected


def test_speaker_at_prefers_overlap_then_nearest_within_one_second() -> None:
    from models.diarization import SpeakerTurn

    turns = [SpeakerTurn(start=0, end=1, speaker="a"), SpeakerTurn(start=1, end=3, speaker="b")]
    assert speaker_at(0.8, 1.6, turns) == "b"
    assert speaker_at(3.5, 3.8, turns) == "b"
    assert speaker_at(5.0, 5.5, turns) is None


def test_speech_regions_merge_close_words() -> None:
    s = _segment(1, "a b", 0.0)  # words 0-0.45, 0.5-0.95
    assert speech_regions([s, _segment(2, "c", 3.0)]) == [(0.0, 0.95), (3.0, 3.45)]
