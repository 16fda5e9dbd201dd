"""Property-based fuzzing of the JSON API from its own OpenAPI document (Schemathesis): whatever a
client sends, as whichever role, the app never answers with a 5xx. Bounded: a few examples per
operation so the suite stays fast."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from pipeline.backends import Backends
from service.config import ServiceSettings
from service.main import create_app
from tests.service.helpers import add_users, fake_llm, make_settings, processed_case

ROLES = ("gv1", "ha1", "wg", "bh")
SETTINGS = make_settings(Path(tempfile.mkdtemp(prefix="vg-fuzz-")))
APP = create_app(SETTINGS, Backends(SETTINGS, llm=fake_llm()), config=ServiceSettings(login_ip_limit=1_000_000))
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module")
def people():
    with TestClient(APP) as client:  # runs the lifespan: database, queue, embedded worker
        client.people = add_users(APP)
        processed_case(client)  # so ids, letters and files exist for the fuzzer to hit
        yield client.people


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_5xx_for_any_role(case, people) -> None:
    for who in ROLES:
        response = case.call(headers={"Authorization": f"Bearer {people[who]['token']}"})
        assert response.status_code < 500, f"{who}: {case.method} {case.formatted_path} -> {response.status_code}"
