"""Time-left estimates per stage (pipeline.progress)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.progress import ProgressEstimator, StageCost, probe_seconds

COSTS = {"a": StageCost(0.1, 10.0), "b": StageCost(0.5, 0.0)}


@pytest.mark.parametrize(("stage", "elapsed", "expected"), [
    ("a", 0.0, 70.0),      # 10 + 0.1 * 600
    ("a", 30.0, 40.0),
    ("a", 100.0, 0.0),     # overrun: never negative
    ("b", 0.0, 300.0),
    ("onbekend", 0.0, None),
])
def test_remaining_from_priors(stage, elapsed, expected):
    eta = ProgressEstimator(600.0, costs=COSTS)
    assert eta.remaining(stage, elapsed) == expected


def test_unknown_duration_gives_no_estimate():
    eta = ProgressEstimator(None, costs=COSTS)
    assert eta.remaining("a", 0.0) is None and eta.label("a", 0.0) == ""


@pytest.mark.parametrize(("actual", "factor"), [(140.0, 2.0), (35.0, 0.5), (7000.0, 4.0), (1.0, 0.25)])
def test_finished_stages_scale_later_estimates(actual, factor):
    eta = ProgressEstimator(600.0, costs=COSTS)
    eta.finished("a", actual)
    assert eta.speed_factor == pytest.approx(factor)
    assert eta.expected("b") == pytest.approx(300.0 * factor)


@pytest.mark.parametrize(("elapsed", "label"), [(0.0, "nog ~5 min"), (250.0, "nog <1 min"), (301.0, "bijna klaar"),
                                                (179.0, "nog ~3 min")])
def test_dutch_labels(elapsed, label):
    assert ProgressEstimator(600.0, costs=COSTS).label("b", elapsed) == label


def test_probe_reads_container_duration_and_tolerates_junk(tmp_path):
    fixture = Path(__file__).resolve().parents[1] / "data" / "speech-nl" / "nathalie" / "nl_rhasspy_1062.ogg"
    assert probe_seconds(fixture) == pytest.approx(3.4, abs=0.1)
    junk = tmp_path / "x.ogg"
    junk.write_bytes(b"geen audio")
    assert probe_seconds(junk) is None
    assert probe_seconds(tmp_path / "bestaat-niet.wav") is None
