"""SQLite schema of the sociale kaart, as named migration functions applied in order.

Each function runs once; its name is recorded in ``_kaart_migrations``. Never edit or reorder a
migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_sources_and_services(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE kaart_sources (
            name TEXT PRIMARY KEY,
            region TEXT,
            format TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            service_count INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE kaart_services (
            source TEXT NOT NULL REFERENCES kaart_sources(name) ON DELETE CASCADE,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            region TEXT,
            audience TEXT,
            changed_on TEXT,
            hsds_json TEXT NOT NULL,
            PRIMARY KEY (source, id)
        )
        """
    )
    db.execute("CREATE INDEX kaart_services_region ON kaart_services(region)")


@migration
def m002_flat_entry_column(db: sqlite3.Connection) -> None:
    """Keep the flat matching view next to the HSDS JSON: opening 10,000 services gets ~10x faster."""
    db.execute("ALTER TABLE kaart_services ADD COLUMN entry_json TEXT")


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; returns the names applied now."""
    db.execute("CREATE TABLE IF NOT EXISTS _kaart_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT name FROM _kaart_migrations")}
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db:
            fn(db)
            db.execute("INSERT INTO _kaart_migrations VALUES (?, datetime('now'))", (fn.__name__,))
        applied.append(fn.__name__)
    return applied
