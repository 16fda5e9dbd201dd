"""The HTTP service: upload, job status, downloads, and errors mapped to status codes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from models.llm.fake import FakeLLM
from pipeline.backends import Backends
from core.settings import Settings
from service.main import create_app

TRANSCRIPT = "GGZ: Welkom Sanne.\nInwoner: Ik heb schulden en slaap slecht.\n"
CASE = {"inwoner": {"naam": "Sanne de Groot"}, "regio": "zorgzaam"}


@pytest.fixture
def client(tmp_path: Path, deid_engine) -> TestClient:
    settings = Settings(data_dir=tmp_path / "data", llm_backend="fake", asr_backend="fake", diarization_backend="none")
    app = create_app(settings, Backends(settings, llm=FakeLLM(), deid_engine=deid_engine))
    with TestClient(app) as test_client:
        yield test_client


def _wait(client: TestClient, job_id: str, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = client.get(f"/api/verwerkingen/{job_id}").json()
        if job["status"] in ("klaar", "fout"):
            return job
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_upload_process_and_download(client: TestClient) -> None:
    response = client.post("/api/verwerkingen", files={"bestand": ("gesprek.txt", TRANSCRIPT.encode())},
                           data={"casus": json.dumps(CASE)})
    assert response.status_code == 202
    job = _wait(client, response.json()["id"])
    assert job["status"] == "klaar", job
    assert "advies-huisarts.pdf" in job["outputs"]
    letter = client.get(f"/api/verwerkingen/{job['id']}/bestanden/advies-huisarts.txt")
    assert letter.status_code == 200 and letter.headers["content-type"].startswith("text/plain")
    assert client.get(f"/api/verwerkingen/{job['id']}/bestanden/advies-huisarts.pdf").content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("files", "data", "status", "text"),
    [
        ({"bestand": ("leeg.wav", b"")}, {}, 400, "Leeg bestand"),
        ({"bestand": ("g.txt", b"A: hallo")}, {"casus": "{kapot"}, 400, "casusgegevens"),
        ({"bestand": ("g.txt", b"A: hallo")}, {"casus": '{"inwoner": {"geboortedatum": "gisteren"}}'}, 400, "casusgegevens"),
    ],
)
def test_bad_uploads_get_a_clear_400(client: TestClient, files, data, status: int, text: str) -> None:
    response = client.post("/api/verwerkingen", files=files, data=data)
    assert response.status_code == status
    assert text in response.json()["fout"]


def test_corrupt_audio_is_refused_at_upload_and_leaves_no_job(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/api/verwerkingen", files={"bestand": ("opname.wav", b"geen audio" * 100)})
    assert response.status_code == 400 and "geen leesbaar" in response.json()["fout"]
    assert not any((tmp_path / "data" / "jobs").iterdir())


@pytest.mark.parametrize("path", [
    "/api/verwerkingen/niet-een-id",
    "/api/verwerkingen/00000000-0000-0000-0000-000000000000",
    "/api/verwerkingen/00000000-0000-0000-0000-000000000000/bestanden/run.json",
])
def test_unknown_jobs_and_files_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_only_listed_outputs_can_be_downloaded(client: TestClient) -> None:
    response = client.post("/api/verwerkingen", files={"bestand": ("gesprek.txt", TRANSCRIPT.encode())})
    job = _wait(client, response.json()["id"])
    for name in ("../job.json", "..%2Finvoer%2Fgesprek.txt", "pseudoniemen.vault"):
        assert client.get(f"/api/verwerkingen/{job['id']}/bestanden/{name}").status_code == 404
