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


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("name", "content", "as_case", "message"),
    [
        ("case.json", DEEP, True, "te diep genest"),
        ("case.json", '{"inwoner": ' * 5_000 + "null" + "}" * 5_000, True, "te diep genest"),
        ("transcript.json", DEEP, False, "te diep genest"),
        ("transcript.json", '{"segments": ' + "[" * 70 + "]" * 70 + "}", False, "te diep genest"),
        ("transcript.json", '{"segments": [' + '{"a": ' * 200_000, False, "te diep genest"),
    ],
    ids=["case-list-100k", "case-object-5k", "transcript-list-100k",
         "transcript-just-too-deep", "transcript-truncated-deep"],
)
def test_deeply_nested_json_is_a_dutch_input_error_not_a_recursion_error(
        env: Path, name: str, content: str, as_case: bool, message: str) -> None:
    path = env / name
    path.write_text(content, encoding="utf-8")
    transcript = env / "t.txt"
    transcript.write_text("A: hallo")
    out = env / "out"
    args = (str(transcript), "--out", str(out), "--case", str(path)) if as_case else (str(path), "--out", str(out))
    result = _invoke(*args, "--quiet")
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert not isinstance(result.exception, RecursionError)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_unexpected_error_gives_a_dutch_message_and_logs_no_personal_data(capfd: pytest.CaptureFixture[str]) -> None:
    import logging

    import typer

    from cli.common import configure_entry_point, handle_errors

    @handle_errors
    def command() -> None:
        names = {"inwoner": "Sanne de Groot"}
        raise KeyError(f"geen rol voor {names['inwoner']}")

    import os
    import sys
    import threading

    hooks, umask = (sys.excepthook, threading.excepthook), os.umask(0o022)
    configure_entry_point()
    try:
        with pytest.raises(typer.Exit) as exit_info:
            command()
    finally:
        logging.getLogger().handlers.clear()
        sys.excepthook, threading.excepthook = hooks
        os.umask(umask)
    captured = capfd.readouterr()
    shown = captured.out + captured.err
    assert exit_info.value.exit_code == 1
    assert "Onverwachte fout" in shown and "KeyError" in shown
    assert "test_process_cmd.py:" in shown, "the log keeps file:line so the fault can be found"
    assert "Sanne" not in shown and "Traceback" not in shown


def test_entry_point_makes_new_files_private(env: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        _invoke(str(env / "bestaat-niet.txt"), "--out", str(env / "out"))
        current = os.umask(0o022)
    finally:
        os.umask(old)
    assert current == 0o077


def test_keep_raw_is_offered() -> None:
    result = CliRunner().invoke(app, ["process", "--help"])
    assert "--keep-raw" in result.output
