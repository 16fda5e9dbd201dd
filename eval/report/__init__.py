"""The Dutch, self-contained ``report.html`` of an evaluation run (no external assets)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core.resources import package_path
from eval.core.log import EvalLog
from eval.report.plots import metric_intervals, per_sample_bars

REPORT_FILE = "report.html"
WORST_N = 3
_TEMPLATES = package_path("eval.report", "templates")


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _fmt
    return env


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return f"{value:.{digits}f}".replace(".", ",")


def worst_samples(log: EvalLog) -> list[dict]:
    """Per metric the ``WORST_N`` worst samples, with the scorer's explanation."""
    out = []
    for task in log.tasks:
        for name, info in task.metric_info.items():
            scored = [(s.id, s.scores[name]) for s in task.samples
                      if name in s.scores and s.scores[name].value is not None]
            if len(scored) < 2:
                continue
            scored.sort(key=lambda p: float(p[1].value), reverse=info.lower_is_better)
            out.append({"task": task.name, "metric": name, "samples": scored[:WORST_N]})
    return out


def build_plots(log: EvalLog) -> list[dict]:
    thresholds = {(c.metric): c.threshold for c in log.criteria}
    plots = []
    for task in log.tasks:
        if len(task.samples) > 1 and task.metadata.get("per_sample_plots", len(task.samples) <= 20):
            for name in task.metric_info:
                uri = per_sample_bars(task, name, threshold=thresholds.get(name))
                if uri:
                    plots.append({"task": task.name, "title": f"{task.name}: {name}", "uri": uri})
        unit = [m for m, mv in task.metrics.items() if mv.value is not None and 0 <= mv.value <= 1 and mv.ci_low is not None]
        uri = metric_intervals(task, unit, title=f"{task.name}: schattingen met 95%-interval") if unit else None
        if uri:
            plots.append({"task": task.name, "title": f"{task.name}: intervallen", "uri": uri})
    return plots


def render_report(log: EvalLog) -> str:
    return _env().get_template("report.html.j2").render(
        log=log, worst=worst_samples(log), plots=build_plots(log),
        failed=[c for c in log.criteria if c.status == "gezakt"],
    )


def write_report(log: EvalLog, out_dir: Path) -> Path:
    path = out_dir / REPORT_FILE
    path.write_text(render_report(log), encoding="utf-8")
    return path


__all__ = ["REPORT_FILE", "render_report", "worst_samples", "write_report"]
