"""End-to-end suite: audio to letter with ``vg process``'s own runner, time per stage, and the
asr and verslag measures on what the whole chain produced.

Every sample runs in a temporary directory that is deleted afterwards: the pipeline's outputs
include the re-identified letter, and personal data must never end up in an evaluation artefact.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from eval.core.dataset import Dataset
from eval.core.scorer import Score, scorer
from eval.core.task import Task, TaskState
from eval.normalize import DutchNormaliser
from eval.suites.asr import SYNTHETIC_LIMITATION, cer, wer
from eval.suites.base import DEV_DIR, EvalContext, case_of, suite
from eval.suites.verslag import VerslagSuiteOptions, show_text_solver, verslag_scorers

STAGES = ("transcript", "deidentify", "verslag", "render")


class E2ESuiteOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    diarize: bool = True
    suggest_services: bool = True


def run_whole_pipeline(ctx: EvalContext, options: E2ESuiteOptions):
    from pipeline.artefacts import load_raw_transcript
    from pipeline.runner import ProcessOptions, run_pipeline
    from pipeline.verslag import Verslag

    def solve(state: TaskState) -> None:
        with tempfile.TemporaryDirectory(prefix="vg-eval-e2e-") as tmp:
            out = Path(tmp)
            record = run_pipeline(
                state.dataset.path(state.sample.input), out, case=case_of(state), backends=ctx.backends,
                options=ProcessOptions(diarize=options.diarize, suggest_services=options.suggest_services, reuse=False),
            )
            for info in record.stages:
                state.timings[info.stage] = info.wall_seconds
                for ref in info.models:
                    ctx.record_model(f"{info.stage}:{ref.backend}", ref)
                ctx.prompt_versions.update(info.prompt_versions)
            transcript = load_raw_transcript(out, ctx.backends.vault_key)  # stored encrypted by default
            state.output["transcript"] = transcript
            state.output["audio_seconds"] = transcript.duration
            state.output["verslag"] = Verslag.model_validate_json((out / "verslag.json").read_text(encoding="utf-8"))
            letter = out / "advies-huisarts.txt"
            state.output["letter_chars"] = len(letter.read_text(encoding="utf-8").strip()) if letter.is_file() else 0
            state.output["letter_pdf"] = (out / "advies-huisarts.pdf").is_file()

    return solve


@scorer(name="e2e/rekentijd_per_audiominuut", aggregate="ratio", lower_is_better=True,
        description="Seconden rekentijd van opname tot brief per minuut audio (alle stappen samen).")
def seconds_per_audio_minute():
    def score(state: TaskState) -> Score:
        total = sum(state.timings.get(s, 0.0) for s in STAGES)
        minutes = state.output["audio_seconds"] / 60
        parts = ", ".join(f"{s} {state.timings.get(s, 0.0):.0f} s" for s in STAGES)
        return Score(value=total / minutes if minutes else None, numerator=total, denominator=minutes,
                     details={s: state.timings.get(s) for s in STAGES}, explanation=f"{total:.0f} s voor {minutes:.1f} min ({parts})")
    return score


def stage_seconds(stage: str):
    @scorer(name=f"e2e/seconden_{stage}", aggregate="mean", lower_is_better=True,
            description=f"Rekentijd van de stap '{stage}' in seconden per gesprek.")
    def factory():
        def score(state: TaskState) -> Score | None:
            value = state.timings.get(stage)
            return None if value is None else Score(value=value)
        return score
    return factory()


@scorer(name="e2e/brief_gemaakt", aggregate="proportion",
        description="Aandeel gesprekken waarvoor een niet-lege adviesbrief (tekst en PDF) is gemaakt.")
def letter_made():
    def score(state: TaskState) -> Score:
        ok = state.output["letter_chars"] > 0 and state.output["letter_pdf"]
        return Score(value=ok, explanation=f"{state.output['letter_chars']} tekens, PDF {'ja' if state.output['letter_pdf'] else 'nee'}")
    return score


@suite("e2e", default_data=DEV_DIR, description="Van opname tot brief: tijd per stap, WER en verslagmaten op de hele keten")
def e2e_suite(ctx: EvalContext, dataset: Dataset) -> Task:
    options: E2ESuiteOptions = ctx.options("e2e", E2ESuiteOptions)  # type: ignore[assignment]
    v_options: VerslagSuiteOptions = ctx.options("verslag", VerslagSuiteOptions)  # type: ignore[assignment]
    norm = DutchNormaliser()
    return Task(
        name="e2e", dataset=dataset, solver=[show_text_solver(v_options), run_whole_pipeline(ctx, options)],
        scorer=[seconds_per_audio_minute(), *(stage_seconds(s) for s in STAGES), letter_made(), wer(norm), cer(norm),
                *verslag_scorers(v_options)],
        metadata={"opties": options.model_dump(), "toelichting": [
            "Dezelfde verslagmaten als in de suite 'verslag', maar nu op het concept dat uit de eigen spraakherkenning "
            "komt: het verschil met de verslag-suite toont wat spraakherkenningsfouten kosten."]},
        limitations=[SYNTHETIC_LIMITATION] if dataset.synthetic else [],
    )
