"""``vg worker`` and ``vg serve`` with region settings that cannot work: a Dutch message that says
what to set, exit code 9, no traceback, nothing started."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.service.servers import free_port


@pytest.mark.parametrize(("command", "env", "expected"), [
    (["worker"], {"VG_DATABASE_URL": "postgresql://vg@127.0.0.1:{port}/vg"}, "database is niet bereikbaar"),
    (["worker"], {"VG_DATABASE_URL": "onzin"}, "VG_DATABASE_URL"),
    (["worker"], {"VG_WORKER_CAPABILITIES": "gpu"}, "VG_WORKER_CAPABILITIES"),
    (["worker"], {"VG_QUEUE_URL": "http://127.0.0.1:{port}"}, "Redis-adres"),
    (["serve", "--port", "{port}"], {"VG_QUEUE_URL": "redis://127.0.0.1:{port}/0"}, "wachtrij is niet bereikbaar"),
])
def test_region_misconfiguration_is_a_clear_error(tmp_path: Path, command: list[str], env: dict[str, str], expected: str) -> None:
    port = str(free_port())  # nothing listens there
    env = {"VG_DATA_DIR": str(tmp_path / "data"), "VG_SECRETS_DIR": str(tmp_path / "secrets"),
           **{k: v.replace("{port}", port) for k, v in env.items()}}
    result = CliRunner().invoke(app, [a.replace("{port}", port) for a in command], env=env)
    assert result.exit_code == 9, result.output
    assert expected in " ".join(result.output.split()) and "Traceback" not in result.output
