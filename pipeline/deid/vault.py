"""The encrypted pseudonym vault: placeholder -> original, Fernet (AES-128-CBC + HMAC-SHA256).

The key comes from settings (``VG_VAULT_KEY``) or a key file created with mode 0600, by default in
``<secrets_dir>`` (``~/.config/vg``), outside the data and output trees. The mapping is never
written unencrypted. The same key encrypts the raw transcript kept for re-runs
(``transcript.json.enc``): without the key, what sits beside the vault cannot rebuild it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet

from core.at_rest import Keyring, is_sealed, unseal
from core.errors import VaultError
from core.files import private_dir, write_private_bytes
from core.settings import Settings


def load_or_create_key(key_file: Path, key: str | None = None) -> bytes:
    """The key(s) given directly, else those in ``key_file`` (created 0600, its folder 0700, when missing).

    Several keys (one per line, or comma-separated in ``VG_VAULT_KEY``): the first encrypts, all
    decrypt (:class:`core.at_rest.Keyring`); ``vg keys rotate`` adds and retires keys."""
    if key:
        raw = key.encode("ascii") if isinstance(key, str) else key
        _check_key(raw)
        return raw
    if key_file.is_file():
        raw = key_file.read_bytes().strip()
        _check_key(raw)
        return raw
    private_dir(key_file.parent)
    raw = Fernet.generate_key()
    # Several processes (the app and its workers) may start at once on an empty secrets folder: the
    # key is written to a private temporary file and linked into place, which either creates the
    # complete file or fails because another process was first - then that process's key is used.
    fd, name = tempfile.mkstemp(prefix=f".{key_file.name}.", suffix=".tmp", dir=key_file.parent)  # mode 0600
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            raw = key_file.read_bytes().strip()
            _check_key(raw)
    finally:
        temporary.unlink(missing_ok=True)
    return raw


def settings_key(settings: Settings) -> bytes:
    """The key(s) the settings point at (``VG_VAULT_KEY``, else the key file), created when missing."""
    return load_or_create_key(settings.resolve_vault_key_file(), settings.vault_key)


def _check_key(raw: bytes) -> None:
    try:
        Keyring.parse(raw)
    except VaultError:
        raise VaultError(
            "De sleutel voor de kluis met pseudoniemen is ongeldig.",
            hint="Gebruik een Fernet-sleutel (44 tekens base64) of verwijder VG_VAULT_KEY zodat er een sleutelbestand wordt gemaakt.",
        ) from None


def save_vault(mapping: dict[str, str], path: Path, key: bytes) -> None:
    data = json.dumps({"version": 1, "mapping": mapping}, ensure_ascii=False).encode("utf-8")
    write_private_bytes(path, encrypt_bytes(data, key))


def load_vault(path: Path, key: bytes) -> dict[str, str]:
    if not path.is_file():
        raise VaultError(f"Kluisbestand niet gevonden: {path.name}", hint="Voer de de-identificatie opnieuw uit.")
    return dict(json.loads(decrypt_file(path, key))["mapping"])


def encrypt_bytes(data: bytes, key: bytes | Keyring) -> bytes:
    return Keyring.parse(key).encrypt(data)


def decrypt_file(path: Path, key: bytes | Keyring) -> bytes:
    """Decrypt a file written with :func:`encrypt_bytes` (the vault, an encrypted raw transcript),
    also when it was written into a sealed tree (then it is sealed around the token)."""
    keyring = Keyring.parse(key)
    raw = unseal(path, keyring) if is_sealed(path) else path.read_bytes()
    return keyring.decrypt(raw.strip(), path.name)
