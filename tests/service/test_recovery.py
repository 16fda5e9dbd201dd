"""Jobs survive a dead worker: a case left 'bezig' by a killed process is re-queued and finishes once."""

from __future__ import annotations

import json
import socket

import pytest

from core.files import read_private_text
from service.db import Case, Letter
from tests.service.servers import DATABASES
from tests.service.helpers import auth, processed_case, wait

pytestmark = pytest.mark.parametrize("database", DATABASES, indirect=True)


def test_case_of_a_dead_worker_resumes_from_finished_stages(client) -> None:
    case_id = processed_case(client)
    processing = client.app.state.processing
    run_json = processing.settings.data_dir / "cases" / case_id / "uitvoer" / "run.json"
    with client.app.state.sessions() as db:  # as if a worker process (pid 2**22+1, never alive) died mid-job
        case = db.get(Case, case_id)
        case.status, case.claimed_by = "bezig", f"{socket.gethostname()}:{2**22 + 1}:1"
        db.commit()
    assert processing.recover() == 1  # the dead local claimer is detected and the case re-queued
    assert wait(client, case_id)["status"] == "klaar"
    reused = [s for s in json.loads(read_private_text(run_json))["stages"] if s.get("stage")]
    assert reused, "the re-run wrote a run record"
    assert processing.recover() == 0  # nothing left to recover, nothing duplicated
    with client.app.state.sessions() as db:
        assert db.get(Case, case_id).runs == 2
        assert db.query(Letter).count() == 0
    assert client.get(f"/api/casussen/{case_id}", headers=auth(client, "gv1")).json()["fout"] is None
