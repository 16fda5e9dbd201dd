"""Offline proof that holds for native code too: the product runs in a Linux network namespace
with no route out (``unshare -n``, loopback only), so FFmpeg, llama.cpp, Deduce or any C library
could not reach the network even if it tried. Needs root (or user namespaces); skipped with the
reason otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROBE = REPO / "tests" / "netns_probe.py"


def _netns_available() -> str | None:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare/ip not installed"
    proc = subprocess.run(["unshare", "-n", "ip", "link", "set", "lo", "up"], capture_output=True, text=True)
    return None if proc.returncode == 0 else f"cannot create a network namespace: {proc.stderr.strip()}"


_REASON = _netns_available()
pytestmark = pytest.mark.skipif(_REASON is not None, reason=_REASON or "")


def in_namespace(step: str, work: Path, **env: str) -> dict:
    """Run one probe step in a fresh network namespace with only loopback up."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **env}
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable, str(PROBE), step, str(work)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_namespace_has_no_route_out(tmp_path: Path) -> None:
    seen = in_namespace("no_route", tmp_path)
    assert seen["connect_out"] != "connected" and seen["resolve"] != "resolved", seen


def test_ffmpeg_never_connects_with_the_products_options(tmp_path: Path) -> None:
    seen = in_namespace("ffmpeg", tmp_path)
    assert seen["plain_pyav_connected"] is True, "control: unrestricted FFmpeg does connect, so a connection would show"
    assert seen["restricted"] != "opened" and seen["restricted_connected"] is False
    assert "geen lokaal bestand" in seen["decode_url"] and seen["decode_url_connected"] is False
    assert seen["decode_playlist"] != "decoded" and seen["decode_playlist_connected"] is False


@pytest.mark.slow
def test_vg_process_in_namespace(tmp_path: Path) -> None:
    """Real audio decoding and real de-identification (Presidio + Deduce), fake ASR and LLM."""
    seen = in_namespace("process", tmp_path, VG_DATA_DIR=str(tmp_path / "data"), VG_ASR_BACKEND="fake",
                        VG_LLM_BACKEND="fake", VG_DIARIZATION_BACKEND="none")
    assert seen["returncode"] == 0, seen["stderr"]
    assert {"transcript.json.enc", "transcript.pseudo.json", "verslag.json", "advies-huisarts.pdf", "run.json"} <= set(seen["outputs"])


@pytest.mark.slow
def test_service_in_namespace_answers_on_loopback(tmp_path: Path) -> None:
    seen = in_namespace("service", tmp_path, VG_DATA_DIR=str(tmp_path / "data"), VG_ASR_BACKEND="fake",
                        VG_LLM_BACKEND="fake", VG_DIARIZATION_BACKEND="none")
    assert seen.get("health") == {"status": "ok"}, seen
    assert seen["job_status"] == "klaar", seen
    assert seen["stderr_traceback"] is False
