"""The offline/telemetry environment is in place in a fresh process before the libraries that read
it at import time are imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.offline import OFFLINE_ENV

REPO = Path(__file__).resolve().parents[2]
PROBE = """
import json, os, sys
import {entry}
import huggingface_hub.constants as hub
import tldextract.tldextract as tld
print(json.dumps({{
    "env": {{k: os.environ.get(k) for k in {keys!r}}},
    "hub_offline": hub.HF_HUB_OFFLINE,
    "hub_telemetry_off": hub.HF_HUB_DISABLE_TELEMETRY,
    "tld_urls": list(tld.TLD_EXTRACTOR.suffix_list_urls),
}}))
"""


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENV}
    env.update({"PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "0", "DO_NOT_TRACK": "0", "HOME": str(tmp_path)})
    return env


@pytest.mark.parametrize("entry", ["cli.main", "service.main", "bench", "eval"])
def test_fresh_entry_point_sets_offline_env_before_libraries(tmp_path: Path, entry: str) -> None:
    code = PROBE.format(entry=entry, keys=sorted(OFFLINE_ENV))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_clean_env(tmp_path),
                          cwd=tmp_path, timeout=180)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["env"] == OFFLINE_ENV  # overrides the "0" the caller set
    assert seen["hub_offline"] is True and seen["hub_telemetry_off"] is True
    assert seen["tld_urls"] == []


def test_vg_command_runs_with_offline_env(tmp_path: Path) -> None:
    """The real ``vg`` entry point (``python -m cli.main``): ``vg models list`` works offline."""
    proc = subprocess.run([sys.executable, "-m", "cli.main", "--help"], capture_output=True, text=True,
                          env=_clean_env(tmp_path), cwd=tmp_path, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_tldextract_uses_its_snapshot_without_fetching(no_network: list) -> None:
    import tldextract

    import core.offline

    core.offline.apply()
    assert tldextract.extract("https://zorg.gemeente.nl/pad").suffix == "nl"
    assert no_network == []


@pytest.mark.parametrize(("given", "expected"), [(None, 1), ("2", 2)])
def test_numpy_blas_runs_one_thread_unless_the_caller_says_otherwise(tmp_path: Path, given: str | None, expected: int) -> None:
    env = {k: v for k, v in _clean_env(tmp_path).items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    code = ("import cli.main, numpy, json; from threadpoolctl import threadpool_info; "
            "print(json.dumps([i['num_threads'] for i in threadpool_info() if i['internal_api'] == 'openblas']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=180)
    assert proc.returncode == 0, proc.stderr
    threads = json.loads(proc.stdout.strip().splitlines()[-1])
    assert threads and set(threads) == {min(expected, os.cpu_count() or 1)}
