"""Plots for the report, as base64 PNG data URIs (the page stays one self-contained file)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display, no GUI backend
import matplotlib.pyplot as plt  # noqa: E402

from eval.core.task import TaskResult  # noqa: E402


def _to_data_uri(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def per_sample_bars(task: TaskResult, metric: str, *, threshold: float | None = None) -> str | None:
    """One bar per sample for ``metric``, with the criterion threshold as a dashed line."""
    pairs = [(s.id, float(s.scores[metric].value)) for s in task.samples
             if metric in s.scores and s.scores[metric].value is not None]
    if not pairs:
        return None
    ids, values = zip(*pairs)
    fig, ax = plt.subplots(figsize=(max(4.0, 0.55 * len(ids) + 1.5), 2.8))
    ax.bar(ids, values, color="#3b6ea5")
    if threshold is not None:
        ax.axhline(threshold, color="#b03030", linestyle="--", linewidth=1, label=f"drempel {threshold:g}")
        ax.legend(loc="upper right", fontsize=8)
    ax.set_title(f"{metric} per sample", fontsize=10)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    return _to_data_uri(fig)


def metric_intervals(task: TaskResult, metrics: list[str], *, title: str) -> str | None:
    """Point estimates with 95% intervals for several metrics on a 0..1 scale."""
    rows = [(m, task.metrics[m]) for m in metrics if m in task.metrics and task.metrics[m].value is not None]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(6.0, 0.45 * len(rows) + 1.0))
    for i, (name, mv) in enumerate(rows):
        ax.plot([mv.value], [i], "o", color="#3b6ea5")
        if mv.ci_low is not None and mv.ci_high is not None:
            ax.plot([mv.ci_low, mv.ci_high], [i, i], "-", color="#3b6ea5", linewidth=2, alpha=0.6)
    ax.set_yticks(range(len(rows)), [r[0].split("/", 1)[-1] for r in rows], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return _to_data_uri(fig)
