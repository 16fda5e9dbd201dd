"""Key rotation: a new at-rest key, everything re-encrypted with it, the old key retired.

Order matters for a crash at any point: (1) the key file gets the new key *in front of* the old ones,
so every process that starts from then on writes with the new key and still reads the old; (2) every
encrypted file below the data directory (sealed files, the vaults, encrypted raw transcripts) and
every encrypted database value is re-encrypted with the new key; (3) only then is the old key
removed from the key file. A rotation interrupted before (3) is simply run again.

Running web apps and workers keep the keys they loaded at start: restart them after a rotation
(``docs/deployment.md``), otherwise they cannot read what was re-encrypted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.orm import Session

from core import at_rest
from core.errors import VaultError
from service import audit
from service.db import Base, EncryptedText


@dataclass
class RotationReport:
    files: int = 0
    values: int = 0
    keys_before: int = 0


def encrypted_columns() -> dict[str, tuple[str, list[str]]]:
    """Table -> (primary key column, encrypted columns), read from the models (not a hand-kept list)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for table in Base.metadata.sorted_tables:
        columns = [c.name for c in table.columns if isinstance(c.type, EncryptedText)]
        if columns:
            found[table.name] = (next(iter(table.primary_key.columns)).name, columns)
    return found


def rotate_files(root: Path, keyring: at_rest.Keyring, *, seal_plaintext: bool = False) -> int:
    """Re-encrypt every encrypted file below ``root`` with the keyring's first key; with
    ``seal_plaintext`` also encrypt the files that are not (case folders from before encryption at rest)."""
    count = 0
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".tmp"):
            if at_rest.rotate_file(path, keyring):
                count += 1
            elif seal_plaintext:
                at_rest.seal_file(path, keyring)
                count += 1
    return count


def rotate_database(db: Session, keyring: at_rest.Keyring) -> int:
    prefix = EncryptedText.PREFIX
    count = 0
    for table, (key, columns) in encrypted_columns().items():
        for row in db.execute(text(f"SELECT {key}, {', '.join(columns)} FROM {table}")).fetchall():
            values = {name: prefix + keyring.rotate(value[len(prefix):].encode("ascii")).decode("ascii")
                      for name, value in zip(columns, row[1:]) if value and value.startswith(prefix)}
            if values:
                assignments = ", ".join(f"{name} = :{name}" for name in values)
                db.execute(text(f"UPDATE {table} SET {assignments} WHERE {key} = :key_"), {**values, "key_": row[0]})
                count += len(values)
    db.commit()
    return count


def _write_key_file(path: Path, keyring: at_rest.Keyring) -> None:
    tmp = path.with_name(f".{path.name}.new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(keyring.text())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def rotate_keys(db: Session, data_dir: Path, key_file: Path, *, extra_dirs: tuple[Path, ...] = (),
                keep_old: bool = False) -> RotationReport:
    """Put a new key first in ``key_file``, re-encrypt files and database values, retire the old keys."""
    if not key_file.is_file():
        raise VaultError(f"Sleutelbestand niet gevonden: {key_file}",
                         hint="Sleutels uit VG_VAULT_KEY vervangt u zelf: zet de nieuwe sleutel vooraan "
                              "(VG_VAULT_KEY=nieuw,oud), voer 'vg keys rotate --alleen-hersleutelen' uit en haal daarna de oude weg.")
    old = at_rest.Keyring.parse(key_file.read_bytes())
    keyring = at_rest.Keyring([Fernet.generate_key(), *old.keys])
    _write_key_file(key_file, keyring)  # (1) from now on new writes use the new key
    report = reencrypt(db, data_dir, keyring, extra_dirs=extra_dirs)
    report.keys_before = len(old.keys)
    if not keep_old:
        _write_key_file(key_file, at_rest.Keyring(keyring.keys[:1]))  # (3) the old keys are gone
        at_rest.use_keyring(at_rest.Keyring(keyring.keys[:1]))
    return report


def reencrypt(db: Session, data_dir: Path, keyring: at_rest.Keyring, *, extra_dirs: tuple[Path, ...] = ()) -> RotationReport:
    """(2): re-encrypt everything with ``keyring``'s first key (also for keys given in VG_VAULT_KEY)."""
    at_rest.use_keyring(keyring)
    report = RotationReport()
    if (data_dir / "cases").is_dir():  # the app's case folders: everything there is sealed, older plaintext too
        report.files += rotate_files(data_dir / "cases", keyring, seal_plaintext=True)
    for root in extra_dirs:  # ``vg process`` output folders: their letters stay readable
        if root.is_dir():
            report.files += rotate_files(root, keyring)
    report.values = rotate_database(db, keyring)
    audit.record(db, None, "sleutel-vervangen", "sleutels", detail=f"{report.files} bestanden, {report.values} velden",
                 actor="cli")
    return report
