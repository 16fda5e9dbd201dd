"""Uncaught exceptions in an entry point are printed as type and file:line, never their message."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("in_thread", [False, True], ids=["main-thread", "worker-thread"])
def test_uncaught_exception_is_scrubbed(in_thread: bool) -> None:
    code = textwrap.dedent(f"""
        import logging, threading
        from core.safe_logging import configure_safe_logging
        configure_safe_logging(logging.WARNING)
        def work():
            raise ValueError("Sanne de Groot, BSN 171973069")
        if {in_thread}:
            t = threading.Thread(target=work); t.start(); t.join()
        else:
            work()
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert "ValueError" in result.stderr and "in work" in result.stderr
    assert "Sanne" not in result.stderr and "171973069" not in result.stderr
    assert "Traceback" not in result.stderr
