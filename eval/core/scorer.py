"""Scores and scorers.

A scorer is a small callable built by a factory; configuration lives in the closure::

    @scorer(name="asr/wer", aggregate="ratio", lower_is_better=True)
    def wer(*, normaliser: DutchNormaliser | None = None) -> Scorer:
        def score(state: TaskState) -> Score: ...
        return score

A scorer returns one :class:`Score` per sample (or ``None`` when it does not apply).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from eval.core.metrics import AggregateKind

if TYPE_CHECKING:
    from eval.core.state import TaskState


class Score(BaseModel):
    """The score of one sample on one metric."""

    model_config = ConfigDict(extra="forbid")

    value: float | bool | None
    """The per-sample value (``None``: could not be scored, explained in ``explanation``)."""
    answer: str | None = None
    """What the system produced, briefly (never personal data: only pseudonymised or synthetic text)."""
    explanation: str | None = None
    """How the value came about, in Dutch, for the report."""
    numerator: float | None = None
    denominator: float | None = None
    """For ratio/proportion metrics: e.g. word errors and reference words."""
    details: dict[str, Any] = Field(default_factory=dict)
    """Structured evidence (matches, per-speaker figures ...)."""


@runtime_checkable
class Scorer(Protocol):
    """Scores one solved sample. Attributes are set by the :func:`scorer` decorator."""

    metric_name: str
    aggregate: AggregateKind
    lower_is_better: bool
    description: str

    def __call__(self, state: TaskState) -> Score | None: ...


def scorer(
    *, name: str, aggregate: AggregateKind = "mean", lower_is_better: bool = False, description: str = ""
) -> Callable[[Callable[..., Callable[[TaskState], Score | None]]], Callable[..., Scorer]]:
    """Decorate a scorer factory: the callable it returns gets the metric's metadata."""

    def decorate(factory: Callable[..., Callable[[TaskState], Score | None]]) -> Callable[..., Scorer]:
        @wraps(factory)
        def build(*args: Any, **kwargs: Any) -> Scorer:
            fn = factory(*args, **kwargs)
            fn.metric_name = name  # type: ignore[attr-defined]
            fn.aggregate = aggregate  # type: ignore[attr-defined]
            fn.lower_is_better = lower_is_better  # type: ignore[attr-defined]
            fn.description = description or (factory.__doc__ or "").strip().splitlines()[0]  # type: ignore[attr-defined]
            return fn  # type: ignore[return-value]

        return build

    return decorate
