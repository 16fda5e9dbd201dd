"""A region set-up: two ``vg worker`` processes share a real Redis queue and a real PostgreSQL
database. The worker that took the case is SIGKILLed during transcription; the *other* worker finds
the dead claim (periodic recovery) and finishes the case exactly once: nothing lost, nothing
duplicated, no message left in any queue. Real processes, real Whisper base, fake LLM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pipeline.backends import Backends
from service.config import ServiceSettings
from service.db import Case, Letter, StageProgress
from service.main import create_app
from tests.service.helpers import add_users, auth, make_settings, new_case

ROOT = Path(__file__).resolve().parents[2]
RECORDING = ROOT / "tests" / "data" / "diarize" / "mono.ogg"  # 38 s of speech

pytestmark = pytest.mark.slow


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _state(app, case_id: str) -> tuple[str, dict[str, str], int, str | None]:
    with app.state.sessions() as db:
        case = db.get(Case, case_id)
        db.refresh(case)
        stages = {p.stage: p.state for p in db.scalars(select(StageProgress).where(StageProgress.case_id == case_id))}
        return case.status, stages, case.runs, case.claimed_by


def test_worker_killed_on_redis_case_finishes_once_on_the_other_worker(tmp_path: Path, pg_server, redis) -> None:
    settings = make_settings(tmp_path).model_copy(update={"asr_backend": "faster-whisper"})
    config = ServiceSettings(queue_url=redis.url, database_url=pg_server.create_database("vg_kill"))
    app = create_app(settings, Backends(settings), config=config, embedded_worker=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VG_DATA_DIR": str(settings.data_dir),
           "VG_VAULT_KEY_FILE": str(settings.vault_key_file), "VG_LLM_BACKEND": "fake",
           "VG_ASR_BACKEND": "faster-whisper", "VG_DIARIZATION_BACKEND": "none",
           "VG_QUEUE_URL": redis.url, "VG_DATABASE_URL": config.database_url, "VG_WORKER_RECOVER_SECONDS": "2"}
    workers = {w.pid: w for w in (_worker(env), _worker(env))}
    try:
        with TestClient(app) as client:
            client.people = add_users(app)
            case_id = new_case(client)
            response = client.put(f"/api/casussen/{case_id}/opname", params={"naam": "gesprek.ogg"},
                                  content=RECORDING.read_bytes(), headers=auth(client, "gv1"))
            assert response.status_code == 202, response.text
            deadline = time.time() + 300
            while time.time() < deadline and _state(app, case_id)[1].get("transcript") != "bezig":
                time.sleep(0.1)
            status, stages, runs, claimed_by = _state(app, case_id)
            assert stages.get("transcript") == "bezig" and status == "bezig" and runs == 1, (status, stages)
            victim = workers.pop(int(claimed_by.split(":")[1]))
            os.killpg(victim.pid, signal.SIGKILL)  # as a crash or power loss of that machine
            victim.wait(timeout=30)
            (survivor,) = workers.values()

            deadline = time.time() + 600
            while time.time() < deadline and _state(app, case_id)[0] not in ("klaar", "fout"):
                assert survivor.poll() is None, "the other worker must keep running"
                time.sleep(0.5)
            status, stages, runs, claimed_by = _state(app, case_id)
            assert status == "klaar", (status, stages)
            assert runs == 2, "claimed once by each worker, never twice at once"
            assert claimed_by is None and all(state == "klaar" for state in stages.values()), stages
            assert not any(huey.pending_count() for huey in app.state.processing.queues.values())
            with app.state.sessions() as db:
                assert db.scalar(select(func.count()).select_from(Case)) == 1
                assert db.scalar(select(func.count()).select_from(Letter)) == 0  # not approved: no letter yet
    finally:
        for process in workers.values():
            process.terminate()
        errors = b"".join(process.communicate(timeout=60)[1] for process in workers.values())
    out = settings.data_dir / "cases" / case_id / "uitvoer"
    assert (out / "advies-huisarts.txt").is_file() and (out / "transcript.json.enc").is_file()
    assert b"Traceback" not in errors, errors.decode(errors="replace")[-2000:]
