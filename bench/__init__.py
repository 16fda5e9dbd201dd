"""Benchmarks: ``python -m bench [NAME ...]`` prints figures and ratios measured on this machine."""

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)
