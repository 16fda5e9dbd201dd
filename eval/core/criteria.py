"""Acceptance criteria (``eval/criteria.toml``): thresholds on aggregate metrics, with a rationale.

Format::

    version = 1
    [[criterion]]
    id = "asr-wer"            # stable id, shown in the report
    task = "asr"              # task name as in results.json
    metric = "asr/wer"        # metric name within that task
    title = "..."             # Dutch, one line
    op = "<="                 # one of <=, <, >=, >, ==
    threshold = 0.25
    rationale = "..."         # Dutch: why this threshold

A criterion whose task did not run (another ``--suite``) or whose metric has no value is
"niet gemeten" and does not fail the run; a task that ran but could not score any sample does.
"""

from __future__ import annotations

import operator
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from core.resources import package_path
from eval.core.log import CriterionResult
from eval.core.task import TaskResult
from core.errors import EvaluationError

DEFAULT_CRITERIA = package_path("eval", "criteria.toml")
_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq}


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    task: str
    metric: str
    title: str
    op: Literal["<=", "<", ">=", ">", "=="]
    threshold: float
    rationale: str


def load_criteria(path: Path = DEFAULT_CRITERIA) -> list[Criterion]:
    if not path.is_file():
        raise EvaluationError(f"Criteriabestand niet gevonden: {path.name}", hint="Zie eval/criteria.toml voor het formaat.")
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        criteria = [Criterion.model_validate(c) for c in data.get("criterion", [])]
    except tomllib.TOMLDecodeError as exc:
        raise EvaluationError(f"{path.name} is geen geldige TOML: {exc}", hint="Controleer de syntaxis.") from None
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise EvaluationError(f"{path.name}: criterium klopt niet ({fields}).", hint="Zie het formaat bovenin eval/criteria.toml.") from None
    ids = [c.id for c in criteria]
    if len(ids) != len(set(ids)):
        raise EvaluationError(f"{path.name}: een criterium-id komt dubbel voor.", hint="Maak elke id uniek.")
    return criteria


def evaluate_criteria(criteria: list[Criterion], tasks: list[TaskResult]) -> list[CriterionResult]:
    by_task = {t.name: t for t in tasks}
    results = []
    for c in criteria:
        task = by_task.get(c.task)
        metric = task.metrics.get(c.metric) if task else None
        if task is None:
            status, value = "niet gemeten", None
        elif metric is None or metric.value is None:
            # The task ran but produced no value: that is a failure of the run, not an absence.
            status, value = "gezakt", None
        else:
            value = metric.value
            status = "geslaagd" if _OPS[c.op](value, c.threshold) else "gezakt"
        results.append(
            CriterionResult(
                id=c.id, metric=c.metric, title=c.title, op=c.op, threshold=c.threshold, value=value,
                status=status, rationale=c.rationale.strip(),
                ci_low=metric.ci_low if metric else None, ci_high=metric.ci_high if metric else None,
            )
        )
    return results
