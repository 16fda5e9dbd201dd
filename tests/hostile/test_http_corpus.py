"""Every corpus input uploaded to the service (today's ``/api/verwerkingen`` route): a 4xx with a
Dutch message for bad input, never a 5xx, and no job folder left behind for a refused upload."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from models.llm.fake import FakeLLM
from pipeline.backends import Backends
from pipeline.inputs import MAX_NAME_CHARS
from service.main import create_app
from tests.hostile.corpus import CORPUS, HostileInput

HTTP_CASES = [pytest.param(item, id=item.id,
                           marks=[pytest.mark.xfail(reason=item.http_xfail, strict=False)] if item.http_xfail else [])
              for item in CORPUS]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, deid_engine):
    data = tmp_path_factory.mktemp("data")
    settings = Settings(data_dir=data, llm_backend="fake", asr_backend="fake", diarization_backend="none")
    app = create_app(settings, Backends(settings, llm=FakeLLM(), deid_engine=deid_engine))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, data / "jobs"


def upload(client: TestClient, filename: str, content: bytes, case_text: str | None):
    data = {"casus": case_text} if case_text is not None else {}
    return client.post("/api/verwerkingen", files={"bestand": (filename, content)}, data=data)


def _wait(client: TestClient, job_id: str, timeout: float = 60) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = client.get(f"/api/verwerkingen/{job_id}").json()
        if job["status"] in ("klaar", "fout"):
            return job
        time.sleep(0.1)
    raise AssertionError("job did not finish")


@pytest.mark.parametrize("item", HTTP_CASES)
def test_upload_is_answered_with_4xx_never_5xx(service, tmp_path: Path, item: HostileInput) -> None:
    client, jobs = service
    built = item.build(tmp_path / "in")
    before = set(jobs.iterdir())
    response = upload(client, built.filename, built.content, built.case_text)
    assert response.status_code < 500, response.text
    assert response.status_code == item.http_status, response.text
    if response.status_code >= 400:
        body = response.json()
        assert re.search(item.message, body["fout"], re.IGNORECASE), body
        assert set(jobs.iterdir()) == before  # nothing half-written
    elif item.http_async:
        job = _wait(client, response.json()["id"])
        assert job["status"] == "fout" and re.search(item.message, job["error"], re.IGNORECASE), job
    else:
        job = response.json()
        name = job["input_name"]
        assert name and "/" not in name and ".." not in name and len(name) <= MAX_NAME_CHARS
        assert all(c.isprintable() for c in name)
        stored = jobs / job["id"] / "invoer" / name
        assert stored.is_file() and stored.parent.parent.parent == jobs
