"""`vg process` command-line contract: errors are clear, exit non-zero, and lose nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VG_ASR_BACKEND", "fake")
    monkeypatch.setenv("VG_LLM_BACKEND", "fake")
    monkeypatch.setenv("VG_DIARIZATION_BACKEND", "none")
    return tmp_path


def _invoke(*args: str):
    return CliRunner().invoke(app, ["process", *args])


@pytest.mark.parametrize(
    ("make_input", "extra", "code", "message"),
    [
        (lambda d: d / "bestaat-niet.wav", [], 2, "niet gevonden"),
        (lambda d: (d / "kapot.wav").write_bytes(b"RIFF\x00\x00garbage" * 100) and d / "kapot.wav", [], 2, "geen leesbaar"),
        (lambda d: (d / "leeg.mp3").write_bytes(b"") or d / "leeg.mp3", [], 2, "leeg"),
        (lambda d: (d / "leeg.txt").write_text("\n") and d / "leeg.txt", [], 2, "geen tekst"),
        (lambda d: (d / "t.txt").write_text("A: hallo") and d / "t.txt", ["--channels", "links"], 2, "--channels"),
        (lambda d: (d / "t.txt").write_text("A: hallo") and d / "t.txt", ["--rol", "SPREKER_1=dokter"], 2, "--rol"),
        (lambda d: (d / "t.txt").write_text("A: hallo") and d / "t.txt", ["--case", "geen-case.json"], 2, "Casusbestand"),
    ],
    ids=["missing", "corrupt-audio", "empty-file", "empty-transcript", "bad-channels", "bad-role", "missing-case"],
)
def test_bad_input_exits_with_clear_message(env: Path, make_input, extra: list[str], code: int, message: str) -> None:
    path = make_input(env)
    out = env / "out"
    out.mkdir()
    (out / "eerder-werk.txt").write_text("niet weggooien")
    result = _invoke(str(path), "--out", str(out), *extra)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert (out / "eerder-werk.txt").read_text() == "niet weggooien"


def test_malformed_case_json(env: Path) -> None:
    transcript = env / "t.txt"
    transcript.write_text("A: hallo")
    case = env / "case.json"
    case.write_text(json.dumps({"inwoner": {"naam": "X", "geboortedatum": "gisteren"}}))
    result = _invoke(str(transcript), "--out", str(env / "out"), "--case", str(case))
    assert result.exit_code == 2
    assert "inwoner.geboortedatum" in result.output


def test_help_explains_the_command() -> None:
    result = CliRunner().invoke(app, ["process", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--case", "--speakers", "--channels", "--rol", "--quiet"):
        assert option in result.output
