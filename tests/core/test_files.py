"""Private files: explicit modes whatever the umask, atomic writes, nothing half-written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from core.files import private_dir, remove_files, write_private_bytes, write_private_text


@pytest.fixture
def loose_umask():  # noqa: ANN201
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_dir_creates_missing_parents_0700_and_leaves_existing_shared_dirs_alone(tmp_path: Path, loose_umask) -> None:
    os.chmod(tmp_path, 0o755)
    target = private_dir(tmp_path / "a" / "b")
    assert _mode(target) == 0o700 and _mode(tmp_path / "a") == 0o700
    assert _mode(tmp_path) == 0o755, "an existing parent is not ours to change"
    existing = tmp_path / "case"
    existing.mkdir(mode=0o755)
    private_dir(existing)
    assert _mode(existing) == 0o755
    private_dir(existing, tighten_existing=True)
    assert _mode(existing) == 0o700


def test_private_write_is_0600_atomic_and_replaces(tmp_path: Path, loose_umask) -> None:
    path = write_private_text(tmp_path / "out" / "brief.txt", "eerste")
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    os.chmod(path, 0o644)
    write_private_bytes(path, b"tweede")
    assert path.read_bytes() == b"tweede" and _mode(path) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["brief.txt"], "no temporary files left"


def test_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_private_text(tmp_path / "verslag.json", "oud")

    def interrupted(*_args: object) -> None:  # Ctrl-C between writing and renaming
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_private_bytes(path, b"nieuw")
    monkeypatch.undo()
    assert path.read_text() == "oud"
    assert [p.name for p in tmp_path.iterdir()] == ["verslag.json"]


def test_remove_files_reports_what_it_removed(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("x")
    assert remove_files(tmp_path, ("a.json", "b.json")) == ["a.json"]
    assert not (tmp_path / "a.json").exists()
