"""A ``vg worker`` process killed (SIGKILL) during transcription: after a restart the case finishes
exactly once, with nothing lost or duplicated. Real processes, real Whisper base (so transcription
takes long enough to be interrupted), fake LLM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pipeline.backends import Backends
from service.db import Case, StageProgress
from service.main import create_app
from tests.service.helpers import add_users, auth, make_settings, new_case

ROOT = Path(__file__).resolve().parents[2]
RECORDING = ROOT / "tests" / "data" / "diarize" / "mono.ogg"  # 38 s of speech

pytestmark = pytest.mark.slow


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _state(app, case_id: str) -> tuple[str, dict[str, str], int]:
    with app.state.sessions() as db:
        case = db.get(Case, case_id)
        db.refresh(case)
        stages = {p.stage: p.state for p in db.scalars(select(StageProgress).where(StageProgress.case_id == case_id))}
        return case.status, stages, case.runs


def test_worker_killed_during_transcription_finishes_once_after_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path).model_copy(update={"asr_backend": "faster-whisper"})
    app = create_app(settings, Backends(settings), embedded_worker=False)  # only the worker processes run jobs
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VG_DATA_DIR": str(settings.data_dir),
           "VG_VAULT_KEY_FILE": str(settings.vault_key_file), "VG_LLM_BACKEND": "fake",
           "VG_ASR_BACKEND": "faster-whisper", "VG_DIARIZATION_BACKEND": "none"}
    with TestClient(app) as client:
        client.people = add_users(app)
        case_id = new_case(client)
        first = _worker(env)
        try:
            response = client.put(f"/api/casussen/{case_id}/opname", params={"naam": "gesprek.ogg"},
                                  content=RECORDING.read_bytes(), headers=auth(client, "gv1"))
            assert response.status_code == 202, response.text
            deadline = time.time() + 300
            while time.time() < deadline and _state(app, case_id)[1].get("transcript") != "bezig":
                time.sleep(0.1)
            status, stages, runs = _state(app, case_id)
            assert stages.get("transcript") == "bezig" and status == "bezig" and runs == 1, (status, stages)
        finally:
            os.killpg(first.pid, signal.SIGKILL)  # no clean-up, no goodbye: as a crash or power loss
            first.wait(timeout=30)
        assert _state(app, case_id)[0] == "bezig"  # the database still says a (dead) worker has it

        second = _worker(env)  # recovery at start re-queues the dead worker's case
        try:
            deadline = time.time() + 600
            while time.time() < deadline and _state(app, case_id)[0] not in ("klaar", "fout"):
                time.sleep(0.5)
        finally:
            second.terminate()
            _, err = second.communicate(timeout=60)
        status, stages, runs = _state(app, case_id)
        assert status == "klaar", (status, stages, err.decode(errors="replace")[-2000:])
        assert runs == 2, "claimed once by each worker, never twice at once"
        assert all(state == "klaar" for state in stages.values()), stages
        out = settings.data_dir / "cases" / case_id / "uitvoer"
        assert (out / "advies-huisarts.txt").is_file() and (out / "transcript.json.enc").is_file()
        assert b"Traceback" not in err
