"""Fixtures for the web app: a fresh data directory, fake backends injected, one user per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.backends import Backends
from service.config import ServiceSettings
from service.main import create_app
from tests.service.helpers import add_users, fake_llm, make_settings


@pytest.fixture
def app(tmp_path: Path, deid_engine):
    settings = make_settings(tmp_path)
    return create_app(settings, Backends(settings, llm=fake_llm(), deid_engine=deid_engine),
                      config=ServiceSettings(login_ip_limit=1000))


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        test_client.people = add_users(app)
        yield test_client
