"""Measuring stages: wall time and peak RSS, and the software environment for run records."""

from __future__ import annotations

import importlib.metadata
import platform
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil

KEY_PACKAGES = (
    "faster-whisper", "ctranslate2", "av", "presidio-analyzer", "presidio-anonymizer", "spacy", "deduce",
    "llama-cpp-python", "transformers", "torch", "resemblyzer", "jinja2", "weasyprint", "pydantic", "bm25s",
)


@dataclass
class Measurement:
    wall_seconds: float = 0.0
    peak_rss_mb: float = 0.0


@contextmanager
def measure(interval: float = 0.05) -> Iterator[Measurement]:
    """Measure wall time and the peak resident memory of this process while the block runs."""
    proc = psutil.Process()
    result = Measurement(peak_rss_mb=proc.memory_info().rss / 2**20)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            result.peak_rss_mb = max(result.peak_rss_mb, proc.memory_info().rss / 2**20)
            stop.wait(interval)

    thread = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join()
        result.wall_seconds = time.perf_counter() - started
        result.peak_rss_mb = round(max(result.peak_rss_mb, proc.memory_info().rss / 2**20), 1)


def package_versions(names: tuple[str, ...] = KEY_PACKAGES) -> dict[str, str]:
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def machine_info() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": psutil.cpu_count(logical=True),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }
