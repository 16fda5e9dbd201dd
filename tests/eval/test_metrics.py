import math

import pytest

from eval.core.metrics import MIN_SAMPLES_FOR_CI, aggregate, wilson_interval


def test_wilson_known_value():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.490, abs=1e-3) and high == pytest.approx(0.943, abs=1e-3)


@pytest.mark.parametrize(("k", "n"), [(0, 5), (5, 5), (3, 7)])
def test_wilson_stays_in_unit_interval_and_contains_p(k, n):
    low, high = wilson_interval(k, n)
    assert 0 <= low <= k / n <= high <= 1


def test_wilson_without_trials_is_nan():
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_ratio_is_micro_average_not_mean_of_ratios():
    mv = aggregate("ratio", [0.5, 0.0], [(1, 2), (0, 98)])
    assert mv.value == pytest.approx(0.01)
    assert mv.ci_low is None  # too few samples for a bootstrap interval


def test_mean_gets_bootstrap_interval_from_enough_samples():
    values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    assert len(values) >= MIN_SAMPLES_FOR_CI
    mv = aggregate("mean", values, [None] * len(values))
    assert mv.value == pytest.approx(0.35)
    assert mv.ci_low < 0.35 < mv.ci_high


def test_proportion_from_booleans_and_empty_input():
    assert aggregate("proportion", [True, False, True, True], [None] * 4).value == 0.75
    assert aggregate("mean", [None, None], [None, None]).value is None
