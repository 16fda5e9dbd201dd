"""The product works as an installed wheel, without the source tree.

Builds the wheel, installs it into a fresh virtual environment that borrows the third-party
packages of the current one (but not this project's editable install), and runs ``vg process`` on
the sample's call transcript from a directory outside the repository.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{cmd[:3]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_wheel_installs_and_processes_a_transcript_without_the_source_tree(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "out", "*.egg-info", "build", "dist",
                                                                  "__pycache__", ".pytest_cache", "tests"))
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(source)])
    wheel = next(wheels.glob("vg_verslag-*.whl"))

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    target_site = next((venv / "lib").glob("python3.*/site-packages"))
    # Third-party packages come from the current environment; a .pth line adds the directory to
    # sys.path without running its .pth files, so this project's editable finder stays inactive.
    (target_site / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps", "-q", str(wheel)])
    shutil.rmtree(source)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VG_") and k != "PYTHONPATH"}
    env.update(VG_LLM_BACKEND="fake", VG_DATA_DIR=str(tmp_path / "data"), VG_VAULT_KEY_FILE=str(tmp_path / "keys" / "vault.key"))
    where = _run([str(venv / "bin" / "python"), "-c", "import pipeline, prompts, templates; print(pipeline.__file__)"],
                 cwd=work, env=env).stdout
    assert str(target_site) in where, where

    shutil.copy(ROOT / "samples" / "vg-demo" / "gesprek.vtt", work / "gesprek.vtt")
    shutil.copy(ROOT / "samples" / "vg-demo" / "case.json", work / "case.json")
    _run([str(venv / "bin" / "vg"), "process", "gesprek.vtt", "--case", "case.json", "--out", "uit"], cwd=work, env=env)
    letter = work / "uit" / "advies-huisarts.txt"
    assert letter.is_file() and letter.read_text(encoding="utf-8").strip()
    assert (work / "uit" / "advies-huisarts.pdf").read_bytes().startswith(b"%PDF")
