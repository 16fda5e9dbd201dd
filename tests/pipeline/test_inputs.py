"""Upload checks: safe stored names and content checks before anything is queued."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import InputError
from pipeline.inputs import MAX_NAME_CHARS, check_input, safe_upload_name


@pytest.mark.parametrize(("given", "expected"), [
    ("gesprek.wav", "gesprek.wav"),
    ("Opname 12 maart.M4A", "Opname 12 maart.m4a"),
    ("..", "opname"),
    (".", "opname"),
    ("", "opname"),
    (None, "opname"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\win.ini", "win.ini"),
    ("/abs/pad/opname.mp3", "opname.mp3"),
    ("a\x00b.wav", "ab.wav"),
    ("na\u200bam.wav", "naam.wav"),
    ("\u202egnp.wav", "gnp.wav"),
    ("$(rm -rf).wav", "_rm -rf_.wav"),
    (".verborgen", "verborgen"),
])
def test_safe_upload_name(given: str | None, expected: str) -> None:
    assert safe_upload_name(given) == expected


def test_long_names_are_cut_keeping_the_extension() -> None:
    name = safe_upload_name("x" * 256 + ".wav")
    assert len(name) <= MAX_NAME_CHARS and name.endswith(".wav")


def test_check_input_reads_transcripts_and_probes_audio(tmp_path: Path) -> None:
    transcript = tmp_path / "g.txt"
    transcript.write_text("A: hallo daar\n", encoding="utf-8")
    assert check_input(transcript).segments
    nested = tmp_path / "t.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match="genest|geen geldig|transcript"):
        check_input(nested)
    fake = tmp_path / "g.wav"
    fake.write_text("geen audio")
    with pytest.raises(InputError, match="geen leesbaar"):
        check_input(fake)
