"""Encryption at rest: a keyring of Fernet keys and a chunked, seekable file format built on it.

Keys
    One or more Fernet keys (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package), one per
    line in a key file kept outside the data tree (``<secrets_dir>/vault.key``, mode 0600) or given
    directly (``VG_VAULT_KEY``, several separated by commas). The first key encrypts; every key
    decrypts (``MultiFernet``), which is what makes rotation possible: put a new key first,
    re-encrypt everything (``vg keys rotate``), then drop the old key.

Sealed files
    ``MAGIC`` + a random 16-byte file id + the chunk size, then one record per chunk of plaintext
    (4-byte length + the Fernet token in binary). Each chunk's plaintext starts with the file id, its
    index and a "last chunk" flag, so a record moved to another file or position, or a file cut
    after a whole record, fails to open instead of yielding silently altered data. All chunks but the
    last have the same size, so a reader can seek (an m4a needs that) and stream a 2-hour recording
    without holding it in memory.

Sealed trees
    A process (the web app, a worker, the CLI's service commands) declares a directory sealed with
    :func:`seal_tree`; :func:`core.files.write_private_bytes` then seals every file written below it
    and :func:`core.files.read_private_bytes` opens sealed files anywhere. Files outside sealed trees
    (``vg process --out``: letters the user opens) stay as they were.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import struct
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.errors import VaultError

MAGIC = b"VGSEAL1\n"
CHUNK_SIZE = 1 << 20
_HEADER = struct.Struct(">16sI")  # file id, chunk size (after MAGIC)
_PREFIX = struct.Struct(">16sQ?")  # file id, chunk index, last chunk
_LENGTH = struct.Struct(">I")
HEADER_SIZE = len(MAGIC) + _HEADER.size
_SMALL = 64 << 20  # sealed files up to this size are re-encrypted in memory during rotation

_WRONG_KEY_HINT = "Gebruik dezelfde sleutel als bij het maken (VG_VAULT_KEY of het sleutelbestand in VG_SECRETS_DIR)."


class Keyring:
    """Fernet keys; the first encrypts, all decrypt."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise VaultError("Er is geen sleutel opgegeven.", hint="Zet VG_VAULT_KEY of laat de app een sleutelbestand maken.")
        try:
            self._fernets = [Fernet(k) for k in keys]
        except (ValueError, TypeError):
            raise VaultError(
                "Een sleutel voor de versleuteling is ongeldig.",
                hint="Gebruik Fernet-sleutels (44 tekens base64, één per regel of gescheiden door komma's).",
            ) from None
        self.keys = tuple(keys)
        self._multi = MultiFernet(self._fernets)

    @classmethod
    def parse(cls, raw: bytes | str | Keyring) -> Keyring:
        """Keys from text: one per line or separated by commas; a ``Keyring`` is returned as is."""
        if isinstance(raw, Keyring):
            return raw
        text = raw.decode("ascii", "replace") if isinstance(raw, bytes) else raw
        return cls([k.strip().encode("ascii") for k in text.replace(",", "\n").splitlines() if k.strip()])

    def encrypt(self, data: bytes) -> bytes:
        return self._multi.encrypt(data)

    def decrypt(self, token: bytes, what: str = "Het bestand") -> bytes:
        try:
            return self._multi.decrypt(token)
        except InvalidToken:
            raise VaultError(f"{what} kan niet worden geopend met deze sleutel (verkeerde sleutel of beschadigd).",
                             hint=_WRONG_KEY_HINT) from None

    def rotate(self, token: bytes) -> bytes:
        try:
            return self._multi.rotate(token)
        except InvalidToken:
            raise VaultError("Een versleuteld gegeven kan met geen van de sleutels worden geopend.", hint=_WRONG_KEY_HINT) from None

    def text(self) -> bytes:
        """The key file's content."""
        return b"\n".join(self.keys) + b"\n"


# --- the process's sealed trees -------------------------------------------------------------------

_state: dict[str, object] = {"keyring": None, "roots": ()}


def seal_tree(root: Path, keyring: Keyring | bytes) -> None:
    """From now on every private file written below ``root`` by this process is sealed with ``keyring``."""
    keyring = Keyring.parse(keyring)
    resolved = Path(root).resolve()
    roots = tuple(r for r in _state["roots"] if r != resolved)  # type: ignore[attr-defined]
    _state.update(keyring=keyring, roots=(*roots, resolved))


def use_keyring(keyring: Keyring | bytes) -> None:
    """The keyring for reading sealed files and encrypted database columns, without sealing a tree."""
    _state["keyring"] = Keyring.parse(keyring)


def release_all() -> None:
    """Forget every sealed tree and the keyring (tests; a process that switches data directories)."""
    _state.update(keyring=None, roots=())


def current_keyring() -> Keyring | None:
    return _state["keyring"]  # type: ignore[return-value]


def sealing_keyring(path: Path) -> Keyring | None:
    """The keyring if ``path`` lies in a sealed tree, else ``None`` (write as plaintext)."""
    roots: tuple[Path, ...] = _state["roots"]  # type: ignore[assignment]
    if not roots:
        return None
    resolved = Path(path).resolve()
    return current_keyring() if any(resolved.is_relative_to(r) for r in roots) else None


def required_keyring(path: Path) -> Keyring:
    keyring = current_keyring()
    if keyring is None:
        raise VaultError(f"{Path(path).name} is versleuteld en er is geen sleutel geladen.", hint=_WRONG_KEY_HINT)
    return keyring


# --- the sealed file format -----------------------------------------------------------------------

def is_sealed(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except (FileNotFoundError, IsADirectoryError):
        return False


def _record(keyring: Keyring, file_id: bytes, index: int, last: bool, data: bytes) -> bytes:
    token = base64.urlsafe_b64decode(keyring.encrypt(_PREFIX.pack(file_id, index, last) + data))
    return _LENGTH.pack(len(token)) + token


def _full_record_size(chunk_size: int) -> int:
    plaintext = _PREFIX.size + chunk_size
    return _LENGTH.size + 1 + 8 + 16 + (plaintext // 16 + 1) * 16 + 32  # Fernet: version, time, IV, CBC, HMAC


def seal_chunks(chunks: Iterator[bytes] | Sequence[bytes], keyring: Keyring, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The sealed form of the concatenated ``chunks``, as a stream of bytes."""
    file_id = os.urandom(16)
    yield MAGIC + _HEADER.pack(file_id, chunk_size)
    buffer, index = b"", 0
    for chunk in chunks:
        buffer += chunk
        while len(buffer) > chunk_size:  # keep at least one byte back: the last chunk carries the flag
            yield _record(keyring, file_id, index, False, buffer[:chunk_size])
            buffer, index = buffer[chunk_size:], index + 1
    yield _record(keyring, file_id, index, True, buffer)


def seal(data: bytes, keyring: Keyring) -> bytes:
    return b"".join(seal_chunks([data], keyring))


class SealedReader(io.RawIOBase):
    """A seekable, read-only view of a sealed file's plaintext (decrypts one chunk at a time)."""

    def __init__(self, path: Path, keyring: Keyring | None = None) -> None:
        super().__init__()
        self.name = str(path)
        self._keyring = keyring or required_keyring(path)
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        head = self._file.read(HEADER_SIZE)
        if head[: len(MAGIC)] != MAGIC or len(head) < HEADER_SIZE:
            self._file.close()
            raise VaultError(f"{Path(path).name} is geen versleuteld bestand van deze app.", hint=_WRONG_KEY_HINT)
        self._file_id, self._chunk_size = _HEADER.unpack(head[len(MAGIC):])
        self._record_size = _full_record_size(self._chunk_size)
        body = os.fstat(self._file.fileno()).st_size - HEADER_SIZE
        self._chunks = max(1, -(-body // self._record_size))
        self._cache: tuple[int, bytes] = (-1, b"")
        self._size = (self._chunks - 1) * self._chunk_size + len(self._chunk(self._chunks - 1))
        self._pos = 0

    def _chunk(self, index: int) -> bytes:
        if self._cache[0] == index:
            return self._cache[1]
        self._file.seek(HEADER_SIZE + index * self._record_size)
        length_bytes = self._file.read(_LENGTH.size)
        what = f"{Path(self.name).name}"
        if len(length_bytes) < _LENGTH.size:
            raise VaultError(f"{what} is afgekapt of beschadigd.", hint=_WRONG_KEY_HINT)
        token = self._file.read(_LENGTH.unpack(length_bytes)[0])
        plain = self._keyring.decrypt(base64.urlsafe_b64encode(token), what)
        file_id, found_index, last = _PREFIX.unpack(plain[: _PREFIX.size])
        if file_id != self._file_id or found_index != index or last != (index == self._chunks - 1):
            raise VaultError(f"{what} is beschadigd of samengesteld uit andere bestanden.", hint=_WRONG_KEY_HINT)
        self._cache = (index, plain[_PREFIX.size:])
        return self._cache[1]

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    @property
    def size(self) -> int:
        return self._size

    def readinto(self, buffer) -> int:  # noqa: ANN001 - any writable buffer
        """Fills ``buffer`` as far as the file allows (across chunk borders: no short reads before the end)."""
        view, filled = memoryview(buffer).cast("B"), 0
        while filled < len(view) and self._pos < self._size:
            index, offset = divmod(self._pos, self._chunk_size)
            data = self._chunk(index)[offset: offset + len(view) - filled]
            view[filled: filled + len(data)] = data
            filled += len(data)
            self._pos += len(data)
        return filled

    def close(self) -> None:
        self._file.close()
        super().close()


def unseal(path: Path, keyring: Keyring | None = None) -> bytes:
    with SealedReader(path, keyring) as reader:
        return reader.read()


class SealedWriter:
    """Stream plaintext into a sealed file, written atomically (a temporary file renamed on success)."""

    def __init__(self, path: Path, keyring: Keyring, chunk_size: int = CHUNK_SIZE) -> None:
        self.path = Path(path)
        self._keyring, self._chunk_size = keyring, chunk_size
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.fchmod(fd, 0o600)
        self._out = os.fdopen(fd, "wb")
        self._file_id = os.urandom(16)
        self._out.write(MAGIC + _HEADER.pack(self._file_id, chunk_size))
        self._buffer, self._index, self.size = b"", 0, 0

    def write(self, data: bytes) -> None:
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) > self._chunk_size:
            self._out.write(_record(self._keyring, self._file_id, self._index, False, self._buffer[: self._chunk_size]))
            self._buffer, self._index = self._buffer[self._chunk_size:], self._index + 1

    def commit(self) -> None:
        self._out.write(_record(self._keyring, self._file_id, self._index, True, self._buffer))
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._out.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._tmp)


def rotate_file(path: Path, keyring: Keyring) -> bool:
    """Re-encrypt ``path`` with the keyring's first key; ``False`` for a file that is not encrypted.

    Handles sealed files (a recording streams through; a small one holding a Fernet token, such as
    the vault written into a sealed tree, has that inner token re-encrypted too) and single Fernet
    tokens (the vault and ``transcript.json.enc`` of ``vg process`` output folders)."""
    path = Path(path)
    if is_sealed(path):
        with SealedReader(path, keyring) as reader:
            if reader.size <= _SMALL:
                plain = reader.read()
                if _looks_like_token(plain.strip()):
                    plain = keyring.rotate(plain.strip())
                _replace(path, seal(plain, keyring))
                return True
            writer = SealedWriter(path, keyring)
            try:
                while piece := reader.read(CHUNK_SIZE):
                    writer.write(piece)
            except BaseException:
                writer.abort()
                raise
            writer.commit()
        return True
    raw = path.read_bytes()
    if not _looks_like_token(raw.strip()):
        return False
    try:
        _replace(path, keyring.rotate(raw.strip()))
    except VaultError:
        return False  # text that merely looks like a token: not ours
    return True


def seal_file(path: Path, keyring: Keyring) -> None:
    """Encrypt a plaintext file in place (streamed; e.g. case folders written before encryption at rest)."""
    path = Path(path)
    writer = SealedWriter(path, keyring)
    try:
        with open(path, "rb") as source:
            while piece := source.read(CHUNK_SIZE):
                writer.write(piece)
    except BaseException:
        writer.abort()
        raise
    writer.commit()


def _looks_like_token(raw: bytes) -> bool:
    """A Fernet token: URL-safe base64 of version byte 0x80, time, IV, ciphertext and HMAC (>= 73 bytes)."""
    try:
        decoded = base64.urlsafe_b64decode(raw)
    except (ValueError, TypeError):
        return False
    return len(decoded) >= 73 and decoded[:1] == b"\x80" and (len(decoded) - 57) % 16 == 0


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
