"""The results log (``results.json``): a versioned schema.

Bump ``LOG_VERSION`` whenever a field changes meaning or is removed; readers refuse other versions.
The log records everything needed to reproduce a run: models with SHA-256, prompt versions,
package versions, the git commit and whether the working tree was dirty, and the machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any, Literal

import psutil
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eval.core.task import TaskResult
from core.settings import REPO_ROOT, Settings
from core.errors import EvaluationError
from core.provenance import ModelRef

LOG_VERSION = 1
RESULTS_FILE = "results.json"

#: Packages whose versions go into every log.
TRACKED_PACKAGES = (
    "faster-whisper", "ctranslate2", "presidio-analyzer", "presidio-anonymizer", "deduce", "spacy",
    "llama-cpp-python", "transformers", "torch", "resemblyzer", "bm25s", "jiwer", "rapidfuzz",
    "numpy", "pydantic", "matplotlib", "vg-verslag",
)
#: Settings that must never be written to a log.
SECRET_SETTINGS = ("vault_key", "llm_api_key")

Status = Literal["started", "success", "failed", "error"]


class Revision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    commit: str | None
    dirty: bool | None
    """True when the working tree had uncommitted changes (results may not match ``commit``)."""


class Machine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: str
    python: str
    cpu_count: int | None
    memory_gb: float
    processor: str


class CriterionResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    metric: str
    title: str
    op: str
    threshold: float
    value: float | None
    status: Literal["geslaagd", "gezakt", "niet gemeten"]
    rationale: str
    ci_low: float | None = None
    ci_high: float | None = None


class RunConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    suites: list[str]
    data: dict[str, str]
    """Suite -> dataset directory used."""
    config_file: str | None = None
    criteria_file: str
    settings: dict[str, Any]
    models: list[ModelRef] = Field(default_factory=list)
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)


class EvalLog(BaseModel):
    """``results.json``. Field order is part of the file format: add fields at the end."""

    model_config = ConfigDict(extra="forbid")

    version: int = LOG_VERSION
    status: Status = "started"
    created: dt.datetime
    finished: dt.datetime | None = None
    config: RunConfig
    revision: Revision
    packages: dict[str, str]
    machine: Machine
    tasks: list[TaskResult] = Field(default_factory=list)
    criteria: list[CriterionResult] = Field(default_factory=list)
    limitations: list[str] = Field(default_factory=list)
    error: str | None = None


def git_revision(repo: Path = REPO_ROOT) -> Revision:
    """Commit and dirty flag of the code that ran (``None`` outside a git checkout)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=repo, capture_output=True, text=True, check=True, timeout=10,
            ).stdout.strip()
        )
        return Revision(commit=commit, dirty=dirty)
    except (OSError, subprocess.SubprocessError):
        return Revision(commit=None, dirty=None)


def package_versions(names: tuple[str, ...] = TRACKED_PACKAGES) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "niet geïnstalleerd"
    return versions


def machine_info() -> Machine:
    return Machine(
        platform=platform.platform(),
        python=platform.python_version(),
        cpu_count=os.cpu_count(),
        memory_gb=round(psutil.virtual_memory().total / 2**30, 1),
        processor=platform.machine(),
    )


def safe_settings(settings: Settings) -> dict[str, Any]:
    """Settings as JSON, secrets replaced by ``***``."""
    data = settings.model_dump(mode="json")
    for key in SECRET_SETTINGS:
        if data.get(key):
            data[key] = "***"
    return data


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def new_log(config: RunConfig) -> EvalLog:
    return EvalLog(
        created=dt.datetime.now(dt.UTC),
        config=config,
        revision=git_revision(),
        packages=package_versions(),
        machine=machine_info(),
    )


def write_log(log: EvalLog, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / RESULTS_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(log.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def read_log(path: Path) -> EvalLog:
    """Read ``results.json`` (or the one inside a run directory)."""
    if path.is_dir():
        path = path / RESULTS_FILE
    if not path.is_file():
        raise EvaluationError(
            f"Geen {RESULTS_FILE} gevonden in {path.parent.name}.",
            hint="Geef de uitvoermap van een eerdere 'vg eval run'.",
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise EvaluationError(f"{path.name} is geen geldige JSON.", hint="Draai de evaluatie opnieuw.") from None
    if raw.get("version") != LOG_VERSION:
        raise EvaluationError(
            f"{path.name} heeft schemaversie {raw.get('version')}, deze versie leest {LOG_VERSION}.",
            hint="Draai de evaluatie opnieuw met deze versie van vg.",
        )
    try:
        return EvalLog.model_validate(raw)
    except ValidationError:
        raise EvaluationError(f"{path.name} klopt niet met het resultaatschema.", hint="Draai de evaluatie opnieuw.") from None
