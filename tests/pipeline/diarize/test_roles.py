"""Role proposal from introductions, CASE.json and conversation patterns; overrides by the duo."""

from __future__ import annotations

import pytest

from pipeline.case import CaseMetadata, Inwoner, Naaste, Professional
from pipeline.diarize import apply_role_overrides, parse_role_flags, propose_roles
from core.errors import InputError
from pipeline.transcript import Segment, Transcript, TranscriptSource


def _t(*lines: tuple[str, str]) -> Transcript:
    segs = [Segment(id=i, start=i * 5.0, end=i * 5.0 + 4, speaker=spk, text=text) for i, (spk, text) in enumerate(lines, 1)]
    return Transcript(duration=100, segments=segs, source=TranscriptSource(kind="text", filename="t.txt", sha256="0" * 64))


CASE = CaseMetadata(
    inwoner=Inwoner(naam="Karin Jansen"),
    naasten=[Naaste(naam="Peter Jansen", relatie="partner")],
    professionals=[Professional(naam="Sanne de Vries", rol="ggz"), Professional(naam="Ahmed Bakker", rol="sociaal")],
)
CONVERSATION = _t(
    ("SPREKER_1", "Goedemiddag, ik ben Sanne. Hoe gaat het met u?"),
    ("SPREKER_2", "Ik ben Karin. Het gaat niet goed, ik slaap slecht en mijn werk lukt niet."),
    ("SPREKER_3", "Ik ben Ahmed van het wijkteam. Wat zou u willen?"),
    ("SPREKER_4", "Ik ben haar partner. Ze zit veel binnen."),
    ("SPREKER_2", "Ik wil weer werken. Ik mis mijn collega's."),
)


def test_introductions_with_case_names_give_high_confidence() -> None:
    roles = propose_roles(CONVERSATION, CASE)
    assert roles["SPREKER_1"] == ("ggz", 0.95)
    assert roles["SPREKER_2"] == ("inwoner", 0.95)
    assert roles["SPREKER_3"] == ("sociaal", 0.95)
    assert roles["SPREKER_4"] == ("naaste", 0.85)  # "haar partner": keyword, no name


def test_role_keywords_without_case() -> None:
    roles = propose_roles(CONVERSATION, CaseMetadata())
    assert roles["SPREKER_3"] == ("sociaal", 0.85)
    assert roles["SPREKER_4"][0] == "naaste"
    assert roles["SPREKER_2"][0] == "inwoner"


def test_patterns_only_give_low_confidence() -> None:
    t = _t(
        ("SPREKER_1", "Wat brengt u hier? Hoe slaapt u?"),
        ("SPREKER_2", "Ik slaap slecht. Mijn hoofd maalt en ik pieker veel over mijn schulden."),
        ("SPREKER_1", "Sinds wanneer is dat zo?"),
    )
    roles = propose_roles(t, CaseMetadata())
    assert roles["SPREKER_2"][0] == "inwoner"
    assert roles["SPREKER_1"][0] in ("ggz", "sociaal")
    assert all(confidence <= 0.6 for _, confidence in roles.values())


def test_more_speakers_than_participants_leaves_unknown() -> None:
    case = CaseMetadata(inwoner=Inwoner(naam="Karin"))
    roles = propose_roles(_t(("SPREKER_1", "Ik ben Karin."), ("SPREKER_2", "Hoe gaat het?")), case)
    assert roles == {"SPREKER_1": ("inwoner", 0.95), "SPREKER_2": ("onbekend", 0.0)}


def test_no_speakers_no_roles() -> None:
    assert propose_roles(_t(("", "tekst")).model_copy(update={"segments": []}), CASE) == {}


def test_overrides_set_roles_with_full_confidence() -> None:
    out = apply_role_overrides(CONVERSATION, {"SPREKER_4": "naaste", "SPREKER_1": "poh"})
    assert out.speakers == {"SPREKER_4": "naaste", "SPREKER_1": "poh"}
    assert [s.role for s in out.segments] == ["poh", None, None, "naaste", None]
    assert out.options["speaker_roles"]["SPREKER_1"] == {"role": "poh", "confidence": 1.0, "source": "bevestigd"}


@pytest.mark.parametrize(
    "overrides,message",
    [({"SPREKER_9": "naaste"}, "komt niet voor"), ({"SPREKER_1": "buurman"}, "Onbekende rol")],
)
def test_bad_overrides_are_refused_in_dutch(overrides: dict, message: str) -> None:
    with pytest.raises(InputError) as info:
        apply_role_overrides(CONVERSATION, overrides)
    assert message in info.value.message and info.value.hint


@pytest.mark.parametrize(
    "flags,expected",
    [
        (["SPREKER_2=naaste"], {"SPREKER_2": "naaste"}),
        (["3=GGZ", "spreker_1 = inwoner"], {"SPREKER_3": "ggz", "SPREKER_1": "inwoner"}),
        ([], {}),
    ],
)
def test_parse_role_flags(flags: list[str], expected: dict) -> None:
    assert parse_role_flags(flags) == expected


@pytest.mark.parametrize("flag", ["SPREKER_2", "=naaste", "SPREKER_2="])
def test_parse_role_flags_refuses_malformed(flag: str) -> None:
    with pytest.raises(InputError):
        parse_role_flags([flag])
