"""Fixtures for the web app: a fresh data directory, fake backends injected, one user per role.

``database`` is SQLite unless a test module parametrises it (``indirect``) with ``"postgresql"``:
then the app runs on a fresh database of a real PostgreSQL server that this session starts in a
temporary directory (``tests/service/servers.py``). Only a representative subset runs on both
(migrations, the flow, the authorisation matrix, recovery) so the suite time does not double.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.backends import Backends
from service.config import ServiceSettings
from service.main import create_app
from tests.service.helpers import add_users, fake_llm, make_settings
from tests.service.servers import Postgres, Redis, ServerUnavailable, database_url_for, postgres_server, redis_server



@pytest.fixture(scope="session")
def pg_server() -> Iterator[Postgres]:
    try:
        with postgres_server() as server:
            yield server
    except ServerUnavailable as exc:
        pytest.skip(f"PostgreSQL not available here: {exc}")


@pytest.fixture(scope="session")
def redis_session() -> Iterator[Redis]:
    try:
        with redis_server() as server:
            yield server
    except ServerUnavailable as exc:
        pytest.skip(f"Redis not available here: {exc}")


@pytest.fixture
def redis(redis_session: Redis) -> Redis:
    """The session's Redis server, emptied: no queue message of an earlier test reaches this one."""
    import redis as redis_client

    with redis_client.Redis.from_url(redis_session.url) as connection:
        connection.flushall()
    return redis_session


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def app(tmp_path: Path, deid_engine, database: str, request: pytest.FixtureRequest):
    settings = make_settings(tmp_path)
    return create_app(settings, Backends(settings, llm=fake_llm(), deid_engine=deid_engine),
                      config=ServiceSettings(login_ip_limit=1000, database_url=database_url_for(database, request)))


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        test_client.people = add_users(app)
        yield test_client
