"""The state of one sample while solvers fill it and scorers read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eval.core.dataset import Dataset, Sample


@dataclass
class TaskState:
    """Everything known about one sample while it is being solved and scored."""

    sample: Sample
    dataset: Dataset
    output: dict[str, Any] = field(default_factory=dict)
    """Artefacts produced by the solvers, keyed by name (``transcript``, ``verslag`` ...)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Wall seconds per step, keyed by step name."""
    cache: dict[str, Any] = field(default_factory=dict)
    """Gold files read once and shared between scorers."""
