"""A task is a dataset, a chain of solvers and a list of scorers; ``run_task`` runs it.

A solver takes the :class:`TaskState` of one sample and fills ``state.output`` (e.g. a transcript,
a verslag) and ``state.timings``. Scorers then read the state. A sample whose solver fails with an
expected error is kept in the results with that error; the other samples still run.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from eval.core.dataset import Dataset, Sample
from eval.core.metrics import MetricValue, aggregate
from eval.core.scorer import Score, Scorer
from eval.core.state import TaskState
from core.errors import VGError

logger = logging.getLogger(__name__)


Solver = Callable[[TaskState], None]


@dataclass
class Task:
    """Dataset + solver chain + scorers, plus a name and free metadata for the log."""

    name: str
    dataset: Dataset
    solver: Sequence[Solver]
    scorer: Sequence[Scorer]
    metadata: dict[str, Any] = field(default_factory=dict)
    limitations: list[str] = field(default_factory=list)
    """Dutch sentences about what this task's data cannot show; copied into the report."""


class SampleResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    scores: dict[str, Score] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    error: str | None = None
    """Dutch message when the sample could not be solved (no content, no personal data)."""
    metadata: dict[str, Any] = Field(default_factory=dict)


class MetricInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    lower_is_better: bool
    aggregate: str


class TaskResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    dataset: str
    dataset_synthetic: bool
    samples: list[SampleResult]
    metrics: dict[str, MetricValue]
    metric_info: dict[str, MetricInfo]
    metadata: dict[str, Any] = Field(default_factory=dict)
    limitations: list[str] = Field(default_factory=list)
    wall_seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if s.error)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, VGError):
        return f"{type(exc).__name__}: {exc.message}"
    # Unexpected: the type and the innermost frame, never the message (it may hold content).
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno})" if tb else ""
    return f"onverwachte fout {type(exc).__name__}{where}"


def run_task(task: Task) -> TaskResult:
    """Solve and score every sample, then aggregate each metric."""
    started = time.perf_counter()
    results: list[SampleResult] = []
    for sample in task.dataset.samples:
        state = TaskState(sample=sample, dataset=task.dataset)
        result = SampleResult(id=sample.id, metadata=dict(sample.metadata))
        try:
            for solve in task.solver:
                solve(state)
        except Exception as exc:  # noqa: BLE001 - one bad sample must not stop the run
            result.error = _error_text(exc)
            logger.warning("task %s, sample %s: %s", task.name, sample.id, result.error)
        if result.error is None:
            for sc in task.scorer:
                try:
                    score = sc(state)
                except Exception as exc:  # noqa: BLE001
                    score = Score(value=None, explanation=f"Scorer faalde: {_error_text(exc)}")
                    logger.warning("scorer %s on %s failed: %s", sc.metric_name, sample.id, _error_text(exc))
                if score is not None:
                    result.scores[sc.metric_name] = score
        result.timings = dict(state.timings)
        results.append(result)
        logger.info("task %s: sample %s done (%d/%d)%s", task.name, sample.id, len(results),
                    len(task.dataset.samples), " with error" if result.error else "")

    metrics: dict[str, MetricValue] = {}
    info: dict[str, MetricInfo] = {}
    for sc in task.scorer:
        scores = [r.scores[sc.metric_name] for r in results if sc.metric_name in r.scores]
        values = [None if s.value is None else float(s.value) for s in scores]
        parts = [
            (s.numerator, s.denominator) if s.numerator is not None and s.denominator is not None else None
            for s in scores
        ]
        metrics[sc.metric_name] = aggregate(sc.aggregate, values, parts)
        info[sc.metric_name] = MetricInfo(
            name=sc.metric_name, description=sc.description, lower_is_better=sc.lower_is_better, aggregate=sc.aggregate
        )
    return TaskResult(
        name=task.name,
        dataset=task.dataset.name,
        dataset_synthetic=task.dataset.synthetic,
        samples=results,
        metrics=metrics,
        metric_info=info,
        metadata=task.metadata,
        limitations=task.limitations,
        wall_seconds=time.perf_counter() - started,
    )
