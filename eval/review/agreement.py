"""Inter-rater agreement: Krippendorff's alpha (nominal, ordinal, interval) and weighted kappa.

Krippendorff's alpha is computed from the coincidence of values within units (Krippendorff 2011,
"Computing Krippendorff's Alpha-Reliability"): alpha = 1 - D_o / D_e, where D_o is the observed and
D_e the expected disagreement under the metric. Units with fewer than two ratings are not pairable
and are left out; missing ratings are allowed. alpha = 1 is perfect agreement, 0 is chance level.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Literal

Metric = Literal["nominal", "ordinal", "interval"]


def _delta_factory(metric: Metric, marginals: Counter) -> callable:
    if metric == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if metric == "interval":
        return lambda c, k: float(c - k) ** 2
    values = sorted(marginals)
    index = {v: i for i, v in enumerate(values)}

    def ordinal(c, k) -> float:
        lo, hi = sorted((index[c], index[k]))
        between = sum(marginals[values[g]] for g in range(lo, hi + 1))
        return (between - (marginals[c] + marginals[k]) / 2) ** 2

    return ordinal


def krippendorff_alpha(units: Mapping[Hashable, Sequence[float | None]], metric: Metric = "ordinal") -> float | None:
    """Alpha over ``units`` (unit -> ratings by the different raters; ``None`` = not rated).

    Returns ``None`` when there are no pairable units or when all values are identical (no
    variation: alpha is undefined).
    """
    pairable = [[v for v in vals if v is not None] for vals in units.values()]
    pairable = [vals for vals in pairable if len(vals) >= 2]
    marginals: Counter = Counter(v for vals in pairable for v in vals)
    n = sum(marginals.values())
    if n < 2 or len(marginals) < 2:
        return None
    delta = _delta_factory(metric, marginals)
    observed = 0.0
    for vals in pairable:
        m = len(vals)
        observed += sum(delta(a, b) for a, b in itertools.permutations(vals, 2)) / (m - 1)
    observed /= n
    expected = sum(marginals[c] * marginals[k] * delta(c, k) for c in marginals for k in marginals) / (n * (n - 1))
    return 1.0 - observed / expected if expected else None


def mean_weighted_kappa(ratings: Mapping[str, Mapping[Hashable, float]], labels: Sequence[float]) -> float | None:
    """Quadratic-weighted Cohen's kappa averaged over all rater pairs (on units both rated)."""
    from sklearn.metrics import cohen_kappa_score

    kappas = []
    for a, b in itertools.combinations(sorted(ratings), 2):
        shared = sorted(set(ratings[a]) & set(ratings[b]), key=str)
        if len(shared) < 2:
            continue
        x = [ratings[a][u] for u in shared]
        y = [ratings[b][u] for u in shared]
        if len(set(x) | set(y)) < 2:
            continue
        kappas.append(cohen_kappa_score(x, y, labels=list(labels), weights="quadratic"))
    return sum(kappas) / len(kappas) if kappas else None
