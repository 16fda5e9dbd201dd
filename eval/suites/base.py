"""What every suite gets: settings, loaded backends, per-suite options, and a registry.

A suite is a factory ``(context, dataset) -> Task`` registered under a name::

    @suite("asr", default_data=DEV_DIR, description="WER/CER ...")
    def asr_suite(ctx: EvalContext, dataset: Dataset) -> Task: ...

Suites whose data has another format (pii, kaart) load it themselves from ``default_data``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.resources import package_path
from eval.core.dataset import Dataset, Sample
from eval.core.task import Task, TaskState
from pipeline.backends import Backends
from core.settings import Settings
from core.errors import EvaluationError
from core.provenance import ModelRef

DATA_DIR = package_path("eval", "data")
DEV_DIR = DATA_DIR / "dev"


class EvalConfig(BaseModel):
    """``--config CONFIG`` (TOML): what differs between two runs to compare.

    ::

        label = "qwen-1.5b, prompts v1"
        samples = ["vg01", "vg02"]      # optional subset
        [settings]                        # overrides of pipeline Settings (VG_* names, lower case)
        llm_model = "qwen2.5-coder-0.5b-instruct"
        [suites.verslag]                  # options per suite (see each suite's Options class)
        match_threshold = 0.5
    """

    model_config = ConfigDict(extra="forbid")

    label: str = "standaard"
    samples: list[str] | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    suites: dict[str, dict[str, Any]] = Field(default_factory=dict)


@dataclass
class EvalContext:
    """Shared by all suites of one run. Heavy models load once, on first use, via ``backends``."""

    settings: Settings
    backends: Backends
    config: EvalConfig = field(default_factory=EvalConfig)
    models_used: dict[str, ModelRef] = field(default_factory=dict)
    prompt_versions: dict[str, str] = field(default_factory=dict)

    def options(self, suite: str, model: type[BaseModel]) -> BaseModel:
        try:
            return model.model_validate(self.config.suites.get(suite, {}))
        except Exception:  # pydantic ValidationError: name the suite, not the raw error
            fields = ", ".join(sorted(model.model_fields))
            raise EvaluationError(
                f"Opties voor suite '{suite}' in het configuratiebestand kloppen niet.",
                hint=f"Toegestane velden: {fields}.",
            ) from None

    def record_model(self, role: str, ref: ModelRef) -> None:
        self.models_used[role] = ref


SuiteFactory = Callable[[EvalContext, Any], Task]
"""``(context, dataset)`` for conversation suites; ``(context, data_dir)`` for suites with their own format."""


@dataclass(frozen=True)
class SuiteInfo:
    name: str
    factory: SuiteFactory
    default_data: Path
    description: str
    uses_conversations: bool
    """True when the suite reads the conversation dataset format (samples.jsonl + gold.json)."""


SUITES: dict[str, SuiteInfo] = {}


def suite(name: str, *, default_data: Path = DEV_DIR, description: str = "", uses_conversations: bool = True) -> Callable[[SuiteFactory], SuiteFactory]:
    def register(factory: SuiteFactory) -> SuiteFactory:
        SUITES[name] = SuiteInfo(name, factory, default_data, description, uses_conversations)
        return factory

    return register


# --- helpers shared by conversation suites -------------------------------------------------------


def read_json_file(state: TaskState, key: str) -> Any:
    """A JSON side file of the sample (``transcript``, ``case``) or its target (``target``), cached."""
    if key in state.cache:
        return state.cache[key]
    sample: Sample = state.sample
    if key == "target":
        if not isinstance(sample.target, str):
            value = sample.target
        else:
            value = json.loads(state.dataset.path(sample.target).read_text(encoding="utf-8"))
    else:
        path = state.dataset.file(sample, key)
        if path is None:
            raise EvaluationError(
                f"Sample '{sample.id}' heeft geen bestand '{key}'.",
                hint=f"Voeg \"files\": {{\"{key}\": ...}} toe in samples.jsonl.",
            )
        value = json.loads(path.read_text(encoding="utf-8"))
    state.cache[key] = value
    return value


def gold_transcript(state: TaskState):
    from pipeline.transcript import Transcript

    if "gold_transcript" not in state.cache:
        state.cache["gold_transcript"] = Transcript.model_validate(read_json_file(state, "transcript"))
    return state.cache["gold_transcript"]


def case_of(state: TaskState):
    from pipeline.case import CaseMetadata, load_case

    path = state.dataset.file(state.sample, "case")
    return load_case(path) if path else CaseMetadata()
