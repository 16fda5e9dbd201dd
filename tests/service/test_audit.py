"""The audit log: what is recorded, that it holds no content, that it cannot be changed through the
app or quietly in the database, and that the beheerder can view and export it."""

from __future__ import annotations

import csv
import io
import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from service import audit
from service.db import AuditEntry, open_database
from tests.service.helpers import auth, processed_case, wait
from tests.service.servers import DATABASES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.parametrize("database", DATABASES, indirect=True)


def _rows(client) -> list[AuditEntry]:  # noqa: ANN001
    with client.app.state.sessions() as db:
        return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_views_changes_exports_and_approval_are_recorded_without_content(client) -> None:
    case_id = processed_case(client)
    gv = auth(client, "gv1")
    client.get(f"/api/casussen/{case_id}/transcript", headers=gv)
    client.put(f"/api/casussen/{case_id}/verslag/items/hulpvraag", json={"tekst": "Sanne de Groot wil rust."}, headers=gv)
    client.get(f"/api/casussen/{case_id}/bestanden/advies-huisarts.pdf", headers=gv)
    assert client.post(f"/api/casussen/{case_id}/vaststellen", headers=gv).status_code == 202
    wait(client, case_id, states=("vastgesteld",))
    letter = client.get("/api/brieven", headers=auth(client, "ha1")).json()[0]["id"]
    client.get(f"/api/brieven/{letter}/pdf", headers=auth(client, "ha1"))

    rows = _rows(client)
    seen = {(r.user_name, r.action, r.object_type) for r in rows}
    for expected in [("gv1", "aangemaakt", "casus"), ("gv1", "geupload", "opname"),
                     ("gv1", "bekeken", "transcript"), ("gv1", "gewijzigd", "verslag"),
                     ("gv1", "geexporteerd", "bestand"), ("gv1", "vastgesteld", "casus"),
                     ("ha1", "geexporteerd", "brief")]:
        assert expected in seen, expected
    assert any(r.object_id == case_id and r.detail == "bewerkt hulpvraag" for r in rows)
    everything = " ".join(f"{r.user_name} {r.action} {r.object_type} {r.object_id} {r.detail}" for r in rows)
    for personal in ("Sanne", "Groot", "rust", "schulden"):  # the case's name, the edit's text, transcript words
        assert personal not in everything


def test_failed_and_successful_logins_are_recorded(client) -> None:
    assert client.post("/api/sessie", json={"gebruikersnaam": "gv1", "wachtwoord": "fout-wachtwoord"}).status_code == 401
    from tests.service.helpers import PASSWORD

    assert client.post("/api/sessie", json={"gebruikersnaam": "gv1", "wachtwoord": PASSWORD}).status_code == 200
    actions = [(r.user_name, r.action) for r in _rows(client)]
    assert ("onbekend", "geweigerd") in actions and ("gv1", "ingelogd") in actions
    assert "fout-wachtwoord" not in str([(r.detail, r.user_name) for r in _rows(client)])


def test_the_chain_verifies_and_shows_where_it_was_tampered_with(client, database: str) -> None:
    processed_case(client)
    with client.app.state.sessions() as db:
        assert audit.verify(db).ok and audit.verify(db).rows >= 2
        target = db.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(1).limit(1)).one().id
        for statement in (f"UPDATE audit_log SET detail = 'x' WHERE id = {target}", f"DELETE FROM audit_log WHERE id = {target}"):
            with pytest.raises(DBAPIError, match="append-only"):  # the database refuses, not only the code
                db.execute(text(statement))
            db.rollback()
        # someone with full database rights removes the triggers and edits a row: the chain shows it
        if database == "postgresql":
            db.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            db.execute(text("DROP TRIGGER audit_log_no_update"))
        db.execute(text(f"UPDATE audit_log SET user_name = 'iemand' WHERE id = {target}"))
        db.commit()
        result = audit.verify(db)
        assert not result.ok and result.first_broken == target and "gewijzigd" in result.reason


def test_concurrent_writers_keep_one_unbroken_chain(client) -> None:
    sessions = client.app.state.sessions

    def write(n: int) -> None:
        with sessions() as db:
            for i in range(25):
                audit.record(db, None, "bekeken", "casus", f"thread-{n}", str(i), actor="test")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.user_name == "test")) == 75
        assert audit.verify(db).ok


def test_the_beheerder_views_and_exports_the_log(client) -> None:
    processed_case(client)
    bh = auth(client, "bh")
    data = client.get("/api/audit", headers=bh).json()
    assert data["keten"]["intact"] and data["regels"][0]["id"] > data["regels"][-1]["id"]
    exported = client.get("/api/audit.csv", headers=bh)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[0]["vorige_hash"] == audit.GENESIS and rows[-1]["actie"] == "geexporteerd" or len(rows) > 3
    assert [int(r["id"]) for r in rows] == sorted(int(r["id"]) for r in rows)
    for who in ("gv1", "ha1", "wg"):
        assert client.get("/api/audit", headers=auth(client, who)).status_code == 404


def test_no_code_path_updates_or_deletes_audit_rows(database: str) -> None:
    del database
    pattern = re.compile(r"(update|delete)\(\s*AuditEntry|(UPDATE|DELETE FROM|TRUNCATE)\s+audit_log|db\.delete\(\s*entry")
    offenders = [str(p.relative_to(ROOT)) for folder in ("service", "cli", "pipeline", "core", "eval")
                 for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts and pattern.search(p.read_text())]
    assert offenders == []


def test_cli_verify_and_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: str) -> None:
    if database != "sqlite":
        pytest.skip("the CLI is the same code on both; run once")
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("VG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VG_DATABASE_URL", raising=False)
    sessions = open_database(tmp_path / "data")
    with sessions() as db:
        audit.record(db, None, "bekeken", "casus", "abc", actor="test")
    runner = CliRunner()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
    result = runner.invoke(app, ["audit", "export", "--out", str(tmp_path / "log.csv")])
    assert result.exit_code == 0
    assert (tmp_path / "log.csv").read_text().splitlines()[0].startswith("id,tijdstip")
    with sessions() as db:
        db.execute(text("DROP TRIGGER audit_log_no_delete"))
        db.execute(text("DELETE FROM audit_log WHERE id = 1"))
        db.commit()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 3 and "verbroken" in result.output
