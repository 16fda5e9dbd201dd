"""Time-left estimates per pipeline stage, for progress displays.

Each stage's expected duration is a prior (seconds per second of audio plus a fixed part, measured on
the project's 2-core CPU machine with the bundled models; see docs/asr.md) scaled by how fast this
machine turned out to be on the stages already finished. The estimate is shown as "nog ~N min";
once a stage runs past its estimate it says "bijna klaar" rather than a negative or growing number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class StageCost:
    per_audio_second: float
    """Seconds of compute per second of audio."""
    fixed: float = 0.0
    """Seconds independent of length (model loading, rendering)."""


DEFAULT_COSTS: dict[str, StageCost] = {
    # sequential faster-whisper base int8, segment timestamps (RTF ~0.09 idle on 2 cores) + Resemblyzer (~0.02)
    "transcript": StageCost(0.11, 5.0),
    "deidentify": StageCost(0.01, 20.0),
    # the drafting stage is being rewritten; target 4 min per hour of audio (issue 14)
    "verslag": StageCost(0.15, 30.0),
    "render": StageCost(0.0, 20.0),
}


@dataclass
class ProgressEstimator:
    """Expected and remaining seconds per stage for one recording of ``audio_seconds``."""

    audio_seconds: float | None
    costs: dict[str, StageCost] = field(default_factory=lambda: dict(DEFAULT_COSTS))
    _observed: list[tuple[float, float]] = field(default_factory=list)
    """(prior, actual) seconds of finished stages: their ratio scales the later priors."""

    def prior(self, stage: str) -> float | None:
        cost = self.costs.get(stage)
        if cost is None or self.audio_seconds is None:
            return None
        return cost.fixed + cost.per_audio_second * self.audio_seconds

    @property
    def speed_factor(self) -> float:
        """Actual / prior over the finished stages (1.0 before any finished); bounded to 0.25-4."""
        prior = sum(p for p, _ in self._observed)
        if prior <= 0:
            return 1.0
        return min(4.0, max(0.25, sum(a for _, a in self._observed) / prior))

    def expected(self, stage: str) -> float | None:
        prior = self.prior(stage)
        return None if prior is None else prior * self.speed_factor

    def finished(self, stage: str, seconds: float) -> None:
        """Record a finished stage (not reused ones: they say nothing about this machine's speed)."""
        prior = self.prior(stage)
        if prior and seconds >= 0:
            self._observed.append((prior, seconds))

    def remaining(self, stage: str, elapsed: float) -> float | None:
        expected = self.expected(stage)
        return None if expected is None else max(0.0, expected - elapsed)

    def label(self, stage: str, elapsed: float) -> str:
        """Dutch text for the display: ``nog ~3 min``, ``nog <1 min``, ``bijna klaar`` or ``""``."""
        left = self.remaining(stage, elapsed)
        if left is None:
            return ""
        if left <= 0:
            return "bijna klaar"
        if left < 60:
            return "nog <1 min"
        return f"nog ~{math.ceil(left / 60)} min"


def probe_seconds(path: Path) -> float | None:
    """Duration of an audio file from its container header (no decoding), or None."""
    try:
        import av

        with av.open(str(path)) as container:
            if container.duration:
                return container.duration / 1_000_000
            stream = next(iter(container.streams.audio), None)
            if stream is not None and stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except Exception:  # noqa: BLE001 - an estimate is optional; the stage itself reports bad input
        return None
    return None
