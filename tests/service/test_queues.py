"""Queues by capability: parsing the setting, the stage -> capability table, and a case split over a
"GPU" worker (asr, llm) and a "CPU" worker (cpu) that share a real Redis queue and a real PostgreSQL
database. Each worker gets backends that fail loudly for what it must not run, so a stage computed
on the wrong worker turns the case into ``fout``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.files import read_private_text
from core.errors import QueueError
from pipeline.backends import Backends
from service.config import ServiceSettings
from service.main import create_app
from service.queues import CAPABILITIES, STAGE_CAPABILITY, check_reachable, make_queues, parse_capabilities
from service.worker import Processing
from tests.service.helpers import add_users, fake_llm, make_settings, processed_case
from tests.service.servers import Redis, free_port


@pytest.mark.parametrize(("text", "expected"), [
    ("asr,llm,cpu", ("asr", "llm", "cpu")), ("cpu", ("cpu",)), (" LLM , asr ", ("asr", "llm")), ("cpu,cpu", ("cpu",)),
])
def test_capabilities_are_parsed_in_canonical_order(text: str, expected: tuple[str, ...]) -> None:
    assert parse_capabilities(text) == expected


@pytest.mark.parametrize("text", ["", " , ", "gpu", "asr,tpu"])
def test_unknown_capabilities_are_refused_in_dutch(text: str) -> None:
    with pytest.raises(QueueError) as caught:
        parse_capabilities(text)
    assert "VG_WORKER_CAPABILITIES" in (caught.value.hint or "")


def test_every_stage_needs_a_known_capability() -> None:
    from pipeline.artefacts import STAGES

    assert set(STAGE_CAPABILITY) == set(STAGES) and set(STAGE_CAPABILITY.values()) <= set(CAPABILITIES)


@pytest.mark.parametrize("url", ["http://localhost:6379", "postgresql://x@y/z"])
def test_queue_url_must_be_redis(tmp_path: Path, url: str) -> None:
    with pytest.raises(QueueError):
        make_queues(tmp_path, url)


def test_unreachable_redis_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(QueueError) as caught:
        check_reachable(make_queues(tmp_path, f"redis://127.0.0.1:{free_port()}/0"))
    assert "niet bereikbaar" in caught.value.message


class MustNotRun:
    """A backend this worker must never use: any use fails the stage (and so the case)."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __getattr__(self, name: str):  # noqa: ANN204
        raise AssertionError(f"{self.what} used on a worker without that capability")


def test_case_is_split_over_a_gpu_and_a_cpu_worker_on_redis(tmp_path: Path, redis: Redis, pg_server, deid_engine) -> None:
    settings = make_settings(tmp_path)
    database_url = pg_server.create_database("vg_routing")
    base = ServiceSettings(login_ip_limit=1000, queue_url=redis.url, database_url=database_url, worker_recover_seconds=2)
    app = create_app(settings, Backends(settings, llm=MustNotRun("LLM"), asr=MustNotRun("ASR"),
                                        deid_engine=MustNotRun("de-identification")),
                     config=base, embedded_worker=False)  # the web app only enqueues
    gpu = Processing(settings, Backends(settings, llm=fake_llm(), deid_engine=MustNotRun("de-identification")),
                     app.state.sessions, base.model_copy(update={"worker_capabilities": "asr,llm"}))
    cpu = Processing(settings, Backends(settings, llm=MustNotRun("LLM"), asr=MustNotRun("ASR"), deid_engine=deid_engine),
                     app.state.sessions, base.model_copy(update={"worker_capabilities": "cpu"}))
    gpu.start()
    cpu.start()
    try:
        with TestClient(app) as client:
            client.people = add_users(app)
            case_id = processed_case(client, name="gesprek.ogg")  # asserts 'klaar'
    finally:
        gpu.stop()
        cpu.stop()
    run = json.loads(read_private_text(settings.data_dir / "cases" / case_id / "uitvoer" / "run.json"))
    reused = {s["stage"]: s["reused"] for s in run["stages"]}
    # four hand-offs (asr -> cpu -> llm -> cpu -> llm): the last worker reused every earlier stage
    assert reused == {"transcript": True, "deidentify": True, "verslag": True, "kaart": True, "render": False}
    assert all(huey.pending_count() == 0 for huey in gpu.queues.values()), "nothing left in any queue"
