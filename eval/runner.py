"""Run suites into an output directory: ``results.json`` (the log) and ``report.html``."""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from pathlib import Path

from pydantic import ValidationError

from eval.core.criteria import DEFAULT_CRITERIA, evaluate_criteria, load_criteria
from eval.core.dataset import load_jsonl
from eval.core.log import EvalLog, RunConfig, new_log, safe_settings, write_log
from eval.core.task import run_task
from eval.suites import SUITES, load_suites
from eval.suites.base import EvalConfig, EvalContext
from pipeline.backends import Backends
from core.settings import Settings
from core.errors import EvaluationError

logger = logging.getLogger(__name__)

DEFAULT_ORDER = ("asr", "speakers", "pii", "verslag", "kaart", "e2e")


def load_config(path: Path | None) -> EvalConfig:
    if path is None:
        return EvalConfig()
    if not path.is_file():
        raise EvaluationError(f"Configuratiebestand niet gevonden: {path.name}", hint="Geef met --config een bestaand TOML-bestand.")
    try:
        with path.open("rb") as fh:
            return EvalConfig.model_validate(tomllib.load(fh))
    except tomllib.TOMLDecodeError as exc:
        raise EvaluationError(f"{path.name} is geen geldige TOML: {exc}", hint="Controleer de syntaxis.") from None
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise EvaluationError(f"{path.name} klopt niet ({fields}).", hint="Zie docs/evaluation.md, 'Configuratie'.") from None


def settings_with(config: EvalConfig, base: Settings | None = None) -> Settings:
    base = base or Settings()
    if not config.settings:
        return base
    try:
        return Settings.model_validate({**base.model_dump(), **config.settings})
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise EvaluationError(f"Ongeldige instellingen in het configuratiebestand: {fields}.", hint="Gebruik de namen uit core/settings.py.") from None


def resolve_suites(names: list[str]) -> list[str]:
    load_suites()
    if not names or "all" in names:
        return [n for n in DEFAULT_ORDER if n in SUITES]
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise EvaluationError(
            f"Onbekende suite: {', '.join(unknown)}.",
            hint=f"Kies uit: {', '.join(sorted(SUITES))} of all ({', '.join(n for n in DEFAULT_ORDER if n in SUITES)}).",
        )
    return names


def run_eval(
    suites: list[str],
    out_dir: Path,
    *,
    data: Path | None = None,
    config: EvalConfig | None = None,
    config_file: Path | None = None,
    criteria_file: Path = DEFAULT_CRITERIA,
    backends: Backends | None = None,
    write_report: bool = True,
) -> EvalLog:
    """Run ``suites`` and write ``results.json`` and ``report.html`` into ``out_dir``."""
    config = config or EvalConfig()
    names = resolve_suites(suites)
    criteria = load_criteria(criteria_file)
    settings = backends.settings if backends else settings_with(config)
    backends = backends or Backends(settings)
    ctx = EvalContext(settings=settings, backends=backends, config=config)

    data_dirs: dict[str, Path] = {}
    for name in names:
        info = SUITES[name]
        use_given = data is not None and (info.uses_conversations or len(names) == 1)
        data_dirs[name] = (data if use_given else info.default_data).resolve()

    log = new_log(RunConfig(
        suites=names, data={n: str(p) for n, p in data_dirs.items()},
        config_file=str(config_file) if config_file else None, criteria_file=str(criteria_file),
        settings=safe_settings(settings), options=config.model_dump(mode="json"),
    ))
    write_log(log, out_dir)
    try:
        for name in names:
            info = SUITES[name]
            try:
                if info.uses_conversations:
                    task = info.factory(ctx, load_jsonl(data_dirs[name]).filter(config.samples))
                else:  # the suite reads its own data format from the directory
                    task = info.factory(ctx, data_dirs[name])  # type: ignore[arg-type]
            except ModuleNotFoundError as exc:
                raise EvaluationError(
                    f"Suite '{name}' kan niet draaien: onderdeel '{exc.name}' ontbreekt in deze installatie.",
                    hint="Installeer het project volledig ('make setup') of kies een andere --suite.",
                ) from None
            logger.info("suite %s: %d samples", name, len(task.dataset.samples))
            log.tasks.append(run_task(task))
            log.config.models = _unique_models(ctx)
            log.config.prompt_versions = dict(ctx.prompt_versions)
            write_log(log, out_dir)  # after every suite, so a long run leaves usable partial results
    except EvaluationError:
        log.status = "error"
        write_log(log, out_dir)
        raise
    log.config.models = _unique_models(ctx)
    log.config.prompt_versions = dict(ctx.prompt_versions)
    log.criteria = evaluate_criteria(criteria, log.tasks)
    log.limitations = _limitations(log)
    failed = any(c.status == "gezakt" for c in log.criteria)
    log.status = "failed" if failed else "success"
    log.finished = dt.datetime.now(dt.UTC)
    write_log(log, out_dir)
    if write_report:
        from eval.report import write_report as render

        render(log, out_dir)
    return log


def _unique_models(ctx: EvalContext) -> list:
    seen: dict[tuple, object] = {}
    for ref in ctx.models_used.values():
        seen.setdefault((ref.backend, ref.name, ref.sha256), ref)
    return list(seen.values())


def _limitations(log: EvalLog) -> list[str]:
    notes: list[str] = []
    for task in log.tasks:
        for note in task.limitations:
            if note not in notes:
                notes.append(note)
        n = len(task.samples)
        if 0 < n < 30:
            notes.append(f"Suite '{task.name}': slechts {n} samples; betrouwbaarheidsintervallen zijn breed en "
                         "kleine verschillen tussen configuraties zijn niet betekenisvol.")
        if task.errors:
            notes.append(f"Suite '{task.name}': {task.errors} van {n} samples konden niet worden verwerkt (zie de fouten per sample).")
    if log.revision.dirty:
        notes.append("De code had niet-vastgelegde wijzigingen (git 'dirty'): de resultaten horen niet exact bij de genoemde commit.")
    return notes
