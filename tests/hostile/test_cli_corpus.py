"""Every corpus input through ``vg process`` (fake ASR and LLM backends): a clear Dutch message,
the documented exit code, no traceback, and nothing half-written in --out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.hostile.corpus import BY_ID, CORPUS, HostileInput, device_inputs

REPO = Path(__file__).resolve().parents[2]
CLI_CASES = [pytest.param(item, id=item.id,
                          marks=[pytest.mark.xfail(reason=item.cli_xfail, strict=False)] if item.cli_xfail else [])
             for item in CORPUS if not item.http_only]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VG_ASR_BACKEND", "fake")
    monkeypatch.setenv("VG_LLM_BACKEND", "fake")
    monkeypatch.setenv("VG_DIARIZATION_BACKEND", "none")
    return tmp_path


def assert_nothing_half_written(out: Path) -> None:
    """--out holds the earlier file untouched and, at most, a complete run.json saying 'error'."""
    assert (out / "eerder-werk.txt").read_text() == "niet weggooien"
    left = sorted(p.name for p in out.iterdir() if p.name != "eerder-werk.txt")
    assert left in ([], ["run.json"]), left
    if left:
        assert json.loads((out / "run.json").read_text())["status"] == "error"


def _run(args: list[str]):
    return CliRunner().invoke(app, ["process", *args])


@pytest.mark.parametrize("item", CLI_CASES)
def test_cli_refuses_clearly(env: Path, item: HostileInput) -> None:
    built = item.build(env / "in")
    out = env / "out"
    out.mkdir()
    (out / "eerder-werk.txt").write_text("niet weggooien")
    args = [str(built.path), "--out", str(out), "--quiet"]
    if built.case_path:
        args += ["--case", str(built.case_path)]
    result = _run(args)
    assert "Traceback" not in result.output
    assert result.exit_code == item.exit_code, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert re.search(item.message, result.output, re.IGNORECASE), result.output
    assert result.output.startswith("Fout: ")
    assert_nothing_half_written(out)


@pytest.mark.parametrize(("name", "path"), device_inputs())
def test_cli_refuses_paths_that_are_no_file(env: Path, name: str, path: Path) -> None:
    out = env / "out"
    out.mkdir()
    (out / "eerder-werk.txt").write_text("niet weggooien")
    result = _run([str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 2 and "niet gevonden" in result.output, result.output
    assert_nothing_half_written(out)


@pytest.mark.parametrize("case_id", ["hls-playlist", "latin1-txt", "wav-claims-4gb"])
def test_real_vg_process_stderr_has_no_traceback(tmp_path: Path, case_id: str) -> None:
    """The installed entry point in a fresh process, as a user runs it (a few cases: each start
    costs seconds)."""
    built = BY_ID[case_id].build(tmp_path / "in")
    out = tmp_path / "out"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "VG_DATA_DIR": str(tmp_path / "data"),
           "VG_ASR_BACKEND": "fake", "VG_LLM_BACKEND": "fake", "VG_DIARIZATION_BACKEND": "none"}
    proc = subprocess.run([sys.executable, "-m", "cli.main", "process", str(built.path), "--out", str(out), "-q"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert re.search(BY_ID[case_id].message, proc.stderr + proc.stdout)
