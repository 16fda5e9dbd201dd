"""The audit log: who viewed, changed, exported or deleted what, and when (NEN 7510 logging).

Append-only by construction:

* this module has one write path, :func:`record`, which only inserts; nothing in the code updates
  or deletes an ``audit_log`` row (a test scans the source), and the migration adds database
  triggers that refuse UPDATE and DELETE on the table (SQLite and PostgreSQL);
* every row carries the SHA-256 of the previous row's hash and its own fields (a hash chain), so a
  row changed or removed behind the application's back (directly in the database file) breaks the
  chain at that row: :func:`verify` finds it (``vg audit verify``). ``prev_hash`` is unique, so
  two writers that read the same last row cannot both append after it: the second retries.

Rows name the user, the action, the kind of object and its random id, and a short detail such as an
item path (``ik_wil[0]``) or a file name: never transcript or verslag content, never a client's name.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.db import AuditEntry, User, now

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
Action = Literal["bekeken", "aangemaakt", "gewijzigd", "geexporteerd", "verwijderd", "vastgesteld", "ingelogd",
                 "geweigerd", "geupload", "geimporteerd", "sleutel-vervangen"]
ObjectType = Literal["casus", "transcript", "verslag", "opname", "bestand", "brief", "gebruiker", "audit",
                     "statistiek", "sociale-kaart", "sleutels"]
CSV_COLUMNS = ("id", "tijdstip", "gebruiker_id", "gebruiker", "actie", "object", "object_id", "detail", "vorige_hash", "hash")
_RETRIES = 20
AUDIT_LOCK = 7_160_517
"""PostgreSQL advisory lock id that serialises appends (one above the migration lock)."""


def _digest(prev_hash: str, at: dt.datetime, user_id: int | None, user_name: str, action: str, object_type: str,
            object_id: str, detail: str) -> str:
    fields = [prev_hash, at.isoformat(timespec="microseconds"), user_id, user_name, action, object_type, object_id, detail]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def entry_hash(entry: AuditEntry) -> str:
    return _digest(entry.prev_hash, entry.at, entry.user_id, entry.user_name, entry.action, entry.object_type,
                   entry.object_id, entry.detail)


def record(
    db: Session, user: User | None, action: Action, object_type: ObjectType, object_id: str = "", detail: str = "",
    *, actor: str | None = None,
) -> AuditEntry:
    """Append one row and commit it (its own transaction: an audit row never waits on, or is rolled
    back with, the request's other changes). ``actor`` names a non-user actor (``systeem``, ``cli``)."""
    db.commit()  # the caller's own changes first; the audit row is then a separate, short transaction
    name = user.name if user is not None else (actor or "systeem")
    for attempt in range(_RETRIES):
        if db.get_bind().dialect.name == "postgresql":  # writers queue here instead of racing (released at commit)
            db.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_LOCK})
        last = db.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        entry = AuditEntry(at=now(), user_id=user.id if user is not None else None, user_name=name[:80], action=action,
                           object_type=object_type, object_id=object_id[:64], detail=detail[:200],
                           prev_hash=last.hash if last is not None else GENESIS)
        entry.hash = entry_hash(entry)
        db.add(entry)
        try:
            db.commit()
            return entry
        except IntegrityError:  # another writer appended after the same row: read the new last row
            db.rollback()
            logger.info("audit append raced (attempt %d); retrying", attempt + 1)
            time.sleep(random.uniform(0, 0.02 * (attempt + 1)))
    raise RuntimeError("Het auditlog kon niet worden bijgewerkt na herhaalde pogingen.")


@dataclass
class Verification:
    rows: int
    first_broken: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify(db: Session, batch: int = 1000) -> Verification:
    """Walk the chain in id order; the first row whose hash or link does not match, and why."""
    expected_prev, rows, last_id = GENESIS, 0, 0
    while True:
        chunk = list(db.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)))
        if not chunk:
            return Verification(rows, None)
        for entry in chunk:
            rows += 1
            if entry.prev_hash != expected_prev:
                return Verification(rows, entry.id, "de koppeling met de vorige regel klopt niet (regel verwijderd of ingevoegd)")
            if entry_hash(entry) != entry.hash:
                return Verification(rows, entry.id, "de inhoud van de regel is gewijzigd")
            expected_prev, last_id = entry.hash, entry.id


def entries(db: Session, *, limit: int = 200, before: int | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    return list(db.scalars(query))


def as_row(entry: AuditEntry) -> dict[str, object]:
    return {"id": entry.id, "tijdstip": entry.at.isoformat(timespec="seconds") + "Z", "gebruiker_id": entry.user_id,
            "gebruiker": entry.user_name, "actie": entry.action, "object": entry.object_type,
            "object_id": entry.object_id, "detail": entry.detail, "vorige_hash": entry.prev_hash, "hash": entry.hash}


def csv_lines(db: Session, batch: int = 1000) -> Iterator[str]:
    """The whole log as CSV (oldest first), streamed in batches."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    last_id = 0
    while True:
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        chunk = list(db.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)))
        if not chunk:
            return
        for entry in chunk:
            writer.writerow(as_row(entry))
        last_id = chunk[-1].id
