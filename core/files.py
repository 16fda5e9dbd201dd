"""Private files and directories: personal data on disk is readable by its owner only.

Directories are created 0700 and files 0600 with explicit modes (not only through the umask, which
a library or a parent process may have changed). Writes are atomic: a reader sees the old file or
the new one, never half of it, and an interrupted write leaves no partial file behind.

Below a sealed tree (:func:`core.at_rest.seal_tree`, the app's case folders) every file is written
encrypted; :func:`read_private_bytes` and :func:`open_private` read sealed and plain files alike.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from core import at_rest

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600


def set_private_umask() -> int:
    """Call in entry points (CLI, service, worker): files made by libraries are private too."""
    return os.umask(PRIVATE_UMASK)


def private_dir(path: Path, *, tighten_existing: bool = False) -> Path:
    """Create ``path`` (and missing parents) with mode 0700.

    An existing directory is left as it is unless ``tighten_existing`` (used for a case's own
    output directory, which an older version may have made 0755); never for shared parents.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=DIR_MODE)
        os.chmod(directory, DIR_MODE)
    if tighten_existing and not missing and path.stat().st_uid == os.getuid():
        os.chmod(path, DIR_MODE)
    return path


def write_private_bytes(path: Path, data: bytes) -> Path:
    """Atomically write ``data`` to ``path`` with mode 0600 (a temporary file in the same directory);
    sealed when ``path`` lies in a sealed tree."""
    path = Path(path)
    private_dir(path.parent)
    keyring = at_rest.sealing_keyring(path)
    if keyring is not None:
        data = at_rest.seal(data, keyring)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def write_private_text(path: Path, text: str) -> Path:
    return write_private_bytes(path, text.encode("utf-8"))


def read_private_bytes(path: Path) -> bytes:
    """The content of ``path``, decrypted when it is sealed."""
    path = Path(path)
    return at_rest.unseal(path) if at_rest.is_sealed(path) else path.read_bytes()


def read_private_text(path: Path) -> str:
    return read_private_bytes(path).decode("utf-8")


def open_private(path: Path) -> BinaryIO:
    """A seekable binary reader of the plaintext (a recording too large to hold in memory)."""
    path = Path(path)
    return at_rest.SealedReader(path) if at_rest.is_sealed(path) else open(path, "rb")  # noqa: SIM115


def make_private(path: Path) -> Path:
    """Tighten a file written by a library (e.g. a PDF writer) to mode 0600."""
    os.chmod(path, FILE_MODE)
    return path


def remove_files(directory: Path, names: list[str] | tuple[str, ...]) -> list[str]:
    """Remove the named files from ``directory`` if present; returns the names removed."""
    removed = []
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            (Path(directory) / name).unlink()
            removed.append(name)
    return removed
