"""Evaluation harness: datasets, solvers, scorers, a versioned results log and a Dutch report.

An evaluation is a dataset + a chain of solvers + scorers (:class:`eval.core.task.Task`); suites
in :mod:`eval.suites` build them; :func:`eval.runner.run_eval` runs suites and writes
``results.json`` and ``report.html``. Never imported by ``pipeline/``.
"""

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)

from eval.core.dataset import Dataset, Sample, load_jsonl
from eval.core.log import EvalLog, read_log
from eval.core.metrics import MetricValue
from eval.core.scorer import Score, Scorer, scorer
from eval.core.task import Task, TaskResult, TaskState, run_task

__all__ = [
    "Dataset", "EvalLog", "MetricValue", "Sample", "Score", "Scorer", "Task", "TaskResult", "TaskState",
    "load_jsonl", "read_log", "run_task", "scorer",
]
