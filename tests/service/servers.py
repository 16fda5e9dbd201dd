"""Real PostgreSQL and Redis servers for the tests, started in a temporary directory on a free port.

PostgreSQL refuses to run as root (CI runs as root). The server is then started as the unprivileged
``nobody`` user (``subprocess`` ``user=``/``group=``/``extra_groups=[]``: setuid/setgid, no root
groups) in a directory of its own under ``/tmp`` owned by that user; as any other user it simply
runs as that user. When the binaries are missing or the server cannot start, the caller skips with
the reason (``ServerUnavailable``), never silently.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DATABASES = ["sqlite", "postgresql"]
"""Parametrise ``database`` (indirect) or a fixture with these to run a test on both."""
_numbers = itertools.count(1)
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
                     reverse=True)  # Debian: the newest installed major version first


class ServerUnavailable(RuntimeError):
    """The server's binaries are not installed or it would not start (the reason is the message)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin(name: str) -> str:
    for folder in PG_BIN_DIRS:
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        raise ServerUnavailable(f"PostgreSQL ({name}) is not installed: apt-get install postgresql (make setup)")
    return found


def _drop_root() -> dict:
    if os.geteuid() != 0:
        return {}
    return {"user": "nobody", "group": "nogroup", "extra_groups": []}


@dataclass
class Postgres:
    url: str
    """SQLAlchemy URL of the test database (psycopg 3)."""
    port: int
    folder: Path

    def create_database(self, name: str) -> str:
        """A fresh, empty database on the same server; returns its URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=vg dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://vg@127.0.0.1:{self.port}/{name}"


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="vg-pg-"))
    drop = _drop_root()
    if drop:
        shutil.chown(folder, "nobody", "nogroup")
    data, port = folder / "data", free_port()
    run = {"capture_output": True, "text": True, "cwd": folder, **drop}
    try:
        init = subprocess.run([initdb, "-D", str(data), "-U", "vg", "--auth=trust", "-E", "UTF8", "--no-sync"], **run)
        if init.returncode != 0:
            raise ServerUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        start = subprocess.run([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60",
                                "start"], **run)
        if start.returncode != 0:
            log = (folder / "log").read_text(errors="replace")[-500:] if (folder / "log").exists() else ""
            raise ServerUnavailable(f"PostgreSQL would not start: {start.stderr.strip()[-300:]} {log}")
        try:
            server = Postgres(url="", port=port, folder=folder)
            server.url = server.create_database("vg_test")
            yield server
        finally:
            subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], **run)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Redis:
    url: str
    port: int
    process: subprocess.Popen


@contextmanager
def redis_server() -> Iterator[Redis]:
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").is_file() else None)
    if not binary:
        raise ServerUnavailable("redis-server is not installed: apt-get install redis-server (make setup)")
    folder, port = Path(tempfile.mkdtemp(prefix="vg-redis-")), free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                                "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    raise ServerUnavailable("redis-server would not start") from None
                time.sleep(0.05)
        yield Redis(url=f"redis://127.0.0.1:{port}/0", port=port, process=process)
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def database_url_for(kind: str, request) -> str | None:
    """None (SQLite in the data directory) or the URL of a fresh PostgreSQL database."""
    if kind == "sqlite":
        return None
    return request.getfixturevalue("pg_server").create_database(f"vg_{next(_numbers)}")
