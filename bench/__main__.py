"""Run the benchmarks: ``python -m bench`` (all) or ``python -m bench pipeline deid``.

Options after the names go to every named benchmark: ``python -m bench e2e --minutes 60``.

Each benchmark is a module ``bench/bench_<name>.py`` runnable on its own
(``python -m bench.bench_<name>``); this runner starts each in a fresh process so memory figures
are not inflated by the previous one.
"""

from __future__ import annotations

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)
import platform
import subprocess
import sys
import time
from pathlib import Path

import psutil

HERE = Path(__file__).parent


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    first_option = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    names, passthrough = argv[:first_option] or available(), argv[first_option:]
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(available())}", file=sys.stderr)
        return 2
    print(f"Machine: {platform.processor() or platform.machine()}, {psutil.cpu_count()} logical CPUs, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python {platform.python_version()}")
    failed = []
    for name in names:
        print(f"\n=== bench {name} ===", flush=True)
        started = time.perf_counter()
        rc = subprocess.call([sys.executable, "-m", f"bench.bench_{name}", *passthrough], cwd=HERE.parent)
        print(f"(bench {name}: {time.perf_counter() - started:.1f} s, exit {rc})", flush=True)
        if rc != 0:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
