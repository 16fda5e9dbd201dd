"""scripts/patch_wheels.py: only the named metadata lines change, the result is reproducible, and a
changed upstream is refused. And the lock pins what the setup relies on."""

from __future__ import annotations

import hashlib
import importlib.util
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("patch_wheels", REPO / "scripts" / "patch_wheels.py")
patch_wheels = importlib.util.module_from_spec(spec)
spec.loader.exec_module(patch_wheels)

METADATA = "Metadata-Version: 2.1\r\nName: demo\r\nVersion: 1.0\r\nRequires-Dist: regex (<2025)\r\nRequires-Dist: typing\r\n\r\nBody\r\n"


def _wheel(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("demo/__init__.py", "X = 1\n")
        zf.writestr("demo-1.0.dist-info/METADATA", METADATA)
        zf.writestr("demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
        zf.writestr("demo-1.0.dist-info/RECORD", "stale\n")
    return path


def test_patch_changes_only_metadata_and_is_reproducible(tmp_path: Path) -> None:
    original = _wheel(tmp_path / "demo-1.0-py3-none-any.whl")
    edits = {"Requires-Dist: regex (<2025)": "Requires-Dist: regex (>=2024)", "Requires-Dist: typing": None}
    a = patch_wheels.patch_wheel(original, tmp_path / "a", "1.0", edits)
    b = patch_wheels.patch_wheel(original, tmp_path / "b", "1.0", edits)
    assert a.name == "demo-1.0+vg1-py3-none-any.whl"
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    with zipfile.ZipFile(a) as zf:
        names = zf.namelist()
        meta = zf.read("demo-1.0+vg1.dist-info/METADATA").decode()
        record = zf.read("demo-1.0+vg1.dist-info/RECORD").decode()
        assert zf.read("demo/__init__.py") == b"X = 1\n"
    assert "demo-1.0.dist-info/METADATA" not in names
    assert "Version: 1.0+vg1" in meta and "regex (>=2024)" in meta and "typing" not in meta and "regex (<2025)" not in meta
    assert "demo/__init__.py,sha256=" in record and "demo-1.0+vg1.dist-info/RECORD,," in record


def test_patch_refuses_changed_upstream(tmp_path: Path) -> None:
    original = _wheel(tmp_path / "demo-1.0-py3-none-any.whl")
    with pytest.raises(SystemExit, match="upstream changed"):
        patch_wheels.patch_wheel(original, tmp_path / "a", "1.0", {"Requires-Dist: regex (<2024)": "x"})


def test_lock_pins_everything_with_hashes() -> None:
    lock = (REPO / "requirements" / "lock.txt").read_text()
    entries = [block for block in lock.split("\n") if block and block[0].isalpha()]
    assert len(entries) > 100
    assert all("==" in e and e.rstrip().endswith("\\") for e in entries)  # each pin followed by hashes
    for pin in ("torch==2.13.0+cpu", "deduce==3.0.6+vg1", "resemblyzer==0.1.4+vg1", "webrtcvad-wheels==", "llama-cpp-python=="):
        assert pin in lock
    assert "nvidia-" not in lock and "\nwebrtcvad==" not in lock
