"""The schema on SQLite and on a real PostgreSQL server: migrations up and down, types that behave
the same on both (booleans, naive UTC datetimes, string lengths), and a clear error when the
database cannot be reached."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from core.errors import DatabaseError
from service.db import Base, Case, User, database_url, downgrade, make_engine, migrate, now, open_database
from tests.service.servers import DATABASES, database_url_for, free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=DATABASES)
def url(request, tmp_path: Path) -> str:
    return database_url(tmp_path, database_url_for(request.param, request))


def test_migrations_up_down_up_match_the_models(url: str) -> None:
    migrate(url)
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for table in Base.metadata.sorted_tables:  # every column of the models exists, with its length
        columns = {c["name"]: c for c in inspect(engine).get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            if getattr(column.type, "length", None):
                assert columns[column.name]["type"].length == column.type.length, (table.name, column.name)
    downgrade(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(url)  # and up again: downgrades leave nothing behind that blocks a new upgrade
    assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set(Base.metadata.tables)
    engine.dispose()


def test_values_round_trip_the_same_on_both(url: str, tmp_path: Path) -> None:
    sessions = open_database(tmp_path, url if not url.startswith("sqlite") else None)
    moment = now()
    with sessions() as db:
        user = User(name="u1", role="beheerder", active=False, locked_until=moment)
        db.add(user)
        db.commit()
        db.add(Case(title="t" * 200, consent_by="x", consent_how="y", consent_at=moment, consent_recorded_by=user.id))
        db.commit()
    with sessions() as db:
        user = db.scalar(select(User).where(User.name == "u1"))
        assert user.active is False and user.locked_until == moment and user.locked_until.tzinfo is None
        assert db.scalar(select(Case)).consent_at == moment
    assert abs((moment - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()) < 60


@pytest.mark.parametrize("configured", [f"postgresql://vg@127.0.0.1:{free_port()}/vg", "mysql://x@localhost/vg", "onzin"])
def test_unreachable_or_unknown_database_is_a_clear_dutch_error(tmp_path: Path, configured: str) -> None:
    with pytest.raises(DatabaseError) as caught:
        open_database(tmp_path, configured)
    assert "niet bereikbaar" in caught.value.message and "VG_DATABASE_URL" in (caught.value.hint or "")


@pytest.mark.parametrize(("configured", "expected"), [
    (None, "sqlite:///"), ("postgresql://a@b/c", "postgresql+psycopg://a@b/c"),
    ("postgres://a@b/c", "postgresql+psycopg://a@b/c"), ("postgresql+psycopg://a@b/c", "postgresql+psycopg://a@b/c"),
])
def test_database_url_uses_psycopg3_for_postgresql(tmp_path: Path, configured: str | None, expected: str) -> None:
    assert database_url(tmp_path, configured).startswith(expected)


def test_processes_starting_together_migrate_one_at_a_time(pg_server) -> None:
    """The app and every worker of a region run the migrations at start, at the same moment on a first
    start. All four processes succeed and the schema is complete. (PostgreSQL's transactional DDL
    survived this without the advisory lock too in a control run; the lock keeps migrations that do
    more than create tables, e.g. data migrations, from running twice.)"""
    url = pg_server.create_database("vg_concurrent")
    code = "import sys; from service.db import migrate; migrate(sys.argv[1])"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    starts = [subprocess.Popen([sys.executable, "-c", code, url], env=env, stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in starts]
    assert [p.returncode for p in starts] == [0] * 4, b"".join(errors).decode(errors="replace")[-2000:]
    assert set(inspect(make_engine(url)).get_table_names()) - {"alembic_version"} == set(Base.metadata.tables)


def test_nul_characters_in_text_are_no_server_error_on_either(url: str, tmp_path: Path) -> None:
    sessions = open_database(tmp_path, url if not url.startswith("sqlite") else None)
    with sessions() as db:
        user = User(name="u\x00nul", role="beheerder", display_name="Anna\x00")
        db.add(user)
        db.commit()
        db.add_all([User(name=f"v{i}\x00", role="werkgroep") for i in range(3)])  # executemany
        db.commit()
    with sessions() as db:
        names = set(db.scalars(select(User.name)))
    assert len(names) == 4 and all("nul" in n or n.startswith("v") for n in names)
    if url.startswith("postgresql"):
        assert not any("\x00" in n for n in names)


def test_migration_0004_encrypts_existing_client_fields_and_downgrade_decrypts(url: str) -> None:
    from cryptography.fernet import Fernet
    from sqlalchemy import text

    from core import at_rest

    at_rest.use_keyring(Fernet.generate_key())
    migrate(url, "0003")  # a database from before encryption at rest, with a case in it
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, name, display_name, role, active, failed_logins, created) "
                          "VALUES (1, 'gv', '', 'gespreksvoerder', true, 0, :t)"), {"t": now()})
        conn.execute(text("INSERT INTO cases (id, title, case_json, consent_by, consent_how, consent_at, consent_recorded_by, "
                          "status, role_overrides, runs, created, input_name) VALUES ('c1', 'VG Sanne', "
                          "'{\"inwoner\": {\"naam\": \"Sanne de Groot\"}}', 'Marja de Groot', 'mondeling', :t, 1, 'klaar', "
                          "'{}', 0, :t, 'sanne.m4a')"), {"t": now()})
    migrate(url)
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT title, case_json, consent_by, input_name, consent_how FROM cases")).one()
    assert all(value.startswith("enc:") and "Sanne" not in value for value in raw[:4]) and raw[4] == "mondeling"
    with make_engine(url).connect() as conn:
        from sqlalchemy.orm import Session

        case = Session(bind=conn).get(Case, "c1")
        assert (case.title, case.consent_by, case.input_name) == ("VG Sanne", "Marja de Groot", "sanne.m4a")
        assert "Sanne de Groot" in case.case_json
    downgrade(url, "0003")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT title, consent_by FROM cases")).one() == ("VG Sanne", "Marja de Groot")
    engine.dispose()
