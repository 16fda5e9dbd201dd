"""Aggregating per-sample scores, with confidence intervals where the sample size allows.

Three kinds, chosen by each scorer:

- ``mean``: average of per-sample values; percentile bootstrap CI over samples.
- ``ratio``: micro-average sum(numerator) / sum(denominator) (e.g. corpus WER = all errors / all
  reference words); percentile bootstrap CI resampling samples.
- ``proportion``: share of successes over all trials (per-sample ``numerator``/``denominator``, or a
  boolean value per sample); Wilson score interval.

With fewer than ``MIN_SAMPLES_FOR_CI`` samples no bootstrap interval is given (it would suggest a
precision the data cannot carry); Wilson intervals are given from one trial on.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

AggregateKind = Literal["mean", "ratio", "proportion", "sum"]
MIN_SAMPLES_FOR_CI = 5
BOOTSTRAP_RESAMPLES = 2000
Z_95 = 1.959963984540054


class MetricValue(BaseModel):
    """An aggregate over samples."""

    model_config = ConfigDict(extra="forbid")

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int = 0
    """Number of samples with a value."""
    method: str = ""
    """How the value and interval were computed, e.g. ``ratio, bootstrap 95%``."""


def wilson_interval(successes: float, trials: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion."""
    if trials <= 0:
        return (math.nan, math.nan)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def bootstrap_interval(
    numerators: np.ndarray, denominators: np.ndarray | None = None, *, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap 95% CI of a mean (or of a micro ratio when ``denominators`` is given)."""
    rng = np.random.default_rng(seed)
    n = len(numerators)
    idx = rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
    if denominators is None:
        stats = numerators[idx].mean(axis=1)
    else:
        dens = denominators[idx].sum(axis=1)
        stats = np.where(dens > 0, numerators[idx].sum(axis=1) / np.where(dens > 0, dens, 1), np.nan)
        stats = stats[~np.isnan(stats)]
    low, high = np.percentile(stats, [2.5, 97.5])
    return float(low), float(high)


def aggregate(
    kind: AggregateKind, values: list[float | None], parts: list[tuple[float, float] | None]
) -> MetricValue:
    """Aggregate per-sample ``values`` (and ``(numerator, denominator)`` ``parts``)."""
    if kind == "mean" or kind == "sum":
        xs = np.array([v for v in values if v is not None], dtype=float)
        if len(xs) == 0:
            return MetricValue(value=None, n=0, method=kind)
        value = float(xs.sum() if kind == "sum" else xs.mean())
        if kind == "sum" or len(xs) < MIN_SAMPLES_FOR_CI:
            return MetricValue(value=value, n=len(xs), method=f"{kind}, geen interval (n<{MIN_SAMPLES_FOR_CI})" if kind == "mean" else kind)
        low, high = bootstrap_interval(xs)
        return MetricValue(value=value, ci_low=low, ci_high=high, n=len(xs), method="mean, bootstrap 95%")

    pairs = [p for p in parts if p is not None]
    if kind == "proportion" and not pairs:
        pairs = [(1.0 if v else 0.0, 1.0) for v in values if v is not None]
    if not pairs:
        return MetricValue(value=None, n=0, method=kind)
    num = np.array([p[0] for p in pairs], dtype=float)
    den = np.array([p[1] for p in pairs], dtype=float)
    total = den.sum()
    if total <= 0:
        return MetricValue(value=None, n=len(pairs), method=kind)
    value = float(num.sum() / total)
    if kind == "proportion":
        low, high = wilson_interval(num.sum(), total)
        return MetricValue(value=value, ci_low=low, ci_high=high, n=len(pairs), method=f"proportie over {int(total)}, Wilson 95%")
    if len(pairs) < MIN_SAMPLES_FOR_CI:
        return MetricValue(value=value, n=len(pairs), method=f"ratio, geen interval (n<{MIN_SAMPLES_FOR_CI})")
    low, high = bootstrap_interval(num, den)
    return MetricValue(value=value, ci_low=low, ci_high=high, n=len(pairs), method="ratio, bootstrap 95%")
