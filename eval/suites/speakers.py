"""Speakers suite: diarization error rate and cpWER (metrics by the diarization stage's owners,
:mod:`eval.speakers`) on conversations with a reference RTTM."""

from __future__ import annotations

import time
from pathlib import Path

from eval.core.dataset import Dataset
from eval.core.scorer import Score, scorer
from eval.core.task import Task, TaskState
from eval.suites.asr import (READ_SPEECH_LIMITATION, REAL_DATA_DIR, SYNTHETIC_LIMITATION, AsrSuiteOptions,
                             real_speech_dataset, transcribe_audio)
from eval.suites.base import DEV_DIR, EvalContext, case_of, gold_transcript, suite


def diarize_transcript(ctx: EvalContext):
    from pipeline.audio import decode_audio
    from pipeline.diarize import DiarizeOptions, diarize

    def solve(state: TaskState) -> None:
        audio = state.cache.get("audio") or decode_audio(state.dataset.path(state.sample.input))
        started = time.perf_counter()
        diarizer = ctx.backends.diarizer
        if diarizer is not None:
            ctx.record_model("diarization", diarizer.model_ref)
        state.output["transcript"] = diarize(audio.mono(), state.output["transcript"], diarizer, case_of(state), DiarizeOptions())
        state.timings["diarize"] = time.perf_counter() - started

    return solve


def _reference_turns(state: TaskState):
    from eval.speakers.der import read_rttm

    path = state.dataset.file(state.sample, "rttm")
    if path is None:
        return None
    by_file = read_rttm(path)
    return by_file.get(state.sample.id) or next(iter(by_file.values()), None)


@scorer(name="speakers/der", aggregate="ratio", lower_is_better=True,
        description="Diarization error rate: (gemist + vals alarm + verwisseling) / seconden referentiespraak, zonder collar.")
def der():
    def score(state: TaskState) -> Score | None:
        from eval.speakers.score import score_speakers

        turns = _reference_turns(state)
        if not turns:
            return None
        result = score_speakers(state.output["transcript"], turns, None).der
        errors = result.missed + result.false_alarm + result.confusion
        return Score(value=result.der, numerator=errors, denominator=result.total, details=result.model_dump(),
                     explanation=f"gemist {result.missed:.1f} s, vals alarm {result.false_alarm:.1f} s, verwisseld {result.confusion:.1f} s")
    return score


@scorer(name="speakers/cpwer", aggregate="ratio", lower_is_better=True,
        description="cpWER: woordfouten met sprekers gekoppeld per permutatie (CHiME-6); sprekerverwisseling telt als fout.")
def cpwer():
    def score(state: TaskState) -> Score | None:
        from eval.speakers.cpwer import transcript_cpwer

        result = transcript_cpwer(gold_transcript(state), state.output["transcript"])
        return Score(value=result.cpwer, numerator=result.errors, denominator=result.reference_words,
                     explanation=f"{result.errors} fouten op {result.reference_words} woorden")
    return score


@suite("speakers", default_data=DEV_DIR, description="Sprekerherkenning: DER en cpWER")
def speakers_suite(ctx: EvalContext, dataset: Dataset) -> Task:
    import eval.speakers.score  # noqa: F401  (fail early when the diarization evaluation is absent)

    options: AsrSuiteOptions = ctx.options("asr", AsrSuiteOptions)  # type: ignore[assignment]
    return Task(
        name="speakers", dataset=dataset, solver=[transcribe_audio(ctx, options), diarize_transcript(ctx)],
        scorer=[der(), cpwer()],
        limitations=[SYNTHETIC_LIMITATION] if dataset.synthetic else [],
    )


@suite("speakers-real", default_data=REAL_DATA_DIR, uses_conversations=False,
       description="Sprekerherkenning op twee echte stemmen (achtergehouden helft van speech-nl): DER en cpWER")
def speakers_real_suite(ctx: EvalContext, directory: Path) -> Task:
    options: AsrSuiteOptions = ctx.options("asr", AsrSuiteOptions)  # type: ignore[assignment]
    dataset = real_speech_dataset(directory).filter(ctx.config.samples)
    return Task(
        name="speakers-real", dataset=dataset, solver=[transcribe_audio(ctx, options), diarize_transcript(ctx)],
        scorer=[der(), cpwer()], limitations=[READ_SPEECH_LIMITATION],
    )
