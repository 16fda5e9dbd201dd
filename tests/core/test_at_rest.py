"""Encryption at rest: the sealed file format, the keyring, sealed trees and rotation."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from core import at_rest
from core.errors import VaultError
from core.files import open_private, read_private_bytes, read_private_text, write_private_bytes

CHUNK = 64  # small chunks so a few hundred bytes cross several chunk borders


@pytest.fixture
def keyring() -> at_rest.Keyring:
    return at_rest.Keyring([Fernet.generate_key()])


def _sealed(path: Path, data: bytes, keyring: at_rest.Keyring) -> Path:
    path.write_bytes(b"".join(at_rest.seal_chunks([data], keyring, chunk_size=CHUNK)))
    return path


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17])
def test_round_trip_and_seek_at_every_size(tmp_path: Path, keyring: at_rest.Keyring, size: int) -> None:
    data = os.urandom(size)
    path = _sealed(tmp_path / "f", data, keyring)
    assert at_rest.is_sealed(path)
    assert size < 16 or data[:16] not in path.read_bytes()
    assert at_rest.unseal(path, keyring) == data
    with at_rest.SealedReader(path, keyring) as reader:
        assert reader.seek(0, io.SEEK_END) == size
        for start in {0, size // 2, max(0, size - 5)}:
            reader.seek(start)
            assert reader.read(CHUNK + 3) == data[start: start + CHUNK + 3]


def test_a_streamed_write_equals_a_whole_write(tmp_path: Path, keyring: at_rest.Keyring) -> None:
    data = os.urandom(5 * CHUNK + 9)
    writer = at_rest.SealedWriter(tmp_path / "stream", keyring, chunk_size=CHUNK)
    for i in range(0, len(data), 50):
        writer.write(data[i: i + 50])
    writer.commit()
    assert at_rest.unseal(tmp_path / "stream", keyring) == data
    assert [p.name for p in tmp_path.iterdir()] == ["stream"]  # no temporary file left


def test_an_aborted_streamed_write_leaves_nothing(tmp_path: Path, keyring: at_rest.Keyring) -> None:
    writer = at_rest.SealedWriter(tmp_path / "x", keyring)
    writer.write(b"half")
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def _records(raw: bytes) -> list[bytes]:
    out, pos = [], at_rest.HEADER_SIZE
    while pos < len(raw):
        length = int.from_bytes(raw[pos: pos + 4], "big")
        out.append(raw[pos: pos + 4 + length])
        pos += 4 + length
    return out


def _tampered(kind: str, a: bytes, b: bytes) -> bytes:
    head, recs = a[: at_rest.HEADER_SIZE], _records(a)
    if kind == "flipped byte":
        return a[:-10] + bytes([a[-10] ^ 1]) + a[-9:]
    if kind == "cut after a whole record":
        return head + b"".join(recs[:-1])
    if kind == "records swapped":
        return head + recs[1] + recs[0] + b"".join(recs[2:])
    if kind == "record from another file":
        return head + _records(b)[0] + b"".join(recs[1:])
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["flipped byte", "cut after a whole record", "records swapped", "record from another file"])
def test_tampering_is_refused_not_read(tmp_path: Path, keyring: at_rest.Keyring, kind: str) -> None:
    a = _sealed(tmp_path / "a", os.urandom(4 * CHUNK), keyring).read_bytes()
    b = _sealed(tmp_path / "b", os.urandom(4 * CHUNK), keyring).read_bytes()
    (tmp_path / "t").write_bytes(_tampered(kind, a, b))
    with pytest.raises(VaultError):
        at_rest.unseal(tmp_path / "t", keyring)


def test_the_wrong_key_gives_a_clear_error(tmp_path: Path, keyring: at_rest.Keyring) -> None:
    path = _sealed(tmp_path / "f", b"geheim", keyring)
    with pytest.raises(VaultError, match="sleutel"):
        at_rest.unseal(path, at_rest.Keyring([Fernet.generate_key()]))


@pytest.mark.parametrize(("text", "count"), [("{a}", 1), ("{a}\n{b}\n", 2), ("{a}, {b}", 2), ("\n {a} \n\n", 1)])
def test_keyrings_parse_one_key_per_line_or_comma(text: str, count: int) -> None:
    keys = {"a": Fernet.generate_key().decode(), "b": Fernet.generate_key().decode()}
    assert len(at_rest.Keyring.parse(text.format(**keys)).keys) == count


@pytest.mark.parametrize("text", ["", "geen-sleutel", "{a},kapot"])
def test_bad_keys_are_refused_with_a_dutch_message(text: str) -> None:
    with pytest.raises(VaultError):
        at_rest.Keyring.parse(text.format(a=Fernet.generate_key().decode()))


def test_rotation_re_encrypts_so_the_old_key_can_go(tmp_path: Path, keyring: at_rest.Keyring) -> None:
    data = os.urandom(3 * CHUNK + 1)
    sealed = _sealed(tmp_path / "sealed", data, keyring)
    token = tmp_path / "vault"
    token.write_bytes(keyring.encrypt(b"kluis"))  # a single Fernet token (vault, older transcript.json.enc)
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"gewone tekst")
    new = at_rest.Keyring([Fernet.generate_key(), *keyring.keys])
    assert [at_rest.rotate_file(p, new) for p in (sealed, token, plain)] == [True, True, False]
    only_new = at_rest.Keyring(new.keys[:1])
    assert at_rest.unseal(sealed, only_new) == data
    inner = write_private_bytes(tmp_path / "inner", b"")  # a vault written into a sealed tree: token inside a sealed file
    _sealed(inner, keyring.encrypt(b"binnen"), keyring)
    assert at_rest.rotate_file(inner, new)
    assert only_new.decrypt(at_rest.unseal(inner, only_new)) == b"binnen"
    assert only_new.decrypt(token.read_bytes()) == b"kluis"
    assert plain.read_bytes() == b"gewone tekst"
    with pytest.raises(VaultError):
        at_rest.unseal(sealed, keyring)


def test_private_files_are_sealed_only_below_a_sealed_tree(tmp_path: Path, keyring: at_rest.Keyring,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(at_rest, "_state", {"keyring": None, "roots": ()})  # this process's state comes back after
    at_rest.seal_tree(tmp_path / "cases", keyring)
    inside = write_private_bytes(tmp_path / "cases" / "c1" / "verslag.json", "Sanne de Groot".encode())
    outside = write_private_bytes(tmp_path / "out" / "verslag.json", b"Sanne de Groot")
    assert b"Sanne" not in inside.read_bytes() and at_rest.is_sealed(inside)
    assert outside.read_bytes() == b"Sanne de Groot"
    assert read_private_text(inside) == "Sanne de Groot" and read_private_bytes(outside) == b"Sanne de Groot"
    with open_private(inside) as reader:
        assert reader.read() == b"Sanne de Groot"
    at_rest.release_all()
    with pytest.raises(VaultError, match="geen sleutel"):
        read_private_bytes(inside)
