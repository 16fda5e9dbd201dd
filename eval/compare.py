"""``vg eval compare RUN_A RUN_B``: two configurations side by side."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from eval.core.log import EvalLog

#: Differences smaller than this are shown as "gelijk" (no claim of improvement).
NEGLIGIBLE = 1e-9


class ConfigDifference(BaseModel):
    key: str
    a: str
    b: str


class MetricRow(BaseModel):
    task: str
    metric: str
    a: float | None
    b: float | None
    delta: float | None
    verdict: str
    """``beter``, ``slechter``, ``gelijk``, ``binnen interval`` or ``–``."""

    @staticmethod
    def fmt(value: float | None, *, signed: bool = False) -> str:
        if value is None:
            return "–"
        return f"{value:+.3f}" if signed else f"{value:.3f}"


class Comparison(BaseModel):
    config_differences: list[ConfigDifference]
    metrics: list[MetricRow]


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = str(value)


def _config_view(log: EvalLog) -> dict[str, str]:
    flat: dict[str, str] = {}
    _flatten("settings", log.config.settings, flat)
    _flatten("opties", log.config.options, flat)
    _flatten("prompts", log.config.prompt_versions, flat)
    for m in log.config.models:
        flat[f"model.{m.backend}"] = f"{m.name} ({(m.sha256 or '?')[:12]})"
    flat["git"] = f"{(log.revision.commit or '?')[:10]}{' (dirty)' if log.revision.dirty else ''}"
    for key in ("data_dir", "models_dir"):
        flat.pop(f"settings.{key}", None)
    return flat


def compare_logs(a: EvalLog, b: EvalLog) -> Comparison:
    ca, cb = _config_view(a), _config_view(b)
    diffs = [ConfigDifference(key=k, a=ca.get(k, "–"), b=cb.get(k, "–"))
             for k in sorted(set(ca) | set(cb)) if ca.get(k) != cb.get(k)]
    rows: list[MetricRow] = []
    tasks_b = {t.name: t for t in b.tasks}
    for ta in a.tasks:
        tb = tasks_b.get(ta.name)
        for name, ma in ta.metrics.items():
            mb = tb.metrics.get(name) if tb else None
            va, vb = ma.value, (mb.value if mb else None)
            delta = None if va is None or vb is None else vb - va
            rows.append(MetricRow(task=ta.name, metric=name, a=va, b=vb, delta=delta,
                                  verdict=_verdict(delta, ta.metric_info[name].lower_is_better, ma, mb)))
    return Comparison(config_differences=diffs, metrics=rows)


def _verdict(delta, lower_is_better, ma, mb) -> str:
    if delta is None:
        return "–"
    if abs(delta) < NEGLIGIBLE:
        return "gelijk"
    # Overlapping 95% intervals: do not call it better or worse.
    if mb is not None and None not in (ma.ci_low, ma.ci_high, mb.ci_low, mb.ci_high):
        if ma.ci_low <= mb.ci_high and mb.ci_low <= ma.ci_high:
            return "binnen interval"
    better = delta < 0 if lower_is_better else delta > 0
    return "beter" if better else "slechter"
