"""Retention: expired cases are deleted for real (files, rows, queue messages), audited; a case can be
deleted on request; nothing of a deleted case stays readable on disk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from service import audit
from service.db import AuditEntry, Case, CaseMember, ItemEdit, Letter, StageProgress
from service.queues import make_queues
from service.retention import purge_queue_messages, run_retention
from tests.service.helpers import auth, processed_case, wait
from tests.service.servers import DATABASES

NAME = "Sanne de Groot"  # the inwoner's name in the test case (helpers.new_case)


def _approved_case(client) -> tuple[str, str]:  # noqa: ANN001
    case_id = processed_case(client)
    gv = auth(client, "gv1")
    client.put(f"/api/casussen/{case_id}/verslag/items/hulpvraag", json={"tekst": "Rust en overzicht."}, headers=gv)
    assert client.post(f"/api/casussen/{case_id}/vaststellen", headers=gv).status_code == 202
    wait(client, case_id, states=("vastgesteld",))
    letter_id = client.get("/api/brieven", headers=auth(client, "ha1")).json()[0]["id"]
    return case_id, letter_id


def _age(client, case_id: str, days: int) -> None:  # noqa: ANN001
    with client.app.state.sessions() as db:
        past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)
        db.execute(update(Case).where(Case.id == case_id).values(approved_at=past, created=past))
        db.commit()


def _rows_for(client, case_id: str) -> int:  # noqa: ANN001
    with client.app.state.sessions() as db:
        return sum(db.scalar(select(func.count()).select_from(model).where(column == case_id)) or 0
                   for model, column in ((Case, Case.id), (CaseMember, CaseMember.case_id), (ItemEdit, ItemEdit.case_id),
                                         (StageProgress, StageProgress.case_id), (Letter, Letter.case_id)))


@pytest.mark.parametrize("database", DATABASES, indirect=True)
def test_expired_cases_are_deleted_everywhere_and_audited(client) -> None:
    old_case, letter_id = _approved_case(client)
    young_case = processed_case(client)
    _age(client, old_case, 100)
    data_dir = client.app.state.processing.settings.data_dir
    assert (data_dir / "cases" / old_case).is_dir() and _rows_for(client, old_case) > 3

    with client.app.state.sessions() as db:
        report = run_retention(db, data_dir, client.app.state.processing.queues, 90)
    assert report.deleted == [old_case]
    assert not (data_dir / "cases" / old_case).exists() and _rows_for(client, old_case) == 0
    assert (data_dir / "cases" / young_case).is_dir() and _rows_for(client, young_case) > 0
    assert client.get(f"/api/casussen/{old_case}", headers=auth(client, "gv1")).status_code == 404
    assert client.get(f"/api/brieven/{letter_id}/pdf", headers=auth(client, "ha1")).status_code == 404
    with client.app.state.sessions() as db:
        row = db.scalars(select(AuditEntry).where(AuditEntry.object_id == old_case, AuditEntry.action == "verwijderd")).one()
        assert row.user_name == "systeem" and "bewaartermijn" in row.detail
        assert audit.verify(db).ok


def test_busy_cases_wait_and_zero_days_switches_deletion_off(client) -> None:
    case_id = processed_case(client)
    _age(client, case_id, 400)
    data_dir = client.app.state.processing.settings.data_dir
    queues = client.app.state.processing.queues
    with client.app.state.sessions() as db:
        assert run_retention(db, data_dir, queues, 0).deleted == []
        db.execute(update(Case).where(Case.id == case_id).values(status="bezig"))
        db.commit()
        report = run_retention(db, data_dir, queues, 90)
    assert report.deleted == [] and report.skipped_busy == [case_id] and (data_dir / "cases" / case_id).is_dir()


def test_the_gespreksvoerder_deletes_a_case_on_request_and_nothing_stays_on_disk(client) -> None:
    case_id, _ = _approved_case(client)
    data_dir: Path = client.app.state.processing.settings.data_dir
    assert NAME in client.get(f"/api/casussen/{case_id}/transcript", headers=auth(client, "gv1")).text  # it was there
    sealed = [p for p in data_dir.rglob("*") if p.is_file() and case_id in str(p)]
    assert sealed  # (encrypted at rest: tests/service/test_encryption_at_rest.py)
    assert client.delete(f"/api/casussen/{case_id}", headers=auth(client, "gv2")).status_code == 404  # not theirs
    assert client.delete(f"/api/casussen/{case_id}", headers=auth(client, "gv1")).status_code == 204
    assert client.get(f"/api/casussen/{case_id}", headers=auth(client, "gv1")).status_code == 404
    leftovers = [p.name for p in data_dir.rglob("*") if p.is_file() and (NAME.encode() in p.read_bytes() or case_id in str(p))]
    assert leftovers == []  # SQLite overwrites deleted rows (secure_delete) and empties its write-ahead log
    with client.app.state.sessions() as db:
        row = db.scalars(select(AuditEntry).where(AuditEntry.object_id == case_id, AuditEntry.action == "verwijderd")).one()
        assert row.user_name == "gv1"


def _queue_with(queues, case_ids: list[str]):  # noqa: ANN001, ANN202
    huey = queues["asr"]

    @huey.task(name="process_case")
    def process_case(case_id: str) -> None:  # never consumed here
        del case_id

    for case_id in case_ids:
        process_case(case_id)
    return huey


def _pending(huey) -> list[str]:  # noqa: ANN001
    return [t.args[0] for t in huey.pending()]


def test_queue_messages_naming_a_deleted_case_are_removed_sqlite(tmp_path: Path) -> None:
    queues = make_queues(tmp_path, None)
    huey = _queue_with(queues, ["abc", "other", "abc"])
    assert purge_queue_messages(queues, "abc") == 2
    assert _pending(huey) == ["other"]


def test_queue_messages_naming_a_deleted_case_are_removed_redis(tmp_path: Path, redis) -> None:
    queues = make_queues(tmp_path, redis.url)
    huey = _queue_with(queues, ["abc", "other", "abc"])
    assert purge_queue_messages(queues, "abc") == 2
    assert _pending(huey) == ["other"]


def test_cli_retention_run_and_delete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli.main import app
    from service.db import User, now, open_database

    monkeypatch.setenv("VG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VG_DATABASE_URL", raising=False)
    monkeypatch.delenv("VG_QUEUE_URL", raising=False)
    sessions = open_database(tmp_path / "data")
    with sessions() as db:
        db.add(User(id=1, name="gv", role="gespreksvoerder"))
        db.commit()
        for case_id, age in (("oud", 200), ("nieuw", 1), ("verzoek", 1)):
            at = now() - dt.timedelta(days=age)
            db.add(Case(id=case_id, title="t", consent_by="x", consent_how="y", consent_at=at,
                        consent_recorded_by=1, created=at, status="klaar"))
            (tmp_path / "data" / "cases" / case_id).mkdir(parents=True)
        db.commit()
    runner = CliRunner()
    result = runner.invoke(app, ["retention", "run", "--days", "90", "--dry-run"])
    assert result.exit_code == 0 and "Zou verwijderen: 1" in result.output and (tmp_path / "data" / "cases" / "oud").exists()
    result = runner.invoke(app, ["retention", "run", "--days", "90"])
    assert result.exit_code == 0 and "Verwijderd: 1" in result.output and not (tmp_path / "data" / "cases" / "oud").exists()
    result = runner.invoke(app, ["retention", "delete", "verzoek", "--reden", "inwoner trekt toestemming in"])
    assert result.exit_code == 0 and not (tmp_path / "data" / "cases" / "verzoek").exists()
    assert runner.invoke(app, ["retention", "delete", "bestaat-niet"]).exit_code == 2
    with sessions() as db:
        assert [c.id for c in db.scalars(select(Case))] == ["nieuw"]
        details = [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.action == "verwijderd"))]
        assert details == ["bewaartermijn 90 dagen verstreken", "inwoner trekt toestemming in"]
