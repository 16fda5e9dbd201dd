"""The region in ``deploy/compose.yaml``, started as plain processes (no Docker engine here): a real
PostgreSQL and Redis, ``vg serve`` and a GPU-like and a CPU-like ``vg worker`` with the environment
the compose file gives each service. Only addresses and paths are replaced by local ones; the LLM
is the fake backend (the shared OpenAI-compatible server is covered in tests/models/llm). An
upload through the JSON API is processed across both workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import yaml

from service.db import open_database
from tests.service.helpers import SAMPLES, add_users
from tests.service.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"
VG_SERVICES = ("app", "worker-gpu", "worker-cpu")


def compose_environment(service: str) -> dict[str, str]:
    spec = yaml.safe_load(COMPOSE.read_text())["services"][service]
    return {key: str(value) for key, value in spec["environment"].items()}


def test_compose_file_points_every_vg_process_at_the_same_database_queue_and_llm() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert {"db", "queue", "llm", *VG_SERVICES} <= set(services)
    shared = ("VG_DATABASE_URL", "VG_QUEUE_URL", "VG_LLM_BACKEND", "VG_LLM_BASE_URL", "VG_LLM_MODEL", "VG_DATA_DIR")
    environments = [compose_environment(name) for name in VG_SERVICES]
    for key in shared:
        assert len({env[key] for env in environments}) == 1, key
    assert environments[0]["VG_DATABASE_URL"].startswith("postgresql://") and environments[0]["VG_QUEUE_URL"].startswith("redis://")
    assert environments[1]["VG_WORKER_CAPABILITIES"] == "asr,llm" and environments[2]["VG_WORKER_CAPABILITIES"] == "cpu"
    assert services["app"]["command"][-2:] == ["--workers", "0"], "in a region only the workers process jobs"


def _local(env: dict[str, str], tmp_path: Path, database_url: str, queue_url: str) -> dict[str, str]:
    """The compose environment with this machine's addresses and paths (and the fake LLM)."""
    local = {**env, "VG_DATABASE_URL": database_url, "VG_QUEUE_URL": queue_url, "VG_DATA_DIR": str(tmp_path / "data"),
             "VG_SECRETS_DIR": str(tmp_path / "secrets"), "VG_LLM_BACKEND": "fake", "VG_ASR_BACKEND": "fake",
             "VG_DIARIZATION_BACKEND": "none", "VG_ENVIRONMENT": "development", "VG_WORKER_RECOVER_SECONDS": "2"}
    for key in ("VG_MODELS_DIR", "VG_ASR_MODEL", "VG_ASR_DEVICE", "VG_ASR_COMPUTE_TYPE", "VG_LLM_BASE_URL", "VG_LLM_MODEL",
                "VG_ALLOW_REMOTE", "VG_ALLOW_INSECURE_REMOTE"):
        local.pop(key, None)  # GPU, model files and network binding that this machine does not have
    return {**os.environ, "PYTHONPATH": str(ROOT), **local}


@pytest.mark.slow
def test_region_processes_an_upload_across_gpu_and_cpu_workers(tmp_path: Path, pg_server, redis) -> None:
    database_url = pg_server.create_database("vg_region")
    port = free_port()
    sessions = open_database(tmp_path / "data", database_url)  # as `vg users create` would, before the app starts
    people = add_users(SimpleNamespace(state=SimpleNamespace(sessions=sessions)))
    processes = []
    try:
        for service in VG_SERVICES:
            spec = yaml.safe_load(COMPOSE.read_text())["services"][service]
            args = list(spec["command"])
            if service == "app":
                args = [a if a != "0.0.0.0" else "127.0.0.1" for a in args]
                args[args.index("--port") + 1] = str(port)
            env = _local(compose_environment(service), tmp_path, database_url, redis.url)
            processes.append(subprocess.Popen([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True))
        base = f"http://127.0.0.1:{port}/api"
        headers = {"Authorization": f"Bearer {people['gv1']['token']}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30, trust_env=False) as http:
            deadline = time.time() + 120
            while True:
                try:
                    if http.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.time() < deadline and processes[0].poll() is None, "vg serve did not come up"
                time.sleep(0.3)
            body = {"titel": "VG regio", "casus": {"inwoner": {"naam": "Sanne de Groot"}, "regio": "zorgzaam"},
                    "huisarts_id": people["ha1"]["id"],
                    "toestemming": {"bevestigd_door": "inwoner", "wijze": "mondeling", "gegeven": True}}
            case_id = http.post("/casussen", json=body).raise_for_status().json()["id"]
            response = http.put(f"/casussen/{case_id}/opname", params={"naam": "gesprek.vtt"},
                                content=(SAMPLES / "gesprek.vtt").read_bytes())
            assert response.status_code == 202, response.text
            deadline = time.time() + 600
            case = {}
            while time.time() < deadline:
                case = http.get(f"/casussen/{case_id}").json()
                if case["status"] in ("klaar", "fout"):
                    break
                stopped = [(name, p) for name, p in zip(VG_SERVICES, processes) if p.poll() is not None]
                assert not stopped, [f"{name} stopped ({p.returncode}): {p.stderr.read().decode(errors='replace')[-2000:]}"
                                     for name, p in stopped]
                time.sleep(0.5)
            assert case.get("status") == "klaar", case
            assert http.get(f"/casussen/{case_id}/verslag").status_code == 200
    finally:
        for process in processes:
            process.terminate()
        errors = [process.communicate(timeout=60)[1] for process in processes]
    assert not any(b"Traceback" in err for err in errors), b"\n".join(errors).decode(errors="replace")[-3000:]
