"""The encrypted pseudonym vault: placeholder -> original, Fernet (AES-128-CBC + HMAC-SHA256).

The key comes from settings (``VG_VAULT_KEY``) or a key file created with mode 0600, by default in
``<secrets_dir>`` (``~/.config/vg``), outside the data and output trees. The mapping is never
written unencrypted. The same key encrypts the raw transcript kept for re-runs
(``transcript.json.enc``): without the key, what sits beside the vault cannot rebuild it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from core.errors import VaultError
from core.files import private_dir, write_private_bytes


def load_or_create_key(key_file: Path, key: str | None = None) -> bytes:
    """The key given directly, else the key in ``key_file`` (created 0600, its folder 0700, when missing)."""
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
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw + b"\n")
    return raw


def _check_key(raw: bytes) -> None:
    try:
        Fernet(raw)
    except (ValueError, TypeError):
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


def encrypt_bytes(data: bytes, key: bytes) -> bytes:
    return Fernet(key).encrypt(data)


def decrypt_file(path: Path, key: bytes) -> bytes:
    """Decrypt a file written with :func:`encrypt_bytes` (the vault, an encrypted raw transcript)."""
    try:
        return Fernet(key).decrypt(path.read_bytes())
    except InvalidToken:
        raise VaultError(
            f"{path.name} kan niet worden geopend met deze sleutel (verkeerde sleutel of beschadigd bestand).",
            hint="Gebruik dezelfde sleutel als bij het maken (VG_VAULT_KEY of VG_VAULT_KEY_FILE).",
        ) from None
