"""The catalogue in SQLite: several named sources (bronnen), each a set of HSDS services.

A service is stored as its complete HSDS JSON plus a few indexed columns. Importing a source
replaces that source as a whole inside one transaction: either every row of the file is stored
or, on any error, nothing changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.resources import package_path
from core.errors import CatalogueError
from pipeline.kaart.hsds import Service
from pipeline.kaart.importers import read_any
from pipeline.kaart.migrations import migrate
from pipeline.kaart.profile import KaartEntry, normalise_region, to_entry

logger = logging.getLogger(__name__)

SEED_PATH = package_path("pipeline.kaart", "seed", "seed-catalogue.csv")
SEED_SOURCE = "seed-documenten"


class SourceInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    region: str | None
    format: str
    file_name: str
    sha256: str
    imported_at: dt.datetime
    service_count: int


class ImportResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bron: str
    format: str
    services: int
    replaced: int
    """How many services of an earlier import of the same source were replaced."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()


class Catalogue:
    """An open sociale-kaart database. Cheap to open; entries are read once and cached."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path
        db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(db_path, check_same_thread=False)  # service: worker threads
            self._db.execute("PRAGMA foreign_keys = ON")
            migrate(self._db)
        except sqlite3.DatabaseError as exc:
            raise CatalogueError(
                f"De database {db_path} kan niet worden geopend ({exc}).",
                hint="Controleer of het een VG-database is, of kies een ander pad met VG_DATA_DIR.",
            ) from None
        self._entries: list[KaartEntry] | None = None
        self.cache: dict[tuple[object, ...], object] = {}
        """Search indexes built on the current entries (cleared on every change)."""
        self.version = 0
        """Increases on every change, so indexes built on the entries know when to rebuild."""

    def close(self) -> None:
        self._db.close()

    # --- writing --------------------------------------------------------------------------
    def import_file(self, path: Path, *, bron: str, region: str | None = None) -> ImportResult:
        if not bron.strip():
            raise CatalogueError("De bronnaam is leeg.", hint="Geef een naam met --bron, bijv. --bron gooi-socialekaart.")
        fmt, services = read_any(path)
        return self.import_services(services, bron=bron.strip(), region=region, fmt=fmt,
                                    file_name=path.name, sha256=_sha256(path))

    def import_services(
        self, services: list[Service], *, bron: str, region: str | None, fmt: str, file_name: str, sha256: str
    ) -> ImportResult:
        region = normalise_region(region)
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        rows = []
        for s in services:
            entry = to_entry(s, bron=bron, default_region=region)
            changed = entry.laatst_gewijzigd.isoformat() if entry.laatst_gewijzigd else None
            rows.append((bron, s.id, s.name, entry.regio, entry.audience, changed,
                         s.model_dump_json(exclude_none=True), entry.model_dump_json()))
        try:
            with self._db:  # one transaction: all rows or none
                replaced = self._db.execute("SELECT COUNT(*) FROM kaart_services WHERE source = ?", (bron,)).fetchone()[0]
                self._db.execute("DELETE FROM kaart_services WHERE source = ?", (bron,))
                self._db.execute("DELETE FROM kaart_sources WHERE name = ?", (bron,))
                self._db.execute(
                    "INSERT INTO kaart_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (bron, region, fmt, file_name, sha256, now, len(rows)),
                )
                self._db.executemany(
                    "INSERT INTO kaart_services (source, id, name, region, audience, changed_on, hsds_json, entry_json)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.IntegrityError as exc:
            raise CatalogueError(
                f"Import van bron '{bron}' mislukt ({exc}); er is niets gewijzigd.",
                hint="Controleer of elke dienst een uniek id heeft.",
            ) from None
        self._entries = None
        self.cache.clear()
        self.version += 1
        logger.info("imported source with %d services (%s)", len(rows), fmt)
        return ImportResult(bron=bron, format=fmt, services=len(rows), replaced=replaced)

    def remove_source(self, bron: str) -> int:
        with self._db:
            n = self._db.execute("DELETE FROM kaart_services WHERE source = ?", (bron,)).rowcount
            self._db.execute("DELETE FROM kaart_sources WHERE name = ?", (bron,))
        self._entries = None
        self.cache.clear()
        self.version += 1
        return n

    # --- reading --------------------------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        rows = self._db.execute("SELECT * FROM kaart_sources ORDER BY name").fetchall()
        keys = ("name", "region", "format", "file_name", "sha256", "imported_at", "service_count")
        return [SourceInfo(**dict(zip(keys, row, strict=True))) for row in rows]

    def is_empty(self) -> bool:
        return self._db.execute("SELECT COUNT(*) FROM kaart_services").fetchone()[0] == 0

    def services(self, bron: str | None = None) -> list[tuple[str, Service]]:
        sql = "SELECT source, hsds_json FROM kaart_services"
        args: tuple[Any, ...] = ()
        if bron is not None:
            sql, args = sql + " WHERE source = ?", (bron,)
        rows = self._db.execute(sql + " ORDER BY source, rowid", args).fetchall()
        return [(src, Service.model_validate_json(raw)) for src, raw in rows]

    def entries(self) -> list[KaartEntry]:
        if self._entries is None:
            regions = {s.name: s.region for s in self.sources()}
            rows = self._db.execute("SELECT source, hsds_json, entry_json FROM kaart_services ORDER BY source, rowid")
            self._entries = [
                KaartEntry.model_validate_json(flat) if flat is not None
                else to_entry(Service.model_validate_json(raw), bron=src, default_region=regions.get(src))
                for src, raw, flat in rows
            ]
        return self._entries

    def export_hsds(self, bron: str | None = None) -> dict[str, Any]:
        """All services as one HSDS 3.0 API page (``service_full`` objects in ``contents``)."""
        contents = [json.loads(s.model_dump_json(exclude_none=True)) for _, s in self.services(bron)]
        return {
            "total_items": len(contents), "total_pages": 1, "page_number": 1, "size": len(contents),
            "first_page": True, "last_page": True, "empty": not contents, "contents": contents,
        }


def open_catalogue(db_path: Path, *, seed_if_empty: bool = True) -> Catalogue:
    """Open (and create) the catalogue; on first use load the bundled seed catalogue."""
    catalogue = Catalogue(db_path)
    if seed_if_empty and catalogue.is_empty():
        catalogue.import_file(SEED_PATH, bron=SEED_SOURCE)
    return catalogue
