"""Retention: delete what is no longer needed, for real, and say so in the audit log.

* **The recording** goes when the verslag is approved (the worker removes the case's ``invoer``
  folder; ``VG_KEEP_RAW=true`` keeps it), see :meth:`service.worker.Processing._finish`.
* **Whole cases** go ``VG_RETENTION_DAYS`` days after approval (or after creation when a case was
  never approved): the case folder (outputs, encrypted vault and raw transcript, review edits), the
  database rows (case, members, stage progress, item edits, the huisarts' letter: foreign keys with
  ON DELETE CASCADE) and any queue message that still names the case (SQLite or Redis). The audit
  log keeps one ``verwijderd`` row with the case's random id and the reason; it never held content.

The huisarts receives the letter in the app and is expected to store it in the patient record
(HIS); the app is a workspace, not the dossier (docs/deployment.md, "Bewaartermijnen").
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import HTTPException
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session

from core.errors import InputError
from service import audit
from service.db import Case, User, now

logger = logging.getLogger(__name__)

BUSY = ("bezig",)


@dataclass
class RetentionReport:
    deleted: list[str] = field(default_factory=list)
    skipped_busy: list[str] = field(default_factory=list)
    queue_messages: int = 0


def purge_queue_messages(queues: dict[str, Huey], case_id: str) -> int:
    """Remove every queued message that names ``case_id``; returns how many."""
    removed = 0
    for huey in queues.values():
        storage = huey.storage
        for raw in storage.enqueued_items():
            message = huey.serializer.deserialize(raw)
            if not message.args or message.args[0] != case_id:
                continue
            if isinstance(storage, RedisStorage):
                removed += int(storage.conn.lrem(storage.queue_key, 0, raw))
            elif isinstance(storage, SqliteStorage):
                with storage.db(commit=True) as cursor:
                    cursor.execute("DELETE FROM task WHERE queue = ? AND data = ?", (storage.name, raw))
                    removed += cursor.rowcount
            else:  # pragma: no cover - make_queues only builds these two
                raise TypeError(f"unsupported queue storage {type(storage).__name__}")
    return removed


def delete_case(db: Session, data_dir: Path, queues: dict[str, Huey], case_id: str, *, user: User | None,
                actor: str, reason: str) -> int:
    """Delete one case everywhere (files, rows, queue messages) and audit it; returns queue messages removed.

    A case that a worker is processing right now is refused (try again when it is done)."""
    case = db.get(Case, case_id)
    if case is None:
        raise HTTPException(404, "Niet gevonden.")
    if case.status in BUSY:
        raise InputError("Deze casus wordt nu verwerkt en kan niet worden verwijderd.",
                         hint="Probeer het opnieuw als de verwerking klaar is.")
    messages = purge_queue_messages(queues, case_id)
    folder = data_dir / "cases" / case_id
    shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        raise OSError(f"case folder could not be removed: {folder.name}")
    db.execute(delete(Case).where(Case.id == case_id))
    db.commit()
    if db.get_bind().dialect.name == "sqlite":  # old page versions in the write-ahead log go too
        db.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    audit.record(db, user, "verwijderd", "casus", case_id, reason, actor=actor)
    logger.info("case deleted (%s); %d queue message(s) removed", reason, messages)
    return messages


def expired(db: Session, days: int, *, at: dt.datetime | None = None) -> list[Case]:
    """Cases approved (or, never approved, created) more than ``days`` days before ``at``."""
    cutoff = (at or now()) - dt.timedelta(days=days)
    return list(db.scalars(select(Case).where(or_(Case.approved_at < cutoff,
                                                  Case.approved_at.is_(None) & (Case.created < cutoff)))
                           .order_by(Case.created)))


def run_retention(db: Session, data_dir: Path, queues: dict[str, Huey], days: int, *, actor: str = "systeem",
                  at: dt.datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete every expired case; busy ones are left for the next run."""
    report = RetentionReport()
    if days <= 0:
        return report
    for case in expired(db, days, at=at):
        if case.status in BUSY:
            report.skipped_busy.append(case.id)
            continue
        if not dry_run:
            report.queue_messages += delete_case(db, data_dir, queues, case.id, user=None, actor=actor,
                                                 reason=f"bewaartermijn {days} dagen verstreken")
        report.deleted.append(case.id)
    return report
