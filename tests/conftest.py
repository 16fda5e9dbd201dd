"""Fixtures shared by the whole suite."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO_ROOT / "samples" / "vg-demo"


class NetworkAccessError(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _private_secrets_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keys made by a test go to a temporary secrets directory, never to the user's ~/.config/vg."""
    path = tmp_path_factory.mktemp("secrets")
    monkeypatch.setenv("VG_SECRETS_DIR", str(path))
    return path


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple]]:
    """Fail on any attempt to open an internet socket or resolve a host name during the test.

    Unix-domain sockets stay allowed (they never leave the machine). Yields the list of attempts.
    """
    attempts: list[tuple] = []
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        attempts.append(("connect", address))
        raise NetworkAccessError(f"network connection attempted: {address!r}")

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        attempts.append(("connect_ex", address))
        raise NetworkAccessError(f"network connection attempted: {address!r}")

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        attempts.append(("getaddrinfo", host))
        raise NetworkAccessError(f"host name lookup attempted: {host!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: guarded_connect(socket.socket(), address))
    yield attempts


@pytest.fixture(scope="session")
def deid_engine():
    """The real de-identification engine, built once per test session (~20 s with Deduce's cache)."""
    from pipeline.deid import DeidOptions, build_engine

    return build_engine(DeidOptions())
